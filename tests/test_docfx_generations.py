"""Both docfx generations of the .NET reference, 2023's and the newest, read alike."""

# Both docfx generations of the .NET reference read alike (FORMAT.md, "the newest release's
# form"): the 2023 files and the newest (NetServer 12.2), side by side on excerpts shaped as the
# real files are, and on the real files themselves. An enum whose values cannot be read is a
# finding, its properties an open string: no output ever holds `enum: []`, which no value
# satisfies. And the path from SuperOffice's archived public repository to the whole SDK:
# the folder layout a sparse checkout gives, built through `[tool.docgen]`.

from __future__ import annotations

import shutil
import textwrap
from dataclasses import replace

import pytest
import yaml

from conftest import CORPUS, ROOT, corpus_dir, reference_dir, require, run_docgen
from support.docfx import NS, member, type_head


def enum_2023(name: str, values: list[str], summary: str = "Status of a ticket") -> bytes:
    """An enum as the 2023 docfx writes it: a sealed class over Enum, `value__`, consts."""
    members = (
        member(name, "value__")
        + """\
  source:
    path: SuperOffice.WebApi
  syntax:
    content: public short value__
    return:
      type: System.Int16
  modifiers.csharp:
  - public
"""
    )
    for v in values:
        members += (
            member(name, v)
            + f"""\
  summary: "\\n{v} &amp; more\\n"
  syntax:
    content: public const {name} {v}
    return:
      type: {NS}.{name}
  modifiers.csharp:
  - public
  - const
"""
        )
    head = (
        type_head(name, "Class")
        + f"""\
  source:
    path: SuperOffice.WebApi
  summary: "\\n{summary}\\nThis Enum is used by:  ticket.status\\n"
  syntax:
    content: 'public sealed class {name} : Enum'
  inheritance:
  - System.Object
  modifiers.csharp:
  - public
  - sealed
  - class
"""
    )
    return (head + members + "references: []\n").encode()


def enum_newer(name: str, values: list[str], summary: str = "Status of a ticket") -> bytes:
    """The same enum as the newer docfx writes it: `type: Enum`, `[EnumMember]` / `X = N`
    fields with attributes, a folded summary, no `source:` or `modifiers`."""
    members = ""
    for i, v in enumerate(values):
        members += (
            member(name, v)
            + f"""\
  summary: '{v} & more'
  example: []
  syntax:
    content: >-
      [EnumMember]

      {v} = {i}
    return:
      type: {NS}.{name}
  attributes:
  - type: System.Runtime.Serialization.EnumMemberAttribute
    ctor: System.Runtime.Serialization.EnumMemberAttribute.#ctor
    arguments: []
"""
        )
    head = (
        type_head(name, "Enum")
        + f"""\
  summary: >-
    {summary}

    This Enum is used by:  ticket.status
  example: []
  syntax:
    content: 'public enum {name} : short'
  inheritedMembers:
  - System.Object.ToString
  - System.Object.Equals(System.Object)
"""
    )
    href = "https://learn.microsoft.com/dotnet/api/system.int16"
    refs = f"references:\n- uid: System.Int16\n  href: {href}\n  name: short\n"
    return (head + members + refs).encode()


VALUES = ["Unknown", "Active", "Closed", "Spam"]


@pytest.mark.parametrize("write", [enum_2023, enum_newer], ids=["2023", "newer"])
def test_an_enum_reads_alike_in_both_generations(write):
    from docgen.parser.docfx import read_reference

    ref = read_reference(write("TicketBaseStatus", VALUES), "webapi/x.yml").value
    assert ref is not None and ref.kind == "enum"
    assert [m.name for m in ref.members if m.kind == "value"] == VALUES
    assert ref.summary == "Status of a ticket This Enum is used by: ticket.status"
    assert [m.summary for m in ref.members][-1] == "Spam & more"  # entities decoded either way
    assert ref.bases in ((), ("System.Object",))


def test_summaries_plain_quoted_folded_with_entities_and_links_read_alike():
    from docgen.parser.docfx import clean_summary

    forms = [
        yaml.safe_load(
            's: "\\nUse the <see cref=\\"T:SuperOffice.CRM.Services.ArchiveAgent\\"/> &amp; more\\n"'
        )["s"],
        yaml.safe_load("s: 'Use the ArchiveAgent & more'")["s"],
        yaml.safe_load(
            's: >-\n  Use the <xref href="SuperOffice.CRM.Services.ArchiveAgent"'
            ' data-throw-if-not-resolved="false"></xref>\n\n  &amp; more\n'
        )["s"],
    ]
    assert {clean_summary(f) for f in forms} == {"Use the ArchiveAgent & more"}
    labelled = '<xref href="SuperOffice.CRM.Services.ArchiveAgent?text=Archive+agent" data-x="1"></xref>'
    assert clean_summary(f"Use {labelled}.") == "Use Archive agent."


def test_the_real_files_of_both_generations():
    """TicketBaseStatus: 2023 lists six values; the newest adds Spam = 6 and eight UI-only
    `Postponed...` values (1001-1008), each an `[EnumMember]` the wire may carry."""
    from docgen.parser.docfx import read_reference

    found = {}
    for generation in ("superoffice-2023", "superoffice-latest"):
        path = require(CORPUS / generation / "webapi" / f"{NS}.TicketBaseStatus.yml", "the real enum files")
        ref = read_reference(path.read_bytes(), str(path)).value
        found[generation] = [m.name for m in ref.members if m.kind == "value"]
    assert found["superoffice-2023"] == ["Unknown", "Active", "Closed", "Postponed", "Deleted", "Merged"]
    newest = found["superoffice-latest"]
    assert newest[:7] == [*found["superoffice-2023"], "Spam"] and len(newest) == 15


def test_the_newest_contact_entity_types_the_newest_pages(tmp_path):
    """`docgen build` of the newest pages and reference files: ContactEntity's properties are
    the newest file's (UtmParameters, a SavedUtmParameters), typed as it declares them."""
    from docgen.config import load_config

    from conftest import generate

    sources = [corpus_dir("superoffice-latest"), reference_dir("superoffice-latest")]
    result = generate(replace(load_config(ROOT), cache_dir=tmp_path), sources)
    assert result.errors == []
    spec = yaml.safe_load(result.files["openapi.yaml"])
    props = spec["components"]["schemas"]["ContactEntity"]["properties"]
    assert props["UtmParameters"]["anyOf"][0] == {"$ref": "#/components/schemas/SavedUtmParameters"}
    # The page says `object`; the newest file declares a StringDictionary (DG208, at its line).
    assert props["UserDefinedFields"]["anyOf"][0] == {"$ref": "#/components/schemas/StringDictionary"}
    overridden = [d.message for d in result.diagnostics if d.code == "DG208"]
    assert overridden and all(f"{NS}.ContactEntity.yml:" in m for m in overridden)


# No empty enum, ever ---------------------------------------------------------------------------


def unreadable_enum() -> bytes:
    """An enum whose fields say nothing docgen reads (no return type naming the enum)."""
    text = enum_newer("TicketBaseStatus", ["Unknown", "Active"]).decode()
    return text.replace(f"    return:\n      type: {NS}.TicketBaseStatus\n", "").encode()


def test_an_enum_without_readable_values_is_a_finding_and_an_open_string(tmp_path):
    from docgen.config import load_config

    from conftest import generate

    pages = tmp_path / "restful" / "rest" / "Ticket"
    pages.mkdir(parents=True)
    (pages / "v1TicketEntity_GetTicket.md").write_text(
        textwrap.dedent(
            """\
            ---
            uid: v1TicketEntity_GetTicket
            ---

            # GET Ticket/{id}

            ```http
            GET /api/v1/Ticket/{id}
            ```

            Gets a ticket.

            ## Response:

            OK

            | Response | Description |
            |----------------|-------------|
            | 200 | OK |

            ### Response body: TicketEntity

            | Property Name | Type |  Description |
            |----------------|------|--------------|
            | TicketId | int32 | Primary key |
            | Status | TicketBaseStatus | The status |
            """
        )
    )
    webapi = tmp_path / "webapi"
    webapi.mkdir()
    (webapi / f"{NS}.TicketBaseStatus.yml").write_bytes(unreadable_enum())
    result = generate(replace(load_config(ROOT), cache_dir=None), [tmp_path / "restful", webapi])
    found = [d for d in result.diagnostics if d.code == "DG116"]
    assert len(found) == 1 and found[0].file.endswith("TicketBaseStatus.yml") and found[0].line == 3
    assert "expected its values as `Field` items" in found[0].message
    spec = yaml.safe_load(result.files["openapi.yaml"])
    assert spec["components"]["schemas"]["TicketBaseStatus"] == {
        "type": "string",
        "description": "Status of a ticket This Enum is used by: ticket.status Its values could not be read; "
        "any string is taken.",
    }
    assert "enum: []" not in result.files["openapi.yaml"]
    models = result.files["superoffice_webapi/models/__init__.py"]
    assert "class TicketBaseStatus(OpenStrEnum)" not in models


def test_the_spec_emitter_refuses_an_empty_enum_but_not_a_sample_s():
    from docgen.emit.openapi import EmptyEnum, refuse_empty_enums

    refuse_empty_enums({"components": {"schemas": {"A": {"type": "string", "enum": ["x"]}}}})
    refuse_empty_enums({"paths": {"/x": {"get": {"examples": {"s": {"value": {"enum": []}}}}}}})
    with pytest.raises(EmptyEnum, match="#/components/schemas/B/properties/c has enum"):
        refuse_empty_enums({"components": {"schemas": {"B": {"properties": {"c": {"enum": []}}}}}})


def test_an_enum_cell_listing_nothing_is_not_an_empty_enum():
    from docgen.model.typemap import classify_type

    assert classify_type("Enum: ").kind == "unknown"
    assert classify_type("Enum: A, B").schema == {"type": "string", "enum": ["A", "B"]}


# From SuperOffice's public repository to the whole SDK ----------------------------------------


def test_the_archived_repository_layout_builds_through_the_configuration(tmp_path, corpus_build):
    """The README's path: a sparse checkout gives `superoffice-docs/docs/en/api/reference/
    {restful,webapi}`; `[tool.docgen] sources` names them; `docgen build` makes the same spec
    as the corpus built directly (checked without the network: the corpus laid out so)."""
    result, out = corpus_build
    reference = tmp_path / "superoffice-docs" / "docs" / "en" / "api" / "reference"
    shutil.copytree(corpus_dir("superoffice-2023"), reference / "restful")
    shutil.copytree(reference_dir("superoffice-2023"), reference / "webapi")
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [tool.docgen]
            sources = [
                "superoffice-docs/docs/en/api/reference/restful",
                "superoffice-docs/docs/en/api/reference/webapi",
            ]
            output = "sdk"
            """
        )
    )
    r = run_docgen("build", "-q", cwd=tmp_path, timeout=1200)
    assert r.returncode == 0, r.stderr[-3000:]
    built = (tmp_path / "sdk" / "openapi.yaml").read_text()
    assert built == (out / "openapi.yaml").read_text()
    assert (tmp_path / "sdk" / "api.md").exists() and (tmp_path / "sdk" / "superoffice_webapi").is_dir()


# The newest pages' quirks ----------------------------------------------------------------------

NEWEST_DELETE = """\
---
title: DELETE Contact/{id}
uid: v1ContactEntity_DeleteContactEntity
generated: true
content_type: reference
---

# DELETE Contact/{id}

```http
DELETE /api/v1/Contact/{id}
```

Deletes a ContactEntity.

NsApiSlow threshold: 2000 ms.

## Path Part

| Path Part | Type | Description |
|-----------|------|-------------|
| id | int32 | The ContactEntity id to delete. **Required** |

## Request Headers

| Parameter Name | Description |
|----------------|-------------|
| Accept         | Content-type(s) you would like the response in:  |

## Response:

ContactEntity deleted.

| Response | Description |
|----------------|-------------|
| 204 | ContactEntity deleted. |
| 412 | Delete aborted because ContactEntity has changed. |

### Response body: TimeZoneData


## Sample request

[!include[sample request](../../samples/rest/request/v1ContactEntity_DeleteContactEntity.md)]
"""


def test_a_204_with_a_stale_body_heading_and_an_empty_accept_list_read_as_they_mean(tmp_path):
    """The heading names a type with no table after it, on an answer that has no body: no
    body, no component; an `Accept` row listing nothing leaves the default media type; the
    sample request comes from the included file (no final newline, as the real ones)."""
    from docgen.config import load_config

    from conftest import generate

    page = tmp_path / "restful" / "rest" / "Contact" / "v1ContactEntity_DeleteContactEntity.md"
    page.parent.mkdir(parents=True)
    page.write_text(NEWEST_DELETE)
    sample = tmp_path / "restful" / "samples" / "rest" / "request" / "v1ContactEntity_DeleteContactEntity.md"
    sample.parent.mkdir(parents=True)
    sample.write_text("```http!\nDELETE /api/v1/Contact/{id}\nAuthorization: Basic dGplMDpUamUw\n```")
    result = generate(replace(load_config(ROOT), cache_dir=None), [tmp_path / "restful"])
    assert result.errors == [] and result.warnings == [], result.diagnostics
    spec = yaml.safe_load(result.files["openapi.yaml"])
    delete = spec["paths"]["/api/v1/Contact/{id}"]["delete"]
    assert delete["responses"]["204"] == {"description": "ContactEntity deleted."}
    assert "TimeZoneData" not in spec["components"]["schemas"]
    assert delete["x-superoffice-nsapi-slow-threshold-ms"] == 2000
    assert list(delete["responses"]["default"]["content"]) == ["application/json"]

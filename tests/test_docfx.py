"""The .NET reference's docfx YAML (parser/docfx.py, model/docfx.py): each construct and C# type."""

# The .NET library reference (docfx ManagedReference YAML): each construct on an excerpt shaped
# as the real files are (`webapi/SuperOffice.WebApi.Data.*.yml`), and each C# type form.

from __future__ import annotations

import pytest
from docgen.model.cstypes import CsType, cs_schema, cs_type, dictionary_values
from docgen.model.docfx import reference_model
from docgen.model.typemap import INT32, INT64
from docgen.parser.docfx import declared_uid, is_reference, named_types, read_reference

from support.docfx import NS, prop, type_file, value

ADDRESS = type_file(
    "StructuredAddress",
    "public class StructuredAddress : Object",
    prop(
        "StructuredAddress", "AtypeIdx_String", "System.String", "public string AtypeIdx_String { get; set; }"
    )
    + prop(
        "StructuredAddress",
        "AtypeIdx",
        f"System.Nullable{{{NS}.AddressType}}",
        "public AddressType? AtypeIdx { get; set; }",
        "Bit mask, combines address type (EAddressType) and owner type (EOwnerType)",
    )
    + prop("StructuredAddress", "Address1", "System.String", "public string Address1 { get; set; }")
    + prop(
        "StructuredAddress", "Lines", f"{NS}.LocalizedField[]", "public LocalizedField[] Lines { get; set; }"
    ),
    summary=(
        "\\nCarrier object for StructuredAddress.\\n"
        'Address with <see cref=\\"T:SuperOffice.WebApi.Data.Address\\"/> '
        "fields &apos;as is&apos;.\\n"
    ),
)


def test_a_file_is_a_reference_file_by_its_first_line():
    assert is_reference(ADDRESS)
    assert not is_reference(b"items:\n- name: toc\n")
    assert declared_uid(ADDRESS) == f"{NS}.StructuredAddress"


def test_a_carrier_has_its_properties_with_types_summaries_and_lines():
    ref = read_reference(ADDRESS, "webapi/a.yml").value
    assert ref is not None and ref.kind == "class" and ref.name == "StructuredAddress"
    assert ref.summary == "Carrier object for StructuredAddress. Address with Address fields 'as is'."
    names = [(m.name, m.type) for m in ref.members]
    assert ("AtypeIdx", f"System.Nullable{{{NS}.AddressType}}") in names
    lines = ADDRESS.decode().splitlines()
    atype = next(m for m in ref.members if m.name == "AtypeIdx")
    assert lines[atype.line - 1] == f"- uid: {NS}.StructuredAddress.AtypeIdx"
    assert ref.line == 2 + 1  # the type's own item


def test_the_libraries_string_twins_are_not_on_the_wire():
    seen = reference_model(ADDRESS, "webapi/a.yml").evidence[0]
    assert [p.name for p in seen.properties] == ["AtypeIdx", "Address1", "Lines"]


def test_a_scan_finds_the_types_a_file_holds_without_parsing_it():
    assert {f"{NS}.AddressType", f"{NS}.LocalizedField", "System.String"} <= named_types(ADDRESS)


def test_an_enum_has_its_values_in_order_and_says_when_they_are_flags():
    members = value("ChatSessionFlags", "CustomerIsTyping") + value("ChatSessionFlags", "AgentIsTyping")
    data = type_file(
        "ChatSessionFlags",
        "public sealed class ChatSessionFlags : Enum",
        members,
        summary="\\nThis Enum consists of flag values that can be combined.\\n",
    )
    seen = reference_model(data, "webapi/f.yml").evidence[0]
    assert seen.kind == "enum" and seen.values == ("CustomerIsTyping", "AgentIsTyping") and seen.flags
    plain = type_file(
        "ActivityStatus", "public sealed class ActivityStatus : Enum", value("ActivityStatus", "Unknown")
    )
    assert not reference_model(plain, "webapi/s.yml").evidence[0].flags


def test_a_dictionary_class_holds_its_value_type():
    data = type_file("StringDictionary", "public class StringDictionary : Dictionary<string, string>")
    seen = reference_model(data, "webapi/d.yml").evidence[0]
    assert seen.kind == "dictionary" and seen.holds == CsType("primitive", {"type": "string"})
    assert dictionary_values("public class Counts : Dictionary<string, int>") == CsType("primitive", INT32)


def test_inherited_members_are_named_by_the_base_class():
    data = type_file("ContactEntity", "public class ContactEntity : Carrier", inheritance=[f"{NS}.Carrier"])
    assert reference_model(data, "webapi/c.yml").evidence[0].bases == ("Carrier",)


def test_a_file_that_is_not_yaml_is_a_located_finding():
    model = reference_model(b"### YamlMime:ManagedReference\nitems:\n- uid: [unclosed\n", "webapi/bad.yml")
    assert model.evidence == ()
    (finding,) = model.diagnostics
    assert finding.code == "DG113" and finding.file == "webapi/bad.yml" and finding.line == 4


@pytest.mark.parametrize(
    ("uid", "schema"),
    [
        ("System.String", {"type": "string"}),
        ("System.Int32", INT32),
        ("System.Int64", INT64),
        ("System.Int16", INT32),
        ("System.UInt32", INT64),
        ("System.Boolean", {"type": "boolean"}),
        ("System.Double", {"type": "number", "format": "double"}),
        ("System.Single", {"type": "number", "format": "float"}),
        ("System.Decimal", {"type": "number"}),
        ("System.DateTime", {"type": "string", "format": "date-time"}),
        ("System.TimeSpan", {"type": "string"}),
        ("System.Byte[]", {"type": "string", "contentEncoding": "base64"}),
        ("System.Nullable{System.Int32}", INT32),
        ("System.Object", {}),
    ],
)
def test_system_types_are_what_the_wire_carries(uid, schema):
    assert cs_schema(cs_type(uid), lambda n: {"$ref": n}) == schema


def test_containers_and_named_types():
    def ref_of(name: str) -> dict:
        return {"$ref": f"#/components/schemas/{name}"}

    assoc = {"anyOf": [{"$ref": "#/components/schemas/Associate"}, {"type": "null"}]}
    assert cs_schema(cs_type(f"{NS}.Associate[]"), ref_of) == {"type": "array", "items": assoc}
    assert cs_schema(cs_type(f"System.Collections.Generic.List{{{NS}.Associate}}"), ref_of)["items"] == assoc
    nested = cs_schema(cs_type("System.String[][]"), ref_of)
    assert nested["items"]["type"] == ["array", "null"] and nested["items"]["items"] == {
        "type": ["string", "null"]
    }
    mapping = cs_schema(cs_type("System.Collections.Generic.Dictionary{System.String,System.Int32}"), ref_of)
    assert mapping["type"] == "object" and mapping["additionalProperties"]["format"] == "int32"
    assert cs_type(f"System.Nullable{{{NS}.AddressType}}") == CsType("named", name="AddressType")
    assert cs_type("System.Threading.Tasks.Task{System.Int32[]}").kind == "array"


def _files(**types: bytes):
    from pathlib import Path

    from docgen.parser.discover import SourceFile

    return [(SourceFile(Path(f"/r/{n}.yml"), f"r/{n}.yml", "r", "reference"), d) for n, d in types.items()]


def test_the_files_reached_are_those_the_names_reach_at_any_depth(tmp_path, monkeypatch):
    from docgen import reach
    from docgen.cache import Cache
    from docgen.model.naming import read_as

    field = type_file("LocalizedField", "public class LocalizedField : Object")
    other = type_file("Unrelated", "public class Unrelated : Object")
    files = _files(StructuredAddress=ADDRESS, LocalizedField=field, Unrelated=other)
    cache = Cache(tmp_path)
    reached = [s.display for s, _ in reach.reached_files(files, {"StructuredAddress"}, read_as, cache)]
    assert reached == ["r/LocalizedField.yml", "r/StructuredAddress.yml"]

    # The scan of the files is cached by their content: an edit of a page does not repeat it...
    def no_scan(data: bytes) -> set[str]:
        raise AssertionError("the reference files were scanned again")

    monkeypatch.setattr(reach, "named_types", no_scan)
    assert [
        s.display for s, _ in reach.reached_files(files, {"StructuredAddress"}, read_as, cache)
    ] == reached
    # ...and a changed reference file does.
    files[2] = (files[2][0], type_file("Unrelated", "public class Unrelated : Object", summary="new"))
    with pytest.raises(AssertionError, match="scanned again"):
        reach.reached_files(files, {"StructuredAddress"}, read_as, cache)

"""Broken pages: each a finding with file, line and code; the rest is built; no traceback."""

# docgen never corrupts, never executes, always explains: a broken page gives a finding with
# file, line and a stable code, the rest of the build goes on, and no traceback reaches the user.

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DOCGEN, ROOT, SEED_PAGE
from support.pages import head

SEED = SEED_PAGE.read_text(encoding="utf-8")


def page(uid: str, body: str = "", method: str = "POST", path: str | None = None) -> str:
    return head(uid, method, path or f"/api/v1/Agents/Broken/{uid}") + body


TABLE = "\n## Query String Parameters\n\n| Parameter Name | Type |  Description |\n|---|---|---|\n"

# name -> (bytes, expected code or None when it must build cleanly)
CASES: dict[str, tuple[bytes, str | None]] = {
    "binary.md": (bytes(range(256)) * 4, "DG100"),
    "latin1.md": (page("v1Broken_Latin1", "\nCaf\xe9 au lait.\n").encode("latin-1"), "DG100"),
    "bom_crlf_tabs.md": (
        ("\ufeff" + page("v1Broken_Bom", "\n\tIndented\twith tabs.\n")).replace("\n", "\r\n").encode(),
        None,
    ),
    "no_front_matter.md": (b"# POST x\n\n```http\nPOST /api/v1/Agents/Broken/X\n```\n", "DG101"),
    "no_uid.md": (page("v1Broken_NoUid").replace("uid: v1Broken_NoUid\n", "").encode(), "DG102"),
    "bad_yaml.md": (
        b"---\ntitle: [unclosed\nuid: v1Broken_BadYaml\n---\n\n```http\nGET /api/v1/x\n```\n",
        "DG101",
    ),
    "unknown_method.md": (page("v1Broken_Method", method="FETCH").encode(), "DG104"),
    "no_request_line.md": (
        b"---\ntitle: GET x\nuid: v1Broken_NoLine\n---\n\n# GET x\n\nJust prose.\n",
        "DG103",
    ),
    "duplicate_a.md": (page("v1Broken_Dup").encode(), None),
    "duplicate_b.md": (page("v1Broken_Dup", path="/api/v1/Agents/Broken/Other").encode(), "DG105"),
    "headerless_table.md": (
        page(
            "v1Broken_Headerless", "\n## Query String Parameters\n\n| a | string | x |\n| b | int32 | y |\n"
        ).encode(),
        "DG106",
    ),
    "ragged_table.md": (
        page("v1Broken_Ragged", TABLE + "| a | string |\n| b | int32 | y | extra |\n").encode(),
        "DG106",
    ),
    "unknown_type.md": (page("v1Broken_Type", TABLE + "| a | weird type! | x |\n").encode(), "DG109"),
    "bad_sample.md": (
        page(
            "v1Broken_Json", '\n## Sample response\n\n```http_\nHTTP/1.1 200 OK\n\n{"a": [1, 2\n```\n'
        ).encode(),
        "DG107",
    ),
    "bad_status.md": (
        page(
            "v1Broken_Status",
            "\n## Response:\n\nOK\n\n| Response | Description |\n|---|---|\n| OK | fine |\n",
        ).encode(),
        "DG112",
    ),
}


def _huge_page() -> str:
    prose = "".join(f"Paragraph {i}: " + "lorem ipsum dolor sit amet " * 200 + "\n\n" for i in range(1000))
    return page(
        "v1Broken_Huge", prose + TABLE + "".join(f"| p{i} | string | {'x' * 40} |\n" for i in range(1000))
    )


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken")
    docs = root / "docs" / "restful" / "agent" / "Broken_Agent"
    docs.mkdir(parents=True)
    for name, (data, _) in CASES.items():
        (docs / name).write_bytes(data)
    (docs / "index.md").write_text(
        "---\nuid: tag-Broken_Agent\ntitle: Broken_Agent\n---\n\n```http\n/api/v1/Broken/Agent\n```\n\n* "
        "[x](x.md)\n"
    )
    (docs / "README.md").write_text("Notes for the docs team; not a page.\n")
    # A file that cannot be read (a link to nothing): DG100, and the others are read.
    (docs / "dangling.md").symlink_to(docs / "nowhere.md")
    # A folder index whose front matter is broken: a warning (the tag keeps its folder name).
    odd = docs.parent / "Odd_Agent"
    odd.mkdir()
    (odd / "index.md").write_text("---\ntitle: [unclosed\n---\n\nThe odd agent.\n")
    (docs / "empty.md").write_bytes(b"")
    # A 5 MB page: long, valid, and still quick to read.
    huge = _huge_page()
    (docs / "huge.md").write_text(huge)
    assert len(huge.encode()) > 5_000_000
    out = root / "out"
    r = subprocess.run(
        [*DOCGEN, "build", str(root / "docs" / "restful"), "-o", str(out), "--format", "json", "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return r, out


def test_each_broken_page_gives_its_diagnostic(broken_build):
    r, _ = broken_build
    findings = json.loads(r.stdout)
    by_file: dict[str, set[str]] = {}
    for f in findings:
        assert set(f) == {"level", "code", "file", "line", "message"}
        assert f["line"] >= 1 and f["file"] and f["message"]
        by_file.setdefault(Path(f["file"]).name, set()).add(f["code"])
    for name, (_, code) in CASES.items():
        if code is None:
            assert not {c for c in by_file.get(name, set()) if c != "DG202"}, (name, by_file.get(name))
        else:
            assert code in by_file.get(name, set()), (name, by_file.get(name))
    # Markdown that is not an endpoint page is not an error.
    for name in ("index.md", "README.md", "empty.md"):
        assert not any(f["level"] == "error" for f in findings if Path(f["file"]).name == name)
    unreadable = [f for f in findings if Path(f["file"]).name == "dangling.md"]
    assert [(f["code"], f["level"]) for f in unreadable] == [("DG100", "error")], unreadable
    index = [f for f in findings if f["file"].endswith("Odd_Agent/index.md")]
    assert [(f["code"], f["level"]) for f in index] == [("DG101", "warning")], index


def test_build_goes_on_and_exits_1_without_traceback(broken_build):
    r, out = broken_build
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    spec = (out / "openapi.yaml").read_text()
    for uid in ("v1Broken_Bom", "v1Broken_Huge", "v1Broken_Json", "v1Broken_Type", "v1Broken_Dup"):
        assert f'operationId: "{uid}"' in spec
    assert "v1Broken_Method" not in spec and "v1Broken_Latin1" not in spec


def test_huge_page_parses_quickly():
    import time

    from docgen.parser import parse_page

    text = _huge_page()
    t = time.perf_counter()
    r = parse_page(text.encode(), "huge.md", "Broken_Agent")
    assert (
        r.value is not None
        and len(r.value.query_params.rows) == 1000
        and len(r.value.description) > 5_000_000
    )
    assert time.perf_counter() - t < 30


HOSTILE_PAGE = """---
title: POST Agents/Weird/DoThing
uid: v1WeirdAgent_DoThing
---

# POST Agents/Weird/DoThing

```http
POST /api/v1/Agents/Weird/DoThing/{class}
```

Does a \"\"\"thing\"\"\" with {{ 7*7 }} and {% raw %} and </script>: yes # no & *x !y | z \\ back.

| Path Part | Type | Description |
|-----------|------|-------------|
| class | int32 | A keyword name. **Required** |

## Query String Parameters

| Parameter Name | Type |  Description |
|----------------|------|--------------|
| $select | string |  Select. |
| From | string |  Capital keyword-ish. |
| None | bool |  The None. |
| 1stLine | string |  Leading digit. |
| E-mail | string |  Dash. |

## Request Body: request

class, None

| Property Name | Type |  Description |
|----------------|------|--------------|
| class | String | keyword |
| None | Integer | None keyword |
| _Links | Object | underscore |
| 1stLine | String | digit |
| E-mail | String | dash |
| Value | String | upper |
| value | String | lower, differs by case |
| Client | Client | a type named Client |
| Model | BaseModel | a type named BaseModel |
| Shape | Field | a type named as what a models module imports |
| Base | ApiModel | a type named as the models' base class |

## Response:

OK

| Response | Description |
|----------------|-------------|
| 200 | OK |

### Response body: Client

| Property Name | Type |  Description |
|----------------|------|--------------|
| class | string | keyword \"\"\" quotes |
| from | string | keyword |
| _Links | object | links |
| self | string | self |

## Sample response

```http_
HTTP/1.1 200 OK

{"class": "c", "from": "f", "_Links": {"self": "x"}, "self": "s"}
```
"""


def test_identifiers_that_are_not_python_names(tmp_path):
    """`$select`, `From`, `class`, `_Links`, `1stLine`, `E-mail`, `None`, case twins, and
    types named `Client` and `BaseModel` all become working, importable code."""
    docs = tmp_path / "docs" / "agent" / "Weird_Agent"
    docs.mkdir(parents=True)
    (docs / "v1WeirdAgent_DoThing.md").write_text(HOSTILE_PAGE)
    out = tmp_path / "out"
    r = subprocess.run(
        [*DOCGEN, "build", str(tmp_path / "docs"), "-o", str(out), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    script = r"""
import inspect, json
from superoffice_webapi import BearerAuth, Client, models
from superoffice_webapi.api.weird_agent import WeirdAgentApi
from superoffice_webapi.server import create_app
from starlette.testclient import TestClient
assert models.Client is not Client and issubclass(models.BaseModel, models.ApiModel)
# Names a models module defines itself are given another before anything is rendered.
assert models.FieldModel is not models.Field and models.ApiModelModel is not models.ApiModel
assert "FieldModel" in str(models.DoThingRequest.model_fields["shape"].annotation)
req = models.DoThingRequest(class_="a", none=1)
assert req.model_dump(by_alias=True, exclude_unset=True) == {"class": "a", "None": 1}
# Case twins (DG206) are built by their JSON names: one's Python name is the other's alias.
twins = models.DoThingRequest.model_validate({"Value": "V", "value": "v"})
assert (twins.value, twins.value_1) == ("V", "v")
sig = inspect.signature(WeirdAgentApi.do_thing)
# The client accepts any httpx transport: here, the generated server in-process.
with Client("http://testserver", auth=BearerAuth("t"), transport=TestClient(create_app())._transport) as c:
    r = c.weird_agent.do_thing(
        5, body=req, from_="f", none=True, n1st_line="x", e_mail="e@x", select=["class"]
    )
result = r.model_dump(by_alias=True, exclude_unset=True)
doc = " ".join(WeirdAgentApi.do_thing.__doc__.split("\n\n")[0].split())  # wrapped at 88
print(json.dumps({"params": list(sig.parameters), "result": result, "doc": doc}))
"""
    env = {**os.environ, "PYTHONPATH": str(out)}
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    data = json.loads(run.stdout)
    assert data["params"][:3] == ["self", "class_", "body"]
    assert {"from_", "none", "n1st_line", "e_mail", "select"} <= set(data["params"])
    assert data["result"] == {"class": "c", "from": None, "_Links": None, "self": None}
    assert (
        data["doc"]
        == 'Does a """thing""" with {{ 7*7 }} and {% raw %} and </script>: yes # no & *x !y | z \\ back.'
    )
    import yaml

    spec = yaml.safe_load((out / "openapi.yaml").read_text())
    op = spec["paths"]["/api/v1/Agents/Weird/DoThing/{class}"]["post"]
    assert op["summary"] == data["doc"]
    schemas = spec["components"]["schemas"]
    assert {"FieldModel", "ApiModelModel"} <= set(schemas) and not {"Field", "ApiModel"} & set(schemas)
    assert schemas["DoThingRequest"]["properties"]["Shape"]["anyOf"][0]["$ref"].endswith("/FieldModel")

"""One test per section kind of a reference page (FORMAT.md), on small pages and the seed."""

from __future__ import annotations

from docgen.parser import parse_page
from docgen.parser.read import resolve_includes

HEAD = """---
title: GET Contact/{id}
uid: v1ContactEntity_GetContactEntity
---

# GET Contact/{id}

```http
GET /api/v1/Contact/{contactId}
```

Gets a ContactEntity object.

More text with <see cref="T:SuperOffice.CRM.IContactAgent">Contact Agent</see>.
"""


def parse(text: str, file: str = "rest/Contact/page.md", folder: str = "Contact"):
    return parse_page(text.encode(), file, folder)


def test_front_matter_and_request_line(seed_bytes):
    r = parse_page(seed_bytes, "agent/Contact_Agent/p.md", "Contact_Agent")
    assert r.findings == ()
    p = r.value
    assert p.uid == "v1ContactAgent_EnrichContactEntity"
    assert p.title == "POST Agents/Contact/EnrichContactEntity"
    assert p.front_matter["generated"] is True and p.front_matter["content_type"] == "reference"
    assert (p.method, p.path) == ("POST", "/api/v1/Agents/Contact/EnrichContactEntity")
    assert p.request_line == 11  # the line inside the ```http block
    assert p.folder == "Contact_Agent"


def test_request_line_wins_over_title():
    p = parse(HEAD).value
    assert p.path == "/api/v1/Contact/{contactId}"  # the title says {id}


def test_del_title_is_delete():
    text = HEAD.replace("GET Contact", "DEL Contact").replace("GET /api", "DELETE /api")
    r = parse(text)
    assert r.value.method == "DELETE" and r.findings == ()


def test_description_and_summary():
    p = parse(HEAD).value
    assert p.summary == "Gets a ContactEntity object."
    assert "Contact Agent" in p.description


def test_notices_online_restricted_experimental_nsapislow():
    text = HEAD.replace(
        "Gets a ContactEntity object.\n", "Gets a ContactEntity object.\nNsApiSlow threshold: 2000 ms.\n"
    ) + (
        "\n## Online Restricted: ## The User agent is not available in Online by default.\n\n"
        "## Experimental: ## This may change.\n"
    )
    p = parse(text).value
    kinds = {n.kind: n for n in p.notices}
    assert kinds["NsApiSlow"].text == "2000 ms."
    assert kinds["NsApiSlow"].line == 13
    assert kinds["Online Restricted"].text == "The User agent is not available in Online by default."
    assert kinds["Experimental"].text == "This may change."
    assert "NsApiSlow" not in p.description


def test_path_table_without_heading():
    text = (
        HEAD + "\n| Path Part | Type | Description |\n|-----|-----|-----|\n| contactId | int32 | "
        "The id. **Required** |\n"
    )
    p = parse(text).value
    assert p.path_params.rows[0].cells == ("contactId", "int32", "The id. **Required**")
    assert p.path_params.rows[0].line == 18


def test_path_table_after_notice_heading():
    text = (
        HEAD + "\n## Online Restricted: ## Not in Online.\n\n| Path Part | Type | Description |\n"
        "|---|---|---|\n| contactId | int32 | x |\n"
    )
    p = parse(text).value
    assert p.path_params is not None and p.path_params.rows[0].cells[0] == "contactId"


def test_query_table_with_enum_and_example(seed_bytes):
    text = HEAD + (
        "\n## Query String Parameters\n\n| Parameter Name | Type |  Description |\n|---|---|---|\n"
        "| $select | string |  Optional list. |\n| mode | Enum: Slim, Wide, Full | **Required** How. |\n"
        "| ids | array | Ids. |\n\n```http\nGET /api/v1/Contact/1?ids=762,602\n```\n"
    )
    p = parse(text).value
    rows = [r.cells for r in p.query_params.rows]
    assert rows == [
        ("$select", "string", "Optional list."),
        ("mode", "Enum: Slim, Wide, Full", "**Required** How."),
        ("ids", "array", "Ids."),
    ]
    assert p.query_example == "GET /api/v1/Contact/1?ids=762,602"


def test_header_table_with_media_types(seed_bytes):
    p = parse_page(seed_bytes, "p.md", "Contact_Agent").value
    names = [h.name for h in p.headers]
    assert names == [
        "Authorization",
        "X-XSRF-TOKEN",
        "Content-Type",
        "Accept",
        "Accept-Language",
        "SO-Language",
        "SO-Culture",
        "SO-TimeZone",
        "SO-AppToken",
    ]
    content_type = p.headers[2]
    assert content_type.media_types[:2] == ("application/json", "text/json")
    assert len(content_type.media_types) == 7
    assert content_type.line == 41


def test_empty_accept_list():
    text = (
        HEAD + "\n## Request Headers\n\n| Parameter Name | Description |\n|---|---|\n| Accept       "
        "  | Content-type(s) you would like the response in:  |\n"
    )
    p = parse(text).value
    assert p.headers[0].media_types == ()


def test_request_body_table(seed_bytes):
    p = parse_page(seed_bytes, "p.md", "Contact_Agent").value
    body = p.request_body
    assert (body.name, body.kind) == ("request", "")
    assert [r.cells[:2] for r in body.table.rows] == [
        ("ContactEntity", "ContactEntity"),
        ("EnrichId", "String"),
    ]
    assert body.table.rows[1].line == 56


def test_primitive_request_bodies():
    for heading, kind in (("changes string", "string"), ("image binary", "binary")):
        p = parse(HEAD + f"\n## Request Body: {heading}\n\n").value
        assert p.request_body.kind == kind and p.request_body.table is None


def test_response_kind_statuses_and_body(seed_bytes):
    p = parse_page(seed_bytes, "p.md", "Contact_Agent").value
    r = p.response
    assert r.kind == "" and r.description == "OK"
    assert [(s.code, s.description) for s in r.statuses] == [(200, "OK")]
    assert r.body_type == "ContactEntity"
    assert len(r.body_table.rows) == 47
    assert r.body_table.rows[0].cells == ("ContactId", "int32", "Primary key")


def test_response_array_kind_and_several_statuses():
    text = HEAD + (
        "\n## Response:array\n\nOK\n\n| Response | Description |\n|---|---|\n| 200 | OK |\n| 404 | Not "
        "Found. |\n| 412 | Changed. |\n"
        "\n### Response body: array\n\n| Property Name | Type |  Description |\n|---|---|---|\n| Id | int32 "
        "| x |\n"
    )
    r = parse(text).value.response
    assert r.kind == "array" and r.body_type == "array"
    assert [s.code for s in r.statuses] == [200, 404, 412]
    assert r.body_table.rows[0].cells[0] == "Id"


def test_samples(seed_bytes):
    p = parse_page(seed_bytes, "p.md", "Contact_Agent").value
    req, resp = p.sample_request, p.sample_response
    assert req.start_line == "POST /api/v1/Agents/Contact/EnrichContactEntity"
    assert ("Accept-Language", "*") in req.headers
    assert req.json == {"ContactEntity": None, "EnrichId": "non"}
    assert resp.start_line == "HTTP/1.1 200 OK"
    assert resp.json["ContactId"] == 999 and len(resp.json["Persons"][0]) == 43


def test_null_sample_body():
    text = (
        HEAD + "\n## Sample response\n\n```http_\nHTTP/1.1 204 Deleted\nContent-Type: "
        "application/json; charset=utf-8\n\nnull\n```\n"
    )
    s = parse(text).value.sample_response
    assert s.has_json and s.json is None


def test_invalid_sample_json_is_a_warning_with_a_line():
    text = HEAD + '\n## Sample response\n\n```http_\nHTTP/1.1 200 OK\n\n{"a": \n```\n'
    r = parse(text)
    assert r.value is not None
    (d,) = r.findings
    assert d.code == "DG107" and d.level.value == "warning" and d.line == 21


def test_include_samples_resolved_and_missing():
    text = (
        HEAD + "\n## Sample request\n\n[!include[sample request](../../samples/rest/request/x.md)]\n"
        "\n## Sample response\n\n[!include[sample "
        "response](../../samples/rest/response/x.md)]\n"
    )
    p = parse(text).value
    assert [i.kind for i in p.includes] == ["request", "response"]
    files = {
        "../../samples/rest/request/x.md": b"```http!\nGET /api/v1/Contact/1\nAccept: application/json\n```"
    }
    resolved, diags = resolve_includes(p, files.get)
    assert resolved.sample_request.start_line == "GET /api/v1/Contact/1"
    assert [d.code for d in diags] == ["DG108"] and diags[0].line == 22


def test_extra_sections_kept():
    text = HEAD + "\n## Filter Operators: ##\n\nint: equals, greater\n"
    p = parse(text).value
    assert p.extra_sections[0].title.startswith("Filter Operators")
    assert "equals" in p.extra_sections[0].text


def test_continued_table_cells_are_joined():
    text = HEAD + (
        "\n## Query String Parameters\n\n| Parameter Name | Type |  Description |\n|---|---|---|\n"
        '| a.b | int32 |  Owning person record \n<para>Use MDO List name "person" to get list items.</para> '
        "|\n"
        "| a.c | string |  Rank |\n"
    )
    r = parse(text)
    rows = r.value.query_params.rows
    assert [row.cells[0] for row in rows] == ["a.b", "a.c"]
    assert "person" in rows[0].cells[2]
    assert rows[1].line == 22 and r.findings == ()


def test_bom_and_crlf():
    text = "\ufeff" + HEAD.replace("\n", "\r\n")
    r = parse(text)
    assert r.findings == () and r.value.path == "/api/v1/Contact/{contactId}"


def test_errors_have_places():
    cases = {
        "": "DG101",
        "---\ntitle: x\n---\n\n```http\nGET /api/v1/x\n```\n": "DG102",
        "---\nuid: a\n---\n\nno request line\n": "DG103",
        "---\nuid: a\n---\n\n```http\nFETCH /api/v1/x\n```\n": "DG104",
    }
    for text, code in cases.items():
        r = parse(text)
        assert r.value is None
        assert code in [d.code for d in r.findings], (text, r.findings)
        assert all(d.file == "rest/Contact/page.md" and d.line >= 1 for d in r.findings)
    binary = parse_page(b"\x00\x01\x02", "x.md", "X")
    assert binary.value is None and binary.findings[0].code == "DG100"
    latin1 = parse_page("---\nuid: caf\xe9\n---\n".encode("latin-1"), "x.md", "X")
    assert latin1.findings[0].code == "DG100" and latin1.findings[0].line == 2

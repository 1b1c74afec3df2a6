"""The generated server's promises on small pages: error bodies, auth, ApiProblem, strict enums."""

# The generated server's promises, on small fixture pages (no corpus needed):
#
# invalid input is answered 400 with SuperOffice's error body; no credentials 401 (unless
# `create_app(require_auth=False)`); an implementation's exception 500 with the error body and no
# internals; `ApiProblem` its own status; routes that differ only in a parameter's name are routed
# by type (integers first, negative ones too) and reported as DG203.

from __future__ import annotations

import importlib
import sys
from dataclasses import replace

import pytest

from conftest import ROOT
from support.pages import head

QUERY = (
    "## Query String Parameters\n\n| Parameter Name | Type |  Description |\n"
    "|----------------|------|--------------|\n"
)
PATH = "| Path Part | Type | Description |\n|-----------|------|-------------|\n"
TABLE = "| Property Name | Type |  Description |\n|----------------|------|--------------|\n"
OK = "## Response:\n\nOK\n\n| Response | Description |\n|----------------|-------------|\n| 200 | OK |\n"


def _page(uid: str, method: str, path: str, body: str = "", response: str = OK) -> str:
    return f"{head(uid, method, path)}\n{body}\n{response}"


PAGES = {
    "rest/List/v1ListEntity_GetListEntity.md": _page(
        "v1ListEntity_GetListEntity",
        "GET",
        "/api/v1/List/{id}",
        PATH + "| id | int32 | **Required** The id |\n\n",
        OK + "\n### Response body: ListEntity\n\n" + TABLE + "| ListId | int32 |  |\n| Name | string |  |\n",
    ),
    "rest/List/v1ListEntity_GetListEntityByName.md": _page(
        "v1ListEntity_GetListEntityByName",
        "GET",
        "/api/v1/List/{name}",
        PATH + "| name | string | **Required** The name |\n\n",
        OK + "\n### Response body: ListEntity\n\n" + TABLE + "| ListId | int32 |  |\n| Name | string |  |\n",
    ),
    "agent/Thing_Agent/v1ThingAgent_SaveThing.md": _page(
        "v1ThingAgent_SaveThing",
        "POST",
        "/api/v1/Agents/Thing/SaveThing",
        QUERY + "| count | int32 | **Required** How many |\n| flag | bool | A flag |\n"
        "| since | date-time | From |\n\n"
        "## Request Body: request \n\nThingId, Name \n\n"
        + TABLE
        + "| ThingId | Integer |  |\n| Name | String |  |\n\n",
        "## Response:bool\n\nOK\n\n| Response | Description |\n|----------------|-------------|\n| 200 | OK "
        "|\n",
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from docgen.config import load_config
    from docgen.output import write_atomic

    from conftest import generate

    root = tmp_path_factory.mktemp("contract")
    docs = root / "restful"
    for rel, text in PAGES.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text)
    config = replace(load_config(ROOT), cache_dir=root / "cache", package_name="contract_api")
    result = generate(config, [docs])
    assert not result.errors, [d.format_text() for d in result.errors]
    out = root / "out"
    write_atomic(result.files, out)
    sys.path.insert(0, str(out))
    yield result, importlib.import_module("contract_api.server")
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m == "contract_api" or m.startswith("contract_api.")]:
        del sys.modules[name]


class Lists:
    def get_list_entity(self, ctx, id):
        return {"ListId": id, "Name": "by id"}

    def get_list_entity_by_name(self, ctx, name):
        return {"ListId": 0, "Name": f"by name {name}"}


class Things:
    def __init__(self, fail=None):
        self.fail = fail
        self.calls = []

    def save_thing(self, ctx, count, flag, since, body):
        self.calls.append((count, flag, body))
        self.since = since
        if self.fail is not None:
            raise self.fail
        return True


class Impl:
    def __init__(self, fail=None):
        self.list = Lists()
        self.thing_agent = Things(fail)


def client(server, impl=None, **kwargs):
    from fastapi.testclient import TestClient

    return TestClient(
        server.create_app(impl if impl is not None else Impl(), **kwargs), raise_server_exceptions=False
    )


AUTH = {"Authorization": "Basic dXNlcjpwdw=="}
SAVE = "/api/v1/Agents/Thing/SaveThing"


def is_error_body(response, status):
    body = response.json()
    return (
        response.status_code == status
        and set(body) == {"Error", "ErrorType", "ErrorMessage", "ErrorSource"}
        and body["ErrorMessage"]
    )


def test_valid_call_reaches_the_implementation(built):
    _, server = built
    impl = Impl()
    r = client(server, impl).post(
        SAVE, params={"count": "3", "flag": "true"}, json={"ThingId": 7, "Name": "x"}, headers=AUTH
    )
    assert r.status_code == 200 and r.json() is True
    ((count, flag, body),) = impl.thing_agent.calls
    assert impl.thing_agent.since is None
    r = client(server, impl).post(
        SAVE, params={"count": "3", "since": "2024-02-29t10:00:00z"}, json={"ThingId": 7}, headers=AUTH
    )
    assert r.status_code == 200 and impl.thing_agent.since == "2024-02-29t10:00:00z", r.text
    assert (count, flag, body.thing_id, body.name) == (3, True, 7, "x")


@pytest.mark.parametrize(
    "params, body, what",
    [
        ({"count": "three"}, {"ThingId": 7}, "count"),  # not an integer
        ({"count": "3", "flag": "maybe"}, {"ThingId": 7}, "flag"),  # not a boolean
        ({}, {"ThingId": 7}, "count"),  # required and missing
        ({"count": "3"}, {"ThingId": "seven"}, "ThingId"),  # body property of the wrong type
        ({"count": str(2**31)}, {"ThingId": 7}, "count"),  # beyond int32
        ({"count": "3"}, {"ThingId": -(2**31) - 1}, "ThingId"),  # beyond int32, in the body
        ({"count": "3", "since": "g)|x"}, {"ThingId": 7}, "since"),  # not a date-time
        ({"count": "3", "since": "2024-02-30T00:00:00Z"}, {"ThingId": 7}, "since"),  # no such day
    ],
)
def test_invalid_input_is_400_with_the_error_body(built, params, body, what):
    _, server = built
    impl = Impl()
    r = client(server, impl).post(SAVE, params=params, json=body, headers=AUTH)
    assert is_error_body(r, 400) and what in r.json()["ErrorMessage"], r.text
    assert impl.thing_agent.calls == []


def test_malformed_json_is_400(built):
    _, server = built
    r = client(server).post(
        SAVE,
        params={"count": "3"},
        content=b"{not json",
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert is_error_body(r, 400), r.text


def test_no_credentials_is_401_unless_turned_off(built):
    _, server = built
    r = client(server).post(SAVE, params={"count": "3"}, json={"ThingId": 7})
    assert is_error_body(r, 401)
    r = client(server, require_auth=False).post(SAVE, params={"count": "3"}, json={"ThingId": 7})
    assert r.status_code == 200 and r.json() is True
    assert (
        client(server).post(SAVE, params={"count": "3"}, json={}, headers={"X-XSRF-TOKEN": "t"}).status_code
        == 200
    )


def test_an_implementation_that_raises_is_500_without_internals(built):
    _, server = built
    r = client(server, Impl(fail=RuntimeError("secret internals /etc/passwd"))).post(
        SAVE, params={"count": "3"}, json={}, headers=AUTH
    )
    assert is_error_body(r, 500)
    assert "secret" not in r.text and "passwd" not in r.text and "Traceback" not in r.text


def test_api_problem_answers_its_status(built):
    _, server = built
    problem = importlib.import_module("contract_api.server").ApiProblem(409, "already saved")
    r = client(server, Impl(fail=problem)).post(SAVE, params={"count": "3"}, json={}, headers=AUTH)
    assert is_error_body(r, 409) and r.json()["ErrorMessage"] == "already saved"


def test_routes_that_differ_only_in_a_name_route_by_type(built):
    result, server = built
    c = client(server)
    assert c.get("/api/v1/List/12", headers=AUTH).json() == {"ListId": 12, "Name": "by id"}
    assert c.get("/api/v1/List/-5", headers=AUTH).json() == {
        "ListId": -5,
        "Name": "by id",
    }  # ids can be negative
    assert is_error_body(c.get(f"/api/v1/List/{2**40}", headers=AUTH), 400)  # an integer, but beyond int32
    assert c.get("/api/v1/List/Countries", headers=AUTH).json() == {"ListId": 0, "Name": "by name Countries"}
    dg203 = sorted(d.file.rsplit("/", 1)[-1] for d in result.diagnostics if d.code == "DG203")
    assert dg203 == ["v1ListEntity_GetListEntity.md", "v1ListEntity_GetListEntityByName.md"]

"""`docgen diff`: per-operation changes, classified for a client of the generated package."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from docgen.diff import BREAKING, INFO, NON_BREAKING, diff_specs

from conftest import BUNDLED, ROOT, corpus_dir

BASE = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/api/v1/Thing/{id}": {
            "post": {
                "operationId": "v1Thing_Save",
                "summary": "Saves.",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "format": "int32"},
                    },
                    {
                        "name": "mode",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": ["Slim", "Wide"]},
                    },
                ],
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SaveRequest"}}}
                },
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    },
                    "404": {"description": "Not found"},
                    "default": {"description": "Error"},
                },
            }
        }
    },
    "components": {
        "schemas": {
            "SaveRequest": {"type": "object", "properties": {"Name": {"type": ["string", "null"]}}},
            "Thing": {
                "type": "object",
                "properties": {
                    "Id": {"type": ["integer", "null"], "format": "int32"},
                    "Name": {"type": ["string", "null"]},
                },
            },
        }
    },
}


def changed(edit) -> list:
    new = copy.deepcopy(BASE)
    edit(new)
    return [(c.kind, c.where, c.severity) for c in diff_specs(BASE, new).changes]


def op(spec):
    return spec["paths"]["/api/v1/Thing/{id}"]["post"]


def schemas(spec):
    return spec["components"]["schemas"]


CASES = [
    (
        "operation removed",
        lambda s: s["paths"].clear(),
        ("operation removed", "POST /api/v1/Thing/{id}", BREAKING),
    ),
    (
        "operation added",
        lambda s: s["paths"].__setitem__("/x", {"get": {"operationId": "v1X_Get", "responses": {}}}),
        ("operation added", "GET /x", NON_BREAKING),
    ),
    (
        "parameter removed",
        lambda s: op(s)["parameters"].pop(1),
        ("parameter removed", "query mode", BREAKING),
    ),
    (
        "optional parameter added",
        lambda s: op(s)["parameters"].append(
            {"name": "$select", "in": "query", "required": False, "schema": {"type": "string"}}
        ),
        ("parameter added", "query $select", NON_BREAKING),
    ),
    (
        "required parameter added",
        lambda s: op(s)["parameters"].append(
            {"name": "x", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
        ("parameter added", "query x", BREAKING),
    ),
    (
        "optional to required",
        lambda s: op(s)["parameters"][1].__setitem__("required", True),
        ("parameter now required", "query mode", BREAKING),
    ),
    (
        "parameter type",
        lambda s: op(s)["parameters"][0].__setitem__("schema", {"type": "string"}),
        ("type changed", "path id", BREAKING),
    ),
    (
        "enum value removed",
        lambda s: op(s)["parameters"][1]["schema"].__setitem__("enum", ["Slim"]),
        ("enum values removed", "query mode", BREAKING),
    ),
    (
        "enum value added",
        lambda s: op(s)["parameters"][1]["schema"].__setitem__("enum", ["Slim", "Wide", "Full"]),
        ("enum values added", "query mode", NON_BREAKING),
    ),
    (
        "response property removed",
        lambda s: schemas(s)["Thing"]["properties"].pop("Name"),
        ("property removed", "response 200 Thing.Name", BREAKING),
        ("property removed", "schema Thing.Name", BREAKING),
    ),
    (
        "response property added",
        lambda s: schemas(s)["Thing"]["properties"].__setitem__("Extra", {"type": "string"}),
        ("property added", "response 200 Thing.Extra", NON_BREAKING),
        ("property added", "schema Thing.Extra", NON_BREAKING),
    ),
    (
        "response property type",
        lambda s: schemas(s)["Thing"]["properties"].__setitem__("Id", {"type": ["string", "null"]}),
        ("property type changed", "response 200 Thing.Id", BREAKING),
        ("property type changed", "schema Thing.Id", BREAKING),
    ),
    (
        "request property removed",
        lambda s: schemas(s)["SaveRequest"]["properties"].pop("Name"),
        ("property removed", "request body SaveRequest.Name", BREAKING),
        ("property removed", "schema SaveRequest.Name", BREAKING),
    ),
    (
        "request property now required",
        lambda s: schemas(s)["SaveRequest"].__setitem__("required", ["Name"]),
        ("property now required", "request body SaveRequest.Name", BREAKING),
        ("property now required", "schema SaveRequest.Name", BREAKING),
    ),
    (
        "status code removed",
        lambda s: op(s)["responses"].pop("404"),
        ("status code removed", "response 404", BREAKING),
    ),
    (
        "status code added",
        lambda s: op(s)["responses"].__setitem__("409", {"description": "Conflict"}),
        ("status code added", "response 409", NON_BREAKING),
    ),
    (
        "property description",
        lambda s: schemas(s)["Thing"]["properties"]["Name"].__setitem__("description", "What it is called."),
        ("description changed", "response 200 Thing.Name", INFO),
        ("description changed", "schema Thing.Name", INFO),
    ),
    (
        "parameter description",
        lambda s: op(s)["parameters"][1].__setitem__("description", "How wide."),
        ("description changed", "query mode", INFO),
    ),
    (
        "status description",
        lambda s: op(s)["responses"]["404"].__setitem__("description", "No such thing"),
        ("description changed", "response 404", INFO),
    ),
    (
        "schema description",
        lambda s: schemas(s)["Thing"].__setitem__("description", "A thing."),
        ("description changed", "Thing", INFO),
    ),
    (
        "an example, nothing else",
        lambda s: op(s).__setitem__("x-codeSamples", [{"lang": "http", "source": "POST /"}]),
        ("documentation changed", "operation", INFO),
    ),
    (
        "route changed",
        lambda s: s["paths"].__setitem__("/api/v1/Thing/{thingId}", s["paths"].pop("/api/v1/Thing/{id}")),
        ("route changed", "request line", BREAKING),
    ),
]


@pytest.mark.parametrize(
    "name, edit, expected", [(c[0], c[1], list(c[2:])) for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_kind_of_change(name, edit, expected):
    # Exactly these changes: a component's change shows per operation and per schema, with one
    # classification whichever view reports it; nothing else.
    assert changed(edit) == expected


def test_response_enum_values_added_are_breaking_request_ones_not():
    """The generated models validate enum values: a new value in an answer fails an old client;
    a new value a request may send breaks nobody."""

    def add_level(spec):
        schemas(spec)["Thing"]["properties"]["Level"] = {
            "type": ["string", "null"],
            "enum": ["Low", "High", None],
        }
        schemas(spec)["SaveRequest"]["properties"]["Level"] = {
            "type": ["string", "null"],
            "enum": ["Low", "High", None],
        }

    def add_value(spec):
        add_level(spec)
        for name in ("Thing", "SaveRequest"):
            schemas(spec)[name]["properties"]["Level"]["enum"] = ["Low", "High", "Top", None]

    old, new = _with(add_level), _with(add_value)
    got = [(c.kind, c.where, c.severity) for c in diff_specs(old, new).changes]
    assert got == [
        ("enum values added", "request body SaveRequest.Level", NON_BREAKING),
        ("enum values added", "response 200 Thing.Level", BREAKING),
        ("enum values added", "schema SaveRequest.Level", NON_BREAKING),
        ("enum values added", "schema Thing.Level", BREAKING),
    ]
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert (
        "enum values added to an answer (clients that validate enums strictly reject them; docgen's own "
        "models keep them) are breaking" in readme
    )


def test_no_change_needs_no_bump():
    report = diff_specs(BASE, copy.deepcopy(BASE))
    assert report.changes == [] and report.bump == "none"


def test_bumps():
    assert diff_specs(BASE, _with(lambda s: schemas(s)["Thing"]["properties"].pop("Name"))).bump == "major"
    assert (
        diff_specs(BASE, _with(lambda s: op(s)["responses"].__setitem__("409", {"description": "x"}))).bump
        == "minor"
    )
    assert diff_specs(BASE, _with(lambda s: op(s).__setitem__("summary", "Saves it."))).bump == "patch"


def _with(edit):
    new = copy.deepcopy(BASE)
    edit(new)
    return new


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "docgen", "diff", *map(str, args)], cwd=ROOT, capture_output=True, text=True
    )


def test_seed_against_the_newest_pages():
    """EnrichContactEntity renamed InitialUtmParameters to UtmParameters."""
    latest = corpus_dir("superoffice-latest")
    r = run(BUNDLED, latest, "--format", "json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    enrich = [
        (c["kind"], c["where"], c["severity"])
        for c in report["changes"]
        if c["operation"] == "v1ContactAgent_EnrichContactEntity"
    ]
    assert ("property removed", "response 200 ContactEntity.InitialUtmParameters", BREAKING) in enrich
    assert ("property added", "response 200 ContactEntity.UtmParameters", NON_BREAKING) in enrich
    assert report["bump"] == "major"
    failing = run(BUNDLED, latest, "--fail-on-breaking")
    assert (
        failing.returncode == 1
        and "| property removed |" in failing.stdout
        and "Version bump needed: major" in failing.stdout
    )


def test_include_variant_against_the_newest_pages():
    r = run(corpus_dir("superoffice-latest-include"), corpus_dir("superoffice-latest"), "--format", "json")
    report = json.loads(r.stdout)
    added = {c["operation"] for c in report["changes"] if c["kind"] == "operation added"}
    assert (
        "v1ContactEntity_DeleteContactEntity" in added and "v1ContactAgent_EnrichContactEntity" not in added
    )


def test_specs_as_files(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.yaml"
    old.write_text(json.dumps(BASE))
    import yaml

    new.write_text(yaml.safe_dump(_with(lambda s: op(s)["parameters"].pop(1))))
    r = run(old, new, "--fail-on-breaking", "--format", "json")
    assert r.returncode == 1 and json.loads(r.stdout)["breaking"] == 1
    assert run(old, old, "--fail-on-breaking").returncode == 0
    assert run(old, tmp_path / "missing.yaml").returncode == 2

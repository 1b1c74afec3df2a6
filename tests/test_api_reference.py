"""The package's reference for people: api.md, models.md, and the examples in docstrings."""

# The package's reference for people: `api.md` (every method with its signature, route,
# operationId, what it does and an example built from its page's sample request), `models.md`,
# and the same example in each method's docstring. The examples work: every example of the
# bundled package and of the whole reference runs against its mock server and type-checks
# under `mypy --strict`; the values come from the pages (their query examples, their sample
# bodies), read as the declared types, with a finding (DG210) where a page's value is not one.

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from conftest import STRICT_USER_CONFIG, mock_server, run_mypy

RUNNER = Path(__file__).resolve().parent / "e2e" / "run_examples.py"


def examples_of(result, awaited: bool = False) -> dict[str, str]:
    from docgen.emit.client import Operations

    operations = Operations(result.api)
    return {ep.operation_id: operations.example(ep).source(awaited=awaited) for ep in result.api.endpoints}


def run_examples(out: Path, examples: dict[str, str], tmp_path: Path, awaited: bool = False) -> dict:
    """Every example in one process (tests/e2e/run_examples.py) against the package's mock."""
    file = tmp_path / ("examples_async.json" if awaited else "examples.json")
    file.write_text(json.dumps(examples))
    with mock_server(out) as url:
        r = subprocess.run(
            [sys.executable, str(RUNNER), url, str(file), *(["--async"] if awaited else [])],
            env={**os.environ, "PYTHONPATH": str(out)},
            capture_output=True,
            text=True,
            timeout=900,
        )
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout)


def type_check(out: Path, examples: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    """Each example in a function taking `client: Client` (and its awaited twin taking an
    `AsyncClient`), under `mypy --strict`."""
    lines = ["from superoffice_webapi import AsyncClient, Client, models", ""]
    for i, (operation_id, source) in enumerate(examples.items()):
        awaited = source.replace("result = client.", "result = await client.").replace(
            "\nclient.", "\nawait client."
        )
        if awaited.startswith("client."):
            awaited = "await " + awaited
        lines += ["", f"def example_{i}(client: Client) -> None:  # {operation_id}"]
        lines += [textwrap.indent(source, "    "), ""]
        lines += ["", f"async def example_async_{i}(client: AsyncClient) -> None:"]
        lines += [textwrap.indent(awaited, "    "), ""]
    program = tmp_path / "examples.py"
    program.write_text("\n".join(lines))
    config = tmp_path / "mypy.ini"
    config.write_text(STRICT_USER_CONFIG)
    return run_mypy(program, out, config=config)


def operations_of(spec_file: Path) -> dict[str, str]:
    """operationId -> `METHOD /path` of every operation in a spec."""
    spec = yaml.load(spec_file.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {
        op["operationId"]: f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }


def check_reference(out: Path, examples: dict[str, str]) -> None:
    """api.md has an entry for every operation of openapi.yaml, with its route, its
    operationId and its example; models.md a section for every class of the models."""
    api_md = (out / "api.md").read_text()
    operations = operations_of(out / "openapi.yaml")
    assert set(examples) == set(operations)
    entries = api_md.split("\n### ")[1:]
    assert len(entries) == len(operations)
    for operation_id, route in operations.items():
        assert f"`{route}` (operation `{operation_id}`)" in api_md, operation_id
        assert f"```python\n{examples[operation_id]}\n```" in api_md, operation_id
    models_md = (out / "models.md").read_text()
    classes = re.findall(
        r"^class (\w+)\(", (out / "superoffice_webapi" / "models" / "__init__.py").read_text(), re.M
    )
    assert re.findall(r"^## (\w+)$", models_md, re.M) == classes
    anchors = {"clientcontact_agent", *(e.split("\n", 1)[0].replace(".", "") for e in entries)}
    for link in re.findall(r"\(api\.md#([\w-]+)\)", models_md):
        assert link in anchors, link


# The bundled package ------------------------------------------------------------------------


def test_the_bundled_reference_has_every_operation_with_its_example(seed_build, seed_package):
    check_reference(seed_package, examples_of(seed_build))
    readme = (seed_package / "README.md").read_text()
    assert "[api.md](api.md)" in readme and "[models.md](models.md)" in readme
    module = (seed_package / "superoffice_webapi" / "api" / "contact_agent.py").read_text()
    assert "api.md, section\n`client.contact_agent`" in module or "section `client.contact_agent`" in module


def test_each_method_s_docstring_shows_its_example(seed_build, seed_package):
    import inspect

    from superoffice_webapi.api.contact_agent import AsyncContactAgentApi, ContactAgentApi

    sync = inspect.getdoc(ContactAgentApi.enrich_contact_entity) or ""
    awaited = inspect.getdoc(AsyncContactAgentApi.enrich_contact_entity) or ""
    example = examples_of(seed_build)["v1ContactAgent_EnrichContactEntity"]
    assert "Example:\n" + textwrap.indent(example, "    ") in sync
    assert "result = await client.contact_agent.enrich_contact_entity(" in awaited
    assert 'select=["name", "department", "category/id"]' in example, "the page's own query values"
    assert 'enrich_id="non"' in example, "the page's own sample body"


def test_the_bundled_examples_run_against_the_mock_server(seed_build, seed_package, tmp_path):
    for awaited in (False, True):
        examples = examples_of(seed_build, awaited)
        report = run_examples(seed_package, examples, tmp_path, awaited)
        assert report["failures"] == [] and report["ran"] == len(examples) == 1, report


def test_the_bundled_examples_type_check_strictly(seed_build, seed_package, tmp_path):
    r = type_check(seed_package, examples_of(seed_build), tmp_path)
    assert r.returncode == 0, r.stdout[-3000:]


def test_a_broken_example_is_seen_to_fail(seed_build, seed_package, tmp_path):
    """The runner and the type check notice an example that does not work."""
    broken = {"v1ContactAgent_EnrichContactEntity": "client.contact_agent.enrich_contact_entity(enrich=1)"}
    report = run_examples(seed_package, broken, tmp_path)
    assert report["ran"] == 0 and "unexpected keyword argument 'enrich'" in report["failures"][0][1]
    r = type_check(seed_package, broken, tmp_path)
    assert r.returncode == 1 and 'Unexpected keyword argument "enrich"' in r.stdout


# The whole reference --------------------------------------------------------------------------


def test_the_corpus_reference_has_every_operation_with_its_example(corpus_build):
    result, out = corpus_build
    check_reference(out, examples_of(result))


def test_every_corpus_example_runs_against_the_mock_server_in_one_process(corpus_build, tmp_path):
    result, out = corpus_build
    examples = examples_of(result)
    report = run_examples(out, examples, tmp_path)
    print(f"{report['ran']} of {len(examples)} examples ran in {report['seconds']} s")
    assert report["failures"] == [] and report["ran"] == len(examples) == 3116
    assert report["seconds"] < 120, "a few tens of seconds"


def test_every_corpus_example_type_checks_strictly(corpus_build, tmp_path):
    result, out = corpus_build
    r = type_check(out, examples_of(result), tmp_path)
    assert r.returncode == 0, r.stdout[-3000:]


# Where the values come from -------------------------------------------------------------------


def entity_page(query_block: str, query_rows: str, sample_line: str = "GET /api/v1/Thing/{id}") -> bytes:
    """A REST page as the reference has them, with the given query rows and query example."""
    lines = [
        "---",
        "uid: v1Thing_GetThing",
        "---",
        "",
        "# GET Thing/{id}",
        "",
        "```http",
        "GET /api/v1/Thing/{id}",
        "```",
        "",
        "Gets a thing.",
        "",
        "## Query String Parameters",
        "",
        "| Parameter Name | Type |  Description |",
        "|----------------|------|--------------|",
        *query_rows.split("\n"),
        "",
        "```http",  # line 20 for two query rows: the values start on the next line
        *query_block.split("\n"),
        "```",
        "",
        "## Response:",
        "",
        "OK",
        "",
        "| Response | Description |",
        "|----------------|-------------|",
        "| 200 | OK |",
        "",
        "## Sample request",
        "",
        "```http!",
        sample_line,
        "Accept: application/json",
        "```",
        "",
    ]
    return "\n".join(lines).encode()


def endpoint_of(text: bytes):
    from docgen.model import page_model
    from docgen.parser import parse_page

    page = parse_page(text, "rest/Thing/v1Thing_GetThing.md", "Thing").value
    return page_model(page)


def test_query_values_are_read_as_the_parameters_types():
    model = endpoint_of(
        entity_page(
            "GET /api/v1/Thing/{id}?$select=name,department\n"
            "GET /api/v1/Thing/{id}?top=5\n"
            "GET /api/v1/Thing/{id}?flat=True&when=12/06/2014 14:19:12&mode=full",
            "| $select | string | Fields. |\n| top | int32 | Rows. |\n| flat | bool | Flat. |\n"
            "| when | date-time | When. |\n| mode | Enum: Full, Short | Mode. |",
        )
    )
    examples = {p.name: p.example for p in model.endpoint.parameters if p.has_example}
    assert examples == {
        "$select": "name,department",
        "top": 5,
        "flat": True,
        "when": "2014-12-06T14:19:12",  # .NET's invariant MM/dd/yyyy, read as ISO 8601
        "mode": "Full",  # matched to the listed value, as the server matches it
    }
    assert model.diagnostics == ()


def test_a_value_not_of_the_declared_type_is_a_finding_at_its_line():
    model = endpoint_of(
        entity_page(
            "GET /api/v1/Thing/{id}?top=many\nGET /api/v1/Thing/{id}?mode=Sideways",
            "| top | int32 | Rows. |\n| mode | Enum: Full, Short | Mode. |",
        )
    )
    assert [p.has_example for p in model.endpoint.parameters] == [False, False, False]
    found = [(d.code, d.line) for d in model.diagnostics]
    assert found == [("DG210", 21), ("DG210", 22)], model.diagnostics
    assert "top='many', which is not an integer" in model.diagnostics[0].message
    assert "mode='Sideways', which is not one of Full, Short" in model.diagnostics[1].message


def test_a_path_value_in_the_sample_request_line_is_its_example():
    model = endpoint_of(entity_page("", "| x | string | X. |", sample_line="GET /api/v1/Thing/42"))
    id_param = next(p for p in model.endpoint.parameters if p.name == "id")
    assert id_param.has_example and id_param.example == "42"


# How values are written -------------------------------------------------------------------------


def test_values_are_written_as_the_annotations_take_them():
    from docgen.emit.examples import _Values
    from docgen.emit.pysrc import flat

    components = {"Color": {"type": "string", "enum": ["Red", "Blue"]}, "Thing": {"type": "object"}}
    values = _Values(components)
    assert flat(values.of({"$ref": "#/components/schemas/Color"}, "Blue")) == 'models.Color("Blue")'
    assert flat(values.of({"$ref": "#/components/schemas/Thing"}, {"A": True, "B": None})) == (
        'models.Thing.model_validate({"A": True, "B": None})'
    )
    assert flat(values.of({"type": "string", "format": "date-time"}, "2023-01-01T00:00:00Z")) == (
        'datetime.datetime.fromisoformat("2023-01-01T00:00:00Z")'
    )
    assert values.needs_datetime
    assert flat(values.of({"type": "string", "format": "binary"}, "GIF89")) == "b'GIF89'"
    assert flat(values.of({"type": "array", "items": {"type": "integer"}}, [1, 2])) == "[1, 2]"
    assert flat(values.fitting({"$ref": "#/components/schemas/Color"})) == 'models.Color("Red")'
    assert flat(values.fitting({"type": "integer"})) == "0"
    assert flat(values.of({"type": "string"}, 'say "hi"\n')) == "'say \"hi\"\\n'"


def test_long_names_and_strings_keep_docstring_lines_to_one_word_or_the_width():
    from docgen.emit.examples import Example
    from docgen.emit.pysrc import Kw, Str

    example = Example(
        "appointment_agent",
        "create_default_appointment_entity_by_type_and_associate",
        (Kw("description", Str("Reverse-engineered fresh-thinking local area network " * 2)),),
        returns=True,
        needs_datetime=False,
    )
    lines = example.source(width=76).split("\n")
    assert lines[0] == "result = (" and lines[-1] == ")"
    assert all(len(line) <= 76 or " " not in line.strip() for line in lines), lines
    code = "\n".join(lines)
    assert compile(code, "example", "exec")
    scope = {"client": _Recorder()}
    exec(code, scope)
    assert (
        scope["client"].kwargs["description"] == "Reverse-engineered fresh-thinking local area network " * 2
    )


class _Recorder:
    """Stands in for a client: records the keyword arguments of the call."""

    def __getattr__(self, name):
        return self

    def __call__(self, *args, **kwargs):
        self.kwargs = kwargs
        return None


@pytest.mark.parametrize("awaited", [False, True])
def test_positional_arguments_come_first(awaited):
    """Path and required query parameters and a body taken whole, then the keywords: a
    required query parameter after an optional one was a syntax error."""
    from docgen.emit.examples import operation_example
    from docgen.model.api import Endpoint, Parameter, Response

    def param(name, location, required, example=None):
        return Parameter(
            name,
            location,
            name,
            {"type": "integer"},
            required=required,
            description="",
            line=1,
            example=example,
            has_example=example is not None,
        )

    ep = Endpoint(
        "v1X_Y",
        "GET",
        "/api/v1/X/{id}",
        "X",
        "y",
        "",
        "",
        "x.md",
        1,
        (param("id", "path", True), param("opt", "query", False, 3), param("req", "query", True, 4)),
        None,
        (Response(status=200, description="OK", schema=None, media_types=()),),
    )
    source = operation_example(ep, "x", {}).source(awaited=awaited)
    assert source == ("await " if awaited else "") + "client.x.y(0, 4, opt=3)"
    compile(source if not awaited else f"async def f():\n    {source}", "x", "exec")

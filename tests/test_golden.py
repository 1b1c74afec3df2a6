"""The generated outputs: golden snapshot, spec validity, models round trip, black-stable."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import datetime

import pytest
import yaml

from conftest import (
    BUNDLED,
    BUNDLED_REFERENCE,
    GENERATED,
    ROOT,
    SEED_PAGE,
    package_lint,
    package_type_check,
    run_mypy,
)


def test_golden_snapshot(seed_build):
    """generated/ is the golden record: a fresh build must match it file by file.

    Regenerate with `make regen` (docgen build) after an intended change, and review the diff.
    """
    assert not seed_build.errors
    problems = []
    on_disk = {
        p.relative_to(GENERATED).as_posix()
        for p in GENERATED.rglob("*")
        if p.is_file()
        and not any(
            part == "__pycache__" or part.startswith(".") for part in p.relative_to(GENERATED).parts[:-1]
        )
    }
    for rel, text in seed_build.files.items():
        path = GENERATED / rel
        if not path.exists():
            problems.append(f"missing in generated/: {rel}")
            continue
        old = path.read_text(encoding="utf-8")
        if old != text:
            diff = "".join(
                list(
                    difflib.unified_diff(
                        old.splitlines(True), text.splitlines(True), f"generated/{rel}", "fresh build"
                    )
                )[:40]
            )
            problems.append(diff)
    problems += [f"extra in generated/: {rel}" for rel in sorted(on_disk - set(seed_build.files))]
    assert not problems, "generated/ is not what the docs produce (run `make regen`):\n" + "\n".join(problems)


def test_spec_validates():
    from openapi_spec_validator import validate

    spec = yaml.safe_load((GENERATED / "openapi.yaml").read_text(encoding="utf-8"))
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    op = spec["paths"]["/api/v1/Agents/Contact/EnrichContactEntity"]["post"]
    assert op["operationId"] == "v1ContactAgent_EnrichContactEntity"
    assert op["tags"] == ["Contact_Agent"]
    assert op["parameters"][0]["name"] == "$select"
    assert {"$ref": "#/components/parameters/SoLanguage"} in op["parameters"]
    assert op["responses"]["default"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
    assert op["requestBody"]["content"]["application/json"]["examples"]["sample"]["value"] == {
        "ContactEntity": None,
        "EnrichId": "non",
    }
    assert set(spec["components"]["securitySchemes"]) >= {"basic", "soTicket", "bearer"}
    assert spec["servers"][0]["url"] == "{base_url}" and "base_url" in spec["servers"][0]["variables"]


def test_server_spec_json_matches_yaml():
    spec = yaml.safe_load((GENERATED / "openapi.yaml").read_text(encoding="utf-8"))
    served = json.loads(
        (GENERATED / "superoffice_webapi" / "server" / "openapi.json").read_text(encoding="utf-8")
    )
    assert served == spec


def _instants(value):
    """Datetimes compared as instants at microsecond precision (pydantic keeps six digits)."""
    if isinstance(value, dict):
        return {k: _instants(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_instants(v) for v in value]
    if isinstance(value, str) and len(value) > 18 and value[4] == "-" and "T" in value:
        try:
            head, _, rest = value.partition(".")
            frac = "".join(c for c in rest if c.isdigit())
            tz = rest[len(frac) :]
            return datetime.fromisoformat(f"{head}.{frac[:6].ljust(6, '0')}{tz}" if rest else value)
        except ValueError:
            return value
    return value


def test_sample_response_round_trips(seed_package):
    from docgen.parser import parse_page
    from superoffice_webapi import models

    sample = parse_page(SEED_PAGE.read_bytes(), "p.md", "Contact_Agent").value.sample_response.json
    entity = models.ContactEntity.model_validate(sample)
    assert entity.persons[0].firstname == "Keaton"
    assert entity.updated_by is None and entity.user_defined_fields["SuperOffice:1"] == "Mrs. Joy Connelly V"
    dumped = json.loads(entity.model_dump_json(by_alias=True, exclude_unset=True))
    assert _instants(dumped) == _instants(sample)
    assert "UpdatedBy" in dumped and dumped["UpdatedBy"] is None  # nulls kept


def test_models_accept_python_names_naive_dates_and_unknown_fields(seed_package):
    from superoffice_webapi import models

    by_name = models.ContactEntity(contact_id=1, name="Acme", updated_date="2020-01-02T03:04:05")
    by_alias = models.ContactEntity.model_validate(
        {"ContactId": 1, "Name": "Acme", "UpdatedDate": "2020-01-02T03:04:05+01:00", "NewField": 7}
    )
    assert by_name.contact_id == by_alias.contact_id == 1
    assert by_name.updated_date.tzinfo is None and by_alias.updated_date.tzinfo is not None
    assert by_alias.model_dump(by_alias=True, exclude_unset=True)["NewField"] == 7


def test_output_is_black_formatted():
    result = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--quiet", "--target-version", "py311", str(GENERATED)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "package", ["x", "superoffice_webapi", "superoffice_crm_online_webapi_client_for_partner_apps"]
)
def test_every_module_is_black_stable_without_black(tmp_path, package):
    """Black-stable by construction (docgen/emit/format.py): no module needs black, whatever
    the length of the package's name, and the build runs none."""
    from docgen.config import load_config
    from docgen.emit.format import format_python

    from conftest import generate

    config = replace(load_config(ROOT), cache_dir=tmp_path, package_name=package)
    result = generate(config, [BUNDLED, BUNDLED_REFERENCE])
    modules = {path: text for path, text in result.files.items() if path.endswith(".py")}
    assert len(modules) > 30 and "format" not in result.timings
    assert [path for path, text in modules.items() if format_python(text) != text] == []


def test_generated_code_compiles():
    for path in GENERATED.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_toolchain_is_pinned_exactly():
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = {d.split("==")[0]: d for d in deps if "==" in d}
    assert set(pins) >= {"datamodel-code-generator", "black"}
    from importlib.metadata import version

    assert pins["black"] == f"black=={version('black')}"
    assert (
        pins["datamodel-code-generator"] == f"datamodel-code-generator=={version('datamodel-code-generator')}"
    )


def test_generated_package_type_checks():
    """`mypy --strict` over the generated package, as openapi-python-client checks its golden
    records. Ignores must all be needed (users who flag unused ones see them in tracebacks
    and go-to-definition)."""
    r = package_type_check(GENERATED, "--warn-unused-ignores", "--no-incremental")
    assert r.returncode == 0, r.stdout[-3000:]


def test_generated_package_passes_ruff(tmp_path):
    r = package_lint(GENERATED)
    assert r.returncode == 0, r.stdout[-3000:]
    # The check is real: an unused import and a long docstring line are found.
    broken = tmp_path / "pkg"
    shutil.copytree(GENERATED, broken)
    api = broken / "superoffice_webapi" / "api" / "contact_agent.py"
    api.write_text(api.read_text() + "\n# " + "x" * 90 + "\n\n\ndef f() -> None:\n    import os\n")
    r = package_lint(broken)
    assert r.returncode == 1 and "F401" in r.stdout and "W505" in r.stdout, r.stdout[-2000:]


TYPED_USE = """
import asyncio

from superoffice_webapi import ApiResponse, AsyncClient, BasicAuth, Client, models


def sync(client: Client) -> None:
    contact: models.ContactEntity = client.contact_agent.enrich_contact_entity(enrich_id="x")
    raw = client.with_raw_response.contact_agent.enrich_contact_entity(enrich_id="x")
    checked: ApiResponse[models.ContactEntity] = raw
    reveal_type(raw.parsed)
    print(contact.name, checked.status_code)


async def main() -> None:
    async with AsyncClient("http://x", auth=BasicAuth("u", "p")) as client:
        raw = await client.with_raw_response.contact_agent.enrich_contact_entity(enrich_id="x")
        reveal_type(raw)


asyncio.run(main())
"""


def test_raw_responses_are_typed_for_a_type_checker(tmp_path):
    """`client.with_raw_response.<ns>.<op>(...)` is an `ApiResponse` of the parsed type, sync and
    async, with the operation's own arguments: `mypy --strict` needs no cast."""
    (tmp_path / "use.py").write_text(TYPED_USE)
    r = run_mypy(tmp_path / "use.py", GENERATED, cwd=tmp_path, timeout=600)
    notes = [line for line in r.stdout.splitlines() if "Revealed type" in line]
    assert 'Revealed type is "superoffice_webapi.models.ContactEntity"' in notes[0], r.stdout
    assert (
        'Revealed type is "superoffice_webapi._response.ApiResponse[superoffice_webapi.models.ContactEntity]"'
        in notes[1]
    ), r.stdout
    assert [line for line in r.stdout.splitlines() if ": error:" in line and "use.py" in line] == [], r.stdout
    (tmp_path / "use.py").write_text(
        TYPED_USE.replace(
            'enrich_contact_entity(enrich_id="x")\n    checked',
            "enrich_contact_entity(enrich_id=1)\n    checked",
        )
    )
    bad = run_mypy(tmp_path / "use.py", GENERATED, cwd=tmp_path, timeout=600)
    assert 'Argument "enrich_id"' in bad.stdout, "the raw method checks the operation's arguments"


def test_enums_keep_values_a_newer_server_adds_and_the_server_refuses_them_only_when_strict(seed_package):
    from starlette.testclient import TestClient
    from superoffice_webapi import models
    from superoffice_webapi.server import create_app

    new = models.AddressType("BrandNewKind")
    assert new.value == "BrandNewKind" and not new.is_known
    assert models.AddressType("ContactPostalAddress") is models.AddressType.CONTACT_POSTAL_ADDRESS
    assert "BrandNewKind" not in [m.value for m in models.AddressType]
    # An answer holding the new value parses.
    answer = models.ContactEntity.model_validate_json('{"Address": {"Postal": {"AtypeIdx": "BrandNewKind"}}}')
    assert answer.address.postal.atype_idx == "BrandNewKind"

    path = "/api/v1/Agents/Contact/EnrichContactEntity"
    body = {"ContactEntity": {"Address": {"Postal": {"AtypeIdx": "BrandNewKind"}}}, "EnrichId": "x"}
    auth = {"Authorization": "Basic dXNlcjpwdw=="}
    with TestClient(create_app()) as open_server:
        assert open_server.post(path, json=body, headers=auth).status_code == 200
    with TestClient(create_app(strict_enums=True)) as strict:
        refused = strict.post(path, json=body, headers=auth)
        assert refused.status_code == 400 and "AtypeIdx" in refused.text
        known = {
            "ContactEntity": {"Address": {"Postal": {"AtypeIdx": "ContactPostalAddress"}}},
            "EnrichId": "x",
        }
        assert strict.post(path, json=known, headers=auth).status_code == 200

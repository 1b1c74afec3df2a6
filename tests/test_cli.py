"""The CLI contract: the commands, --check, --strict, the formats, exit codes, determinism."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from conftest import BUNDLED, DOCGEN, ROOT, SEED_PAGE, free_port, tree
from conftest import run_docgen as run


@pytest.fixture
def docs(tmp_path) -> Path:
    """A copy of the bundled docs that a test may change."""
    dst = tmp_path / "docs" / "restful"
    shutil.copytree(BUNDLED, dst)
    return dst


def test_check_passes_on_the_committed_output():
    r = run("build", "--check")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == ""


def test_check_fails_after_the_page_changes_and_writes_nothing(docs, tmp_path):
    out = tmp_path / "out"
    assert run("build", docs, "-o", out).returncode == 0
    before = tree(out)
    assert run("build", docs, "-o", out, "--check").returncode == 0
    page = docs / "agent" / "Contact_Agent" / SEED_PAGE.name
    page.write_text(
        page.read_text().replace("| Name | string | Contact name |", "| Name | string | The contact's name |")
    )
    listing_before = sorted(p.name for p in tmp_path.iterdir())
    r = run("build", docs, "-o", out, "--check")
    assert r.returncode == 1
    stale = r.stdout.splitlines()
    assert "stale: openapi.yaml" in stale and "stale: superoffice_webapi/models/__init__.py" in stale
    assert all(line.startswith("stale: ") for line in stale)
    assert tree(out) == before and sorted(p.name for p in tmp_path.iterdir()) == listing_before


def test_check_reports_missing_and_extra_files(docs, tmp_path):
    out = tmp_path / "out"
    run("build", docs, "-o", out)
    (out / "README.md").unlink()
    (out / "leftover.py").write_text("x = 1\n")
    r = run("build", docs, "-o", out, "--check")
    assert r.returncode == 1
    assert set(r.stdout.splitlines()) == {"stale: README.md", "stale: leftover.py"}


def test_builds_are_byte_identical_across_hash_seeds(docs, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("build", docs, "-o", a, "--no-cache", env={"PYTHONHASHSEED": "1"}).returncode == 0
    assert run("build", docs, "-o", b, "--no-cache", env={"PYTHONHASHSEED": "4242"}).returncode == 0
    ta, tb = tree(a), tree(b)
    assert ta == tb and len(ta) > 10


def test_the_project_a_build_runs_in_does_not_change_the_output(docs, tmp_path):
    """Formatter settings of the directory a build runs in (ruff's or black's line length,
    isort's sections) never reach the generated code: datamodel-code-generator reads them
    from the nearest pyproject.toml unless told otherwise."""
    project = tmp_path / "proj"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        "[tool.ruff]\nline-length = 120\n[tool.black]\nline-length = 100\nskip-string-normalization = true\n"
        '[tool.isort]\nknown_first_party = ["superoffice_webapi"]\n'
    )
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("build", docs, "-o", a, "--no-cache").returncode == 0
    r = run("build", docs, "-o", b, "--no-cache", cwd=project)
    assert r.returncode == 0, r.stderr
    assert tree(a) == tree(b)


def test_default_build_uses_tool_docgen_config(tmp_path):
    project = tmp_path / "proj"
    shutil.copytree(BUNDLED, project / "pages")
    (project / "pyproject.toml").write_text(
        '[tool.docgen]\nsources = ["pages"]\noutput = "out"\npackage-name = "my_api"\ndistribution-name = '
        '"my-api"\ntitle = "Acme CRM API"\nbase-url = "https://crm.acme.test/t42"\n'
    )
    r = run("build", cwd=project)
    assert r.returncode == 0, r.stderr
    out = project / "out"
    assert (out / "openapi.yaml").is_file() and (out / "my_api" / "client.py").is_file()
    assert 'name = "my-api"' in (out / "pyproject.toml").read_text()
    # The title and the tenant URL reach every output that names them; none keeps the defaults.
    texts = {p: p.read_text() for p in out.rglob("*") if p.suffix in (".py", ".yaml", ".toml", ".md")}
    assert not [p for p, t in texts.items() if "SuperOffice WebAPI" in t or "Cust12345" in t]
    for rel in ("my_api/client.py", "my_api/__init__.py", "my_api/models/__init__.py", "pyproject.toml"):
        assert "Acme CRM API" in texts[out / rel], rel
    for rel in ("my_api/client.py", "my_api/__init__.py", "openapi.yaml", "README.md"):
        assert "https://crm.acme.test/t42" in texts[out / rel], rel


def test_errors_exit_1_with_places_and_json(docs, tmp_path):
    bad = docs / "agent" / "Contact_Agent" / "v1ContactAgent_Broken.md"
    bad.write_text(
        "---\ntitle: POST Agents/Contact/Broken\nuid: v1ContactAgent_Broken\n---\n\n# POST\n\nno request "
        "line here\n"
    )
    out = tmp_path / "out"
    r = run("build", docs, "-o", out, "--format", "json")
    assert r.returncode == 1
    findings = json.loads(r.stdout)
    (err,) = [f for f in findings if f["level"] == "error"]
    assert err["code"] == "DG103" and err["file"].endswith("v1ContactAgent_Broken.md") and err["line"] == 1
    assert set(err) == {"level", "code", "file", "line", "message"}
    # the good page is still written
    assert "EnrichContactEntity" in (out / "openapi.yaml").read_text()
    text = run("build", docs, "-o", tmp_path / "out2")
    assert text.returncode == 1
    assert "v1ContactAgent_Broken.md:1: error DG103 " in text.stderr


def test_strict_writes_nothing(docs, tmp_path):
    page = docs / "agent" / "Contact_Agent" / SEED_PAGE.name
    page.write_text(
        page.read_text().replace('"EnrichId": "non"', '"EnrichId": non')
    )  # invalid sample JSON: a warning
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous output")
    r = run("build", docs, "-o", out, "--strict")
    assert r.returncode == 1 and "DG107" in r.stderr
    assert tree(out) == {"keep.txt": b"previous output"}
    assert run("build", docs, "-o", out).returncode == 0  # without --strict a warning is fine


def test_usage_errors_exit_2(tmp_path):
    assert run("build", "--format", "xml").returncode == 2
    assert run("frobnicate").returncode == 2
    r = run("build", tmp_path / "does-not-exist")
    assert r.returncode == 2 and "does not exist" in r.stderr


def test_internal_errors_exit_3_without_traceback(tmp_path, monkeypatch):
    from docgen import cli

    def boom(*a, **k):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("docgen.build.generate", boom)
    code = cli.main(["build", str(BUNDLED), "-o", str(tmp_path / "o")])
    assert code == 3


def test_version():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("docgen ")


def serve(docs: Path, port: int, env: dict | None = None) -> subprocess.Popen:
    """`docgen serve DOCS --port PORT` in a subprocess, its output piped."""
    return subprocess.Popen(
        [*DOCGEN, "serve", str(docs), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_serve_starts_the_sample_server(docs):
    port = free_port()
    proc = serve(docs, port)
    import threading

    timer = threading.Timer(120, proc.kill)  # a server that never prints its line must not hang the suite
    timer.start()
    try:
        line = proc.stdout.readline()
        assert line.strip() == f"Serving on http://127.0.0.1:{port}"
        url = f"http://127.0.0.1:{port}/api/v1/Agents/Contact/EnrichContactEntity?$select=Name"
        denied = httpx.post(url, json={"EnrichId": "x"})
        assert denied.status_code == 401 and denied.json()["ErrorType"] == "Unauthorized"
        r = httpx.post(url, json={"EnrichId": "x"}, auth=("user", "pw"))
        assert r.status_code == 200 and r.json()["Name"] == "Brown-Conroy" and r.json()["ContactId"] is None
        spec = httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()
        # The mock first, so the /docs page's "Try it out" calls it; then the tenant URL.
        assert spec["servers"][0] == {"url": f"http://127.0.0.1:{port}", "description": "This server"}
        assert spec["servers"][1]["url"] == "{base_url}"
        assert (
            spec["openapi"] == "3.1.0"
            and spec["paths"]["/api/v1/Agents/Contact/EnrichContactEntity"]["post"]["operationId"]
            == "v1ContactAgent_EnrichContactEntity"
        )
        # The interactive page lists every operation (from /openapi.json) and works offline.
        docs = httpx.get(f"http://127.0.0.1:{port}/docs")
        assert docs.status_code == 200 and "/openapi.json" in docs.text
        assert "cdn" not in docs.text.lower() and "https://" not in docs.text.replace(
            "https://online.superoffice.com", ""
        )
        for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
            assert f"/docs-assets/{asset}" in docs.text
            got = httpx.get(f"http://127.0.0.1:{port}/docs-assets/{asset}")
            assert got.status_code == 200 and len(got.content) > 10_000
    finally:
        timer.cancel()
        proc.terminate()
        proc.wait(timeout=10)
    assert not (ROOT / "generated" / ".serve").exists()


def test_progress_lines_in_logs_and_quiet(docs, tmp_path):
    r = run("build", docs, "-o", tmp_path / "out", "--no-cache")
    assert r.returncode == 0
    for stage in ("parse", "schema", "spec", "models", "client", "server"):
        assert f"docgen: {stage} done in " in r.stderr
    assert "time per stage:" in r.stderr and "opaque types 10" in r.stderr
    quiet = run("build", docs, "-o", tmp_path / "out2", "-q", "--no-cache")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_template_override_and_config(tmp_path):
    project = tmp_path / "proj"
    shutil.copytree(BUNDLED, project / "pages")
    (project / "tpl" / "package").mkdir(parents=True)
    (project / "tpl" / "package" / "README.md.jinja").write_text("# {{ distribution }} for the Acme team\n")
    (project / "tpl" / "server").mkdir(parents=True)
    (project / "tpl" / "server" / "__main__.py.jinja").write_text(
        'import uvicorn\nOPTIONS={"host":"127.0.0.1","port":8000}\n'
    )
    (project / "pyproject.toml").write_text(
        '[tool.docgen]\nsources = ["pages"]\noutput = "out"\npackage-name = "acme_api"\ndistribution-name = '
        '"acme-api"\n'
        'package-version = "2.3.4"\nbase-url = "https://example.test/Cust9"\ntitle = "Acme"\ntemplate-dir = '
        '"tpl"\nstrict = true\n'
    )
    r = run("build", cwd=project)
    assert r.returncode == 0, r.stderr
    out = project / "out"
    assert (out / "README.md").read_text() == "# acme-api for the Acme team\n"
    # Python from an overriding template is formatted with black.
    assert (
        'OPTIONS = {"host": "127.0.0.1", "port": 8000}'
        in (out / "acme_api" / "server" / "__main__.py").read_text()
    )
    spec = (out / "openapi.yaml").read_text()
    assert (
        'title: "Acme"' in spec
        and 'version: "2.3.4"' in spec
        and 'default: "https://example.test/Cust9"' in spec
    )
    (project / "pyproject.toml").write_text('[tool.docgen]\nsources = ["pages"]\noutputt = "x"\n')
    typo = run("build", cwd=project)
    assert typo.returncode == 2 and "unknown key" in typo.stderr


def test_internal_error_says_bug_and_where_to_report_traceback_only_with_verbose(
    tmp_path, monkeypatch, capsys
):
    from docgen import cli

    def boom(*a, **k):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("docgen.build.generate", boom)
    assert cli.main(["build", str(BUNDLED), "-o", str(tmp_path / "o")]) == 3
    err = capsys.readouterr().err
    assert "this is a bug in docgen" in err and "please report it to" in err and "simulated bug" in err
    assert "Traceback" not in err and "--verbose" in err
    assert cli.main(["build", str(BUNDLED), "-o", str(tmp_path / "o"), "-v"]) == 3
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "this is a bug in docgen" in err
    assert not (tmp_path / "o").exists()


def _generate(tmp_path, docs=BUNDLED):
    from dataclasses import replace

    from docgen.config import load_config

    from conftest import generate

    return generate(replace(load_config(ROOT), cache_dir=tmp_path / "cache"), [docs])


def test_failing_model_generation_is_dg301(tmp_path, monkeypatch):
    import datamodel_code_generator

    def fails(*a, **k):
        raise ValueError("simulated generator failure")

    monkeypatch.setattr(datamodel_code_generator, "generate", fails)  # the seed's models render in-process
    result = _generate(tmp_path)
    (d,) = [d for d in result.diagnostics if d.code == "DG301"]
    assert (
        d.level.value == "error" and "simulated generator failure" in d.message and d.file == "openapi.yaml"
    )


def test_a_users_template_that_makes_no_python_is_dg302(tmp_path):
    """black formats what a user's templates make (docgen's own are black-stable as made):
    a module it cannot parse is a finding on that module, which stays as the template made it."""
    from docgen.config import load_config

    from conftest import generate

    templates = tmp_path / "tpl" / "server"
    templates.mkdir(parents=True)
    (templates / "__main__.py.jinja").write_text("def main(:\n    pass\n")
    config = replace(load_config(ROOT), cache_dir=None, template_dir=tmp_path / "tpl")
    result = generate(config, [BUNDLED])
    (found,) = [d for d in result.diagnostics if d.code == "DG302"]
    assert found.level.value == "error" and found.file == "superoffice_webapi/server/__main__.py"
    assert found.line == 1 and "cannot parse" in found.message
    assert result.files["superoffice_webapi/server/__main__.py"] == "def main(:\n    pass\n"  # as made


def test_a_parser_bug_on_one_page_is_dg900_and_the_build_goes_on(tmp_path, monkeypatch):
    import docgen.pages

    real = docgen.pages.parse_page

    def buggy(data, display, folder):
        if "Broken" in display:
            raise ZeroDivisionError("simulated parser bug")
        return real(data, display, folder)

    monkeypatch.setattr(docgen.pages, "parse_page", buggy)
    docs = tmp_path / "docs"
    shutil.copytree(BUNDLED, docs)
    page = next(docs.rglob("v1ContactAgent_*.md"))
    (page.parent / "v1ContactAgent_Broken.md").write_text(
        page.read_text().replace("v1ContactAgent_EnrichContactEntity", "v1ContactAgent_Broken")
    )
    result = _generate(tmp_path, docs)
    (d,) = [d for d in result.diagnostics if d.code == "DG900"]
    assert (
        d.level.value == "error"
        and "simulated parser bug" in d.message
        and d.file.endswith("v1ContactAgent_Broken.md")
    )
    assert result.stats.operations == 1


def test_title_and_request_line_disagreeing_is_dg110(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(BUNDLED, docs)
    page = next(docs.rglob("v1ContactAgent_*.md"))
    page.write_text(page.read_text().replace("title: POST Agents", "title: GET Agents", 1))
    result = _generate(tmp_path, docs)
    (d,) = [d for d in result.diagnostics if d.code == "DG110"]
    assert d.level.value == "warning" and d.line == 1 and "request line wins" in d.message
    assert result.api.endpoints[0].method == "POST"


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_serve_stops_cleanly_and_removes_its_build_folder(docs, tmp_path, sig):
    import signal
    import threading

    port = free_port()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = serve(docs, port, env={**os.environ, "TMPDIR": str(scratch)})
    # A server that never prints its line must not hang the suite.
    timer = threading.Timer(120, proc.kill)
    timer.start()
    try:
        assert proc.stdout.readline().strip() == f"Serving on http://127.0.0.1:{port}"
        assert [p.name for p in scratch.iterdir() if p.name.startswith("docgen-serve-")], (
            "the build folder is under TMPDIR"
        )
        proc.send_signal(getattr(signal, sig))
        assert proc.wait(timeout=30) == 0, proc.stderr.read()
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.kill()
    assert [p.name for p in scratch.iterdir() if p.name.startswith("docgen-serve-")] == []


def test_an_overriding_spec_template_sees_the_paths_as_data(tmp_path):
    """A user's `openapi.yaml.jinja` gets the whole spec, its paths included, as before the
    built-in templates took the paths in pieces."""
    from dataclasses import replace as replaced

    from docgen.config import Config

    from conftest import generate

    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "openapi.yaml.jinja").write_text(
        "{% for path, item in spec.paths.items() %}{{ path }} {{ item | list }}\n{% endfor %}"
    )
    config = replaced(Config(root=tmp_path, cache_dir=tmp_path / "cache"), template_dir=tpl)
    result = generate(config, [BUNDLED])
    assert result.files["openapi.yaml"] == "/api/v1/Agents/Contact/EnrichContactEntity ['post']\n"

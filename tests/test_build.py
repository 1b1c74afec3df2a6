"""`docgen build`'s promises: strict, --report, -v/-q, the cache, rebuild equals cold, determinism."""

# Promises of `docgen build` that the other CLI tests leave alone: `strict` in the
# configuration, `--report`, `-v`/`-q`, the cache folder and `--no-cache`, incremental builds that
# equal cold ones, and determinism on a build large enough to use the process pools.

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import BUNDLED, SEED_PAGE, corpus_dir, tree
from conftest import run_docgen as run


def project(tmp_path: Path, extra: str = "") -> Path:
    root = tmp_path / "proj"
    shutil.copytree(BUNDLED, root / "pages")
    (root / "pyproject.toml").write_text(f'[tool.docgen]\nsources = ["pages"]\noutput = "out"\n{extra}')
    return root


def seed_page(root: Path) -> Path:
    return next((root / "pages").rglob(SEED_PAGE.name))


def test_strict_in_the_configuration_fails_on_a_warning_and_writes_nothing(tmp_path):
    root = project(tmp_path, "strict = true\n")
    page = seed_page(root)
    page.write_text(
        page.read_text().replace('"EnrichId": "non"', '"EnrichId": non')
    )  # invalid sample JSON: DG107
    r = run("build", cwd=root)
    assert r.returncode == 1 and "DG107" in r.stderr
    assert not (root / "out").exists()
    (root / "pyproject.toml").write_text(
        '[tool.docgen]\nsources = ["pages"]\noutput = "out"\nstrict = false\n'
    )
    assert run("build", cwd=root).returncode == 0 and (root / "out" / "openapi.yaml").is_file()


def test_report_is_json_with_the_counts(tmp_path):
    r = run("build", BUNDLED, "-o", tmp_path / "out", "--report", "-q", "--no-cache")
    assert r.returncode == 0
    report = json.loads(r.stdout)
    assert {
        k: report[k]
        for k in ("pages", "operations", "schemas", "opaque_types", "errors", "warnings", "cached")
    } == {
        "pages": 1,
        "operations": 1,
        "schemas": 17,
        "opaque_types": 10,
        "errors": 0,
        "warnings": 0,
        "cached": False,
    }
    assert report["files"] == len(tree(tmp_path / "out"))
    assert "Associate" in report["opaque_type_names"] and len(report["opaque_type_names"]) == 10
    assert set(report["seconds"]) >= {"parse", "schema", "spec", "models", "client", "server"}


def test_verbose_shows_info_findings_and_quiet_only_errors(tmp_path):
    root = project(tmp_path)
    page = seed_page(root)
    page.write_text(page.read_text().replace('"EnrichId": "non"', '"EnrichId": non'))  # a warning
    plain = run("build", cwd=root)
    assert "DG107" in plain.stderr and "DG202" not in plain.stderr
    verbose = run("build", "-v", cwd=root)
    assert "DG107" in verbose.stderr and "info DG202 type Associate is not described" in verbose.stderr
    quiet = run("build", "-q", cwd=root)
    assert quiet.returncode == 0 and quiet.stderr == ""
    (page.parent / "v1ContactAgent_Broken.md").write_text(
        "---\ntitle: POST x\nuid: v1ContactAgent_Broken\n---\n\nno request line\n"
    )
    quiet = run("build", "-q", cwd=root)
    assert quiet.returncode == 1 and "error DG103" in quiet.stderr and "DG107" not in quiet.stderr


def test_cache_dir_is_used_and_no_cache_writes_nothing_there(tmp_path):
    root = project(tmp_path, 'cache-dir = "my-cache"\n')
    assert run("build", "--no-cache", cwd=root).returncode == 0
    assert not (root / "my-cache").exists() and not (root / ".docgen-cache").exists()
    assert run("build", cwd=root).returncode == 0
    cached = tree(root / "my-cache")
    assert cached and not (root / ".docgen-cache").exists()
    assert run("build", "--no-cache", cwd=root).returncode == 0
    assert tree(root / "my-cache") == cached, "--no-cache neither reads nor writes the cache"
    again = run("build", "--report", "-q", cwd=root)
    assert json.loads(again.stdout)["cached"] is True


def _variant(page_text: str, n: int) -> str:
    return page_text.replace("v1ContactAgent_EnrichContactEntity", f"v1ContactAgent_Enrich{n}").replace(
        "Agents/Contact/EnrichContactEntity", f"Agents/Contact/Enrich{n}"
    )


def test_incremental_builds_equal_cold_ones_after_changes_additions_and_removals(tmp_path):
    root = project(tmp_path)
    page = seed_page(root)
    text = page.read_text()
    edits = [
        lambda: (page.parent / "v1ContactAgent_Enrich2.md").write_text(_variant(text, 2)),  # added
        lambda: (page.parent / "v1ContactAgent_Enrich3.md").write_text(
            _variant(text, 3).replace("| Name | string |", "| Name | int32 |")
        ),
        lambda: page.write_text(text.replace("Contact name", "The contact's name")),  # changed
        lambda: (page.parent / "v1ContactAgent_Enrich2.md").unlink(),  # removed
    ]
    assert run("build", cwd=root).returncode == 0
    for i, edit in enumerate(edits):
        edit()
        assert run("build", cwd=root).returncode == 0
        incremental = tree(root / "out")
        assert run("build", "--no-cache", "-o", root / f"cold{i}", cwd=root).returncode == 0
        assert incremental == tree(root / f"cold{i}"), f"after edit {i}"


def test_large_build_is_byte_identical_across_hash_seeds(tmp_path):
    """The agent half of the reference: over the thresholds for the page pool and for rendering
    the models in a second process, so their ordering is under test too."""
    agents = corpus_dir("superoffice-2023") / "agent"
    from docgen import build, pages

    assert len(list(agents.rglob("v1*.md"))) >= pages.PARALLEL_THRESHOLD
    a, b = tmp_path / "a", tmp_path / "b"
    ra = run("build", agents, "-o", a, "--no-cache", "--report", "-q", env={"PYTHONHASHSEED": "1"})
    rb = run("build", agents, "-o", b, "--no-cache", "-q", env={"PYTHONHASHSEED": "777"})
    assert ra.returncode == 0 and rb.returncode == 0, ra.stderr + rb.stderr
    assert json.loads(ra.stdout)["schemas"] >= build.PARALLEL_MODELS_THRESHOLD
    ta, tb = tree(a), tree(b)
    assert ta == tb and len(ta) > 50


@pytest.fixture(autouse=True)
def _no_stray_cache(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

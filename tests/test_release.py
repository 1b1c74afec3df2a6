"""`docgen release` (release.py): the version, the changelog, pyproject.toml, the distribution."""

# `docgen release`: the version an API change asks for, the changelog, pyproject.toml kept as
# it was but for one line, and the distribution a release publishes.

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml
from docgen.diff import BREAKING, INFO, NON_BREAKING, Change, DiffReport
from docgen.emit.settings import Settings
from docgen.release import (
    ReleaseError,
    carry_changelog,
    changelog_section,
    next_version,
    prepend_section,
    versions,
    with_version,
)

from conftest import BUNDLED, BUNDLED_REFERENCE, GENERATED, run_docgen

PAGE = Path("docs/restful/agent/Contact_Agent/v1ContactAgent_EnrichContactEntity.md")
CONTACT = Path("docs/webapi/SuperOffice.WebApi.Data.ContactEntity.yml")
PYPROJECT = """\
# The docs repository's settings: a release changes the version line and nothing else.
[project]
name = "superoffice-docs"

[tool.docgen]
sources = ["docs/restful", "docs/webapi"]
output = "generated"
cache-dir = "{cache}"
package-version = "1.4.2"  # written by docgen release

[tool.other]
keep = ["order", "and comments"]
"""


@pytest.mark.parametrize(
    "current, bump, expected",
    [
        ("1.4.2", "major", "2.0.0"),
        ("1.4.2", "minor", "1.5.0"),
        ("1.4.2", "patch", "1.4.3"),
        ("1.4.2", "none", None),
        ("1.4", "minor", "1.5.0"),
        ("2", "patch", "2.0.1"),
        # Below 1.0: breaking is minor, everything else patch.
        ("0.3.1", "major", "0.4.0"),
        ("0.3.1", "minor", "0.3.2"),
        ("0.3.1", "patch", "0.3.2"),
    ],
)
def test_next_version(current, bump, expected):
    assert next_version(current, bump) == expected


@pytest.mark.parametrize("current", ["one", "1.5.0rc1", "1.4.2.post1", "1!1.0.0", "1.2.3.4"])
def test_versions_docgen_does_not_bump(current):
    with pytest.raises(ReleaseError, match="package-version"):
        next_version(current, "minor")


REPORT = DiffReport(
    [
        Change("v1A_Get", "description changed", "response 200 A.Name", severity=INFO),
        Change("v1A_Get", "property added", "response 200 A.Note", new="string"),
        Change("v1A_Get", "property removed", "response 200 A.Id", old="integer (int32)", severity=BREAKING),
        Change("schema:A", "property type changed", "schema A.`Code`", old="string", new="integer"),
    ]
)


def test_changelog_section_puts_breaking_changes_first(tmp_path):
    section = changelog_section("2.0.0", REPORT, Settings("pkg", "pkg", "1.4.2", ""))
    assert section.splitlines() == [
        "## 2.0.0",
        "",
        "### Breaking changes",
        "",
        "- `v1A_Get`: property removed, `response 200 A.Id` (`integer (int32)`)",
        "",
        "### Changes",
        "",
        "- `v1A_Get`: property added, `response 200 A.Note` (`string`)",
        # A backtick in a name stays code: the span's fence is longer than any run inside.
        "- `schema:A`: property type changed, `` schema A.`Code` `` (`string` → `integer`)",
        "",
        "### Documentation",
        "",
        "- `v1A_Get`: description changed, `response 200 A.Name`",
        "",
    ]
    assert NON_BREAKING == "non-breaking"


def test_a_section_goes_above_the_newest_and_once():
    changelog = "# Changelog\n\nPreface.\n\n## 1.4.2\n\nFirst.\n"
    out = prepend_section(changelog, "## 1.5.0\n\n- added\n\n")
    assert out == "# Changelog\n\nPreface.\n\n## 1.5.0\n\n- added\n\n## 1.4.2\n\nFirst.\n"
    assert versions(out) == ["1.5.0", "1.4.2"]
    with pytest.raises(ReleaseError, match="1.5.0 already"):
        prepend_section(out, "## 1.5.0\n\n- again\n")
    assert prepend_section("# Changelog\n", "## 0.1.1\n") == "# Changelog\n\n## 0.1.1\n"


def test_the_version_line_and_nothing_else(tmp_path):
    before = PYPROJECT.format(cache="c")
    after = with_version(before, "1.5.0")
    assert changed_lines(before, after) == [
        (
            'package-version = "1.4.2"  # written by docgen release',
            'package-version = "1.5.0"  # written by docgen release',
        )
    ]
    with pytest.raises(ReleaseError, match=r"no \[tool.docgen\]"):
        with_version("[project]\nname = 'x'\n", "1.0.0")


def test_a_build_keeps_the_changelog_out_holds(tmp_path):
    files = {"CHANGELOG.md": "# Changelog\n\n## 0.1.0\n", "README.md": "r"}
    assert carry_changelog(files, tmp_path) == files  # nothing kept yet: the one a build starts
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## 0.2.0\n\n## 0.1.0\n")
    assert carry_changelog(files, tmp_path)["CHANGELOG.md"].startswith("# Changelog\n\n## 0.2.0")


def test_the_bundled_output_starts_a_changelog():
    text = (GENERATED / "CHANGELOG.md").read_text(encoding="utf-8")
    assert versions(text) == ["0.1.0"] and "superoffice-webapi" in text


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """(old, new) for each line that differs; an added or removed line fails the caller."""
    ops = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines()).get_opcodes()
    changed = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in ops if tag != "equal"]
    a, b = before.splitlines(), after.splitlines()
    return [pair for i1, i2, j1, j2 in changed for pair in zip(a[i1:i2], b[j1:j2], strict=True)]


# --- the command, on a copy of the bundled page and its reference files ----------------------


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("release-cache")


def project(root: Path, cache: Path) -> Path:
    """A docs repository: the bundled page and reference files, version 1.4.2, built once;
    `old/` holds its docs as they were at that release."""
    shutil.copytree(BUNDLED, root / "docs" / "restful")
    shutil.copytree(BUNDLED_REFERENCE, root / "docs" / "webapi")
    (root / "pyproject.toml").write_text(PYPROJECT.format(cache=cache))
    shutil.copytree(root / "docs", root / "old")
    r = run_docgen("build", "-q", cwd=root)
    assert r.returncode == 0, r.stderr
    return root


def add_property(root: Path) -> None:
    page = root / PAGE
    row = (
        "| FieldProperties | object | Field property dictionary mapping field names to field access rights. |"
    )
    row += "\n"
    text = page.read_text()
    assert row in text
    page.write_text(text.replace(row, row + "| Rating | string | How the enrichment service rates it. |\n"))


def remove_property(root: Path) -> None:
    """ActiveErpLinks gone from the response: its table row, the sample, the .NET reference."""
    page = root / PAGE
    text = re.sub(r"\| ActiveErpLinks \|.*\n", "", page.read_text())
    page.write_text(re.sub(r'\s*"ActiveErpLinks": \d+,', "", text))
    reference = root / CONTACT
    doc = yaml.safe_load(reference.read_text())
    uid = "SuperOffice.WebApi.Data.ContactEntity.ActiveErpLinks"
    doc["items"] = [item for item in doc["items"] if item["uid"] != uid]
    doc["items"][0]["children"].remove(uid)
    reference.write_text(yaml.safe_dump(doc, sort_keys=False))


def describe_again(root: Path) -> None:
    page = root / PAGE
    old = "| Source | int32 | How did we get this contact? For future integration needs |"
    page.write_text(page.read_text().replace(old, "| Source | int32 | How the contact came to us. |"))


@pytest.mark.parametrize(
    "edit, version, named",
    [
        (
            add_property,
            "1.5.0",
            "- `v1ContactAgent_EnrichContactEntity`: property added, "
            "`response 200 ContactEntity.Rating` (`string`)",
        ),
        (
            remove_property,
            "2.0.0",
            "- `v1ContactAgent_EnrichContactEntity`: property removed, "
            "`response 200 ContactEntity.ActiveErpLinks` (`integer (int32)`)",
        ),
        (
            describe_again,
            "1.4.3",
            "- `v1ContactAgent_EnrichContactEntity`: description changed, "
            "`response 200 ContactEntity.Source`",
        ),
    ],
    ids=["added", "removed", "described"],
)
def test_release_after_an_edit(tmp_path, shared_cache, edit, version, named):
    root = project(tmp_path, shared_cache)
    before = (root / "pyproject.toml").read_text()
    edit(root)
    r = run_docgen("release", "old", cwd=root)
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"{version}\n"
    assert changed_lines(before, (root / "pyproject.toml").read_text()) == [
        (
            'package-version = "1.4.2"  # written by docgen release',
            f'package-version = "{version}"  # written by docgen release',
        )
    ]
    changelog = (root / "generated" / "CHANGELOG.md").read_text()
    assert versions(changelog) == [version, "1.4.2"]
    newest = changelog.split(f"## {version}\n", 1)[1].split("\n## ", 1)[0]
    assert named in newest.splitlines()
    assert f'version = "{version}"' in (root / "generated" / "pyproject.toml").read_text()
    # The release wrote what a build of the new version gives, and a build keeps the changelog.
    assert run_docgen("build", "--check", "-q", cwd=root).returncode == 0
    assert run_docgen("build", "-q", cwd=root).returncode == 0
    assert (root / "generated" / "CHANGELOG.md").read_text() == changelog


def test_a_checkout_of_the_last_release_is_read_where_the_sources_are(tmp_path, shared_cache):
    """OLD may be the docs repository as it was (the release workflow's checkout of the commit
    before the push): the configured sources are found in it where they are in this one."""
    root = project(tmp_path / "repo", shared_cache)
    before = tmp_path / "before"
    shutil.copytree(root / "docs", before / "docs")
    describe_again(root)
    r = run_docgen("release", before, cwd=root)
    assert r.returncode == 0 and r.stdout == "1.4.3\n", r.stderr
    changelog = (root / "generated" / "CHANGELOG.md").read_text()
    assert (
        "- `v1ContactAgent_EnrichContactEntity`: description changed, `response 200 ContactEntity.Source`"
        in (changelog.splitlines())
    )


def test_no_change_no_version(tmp_path, shared_cache):
    root = project(tmp_path, shared_cache)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and "cache" not in p.parts[-3:]}
    r = run_docgen("release", "old", cwd=root)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "1.4.2\n" and "no API change" in r.stderr
    after = {p: p.read_bytes() for p in before}
    assert after == before


def test_dry_run_says_and_writes_nothing(tmp_path, shared_cache):
    root = project(tmp_path, shared_cache)
    add_property(root)
    kept = {
        p: p.read_bytes() for p in [root / "pyproject.toml", *(root / "generated").rglob("*")] if p.is_file()
    }
    r = run_docgen("release", "old", "--dry-run", cwd=root)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "1.5.0\n"
    assert "would release 1.5.0 (was 1.4.2" in r.stderr and "ContactEntity.Rating" in r.stderr
    assert {p: p.read_bytes() for p in kept} == kept


def test_what_stops_a_release(tmp_path, shared_cache):
    root = project(tmp_path, shared_cache)
    assert run_docgen("release", "missing", cwd=root).returncode == 2
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"1.4.2"', '"1.5.0rc1"'))
    add_property(root)
    r = run_docgen("release", "old", cwd=root)
    assert r.returncode == 2 and "X.Y.Z" in r.stderr
    # A changelog that has the version already (a release made, the version line reverted).
    pyproject.write_text(pyproject.read_text().replace('"1.5.0rc1"', '"1.4.2"'))
    changelog = root / "generated" / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("## 1.4.2", "## 1.5.0\n\n## 1.4.2"))
    r = run_docgen("release", "old", cwd=root)
    assert r.returncode == 1 and "1.5.0 already" in r.stderr
    assert '"1.4.2"' in pyproject.read_text()


def test_check_sees_a_missing_changelog(tmp_path, shared_cache):
    root = project(tmp_path, shared_cache)
    (root / "generated" / "CHANGELOG.md").unlink()
    r = run_docgen("build", "--check", cwd=root)
    assert r.returncode == 1 and "stale: CHANGELOG.md" in r.stdout


# --- the distribution ---------------------------------------------------------------------


def test_the_distribution_builds_checks_and_installs(tmp_path, shared_cache):
    """sdist and wheel by `python -m build`, accepted by `twine check`; the wheel installed in
    a fresh venv reports the released version and carries its changelog, api.md, py.typed."""
    root = project(tmp_path / "repo", shared_cache)
    add_property(root)
    assert run_docgen("release", "old", "-q", cwd=root).stdout == "1.5.0\n"
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(root / "generated")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    made = sorted(p.name for p in dist.iterdir())
    assert made == ["superoffice_webapi-1.5.0-py3-none-any.whl", "superoffice_webapi-1.5.0.tar.gz"]
    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0 and checked.stdout.count("PASSED") == 2, checked.stdout + checked.stderr
    with tarfile.open(dist / made[1]) as sdist:
        names = set(sdist.getnames())
    assert {
        f"superoffice_webapi-1.5.0/{name}" for name in ("CHANGELOG.md", "api.md", "pyproject.toml")
    } <= names
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    wheel = dist / made[0]
    installed = subprocess.run(
        [python, "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True, timeout=600
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    probe = (
        "import importlib.metadata as m, importlib.resources as r, json, superoffice_webapi as p\n"
        "files = r.files('superoffice_webapi')\n"
        "print(json.dumps({'version': m.version('superoffice-webapi'), 'attr': p.__version__,"
        " 'file': p.__file__,"
        " 'changelog': files.joinpath('CHANGELOG.md').read_text(), 'api': files.joinpath('api.md').is_file(),"
        " 'typed': files.joinpath('py.typed').is_file()}))"
    )
    shown = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    facts = json.loads(shown.stdout)
    assert facts["version"] == facts["attr"] == "1.5.0" and "site-packages" in facts["file"]
    assert facts["changelog"] == (root / "generated" / "CHANGELOG.md").read_text()
    assert versions(facts["changelog"])[0] == "1.5.0" and facts["api"] and facts["typed"]


# --- the release workflow -------------------------------------------------------------------

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "release.yml"


def workflow_steps() -> dict[str, dict]:
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    return {step.get("name", step.get("uses")): step for step in jobs["release"]["steps"]}


def test_the_workflow_publishes_by_trusted_publishing_only():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert triggers["push"]["branches"] == ["main"] and triggers["push"]["paths"] == ["docs/**"]
    publish = workflow["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"} and publish["environment"]["name"] == "pypi"
    assert publish["if"] == "needs.release.outputs.released == 'true'"
    upload = publish["steps"][-1]
    assert upload["uses"] == "pypa/gh-action-pypi-publish@release/v1" and "with" not in upload  # no token
    assert workflow["jobs"]["release"]["permissions"] == {"contents": "write"}


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_workflow_releases_a_docs_push(tmp_path, shared_cache):
    """The workflow's own steps, run as a runner runs them, on a docs repository whose last push
    added a response property: version and changelog committed, tagged and pushed; the
    distribution built and checked."""
    origin, root, runner = (
        tmp_path / "origin.git",
        project(tmp_path / "repo", shared_cache),
        tmp_path / "runner",
    )
    runner.mkdir()
    git("init", "-q", "--bare", "-b", "main", str(origin), cwd=tmp_path)
    (root / ".gitignore").write_text("old/\n")
    for args in (
        ("init", "-q", "-b", "main"),
        ("config", "user.name", "writer"),
        ("config", "user.email", "writer@example.invalid"),
        ("add", "."),
        ("commit", "-qm", "docs at 1.4.2"),
        ("remote", "add", "origin", str(origin)),
    ):
        git(*args, cwd=root)
    before = git("rev-parse", "HEAD", cwd=root)
    add_property(root)
    git("commit", "-qam", "Rating in the answer", cwd=root)
    git("push", "-q", "origin", "main", cwd=root)
    outputs = runner / "outputs"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(runner),
        "GITHUB_OUTPUT": str(outputs),
        "BEFORE": before,
        "VERSION": "1.5.0",
    }
    steps = workflow_steps()
    for name in (
        "The repository as it was before the push",
        "Regenerate",
        "Release what the docs changed",
        "Commit the version and the changelog, and tag them",
        "Build and check the distribution",
    ):
        done = subprocess.run(
            ["bash", "-e", "-c", steps[name]["run"]],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, f"{name}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    assert outputs.read_text().splitlines() == ["version=1.5.0", "released=true"]
    assert steps["Commit the version and the changelog, and tag them"]["env"]["VERSION"].endswith(
        "steps.release.outputs.version }}"
    )
    pushed = git("show", "main:pyproject.toml", cwd=origin)
    assert 'package-version = "1.5.0"' in pushed and git("tag", cwd=origin) == "v1.5.0"
    assert "ContactEntity.Rating" in git("show", "v1.5.0:generated/CHANGELOG.md", cwd=origin)
    assert sorted(p.name for p in (root / "dist").iterdir()) == [
        "superoffice_webapi-1.5.0-py3-none-any.whl",
        "superoffice_webapi-1.5.0.tar.gz",
    ]

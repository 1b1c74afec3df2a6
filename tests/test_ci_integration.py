"""CI regeneration as shipped: the pre-commit hooks run by pre-commit, the GitHub workflow."""

# CI regeneration, ready to copy: the pre-commit hooks run by pre-commit itself in a fresh git
# repository, and the GitHub workflow's shape.

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import BUNDLED, ROOT

BIN = Path(sys.executable).parent


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_pre_commit_hook_with_pre_commit_itself(tmp_path):
    repo = tmp_path / "docs-repo"
    shutil.copytree(BUNDLED, repo / "pages")
    (repo / "pyproject.toml").write_text('[tool.docgen]\nsources = ["pages"]\noutput = "sdk"\n')
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    assert subprocess.run([str(BIN / "docgen"), "build", "-q"], cwd=repo, env=env).returncode == 0
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "pages and their SDK")

    def hook() -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "pre-commit"), "try-repo", str(ROOT), "docgen-check", "--all-files"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    clean = hook()
    assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-3000:]
    page = next((repo / "pages").rglob("v1*.md"))
    page.write_text(
        page.read_text().replace("| Name | string | Contact name |", "| Name | string | The name |")
    )
    stale = hook()
    assert stale.returncode == 1
    assert "stale: openapi.yaml" in stale.stdout


def test_hook_definitions():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["docgen-check"]["entry"] == "docgen build --check"
    assert all(h["language"] == "python" and h["pass_filenames"] is False for h in hooks.values())


def test_github_workflow_checks_and_reports():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "docgen.yml").read_text())
    steps = workflow["jobs"]["regenerate"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "docgen build --check" in runs and "docgen diff" in runs
    assert any("github-script" in s.get("uses", "") for s in steps)
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert "docs/**" in triggers["pull_request"]["paths"]


def test_github_workflow_puts_findings_where_reviewers_look(tmp_path):
    """Annotations (workflow commands), SARIF uploaded to code scanning, and a table of
    findings by code in the job summary; the summary's script is run here on findings."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "docgen.yml").read_text())
    steps = workflow["jobs"]["regenerate"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "--format github" in runs and "--format sarif -v > docgen.sarif" in runs
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "docgen.sarif"
    assert workflow["permissions"]["security-events"] == "write"
    summary = next(
        s["run"] for s in steps if "GITHUB_STEP_SUMMARY" in s.get("run", "") and "--format json" in s["run"]
    )
    script = summary.split("<<'EOF'\n", 1)[1].rsplit("EOF", 1)[0]
    findings = tmp_path / "f.json"
    findings.write_text(
        json.dumps(
            [
                {"level": "warning", "code": "DG211", "file": "a.md", "line": 3, "message": "m"},
                {"level": "warning", "code": "DG211", "file": "b.md", "line": 4, "message": "m"},
                {"level": "info", "code": "DG212", "file": "a.md", "line": 5, "message": "m"},
            ]
        )
    )
    r = subprocess.run([sys.executable, "-", str(findings)], input=script, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (
        "| DG211 | warning | 2 |" in r.stdout
        and "| DG212 | info | 1 |" in r.stdout
        and "3 in all." in r.stdout
    )


def test_missing_shared_fails_in_ci_and_skips_locally(tmp_path):
    """CI sets DOCGEN_REQUIRE_SHARED (.ci/run): there a missing ../shared fails the run."""
    (tmp_path / "test_needs_shared.py").write_text(
        f"import sys\nfrom pathlib import Path\nsys.path.insert(0, {str(ROOT / 'tests')!r})\nfrom conftest "
        "import require\n\n"
        "def test_it():\n    require(Path('/nonexistent/shared/corpus'), 'it reads real pages')\n"
    )

    def outcome(**env):
        r = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            env={k: v for k, v in {**os.environ, **env}.items() if v is not None},
        )
        return r.returncode, r.stdout

    code, out = outcome(DOCGEN_REQUIRE_SHARED=None)
    assert code == 0 and "1 skipped" in out and "it reads real pages" in out, out
    code, out = outcome(DOCGEN_REQUIRE_SHARED="1")
    assert code == 1 and "1 failed" in out and "CI must have it" in out, out
    assert "DOCGEN_REQUIRE_SHARED=1" in (ROOT / ".ci" / "run").read_text()

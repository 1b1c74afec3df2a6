"""A realistic first program against the SDK of the whole reference (tests/e2e/sdk_program.py):
14 tasks (entities, `$select`, keyword bodies, paging, array/dictionary/bytes bodies, bytes
answers, raw responses, errors, refused mixed bodies, token sources, async calls and paging)
run against the generated mock server on a free local port, and the program type-checks with
`mypy --strict`. Skipped, saying why, without ../shared (the corpus)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import STRICT_USER_CONFIG, mock_server, run_mypy

PROGRAM = Path(__file__).resolve().parent / "e2e" / "sdk_program.py"


def test_program_runs_against_the_mock_server(corpus_build):
    _, out = corpus_build
    with mock_server(out) as url:
        r = subprocess.run(
            [sys.executable, str(PROGRAM), url],
            env={**os.environ, "PYTHONPATH": str(out)},
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    lines = r.stdout.splitlines()
    assert lines[-1] == "14 tasks ok" and sum(line.startswith("ok ") for line in lines) == 14, r.stdout


def test_program_type_checks_strictly(corpus_build, tmp_path):
    """The program under `mypy --strict`, the package seen as an installed one (mypy reports
    no errors inside installed packages; the package itself is checked by test_corpus)."""
    _, out = corpus_build
    config = tmp_path / "mypy.ini"
    config.write_text(STRICT_USER_CONFIG)
    r = run_mypy(PROGRAM, out, config=config)
    assert r.returncode == 0, r.stdout[-3000:]
    broken = tmp_path / "broken.py"
    broken.write_text(
        PROGRAM.read_text().replace("get_associate_list([1, 2, 3])", 'get_associate_list(["a"])')
    )
    r = run_mypy(broken, out, config=config)
    assert (
        r.returncode == 1 and 'List item 0 has incompatible type "str"; expected "int | None"' in r.stdout
    ), r.stdout[-2000:]


def test_package_readme_calls_are_real(corpus_build, tmp_path):
    """The generated package's README shows calls of the reference it was built from (an
    entity, a keyword body, paging, an array body, bytes, raw responses, errors): they
    type-check against the package under `mypy --strict`."""
    _, out = corpus_build
    readme = (out / "README.md").read_text()
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    for call in ("client.paginate(", "[1, 2, 3]", "data: bytes =", "with_raw_response.", "except ApiError"):
        assert call in code, call
    (tmp_path / "readme_calls.py").write_text(code)
    config = tmp_path / "mypy.ini"
    config.write_text(STRICT_USER_CONFIG)
    r = run_mypy(tmp_path / "readme_calls.py", out, config=config)
    assert r.returncode == 0, r.stdout[-3000:]

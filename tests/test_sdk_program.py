"""A realistic first program against the SDK of the whole reference (tests/e2e/sdk_program.py)."""

# A realistic first program against the SDK of the whole reference (tests/e2e/sdk_program.py):
# 23 tasks (entities, `$select`, keyword bodies, paging, array/dictionary/bytes bodies, bytes
# answers, raw responses, errors and their classes, refused mixed bodies, token sources, per-call
# options, `with_options`, `request(cast_to=...)`, streaming, the caller's own httpx client,
# async calls, paging and streaming)
# run against the generated mock server on a free local port, and the program type-checks with
# `mypy --strict`. Skipped, saying why, without ../shared (the corpus).

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import STRICT_USER_CONFIG, mock_server, run_mypy

PROGRAM = Path(__file__).resolve().parent / "e2e" / "sdk_program.py"
MEMORY = Path(__file__).resolve().parent / "e2e" / "stream_memory.py"
FEATURES = Path(__file__).resolve().parent / "e2e" / "sdk_features.py"


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
    assert lines[-1] == "23 tasks ok" and sum(line.startswith("ok ") for line in lines) == 23, r.stdout


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
        PROGRAM.read_text()
        .replace("get_associate_list([1, 2, 3])", 'get_associate_list(["a"])')
        .replace("content: bytes = streamed.parse()", "content: str = streamed.parse()")
        .replace("timeout=20.0", 'timeout="20"')
    )
    r = run_mypy(broken, out, config=config)
    for expected in (
        'List item 0 has incompatible type "str"; expected "int | None"',
        'expression has type "bytes", variable has type "str"',
        'Argument "timeout" to "get_contact_entity" of "ContactApi" has incompatible type "str"',
    ):
        assert r.returncode == 1 and expected in r.stdout, r.stdout[-2000:]


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


def test_streaming_64_mb_each_way_keeps_memory_bounded(corpus_build, tmp_path):
    """The client of the whole reference uploads 64 MB from a file and streams 64 MB to a
    file: its peak memory grows by less than 40 MB (it held every answer and upload whole:
    64 MB each, and more while copying). The same download read whole is measured too, so
    the measurement is seen to notice 64 MB."""
    import hashlib
    import json

    from support.sdk_server import Echo, Stream, pattern_bytes, pattern_digest, sdk_server

    _, out = corpus_build
    size = 64 * 1024 * 1024
    upload, download = tmp_path / "up.bin", tmp_path / "down.bin"
    with upload.open("wb") as f:
        for chunk in pattern_bytes(size):
            f.write(chunk)
    with sdk_server() as server:
        server.script = [Echo(), Stream(1024), Echo(), Stream(size), Stream(size)]
        r = subprocess.run(
            [sys.executable, str(MEMORY), server.url, str(upload), str(download)],
            env={**os.environ, "PYTHONPATH": str(out)},
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert r.returncode == 0, r.stderr[-3000:]
    figures = json.loads(r.stdout)
    print("peak MB:", figures)
    assert figures["streamed_peak"] - figures["warm"] < 40, figures
    assert figures["whole_peak"] - figures["before_whole"] > 60 and figures["whole_size"] == size, figures
    received = server.seen[2]
    assert received["length"] == size and received["sha256"] == pattern_digest(size)
    assert received["headers"]["content-type"] == "application/octet-stream"
    digest = hashlib.sha256()
    with download.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    assert digest.hexdigest() == pattern_digest(size)


def test_the_features_work_on_the_whole_reference_against_a_local_server(corpus_build, tmp_path):
    """tests/e2e/sdk_features.py with the corpus package: a class per status, per-call
    options, `with_options`, `request()`, the caller's httpx client, connection errors;
    with `SUPEROFFICE_WEBAPI_LOG=info` its stderr has one line per attempt and no
    credential. It type-checks under `mypy --strict`."""
    from support.sdk_server import Status, sdk_server

    _, out = corpus_build
    statuses = [400, 401, 403, 404, 409, 422, 429, 500, 503, 418]
    with sdk_server() as server:
        server.script = [Status(s) for s in statuses]
        r = subprocess.run(
            [sys.executable, str(FEATURES), server.url],
            env={**os.environ, "PYTHONPATH": str(out), "SUPEROFFICE_WEBAPI_LOG": "info"},
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    lines = r.stdout.splitlines()
    assert len(lines) == len(statuses) + 7 and all(line.startswith("ok ") for line in lines), r.stdout
    attempts = [line for line in r.stderr.splitlines() if "(attempt 1)" in line]
    assert len(attempts) >= len(statuses) + 5 and "GET /api/v1/Contact/1 429" in r.stderr, r.stderr[-2000:]
    assert (
        "password" not in r.stderr and "dXNlcjpwYXNzd29yZA" not in r.stderr and "copy-token" not in r.stderr
    )
    config = tmp_path / "mypy.ini"
    config.write_text(STRICT_USER_CONFIG)
    checked = run_mypy(FEATURES, out, config=config)
    assert checked.returncode == 0, checked.stdout[-3000:]

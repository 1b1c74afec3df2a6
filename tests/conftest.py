"""Shared fixtures: the bundled page, the corpus (skipped when absent), a fresh build."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import settings

# The finding codes the session's builds produce, and the check that asks for them runs last.
from support.findings_seen import printed, pytest_collection_modifyitems  # noqa: F401

# In CI the property tests run derandomized: a submission lands or not on its own merits, not
# on the draw; locally they explore new inputs on every run (DOCGEN_FUZZ_EXAMPLES and
# DOCGEN_TEXT_EXAMPLES raise the counts).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "docs" / "restful"
BUNDLED_REFERENCE = ROOT / "docs" / "webapi"  # the reference files the bundled page reaches
SEED_PAGE = BUNDLED / "agent" / "Contact_Agent" / "v1ContactAgent_EnrichContactEntity.md"
GENERATED = ROOT / "generated"
CORPUS = ROOT.parent / "shared" / "corpus"


def require(path: Path, why: str) -> Path:
    """`path`, or a skip saying why it is needed; with DOCGEN_REQUIRE_SHARED set (`.ci/run` sets
    it) a failure instead, so that CI cannot pass by skipping when `../shared` is missing."""
    if not path.exists():
        message = f"{path} is absent (../shared beside the project); {why}"
        if os.environ.get("DOCGEN_REQUIRE_SHARED"):
            pytest.fail(f"{message}. CI must have it.", pytrace=False)
        pytest.skip(message)
    return path


def corpus_dir(name: str) -> Path:
    return require(CORPUS / name / "restful", "these tests read real pages from it")


def reference_dir(name: str) -> Path:
    return require(CORPUS / name / "webapi", "these tests read the .NET reference beside the pages")


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED_PAGE.read_bytes()


def generate(config, sources=None, **kw):
    """`docgen.build.generate` as `docgen build` runs it: the cyclic collector paused
    (`docgen.cli.collector_paused`; a third of the time of a build otherwise)."""
    from docgen.build import generate as build
    from docgen.cli import collector_paused

    with collector_paused():
        return build(config, sources, **kw)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """A fresh build of the bundled page (with its own empty cache)."""
    from docgen.config import load_config

    config = load_config(ROOT)
    from dataclasses import replace

    config = replace(config, cache_dir=tmp_path_factory.mktemp("cache"))
    return generate(config, [BUNDLED, BUNDLED_REFERENCE])


@pytest.fixture(scope="session")
def seed_package(seed_build, tmp_path_factory):
    """The freshly built package importable from a temporary folder (no install)."""
    from docgen.output import write_atomic

    out = tmp_path_factory.mktemp("seedpkg") / "out"
    write_atomic(seed_build.files, out)
    sys.path.insert(0, str(out))
    yield out
    sys.path.remove(str(out))


@pytest.fixture(scope="session")
def pkg(seed_package):
    """The freshly built package, imported (`superoffice_webapi`)."""
    import importlib

    return importlib.import_module("superoffice_webapi")


def tree(path: Path) -> dict[str, bytes]:
    """Every file under `path` (relative, as posix) and its bytes."""
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory):
    """The whole 2023 reference, pages and .NET reference, built once per test session: (result,
    output folder)."""
    from dataclasses import replace

    from docgen.config import load_config
    from docgen.output import write_atomic

    sources = [corpus_dir("superoffice-2023"), reference_dir("superoffice-2023")]
    config = replace(load_config(ROOT), cache_dir=tmp_path_factory.mktemp("corpus-cache"))
    result = generate(config, sources)
    out = tmp_path_factory.mktemp("corpus") / "out"
    write_atomic(result.files, out)
    return result, out


DOCGEN = [sys.executable, "-m", "docgen"]
# mypy --strict over a program that uses a generated package, which it sees as installed.
STRICT_USER_CONFIG = "[mypy]\nstrict = True\n\n[mypy-superoffice_webapi.*]\nignore_errors = True\n"


def run_docgen(*args, cwd=ROOT, env=None, timeout=600, **kw) -> subprocess.CompletedProcess:
    """`docgen ARGS` in a subprocess, as a user runs it (the finding codes it prints are noted)."""
    done = subprocess.run(
        [*DOCGEN, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        **kw,
    )
    printed(f"{done.stdout}{done.stderr}")
    return done


def run_with_package(code: str, out: Path, *, timeout: int = 300, **kw) -> subprocess.CompletedProcess:
    """`python -c CODE` with the generated package of `out` importable."""
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


def run_mypy(
    target: Path,
    package_dir: Path,
    *,
    config: Path | None = None,
    cwd: Path | None = None,
    timeout: int = 1800,
) -> subprocess.CompletedProcess:
    """mypy over `target` with `package_dir` on MYPYPATH: `--strict`, or the given config file."""
    options = ["--config-file", str(config)] if config is not None else ["--strict"]
    return subprocess.run(
        [sys.executable, "-m", "mypy", *options, "--no-incremental", "--cache-dir=/dev/null", str(target)],
        cwd=cwd,
        env={**os.environ, "MYPYPATH": str(package_dir)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def mock_server(out: Path):
    """The generated server of a build (`python -m <package>.server`) on a free 127.0.0.1 port,
    with the sample implementation; yields its base URL once it accepts connections."""
    env = {**os.environ, "PYTHONPATH": str(out)}
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "superoffice_webapi.server", "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-3000:]
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def package_lint(out: Path) -> subprocess.CompletedProcess:
    """ruff over a generated package with the configuration the package ships (its
    pyproject.toml): pyflakes, pycodestyle (docstrings and comments at 88), isort, pyupgrade."""
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "superoffice_webapi"],
        cwd=out,
        capture_output=True,
        text=True,
    )


def package_type_check(out: Path, *more: str, timeout: float = 1800) -> subprocess.CompletedProcess:
    """`mypy --strict` over a generated package, with no configuration of the repository the
    test runs in and no cache."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "superoffice_webapi",
            "--config-file=",
            "--strict",
            "--ignore-missing-imports",
            *more,
            "--cache-dir=/dev/null",
        ],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=timeout,
    )

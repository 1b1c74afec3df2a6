"""The generated package's runtime: modules docgen copies verbatim into every package it
generates (`RUNTIME_FILES`), kept here as real Python so that ruff and `mypy --strict`
check them as docgen's own code. What varies per build is generated beside them (models,
api modules, client, operations). `models.pyi` stands in for the generated models
module, for the type checker only; neither it nor this file is copied."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

# Files here that are not copied: this one, and the server folder's `__init__.py` (the
# package's own is generated with the server).
_NOT_COPIED = {"__init__.py", "server/__init__.py"}
# Package-relative path -> file here: every module of the runtime, in a stable order.
RUNTIME_FILES = {
    path: path
    for path in sorted(p.relative_to(HERE).as_posix() for p in HERE.rglob("*.py"))
    if path not in _NOT_COPIED
}


def runtime_files(package: str) -> dict[str, str]:
    """The runtime modules as the package holds them (path in the output -> text)."""
    return {
        f"{package}/{rel}": (HERE / src).read_text(encoding="utf-8")
        for rel, src in RUNTIME_FILES.items()
    }

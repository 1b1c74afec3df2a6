"""The generated package's runtime: modules docgen copies verbatim into every package it
generates (`RUNTIME_FILES`), kept here as real Python so that ruff and `mypy --strict`
check them as docgen's own code. What varies per build is generated beside them (models,
api modules, client, operations). `models.pyi` stands in for the generated models
module, for the type checker only; neither it nor this file is copied."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

# Package-relative path -> file here.
RUNTIME_FILES = {
    "_base.py": "_base.py",
    "_core.py": "_core.py",
    "online.py": "online.py",
    "testing.py": "testing.py",
    "server/_runtime.py": "server/_runtime.py",
}


def runtime_files(package: str) -> dict[str, str]:
    """The runtime modules as the package holds them (path in the output -> text)."""
    return {
        f"{package}/{rel}": (HERE / src).read_text(encoding="utf-8")
        for rel, src in RUNTIME_FILES.items()
    }

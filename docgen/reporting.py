"""Findings where reviewers look: a SARIF 2.1.0 log (what code scanning uploads and shows on
a pull request's lines) and GitHub workflow commands (annotations in a job's checks).

A finding names its file as the build shows it (relative to its source root's parent); both
formats want the path from the working directory, so each is found again under the roots.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from docgen import __version__
from docgen.diagnostics import CODES, Diagnostic, Level

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/docgen/docgen#diagnostic-codes"
_SARIF_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}
_GITHUB_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def artifact_path(shown: str, roots: Sequence[Path], cwd: Path) -> str:
    """The finding's file as a POSIX path relative to `cwd` (as it is shown, where it is
    under none of the roots)."""
    for root in roots:
        path = root.resolve().parent / shown  # a folder root's name, or a file root, leads
        if shown.split("/", 1)[0] == root.resolve().name and path.is_file():
            return Path(os.path.relpath(path, cwd)).as_posix()
    return shown


def _rules() -> list[dict[str, Any]]:
    return [
        {
            "id": code,
            "name": code,
            "shortDescription": {"text": text.split(";", 1)[0]},
            "fullDescription": {"text": text},
            "help": {"text": f"{code} ({level.value}): {text}. See docgen's README, 'Diagnostic codes'."},
            "helpUri": INFORMATION_URI,
            "defaultConfiguration": {"level": _SARIF_LEVELS[level]},
        }
        for code, (level, text) in sorted(CODES.items())
    ]


def render_sarif(diags: Iterable[Diagnostic], roots: Sequence[Path], cwd: Path) -> str:
    """One SARIF 2.1.0 log: the tool `docgen` with a rule per finding code, a result per
    finding with its rule, level, message and the file and line it is about."""
    rules = _rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _SARIF_LEVELS[d.level],
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_path(d.file, roots, cwd)},
                        "region": {"startLine": max(1, d.line)},
                    }
                }
            ],
        }
        for d in diags
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "docgen",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    """A workflow command's message: `%`, CR and LF escaped, as the runner reads them back."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value: also `:` and `,`, which separate properties."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(diags: Iterable[Diagnostic], roots: Sequence[Path], cwd: Path) -> str:
    """One GitHub workflow command per finding: `::warning file=...,line=...,title=DG204::...`."""
    lines = []
    for d in diags:
        path = _escape_property(artifact_path(d.file, roots, cwd))
        title = _escape_property(d.code)
        lines.append(
            f"::{_GITHUB_LEVELS[d.level]} file={path},line={max(1, d.line)},title={title}"
            f"::{_escape_data(d.message)}"
        )
    return "\n".join(lines)

"""YAML front matter between `---` lines at the top of a page."""

from __future__ import annotations

from typing import Any

import yaml

from docgen.diagnostics import Found, diag

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


FrontMatter = tuple[dict[str, Any] | None, list[str], int]


def split_front_matter(text: str, file: str) -> Found[FrontMatter]:
    """The front matter or None, the remaining lines, and the 1-based line of the first of them."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return Found((None, lines, 1))
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        return Found(
            (None, lines, 1), (diag("DG101", file, 1, "front matter opened with '---' is never closed"),)
        )
    raw = "\n".join(lines[1:end])
    try:
        data = yaml.load(raw, Loader=_Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = 2 + (mark.line if mark is not None else 0)
        problem = diag("DG101", file, line, f"front matter is not valid YAML: {_first_line(e)}")
        return Found((None, lines[end + 1 :], end + 2), (problem,))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problem = diag("DG101", file, 2, "front matter is not a mapping of keys to values")
        return Found((None, lines[end + 1 :], end + 2), (problem,))
    return Found((data, lines[end + 1 :], end + 2))


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__

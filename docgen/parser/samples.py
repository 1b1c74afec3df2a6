"""Sample request and response blocks: an HTTP message whose body is (usually) JSON."""

from __future__ import annotations

import json
import re

from docgen.diagnostics import Diagnostic, Found, diag
from docgen.parser.page import Sample

INCLUDE_RE = re.compile(r"\[!include\[(?P<label>[^\]]*)\]\((?P<target>[^)]+)\)\]")
_STATUS_RE = re.compile(r"^HTTP/\S+\s+(\d{3})")
_FENCE_RE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.S | re.M
)


# How deep a sample may nest. The 2023 reference's samples reach 7 levels; far deeper JSON
# would exhaust Python's recursion where the sample is read, pickled and turned into models.
MAX_SAMPLE_DEPTH = 32
_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET_RE = re.compile(r"[\[\]{}]")


def nesting(text: str) -> int:
    """How deeply JSON text nests arrays and objects (brackets inside strings not counted)."""
    depth = deepest = 0
    for m in _BRACKET_RE.finditer(_STRING_RE.sub("", text)):
        if m.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def parse_http_message(content: str, file: str, line: int) -> Found[Sample]:
    """`POST /path` or `HTTP/1.1 200 OK`, header lines, a blank line, then the body."""
    lines = content.split("\n")
    start = lines[0].strip() if lines else ""
    headers: list[tuple[str, str]] = []
    i = 1
    while i < len(lines) and lines[i].strip():
        name, sep, text = lines[i].partition(":")
        if sep:
            headers.append((name.strip(), text.strip()))
        i += 1
    body = "\n".join(lines[i + 1 :]).strip() if i < len(lines) else ""
    diags: list[Diagnostic] = []
    has_json, value = False, None
    depth = nesting(body) if body else 0
    if depth > MAX_SAMPLE_DEPTH:
        message = (
            f"sample body is nested {depth} levels deep; expected at most {MAX_SAMPLE_DEPTH} "
            "(the reference's samples reach 7): the sample is not read"
        )
        diags.append(diag("DG107", file, line + 1 + i + 1, message))
    elif body:
        try:
            value = json.loads(body)
            has_json = True
        except ValueError as e:
            body_line = line + 1 + i + 1 + getattr(e, "lineno", 1) - 1
            diags.append(
                diag(
                    "DG107",
                    file,
                    body_line,
                    f"sample body is not valid JSON ({getattr(e, 'msg', e)}); expected a JSON value after "
                    "the headers",
                )
            )
    status = _STATUS_RE.match(start)
    sample = Sample(
        start_line=start,
        status=int(status.group(1)) if status else None,
        headers=tuple(headers),
        body_text=body,
        has_json=has_json,
        json=value,
        line=line,
        source=file,
        body_line=line + 1 + i + 1 if body else 0,
    )
    return Found(sample, tuple(diags))


def parse_include_file(text: str, target: str, line: int) -> Found[Sample | None]:
    """An include target holds one fenced http block (and no final newline)."""
    m = _FENCE_RE.search(text if text.endswith("\n") else text + "\n")
    if not m:
        message = "include file holds no fenced ```http block; expected a sample HTTP message"
        return Found(None, (diag("DG107", target, 1, message),))
    body_line = text[: m.start("body")].count("\n") + 1
    sample = parse_http_message(m.group("body"), target, body_line - 1)
    return Found(sample.value, sample.findings)

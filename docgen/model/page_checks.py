"""Checks of a page against itself: the requests it shows against the parameters and body it
documents.

* DG214: a sample request (or a request line under the query table) whose path or query uses
  a parameter the page does not document, or that lacks a required query parameter (one the
  page shows no value for in any of its request lines);
* DG215: a sample request body property that the request body table lacks (a warning for an
  agent's `request` wrapper, whose properties the client takes as keyword arguments; else a
  notice: the models keep unknown fields).
"""

from __future__ import annotations

import json
from urllib.parse import unquote

from docgen.diagnostics import Diagnostic, Level, diag
from docgen.model.json_lines import value_lines
from docgen.parser.page import Page, Sample
from docgen.text import split_required


def page_checks(page: Page) -> tuple[Diagnostic, ...]:
    return (*_request_lines(page), *_body_properties(page))


def _documented(page: Page) -> tuple[set[str], set[str]]:
    """The page's query parameters, and those of them it marks required."""
    rows = [r for r in (page.query_params.rows if page.query_params else ()) if r.cells and r.cells[0]]
    return {r.cells[0] for r in rows}, {r.cells[0] for r in rows if split_required(r.cell(2))[0]}


def _query_names(line: str) -> list[str]:
    _, _, query = line.partition("?")
    return [unquote(part.partition("=")[0]) for part in query.split("&") if part.partition("=")[0]]


def _sample_line(sample: Sample) -> tuple[str, int]:
    """The file and line of a sample's request line (the block's next line, in the page or
    in the included file)."""
    return sample.source, sample.line + 1


def _request_lines(page: Page) -> list[Diagnostic]:
    documented, required = _documented(page)
    lines: list[tuple[str, str, int]] = []  # (request line, file, line)
    sample = page.sample_request
    if sample is not None and sample.start_line:
        file, line = _sample_line(sample)
        lines.append((sample.start_line, file, line))
    for i, text in enumerate(page.query_example.splitlines()):
        lines.append((text.strip(), page.file, page.query_example_line + 1 + i))
    out: list[Diagnostic] = []
    for text, file, line in lines:
        out += _path_findings(page, text, file, line)
        for name in _query_names(text):
            if name not in documented:
                known = ", ".join(sorted(documented)) or "none"
                message = (
                    f"the request line uses query parameter {name!r}, which the page's query table "
                    f"does not document (it lists {known})"
                )
                out.append(diag("DG214", file, line, message))
    shown = {name for text, _, _ in lines for name in _query_names(text)}
    if sample is not None and sample.start_line:
        file, line = _sample_line(sample)
        for name in sorted(required - shown):
            message = (
                f"the sample request lacks required query parameter {name!r} (the query table marks it "
                "**Required**), and no request line on the page shows a value for it"
            )
            out.append(diag("DG214", file, line, message, Level.INFO))
    return out


def _path_findings(page: Page, text: str, file: str, line: int) -> list[Diagnostic]:
    parts = text.split()
    if len(parts) < 2 or not parts[1].startswith("/"):
        return []
    sent = parts[1].split("?", 1)[0].strip("/").split("/")
    route = page.path.strip("/").split("/")
    if len(sent) != len(route):
        message = f"the request line's path {parts[1].split('?', 1)[0]} is not the route {page.path}"
        return [diag("DG214", file, line, message)]
    out = []
    for s, r in zip(sent, route, strict=True):
        template = s.startswith("{") and s.endswith("}")
        if template and s != r:
            message = (
                f"the request line's path uses parameter {s}, which the page does not document "
                f"(the route {page.path} has {r} there)"
            )
            out.append(diag("DG214", file, line, message))
        elif not template and not (r.startswith("{") and r.endswith("}")) and s.lower() != r.lower():
            message = f"the request line's path has {s!r} where the route {page.path} has {r!r}"
            out.append(diag("DG214", file, line, message))
    return out


def _body_properties(page: Page) -> list[Diagnostic]:
    section, sample = page.request_body, page.sample_request
    if section is None or section.table is None or sample is None or not sample.has_json:
        return []
    if not isinstance(sample.json, dict):
        return []
    names = {r.cells[0] for r in section.table.rows if r.cells and r.cells[0]}
    missing = [k for k in sample.json if k not in names]
    if not names or not missing:
        return []
    lines = value_lines(sample.body_text)
    level = Level.WARNING if section.name == "request" else Level.INFO
    out = []
    for key in missing:
        shown = json.dumps(sample.json[key], ensure_ascii=False)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        message = (
            f"the sample request body gives {key} {shown}, which the request body table at "
            f"{page.file}:{section.line} lacks"
            + ("; the client takes the body's properties from that table" if level is Level.WARNING else "")
        )
        out.append(diag("DG215", sample.source, sample.body_line + lines.get((key,), 0), message, level))
    return out

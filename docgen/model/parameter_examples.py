"""The values a page shows for its parameters, as examples of the parameters' types.

A page shows query values in the block under its query table, one request line each
(`GET /api/v1/Contact/{id}?$select=name,department,category/id`, `...?fk=False`), and could
show path values in its sample request's line (the 2023 and newest pages keep the route's
`{id}` there). Each value is read as the parameter's declared type, as the server reads it
off the wire; a value that is not one (`?top=many` for an integer) is a finding, and the
parameter keeps no example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from docgen.diagnostics import Diagnostic, Found, diag
from docgen.model.api import Parameter, Schema
from docgen.model.infer import DATETIME_RE
from docgen.parser.page import Page

_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}
_INVARIANT_RE = re.compile(r"^(\d{2})/(\d{2})/(\d{4}) (\d{2}:\d{2}:\d{2})$")


@dataclass(frozen=True)
class Shown:
    """A value as a page writes it, and where."""

    raw: str
    file: str
    line: int


class Misfit(ValueError):
    """The value is not one of the declared type."""


def shown_values(page: Page) -> dict[tuple[str, str], Shown]:
    """(location, name) -> the first value the page shows for that parameter."""
    out: dict[tuple[str, str], Shown] = {}
    for i, line in enumerate(page.query_example.splitlines()):
        _, _, query = line.strip().partition("?")
        for part in query.split("&") if query else ():
            name, eq, raw = part.partition("=")
            if eq and name:
                where = Shown(unquote(raw), page.file, page.query_example_line + 1 + i)
                out.setdefault(("query", unquote(name)), where)
    sample = page.sample_request
    if sample is not None:
        for name, raw in _path_values(page.path, sample.start_line):
            out.setdefault(("path", name), Shown(unquote(raw), page.file, sample.line))
    return out


def _path_values(route: str, start_line: str) -> list[tuple[str, str]]:
    """The values a sample request line gives where the route has `{name}`."""
    parts = start_line.split()
    if len(parts) < 2:
        return []
    sent = parts[1].split("?", 1)[0].strip("/").split("/")
    template = route.strip("/").split("/")
    if len(sent) != len(template):
        return []
    return [
        (t[1:-1], s)
        for t, s in zip(template, sent, strict=True)
        if t.startswith("{") and t.endswith("}") and not (s.startswith("{") and s.endswith("}"))
    ]


def typed(schema: Schema, raw: str) -> Any:
    """`raw` read as `schema`'s type, as the server reads it; Misfit if it is not one."""
    values = [v for v in schema.get("enum", ()) if isinstance(v, str)]
    if values:
        match = next((v for v in values if v.lower() == raw.lower()), None)
        if match is None:
            raise Misfit(f"one of {', '.join(values[:5])}{'...' if len(values) > 5 else ''}")
        return match
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(raw)
        if kind == "number":
            return float(raw)
    except ValueError:
        raise Misfit(f"a{'n integer' if kind == 'integer' else ' number'}") from None
    if kind == "boolean":
        if raw.lower() not in _BOOLEANS:
            raise Misfit("true or false")
        return _BOOLEANS[raw.lower()]
    if kind == "array":
        items = schema.get("items") or {}
        return [typed(items, v) for v in raw.split(",") if v != ""]
    if schema.get("format") == "date-time" and not DATETIME_RE.match(raw):
        return _invariant_date(raw)
    return raw


def _invariant_date(raw: str) -> str:
    """`12/06/2014 14:19:12`, as .NET writes a DateTime in the invariant culture (the 2023
    pages show 34 such query values): the same date and time in ISO 8601."""
    match = _INVARIANT_RE.match(raw)
    if match is None:
        raise Misfit("a date and time (ISO 8601, or .NET's MM/dd/yyyy HH:mm:ss)")
    month, day, year, time = match.groups()
    try:
        return datetime.fromisoformat(f"{year}-{month}-{day}T{time}").isoformat()
    except ValueError:
        raise Misfit("a date and time (its day or month is out of range)") from None


def with_examples(page: Page, params: tuple[Parameter, ...]) -> Found[tuple[Parameter, ...]]:
    """The parameters, each with the example its page shows (where that is of its type)."""
    shown = shown_values(page)
    out: list[Parameter] = []
    findings: list[Diagnostic] = []
    for p in params:
        where = shown.get((p.location, p.name))
        if where is None:
            out.append(p)
            continue
        try:
            out.append(replace(p, example=typed(p.schema, where.raw), has_example=True))
        except Misfit as e:
            message = (
                f"the page shows {p.location} parameter {p.name}={where.raw!r}, which is not {e}; "
                "the examples use a value of its type instead"
            )
            findings.append(diag("DG210", where.file, where.line, message))
            out.append(p)
    return Found(tuple(out), tuple(findings))

"""Findings about the input: a level, a stable code, a place and a message.

Every stage returns its findings as values instead of raising, so one bad page never
stops the build and the user sees all problems at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# Every code docgen can emit, with its meaning. The README's table lists the same codes and
# meanings (a test checks they agree), so a code cannot exist undocumented.
CODES: dict[str, tuple[Level, str]] = {
    # DG1xx: a page could not be read as the format says
    "DG100": (Level.ERROR, "file is not readable text (binary, not UTF-8, or unreadable)"),
    "DG101": (Level.ERROR, "front matter missing or not valid YAML"),
    "DG102": (Level.ERROR, "front matter has no uid"),
    "DG103": (Level.ERROR, "no request line (```http block with METHOD /path)"),
    "DG104": (Level.ERROR, "unknown HTTP method in the request line"),
    "DG105": (Level.ERROR, "duplicate uid: another page already defines this operation"),
    "DG106": (
        Level.WARNING,
        "table is malformed: rows without a header and delimiter row (skipped), or ragged rows (read to the "
        "header's width)",
    ),
    "DG107": (Level.WARNING, "sample JSON is not valid (or nests too deep); sample ignored"),
    "DG108": (Level.WARNING, "[!include] target is missing"),
    "DG109": (
        Level.WARNING,
        "type cell not understood (not a primitive, array, object, Enum: or type name); the property accepts "
        "any value",
    ),
    "DG110": (Level.WARNING, "title and request line disagree on the method"),
    "DG112": (Level.WARNING, "status code is not a number; row skipped"),
    "DG113": (Level.ERROR, "reference file is not valid docfx ManagedReference YAML; file skipped"),
    "DG114": (
        Level.WARNING,
        "not a regular file inside the source roots (a FIFO, a device, a link out of the tree); not read",
    ),
    "DG115": (Level.WARNING, "[!include] target is outside the source roots; not read"),
    # DG2xx: the model (merging what pages say)
    "DG116": (
        Level.WARNING,
        "reference enum whose values cannot be read; the properties of its type accept any string",
    ),
    "DG201": (Level.WARNING, "pages disagree about a type's property"),
    "DG202": (Level.INFO, "named type is not described by any page; emitted as an open object"),
    "DG203": (Level.WARNING, "routes differ only in a parameter name; OpenAPI forbids it"),
    "DG204": (Level.WARNING, "sample contradicts the table's type; the sample's JSON kind wins"),
    "DG205": (
        Level.WARNING,
        "stale 'Response body' heading: its table describes another type; the heading is not used",
    ),
    "DG206": (Level.WARNING, "properties differ only by letter case; they stay distinct"),
    "DG207": (
        Level.INFO,
        "a type cell holds a name the pages leave over unrelated tables; read as the type the property is "
        "named after",
    ),
    "DG208": (
        Level.WARNING,
        "the pages and the .NET reference disagree about a property's type; the reference's declared type "
        "is used",
    ),
    "DG209": (
        Level.WARNING,
        "two folders (or two operations of one) would give one generated module, namespace or method; "
        "the later one is numbered",
    ),
    "DG211": (
        Level.WARNING,
        "a sample value is of another JSON kind than its property's declared type (after the pages "
        "and the .NET reference are merged)",
    ),
    "DG212": (
        Level.INFO,
        "a sample property that neither the table nor the .NET reference type lists; the models keep it",
    ),
    "DG213": (
        Level.INFO,
        "a sample value of an enum-typed property that the enum does not list",
    ),
    "DG214": (
        Level.WARNING,
        "a request the page shows uses a parameter the page does not document, or lacks a required one "
        "(a notice)",
    ),
    "DG215": (
        Level.WARNING,
        "a sample request body property that the request body table lacks (a notice where the body is "
        "not the client's keyword arguments)",
    ),
    "DG210": (
        Level.WARNING,
        "a value the page shows for a parameter is not of the parameter's type; the examples use one that is",
    ),
    # DG3xx: emitting outputs
    "DG301": (Level.ERROR, "model generation failed"),
    "DG302": (Level.ERROR, "formatting failed for a generated file"),
    # DG9xx: docgen itself
    "DG900": (Level.ERROR, "internal error in docgen (a bug: please report it)"),
}


@dataclass(frozen=True, order=True)
class Place:
    """Where on a page something was read: the file as shown to users and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    code: str
    level: Level
    message: str

    def format_text(self) -> str:
        return f"{self.file}:{self.line}: {self.level.value} {self.code} {self.message}"

    def as_json(self) -> dict:
        d = asdict(self)
        d["level"] = self.level.value
        return {k: d[k] for k in ("level", "code", "file", "line", "message")}


@dataclass(frozen=True)
class Found(Generic[T]):
    """What a step made and the findings it made on the way, each bound to its place: the one
    way findings travel (a step returns them with its result; none appends to a list it is handed)."""

    value: T
    findings: tuple[Diagnostic, ...] = ()

    def __iter__(self) -> Iterator[Any]:
        """`value, findings = step(...)`, where both are wanted at once."""
        return iter((self.value, self.findings))


def findings_of(*parts: Found | Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """The findings of several results (or plain sequences of findings), in order."""
    out: list[Diagnostic] = []
    for part in parts:
        out += part.findings if isinstance(part, Found) else part
    return tuple(out)


def diag(code: str, file: str, line: int, message: str, level: Level | None = None) -> Diagnostic:
    default_level, _ = CODES[code]
    return Diagnostic(file=file, line=line, code=code, level=level or default_level, message=message)


def diag_at(code: str, place: Place, message: str) -> Diagnostic:
    return diag(code, place.file, place.line, message)


def render_json(diags: Iterable[Diagnostic]) -> str:
    return json.dumps([d.as_json() for d in diags], indent=2, ensure_ascii=False)

"""What one page tells the schema fold: frozen records, each with its place.

A page is read on its own (in a worker process, cached by its content); the fold merges the
records of every page into components. Until then a schema that stands for what only the
fold can decide (which component a table describes, what a lone body is) holds the one
placeholder kind, `pending(key)`, which `Schemas.resolve` replaces once.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import Any, Literal

from docgen.diagnostics import Place
from docgen.model.api import Schema, ref
from docgen.model.cstypes import CsType
from docgen.model.infer import Shape, shape_of
from docgen.model.typemap import DocType

# How far a table's heading can be trusted for its type's name:
# "response": a `### Response body: X` heading, which the docs generator sometimes left stale;
# "request": an operation's `request` wrapper, always its own `<Op>Request`;
# "body": an entity-like body (`entity`, `listItems`) and "element": the items of an array
# response; docgen names these two, or they join the described type they are a subset of.
TableKind = Literal["response", "request", "body", "element"]

PENDING = "#/components/schemas/~"


def pending(key: str) -> Schema:
    """A reference the fold resolves when it has read every page."""
    return {"$ref": PENDING + key}


@dataclass(frozen=True)
class PropertyRow:
    name: str
    type: DocType
    description: str
    place: Place


@dataclass(frozen=True)
class TableSeen:
    """One page's property table for a type, with what the page's sample shows of it."""

    key: str  # unique in a build: the page's file and the record's number
    type_name: str
    rows: tuple[PropertyRow, ...]
    place: Place
    _: KW_ONLY
    kind: TableKind
    op: str  # the operation name of the page, for naming and affinity
    folder: str  # the page's folder (its tag), which qualifies a name two structures want
    samples: tuple[Shape, ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(r.name for r in self.rows)


@dataclass(frozen=True)
class SampleSeen:
    """Sample objects of a named type (a response body with no table)."""

    type_name: str
    samples: tuple[Shape, ...]


@dataclass(frozen=True)
class LoneBodySeen:
    """A request body that is only a name and a sentence (`contactIds`, "The primary keys.")."""

    key: str
    name: str
    sentence: str
    op: str
    place: Place


@dataclass(frozen=True)
class TypeNamed:
    """A page names a type (a response heading with no table)."""

    type_name: str
    place: Place


@dataclass(frozen=True)
class ReferenceProperty:
    name: str
    type: CsType
    description: str
    place: Place


@dataclass(frozen=True)
class ReferenceSeen:
    """A type as the .NET library reference describes it: a carrier with its declared
    properties (inherited ones are its bases'), an enum with its values, or a named dictionary."""

    name: str
    kind: Literal["class", "enum", "dictionary"]
    description: str
    place: Place
    _: KW_ONLY
    properties: tuple[ReferenceProperty, ...] = ()
    bases: tuple[str, ...] = ()  # names of the carriers it inherits from, nearest last
    values: tuple[str, ...] = ()  # an enum's, in declaration order
    flags: bool = False  # an enum whose values can be combined
    holds: CsType | None = None  # a dictionary's values


Evidence = TableSeen | SampleSeen | LoneBodySeen | TypeNamed | ReferenceSeen


class PageEvidence:
    """Collects the records of one page while its endpoint is read."""

    def __init__(self, file: str, folder: str = "") -> None:
        self.file = file
        self.folder = folder
        self.records: list[Evidence] = []

    def _key(self) -> str:
        return f"{self.file}#{len(self.records)}"

    def table(
        self,
        type_name: str,
        rows: list[PropertyRow],
        place: Place,
        *,
        kind: TableKind,
        op: str,
        sample: Any = None,
    ) -> Schema:
        """A property table for `type_name`; which component it describes is decided later."""
        key = self._key()
        shapes = sample_shapes(sample)
        seen = TableSeen(
            key, type_name, tuple(rows), place, kind=kind, op=op, folder=self.folder, samples=shapes
        )
        self.records.append(seen)
        return pending(key)

    def sample(self, type_name: str, value: Any) -> None:
        self.records.append(SampleSeen(type_name, sample_shapes(value)))

    def lone_body(self, name: str, sentence: str, op: str, place: Place) -> Schema:
        key = self._key()
        self.records.append(LoneBodySeen(key, name, sentence, op, place))
        return pending(key)

    def named(self, type_name: str, place: Place) -> Schema:
        self.records.append(TypeNamed(type_name, place))
        return ref(type_name)


def sample_shapes(value: Any) -> tuple[Shape, ...]:
    """The shape of a sample object (or of the objects of a sample list): none for others."""
    if value is None:
        return ()
    shape = shape_of(value)
    if shape.items is not None and "object" not in shape.kinds:
        shape = shape.items
    return (shape,) if "object" in shape.kinds else ()

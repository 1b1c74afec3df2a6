"""Shapes of sample JSON values, merged across samples, turned into schemas.

The tables never name the element type of an array nor the value type of a dictionary:
the samples show them. Sample values are filler, so only JSON kinds and keys are trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from docgen.model.typemap import INT32, INT64, array_of, map_of

DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_PROPERTY_KEY_RE = re.compile(r"^[A-Z][A-Za-z0-9_]*$")
# The docs generator fills every byte[] value of a sample with the same placeholder text
# (`"GIF89....File contents as raw bytes..."`, also the sample of all 46 `byte` responses).
_RAW_BYTES_RE = re.compile(r"raw bytes", re.I)
# How the docs generator shows a dictionary: keys made of the property's name and a number.
_NUMBERED_KEY_RE = re.compile(r"^(.*?)\d+$")


@dataclass
class Shape:
    """What the samples showed at one place: kinds seen, and for containers their parts."""

    kinds: set[str] = field(default_factory=set)
    all_datetime: bool = True
    all_bytes: bool = True  # every string is the generator's byte[] placeholder
    big_int: bool = False
    items: Shape | None = None
    props: dict[str, Shape] | None = None
    objects: int = 0  # how many objects were merged in (for key frequency)

    def merge(self, other: Shape) -> Shape:
        self.kinds |= other.kinds
        if "string" in other.kinds:
            self.all_datetime = self.all_datetime and other.all_datetime
            self.all_bytes = self.all_bytes and other.all_bytes
        self.big_int = self.big_int or other.big_int
        if other.items is not None:
            self.items = other.items.clone() if self.items is None else self.items.merge(other.items)
        if other.props is not None:
            if self.props is None:
                self.props = {}
            for k, v in other.props.items():
                self.props[k] = v.clone() if k not in self.props else self.props[k].merge(v)
        self.objects += other.objects
        return self

    def clone(self) -> Shape:
        """A deep copy (much faster than copy.deepcopy on these trees)."""
        out = Shape(
            kinds=set(self.kinds),
            all_datetime=self.all_datetime,
            all_bytes=self.all_bytes,
            big_int=self.big_int,
            objects=self.objects,
        )
        if self.items is not None:
            out.items = self.items.clone()
        if self.props is not None:
            out.props = {k: v.clone() for k, v in self.props.items()}
        return out

    @property
    def only_null(self) -> bool:
        return not (self.kinds - {"null"})


def shape_of(value: Any) -> Shape:
    s = Shape()
    add_value(s, value)
    return s


def add_value(s: Shape, value: Any) -> None:
    if value is None:
        s.kinds.add("null")
    elif isinstance(value, bool):
        s.kinds.add("boolean")
    elif isinstance(value, int):
        s.kinds.add("integer")
        if not INT32["minimum"] <= value <= INT32["maximum"]:
            s.big_int = True
    elif isinstance(value, float):
        s.kinds.add("number")
    elif isinstance(value, str):
        s.kinds.add("string")
        s.all_datetime = s.all_datetime and bool(DATETIME_RE.match(value))
        s.all_bytes = s.all_bytes and bool(_RAW_BYTES_RE.search(value))
    elif isinstance(value, list):
        s.kinds.add("array")
        if s.items is None:
            s.items = Shape()
        for v in value:
            add_value(s.items, v)
    elif isinstance(value, dict):
        s.kinds.add("object")
        s.objects += 1
        if s.props is None:
            s.props = {}
        for k, v in value.items():
            if k not in s.props:
                s.props[k] = Shape()
            add_value(s.props[k], v)


def numbered_keys(shape: Shape, name: str = "") -> bool:
    """Keys such as `Parameters1`, `Parameters2`: the docs generator's picture of a dictionary.

    With `name`, the keys must be that name and a number (`ExtraFields1` under `ExtraFields`);
    without, they must share one stem. Two keys at least: one numbered key proves nothing.
    """
    if not shape.props or len(shape.props) < 2:
        return False
    stems = set()
    for key in shape.props:
        m = _NUMBERED_KEY_RE.match(key)
        if m is None or not m.group(1):
            return False
        stems.add(m.group(1).lower())
    return len(stems) == 1 and (not name or stems == {name.lower()})


def is_struct(shape: Shape) -> bool:
    """Objects whose keys are PascalCase property names are structures; others are maps.

    SuperOffice properties are PascalCase; dictionary keys in samples are data
    (`fieldName`, `SuperOffice:1`, `ExtraFields1`... the last one looks like a property, so
    callers that know a property is a dictionary say so instead of asking).
    """
    if not shape.props:
        return False
    return all(_PROPERTY_KEY_RE.match(k) for k in shape.props)


def primitive_schema(shape: Shape) -> dict | None:
    """Schema for a shape holding only primitives (and nulls), or None if it holds containers."""
    kinds = shape.kinds - {"null"}
    if not kinds:
        return {}
    if kinds & {"array", "object"}:
        return None
    if kinds == {"string"}:
        if shape.all_bytes:
            return {"type": "string", "contentEncoding": "base64"}
        return {"type": "string", "format": "date-time"} if shape.all_datetime else {"type": "string"}
    if kinds == {"boolean"}:
        return {"type": "boolean"}
    if kinds == {"integer"}:
        return dict(INT64 if shape.big_int else INT32)
    if kinds <= {"integer", "number"}:
        return {"type": "number", "format": "double"}
    return {}


def plain_schema(shape: Shape) -> dict | None:
    """A schema for a sample made of primitives, arrays and dictionaries alone, or None when it
    holds a structure (PascalCase keys), which only the fold can name and merge.

    The `Response: array` and `Response: object` pages that have no property table show their
    element or value type only here: `["sed", "earum"]`, `{"1": "inventore", "2": "suscipit"}`.
    """
    prim = primitive_schema(shape)
    if prim is not None:
        return prim
    kinds = shape.kinds - {"null"}
    if kinds == {"array"}:
        if shape.items is None or shape.items.only_null:
            return None
        items = plain_schema(shape.items)
        return None if items is None else array_of(items)
    if kinds == {"object"}:
        if not shape.props or is_struct(shape):
            return None
        values = Shape()
        for v in shape.props.values():
            values.merge(v.clone())
        value_schema = plain_schema(values)
        if value_schema is None:
            return None
        return map_of(value_schema)
    return None

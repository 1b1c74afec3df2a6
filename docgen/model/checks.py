"""Checks across sources: what each page's samples say against what the types declare once
every page and the .NET reference are folded (what the generated code uses).

* DG211: a sample value of another JSON kind than its property's declared type;
* DG212: a sample property that neither the table nor the reference type lists;
* DG213: a sample value of an enum-typed property that the enum does not list.

Each finding stands on the sample's line for that value (in the page, or the file it
includes), says what the sample says and what the type says, and where that is declared.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from docgen.diagnostics import Diagnostic, Place, diag
from docgen.model.api import Component, Endpoint, SampleAt, Schema, ref_name
from docgen.model.evidence import Evidence, ReferenceSeen, TableSeen
from docgen.model.json_lines import Path, value_lines

_KINDS = {dict: "object", list: "array", bool: "boolean", str: "string", int: "integer", float: "number"}
_MAX_DEPTH = 32
_SHOWN = 60  # characters of a sample value shown in a message


def declared_places(evidence: Iterable[Evidence]) -> dict[tuple[str, str], Place]:
    """(type, property) -> where a property is declared: the .NET reference first (the type
    the merge prefers), else the first table that lists it under that type's name."""
    out: dict[tuple[str, str], Place] = {}
    tables: list[TableSeen] = []
    for e in evidence:
        if isinstance(e, ReferenceSeen):
            for p in e.properties:
                out.setdefault((e.name, p.name), p.place)
            if e.kind == "enum":
                out.setdefault((e.name, ""), e.place)
        elif isinstance(e, TableSeen):
            tables.append(e)
    for t in tables:
        for row in t.rows:
            out.setdefault((t.type_name, row.name), row.place)
    return out


def sample_checks(
    endpoints: Iterable[Endpoint],
    components: Mapping[str, Component],
    declared: Mapping[tuple[str, str], Place],
) -> tuple[Diagnostic, ...]:
    """The findings of every request and response sample of `endpoints`."""
    out: list[Diagnostic] = []
    for ep in endpoints:
        body = ep.body
        if body is not None and body.has_example and body.example_at is not None:
            out += _Sample(body.example_at, components, declared).check(body.schema, body.example)
        for r in ep.responses:
            if r.has_example and r.example_at is not None and r.schema is not None:
                out += _Sample(r.example_at, components, declared).check(r.schema, r.example)
    return tuple(out)


@dataclass
class _Sample:
    """One sample walked along its schema."""

    at: SampleAt
    components: Mapping[str, Component]
    declared: Mapping[tuple[str, str], Place]
    findings: list[Diagnostic] = field(default_factory=list)
    _lines: dict[Path, int] | None = None

    def check(self, schema: Schema, value: Any) -> list[Diagnostic]:
        self.walk(schema, value, (), "", "")
        return self.findings

    def _finding(self, code: str, path: Path, message: str) -> None:
        if self._lines is None:
            self._lines = value_lines(self.at.text)
        probe = path
        while probe not in self._lines and probe:
            probe = probe[:-1]
        self.findings.append(diag(code, self.at.file, self.at.line + self._lines.get(probe, 0), message))

    def _where(self, owner: str, prop: str) -> str:
        place = self.declared.get((owner, prop))
        if place is None and owner in self.components and self.components[owner].sources:
            place = self.components[owner].sources[0]
        return f" at {place}" if place is not None else ""

    def walk(self, schema: Schema | None, value: Any, path: Path, owner: str, prop: str) -> None:
        """`value` at `path` against `schema`; `owner.prop` names it in messages."""
        if not schema or value is None or len(path) > _MAX_DEPTH:
            return
        if "$ref" in schema:
            self._component(ref_name(schema), value, path, owner, prop)
            return
        alternatives = [a for a in schema.get("anyOf", ()) if a.get("type") != "null"]
        if alternatives:
            fitting = [a for a in alternatives if _fits(a, value, self.components)]
            if fitting or len(alternatives) > 1:
                self.walk(fitting[0] if fitting else None, value, path, owner, prop)
                return
            schema = alternatives[0]
        self._typed(schema, value, path, owner, prop)

    def _typed(self, schema: Schema, value: Any, path: Path, owner: str, prop: str) -> None:
        expected = _kind(schema)
        if expected and not _kind_fits(expected, value):
            self._contradiction(schema, value, path, owner, prop)
            return
        values = [v for v in schema.get("enum", ()) if v is not None]
        if values and isinstance(value, str) and value not in values:
            self._unlisted(value, values, path, owner, prop, "")
        if isinstance(value, list):
            for i, item in enumerate(value):
                self.walk(schema.get("items"), item, (*path, i), owner, prop)
        elif isinstance(value, dict):
            props = schema.get("properties") or {}
            extra = schema.get("additionalProperties")
            for key, item in value.items():
                sub = props.get(key, extra if isinstance(extra, dict) else None)
                self.walk(sub, item, (*path, key), owner, prop if key not in props else key)

    def _component(self, name: str, value: Any, path: Path, owner: str, prop: str) -> None:
        component = self.components.get(name)
        if component is None or component.origin in ("opaque", "error"):
            return
        schema = component.schema
        values = [v for v in schema.get("enum", ()) if v is not None]
        if values:
            if not isinstance(value, str):
                self._contradiction(schema, value, path, owner, prop)
            elif value not in values:
                self._unlisted(value, values, path, owner, prop, name)
            return
        props = schema.get("properties")
        if props is None or not isinstance(value, dict):
            self._typed(schema, value, path, owner, prop)
            return
        for key, item in value.items():
            if key in component.sample_only or (key not in props and not schema.get("additionalProperties")):
                self._unlisted_property(name, key, item, (*path, key))
            elif key in props:
                self.walk(props[key], item, (*path, key), name, key)

    def _contradiction(self, schema: Schema, value: Any, path: Path, owner: str, prop: str) -> None:
        named = _named(owner, prop, path, "the body")
        declared = _describe(schema)
        message = (
            f"the sample gives {named} {_shown(value)} (a JSON {_kind_of(value)}); {named} is declared "
            f"{declared}{self._where(owner, prop)}"
        )
        self._finding("DG211", path, message)

    def _unlisted(self, value: str, values: list[Any], path: Path, owner: str, prop: str, enum: str) -> None:
        named = _named(owner, prop, path, "the value")
        listed = ", ".join(str(v) for v in values[:6]) + (", ..." if len(values) > 6 else "")
        source = (
            f"the enum {enum}{self._where(enum, '')}"
            if enum
            else f"its inline enum{self._where(owner, prop)}"
        )
        message = (
            f"the sample gives {named} {_shown(value)}, which {source} does not list "
            f"({len(values)} value{'s' if len(values) != 1 else ''}: {listed})"
        )
        self._finding("DG213", path, message)

    def _unlisted_property(self, owner: str, key: str, value: Any, path: Path) -> None:
        component = self.components[owner]
        where = f" (the type at {component.sources[0]})" if component.sources else ""
        message = (
            f"the sample gives {owner}.{key} {_shown(value)}, a property neither the table nor the .NET "
            f"reference type lists{where}; the models keep it as an unknown field"
        )
        self._finding("DG212", path, message)


def _named(owner: str, prop: str, path: Path, fallback: str) -> str:
    """`Owner.Prop`, with the indices of the items the value is inside (`Data[0][1]`)."""
    if not (owner and prop):
        return owner or fallback
    indices: list[str] = []
    for part in reversed(path):
        if not isinstance(part, int):
            break
        indices.insert(0, f"[{part}]")
    return f"{owner}.{prop}{''.join(indices)}"


def _kind(schema: Schema) -> str:
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    return t if isinstance(t, str) else ""


def _kind_of(value: Any) -> str:
    return _KINDS.get(type(value), type(value).__name__)


def _kind_fits(expected: str, value: Any) -> bool:
    actual = _kind_of(value)
    if expected == "number":
        return actual in ("integer", "number")
    if expected == "integer" and isinstance(value, float):
        return value.is_integer()
    return actual == expected


def _fits(schema: Schema, value: Any, components: Mapping[str, Component]) -> bool:
    if "$ref" in schema:
        component = components.get(ref_name(schema))
        target = component.schema if component is not None else {}
        return not _kind(target) or _kind_fits(_kind(target), value)
    expected = _kind(schema)
    return not expected or _kind_fits(expected, value)


def _describe(schema: Schema) -> str:
    """`an integer (int32)`, `a string (date-time)`, `one of A, B` for a message."""
    kind = _kind(schema) or "any value"
    fmt = schema.get("format")
    article = "an" if kind[0] in "aeiou" else "a"
    return f"{article} {kind}" + (f" ({fmt})" if fmt else "")


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."

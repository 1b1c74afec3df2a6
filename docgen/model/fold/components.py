"""The fold's `build_components`: each named type's schema, from its merged rows and what samples show.

A schema is built as a value (`Built`): with it come its findings, the arrays whose items no
source shows, and the structures inferred from samples on the way. Building has no side
effect, so a schema can be asked for, looked at and dropped.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from docgen.diagnostics import Diagnostic, Found, Place, diag_at
from docgen.model.api import Component, Schema, ref
from docgen.model.cstypes import cs_schema
from docgen.model.evidence import ReferenceSeen, pending
from docgen.model.fold.docfx_rows import Reference
from docgen.model.fold.rows import MergedRow, MergedRows
from docgen.model.fold.tables import superset
from docgen.model.infer import Shape, is_struct, numbered_keys, plain_schema
from docgen.model.naming import singulars
from docgen.model.typemap import DocType, array_of, map_of, nullable
from docgen.text import clean_doc, pascal

# Pending references (evidence.PENDING) the fold makes itself: to a table structure docgen
# names (its provisional name after the prefix) and to a structure inferred from samples (its
# content hash after the prefix). Table records use their own keys.
OWN = "own:"
INFERRED = "inferred:"
# The JSON kinds a sample may show for a row's type (primitives by their schema type).
_KINDS_OF = {
    "string": {"string"},
    "integer": {"integer"},
    "number": {"integer", "number"},
    "boolean": {"boolean"},
    "enum": {"string", "integer"},
    "named": {"object"},
    "object": {"object"},
    "array": {"array"},
}
_CHILDREN_RE = re.compile(r"^(Children|ChildItems|SubItems)$")
_CHILD_ITEMS_RE = re.compile(r"\b(child|sub)[- ]?items\b", re.I)


@dataclass(frozen=True)
class Use:
    """A structure inferred from samples, met at one place: its content key, its schema, and
    the names its context gives it (short: the property; qualified: owner and property)."""

    key: str
    schema: Schema
    short: str
    qualified: str


@dataclass(frozen=True)
class Built:
    schema: Schema
    findings: tuple[Diagnostic, ...] = ()
    unknown_arrays: int = 0
    uses: tuple[Use, ...] = ()


def built(schema: Schema, parts: Iterable[Built] = (), *, finding: Diagnostic | None = None) -> Built:
    """A schema with what building its parts brought along."""
    parts = list(parts)
    own = (finding,) if finding is not None else ()
    return Built(
        schema,
        (*own, *(f for p in parts for f in p.findings)),
        sum(p.unknown_arrays for p in parts),
        tuple(u for p in parts for u in p.uses),
    )


_UNKNOWN_ARRAY = Built(array_of({}), unknown_arrays=1)


@dataclass(frozen=True)
class Inferred:
    schema: Schema
    short: frozenset[str]
    qualified: frozenset[str]


@dataclass(frozen=True)
class Context:
    """What building a schema reads: the merged rows, the samples of each type, the names
    docgen gave table structures, and the properties some table types as a dictionary."""

    merged: MergedRows
    samples: Mapping[str, Shape]
    own_names: frozenset[str]
    dictionary_props: frozenset[str]
    described_keys: Mapping[str, frozenset[str]]
    table_places: Mapping[str, tuple[Place, ...]]
    reference: Reference

    def component_ref(self, name: str) -> Schema:
        """A reference to a component: pending when docgen names it (the name may change)."""
        return pending(OWN + name) if name in self.own_names else ref(name)

    def type_ref(self, name: str) -> Schema:
        """A reference type where a property holds it: a named dictionary is spelled out
        (`StringDictionary` is a dictionary of strings), anything else is its component."""
        seen = self.reference.types.get(name)
        if seen is not None and seen.kind == "dictionary" and seen.holds is not None:
            return map_of(cs_schema(seen.holds, self.type_ref))
        if seen is not None and seen.kind == "enum" and not seen.values:
            return {"type": "string"}  # an enum whose values could not be read (DG116)
        return self.component_ref(name)


@dataclass(frozen=True)
class BuiltComponents:
    components: Mapping[str, Component]  # by name, with pending references
    inferred: Mapping[str, Inferred]  # structures inferred from samples, by content key
    property_schemas: Mapping[tuple[str, str], Schema]  # (component, property) -> its schema
    unknown_arrays: int


def build_components(names: Iterable[str], ctx: Context) -> Found[BuiltComponents]:
    components: dict[str, Component] = {}
    props: dict[tuple[str, str], Schema] = {}
    parts: list[Built] = []
    for name in sorted(names):
        component, own_props, part = _named_component(name, ctx)
        components[name] = component
        props |= {(name, p): s for p, s in own_props.items()}
        parts.append(part)
    whole = built({}, parts)
    result = BuiltComponents(
        MappingProxyType(components), _inferred(whole.uses), MappingProxyType(props), whole.unknown_arrays
    )
    return Found(result, whole.findings)


def _inferred(uses: Iterable[Use]) -> Mapping[str, Inferred]:
    out: dict[str, Inferred] = {}
    for u in uses:
        seen = out.get(u.key)
        short = {u.short} | (seen.short if seen else set())
        qualified = {u.qualified} | (seen.qualified if seen else set())
        out[u.key] = Inferred(u.schema, frozenset(short), frozenset(qualified))
    return MappingProxyType(out)


def _named_component(name: str, ctx: Context) -> tuple[Component, dict[str, Schema], Built]:
    """The component of a named type, its properties' own schemas (before nullability and
    description), and what building them brought."""
    sample = ctx.samples.get(name)
    rows = ctx.merged.rows.get(name)
    referenced = ctx.reference.types.get(name)
    if rows is None and referenced is not None and referenced.kind in ("enum", "dictionary"):
        return _reference_component(referenced, ctx), {}, built({})
    if rows is None and (sample is None or not sample.props):
        return _opaque(name), {}, built({})
    seen = sample.props if sample and sample.props else {}
    raw: dict[str, Schema] = {}
    props: dict[str, Schema] = {}
    parts = []
    for row in rows or ():
        part = property_schema(ctx, name, row, seen.get(row.name))
        raw[row.name] = part.schema
        props[row.name] = _describe(nullable(part.schema), clean_doc(row.description))
        parts.append(part)
    sample_only = () if rows is None else tuple(prop for prop in seen if prop not in props)
    for prop, sub in seen.items():
        if prop in props:
            continue
        part = _shape_schema(ctx, sub, prop, name, dictionary=prop in ctx.dictionary_props)
        note = "Seen in sample JSON; not in any property table." if rows is not None else ""
        props[prop] = _describe(nullable(part.schema), note)
        parts.append(part)
    described = rows is not None
    return _component_of(name, props, described, referenced, ctx, sample_only), raw, built({}, parts)


def _component_of(
    name: str,
    props: dict[str, Schema],
    described: bool,
    referenced: ReferenceSeen | None,
    ctx: Context,
    sample_only: tuple[str, ...],
) -> Component:
    """A named type's component from its properties: described by tables (or by the .NET
    reference alone), or only sampled; with the properties only its samples show."""
    struct: Schema = {"type": "object", "properties": props}
    if referenced is not None and referenced.description:
        struct = {"type": "object", "description": clean_doc(referenced.description), "properties": props}
    places = ctx.table_places.get(name, ())
    if not described:
        return Component(name, struct, "sampled", places)
    if not places and referenced is not None:
        return Component(name, struct, "reference", (referenced.place,), sample_only=sample_only)
    return Component(name, struct, "described", places, sample_only=sample_only)


def _reference_component(seen: ReferenceSeen, ctx: Context) -> Component:
    """An enum (string values, as the wire carries them) or a named dictionary."""
    description = clean_doc(seen.description)
    if seen.kind == "dictionary" and seen.holds is not None:
        schema = map_of(cs_schema(seen.holds, ctx.type_ref))
    elif not seen.values:  # never `enum: []`, which no value satisfies (DG116)
        schema = {"type": "string"}
        description = " ".join([description, "Its values could not be read; any string is taken."]).strip()
    else:
        schema = {"type": "string", "enum": list(seen.values)}
        if seen.flags:
            description = " ".join([description, "Flags: the values can be combined."]).strip()
    if description:
        schema["description"] = description
    return Component(seen.name, schema, "reference", (seen.place,))


def _opaque(name: str) -> Component:
    return Component(
        name,
        {
            "type": "object",
            "description": f"{name}: not described by the pages read, so its properties are unknown; "
            "any object is accepted.",
            "x-docgen-opaque": True,
        },
        "opaque",
    )


def property_schema(ctx: Context, owner: str, row: MergedRow, sample: Shape | None) -> Built:
    """The schema of one row of a described type, with what its sample shows."""
    if row.reference is not None:
        return built(cs_schema(row.reference, ctx.type_ref))  # the declared type: samples are filler
    kind = row.type.kind
    if kind == "any":
        return built({})
    if kind in ("primitive", "enum"):
        return _primitive_property(ctx, owner, row, sample)
    if kind == "array":
        return _array_property(ctx, owner, row, sample)
    if kind == "object":
        return _map_schema(ctx, sample, row.name, owner)
    if kind == "named":
        return _named_property(ctx, owner, row, sample)
    message = (
        f"unknown type {row.type.raw!r} for {owner}.{row.name}: expected a primitive (string, int32...), "
        "array, object, Enum: or a type name"
    )
    return built({}, finding=diag_at("DG109", row.place, message))


def _primitive_property(ctx: Context, owner: str, row: MergedRow, sample: Shape | None) -> Built:
    sample_kinds = (sample.kinds - {"null"}) if sample else set()
    if sample is not None and sample_kinds & {"array", "object"}:
        shown = "an array" if "array" in sample_kinds else "an object"
        message = (
            f"{owner}.{row.name} is {row.type.raw!r} in the table but the sample shows {shown}; "
            "using the sample's kind"
        )
        part = _shape_schema(ctx, sample, row.name, owner)
        return built(part.schema, [part], finding=diag_at("DG204", row.place, message))
    schema = dict(row.type.schema)
    # Body tables write `String` for dates and bytes; the sample settles it.
    if schema == {"type": "string"} and sample and sample_kinds == {"string"}:
        if sample.all_bytes:
            schema["contentEncoding"] = "base64"
        elif sample.all_datetime:
            schema["format"] = "date-time"
    return built(schema)


def _array_property(ctx: Context, owner: str, row: MergedRow, sample: Shape | None) -> Built:
    if _CHILDREN_RE.match(row.name) or _CHILD_ITEMS_RE.search(row.description):
        return built(array_of(ctx.component_ref(owner)))  # a tree: samples show its nodes in part
    items = sample.items if sample is not None else None
    shown = (items.kinds - {"null"}) if items is not None else set()
    described = _array_element(ctx, owner, row.name) if shown <= {"object"} else None
    if described is not None:
        return built(array_of(described))
    if items is not None and not items.only_null:
        part = _shape_schema(ctx, items, row.name + "Item", owner)
        if informative(part.schema):  # samples often show elements as `{}`: no evidence
            return built(array_of(part.schema), [part])
    return _UNKNOWN_ARRAY


def _named_property(ctx: Context, owner: str, row: MergedRow, sample: Shape | None) -> Built:
    if sample is not None and numbered_keys(sample, row.name):
        # `| Parameters | PersonEntity |` over `{"Parameters1": .., "Parameters2": ..}`:
        # a stale type name over what the sample shows to be a dictionary.
        message = (
            f"{owner}.{row.name} is {row.type.raw!r} in the table but the sample shows a dictionary "
            f"({', '.join(sorted(sample.props or {})[:2])}...); using the sample's kind"
        )
        part = _map_schema(ctx, sample, row.name, owner)
        return built(part.schema, [part], finding=diag_at("DG204", row.place, message))
    return built(ctx.component_ref(row.type.name))


def _sample_fits(ctx: Context, name: str, shape: Shape) -> bool:
    """Whether a sample object's JSON kinds agree with every row of a described type."""
    for row in ctx.merged.rows[name]:
        sub = (shape.props or {}).get(row.name)
        shown = (sub.kinds - {"null"}) if sub is not None else set()
        dtype: DocType = row.type
        kind = dtype.kind if dtype.kind != "primitive" else dtype.schema.get("type", "")
        if shown and not shown <= _KINDS_OF.get(kind, shown):
            return False
    return True


def _array_element(ctx: Context, owner: str, prop: str) -> Schema | None:
    """A plural of a described type holds that type (`QuoteAlternatives`: "The
    QuoteAlternatives for the QuoteVersion"): a table outweighs what samples show in part."""
    for singular in singulars(prop):
        sample = ctx.samples.get(singular)
        if singular != owner and (singular in ctx.merged.rows or (sample is not None and sample.props)):
            return ctx.component_ref(singular)
    return None


def _map_schema(ctx: Context, sample: Shape | None, prop: str, owner: str) -> Built:
    if sample is None or not sample.props:
        return built({"type": "object"})
    values = Shape()
    for v in sample.props.values():
        values.merge(Shape.clone(v))
    part = _shape_schema(ctx, values, prop + "Value", owner)
    return built(map_of(part.schema), [part])


def _shape_schema(ctx: Context, shape: Shape, name: str, parent: str, dictionary: bool = False) -> Built:
    plain = plain_schema(shape)  # primitives, and arrays and dictionaries of them
    if plain is not None:
        return built(plain)
    kinds = shape.kinds - {"null"}
    if kinds == {"array"}:
        if shape.items is None or shape.items.only_null:
            return _UNKNOWN_ARRAY
        part = _shape_schema(ctx, shape.items, name + "Item", parent)
        return built(array_of(part.schema), [part])
    if kinds == {"object"}:
        if dictionary or not is_struct(shape) or numbered_keys(shape, name):
            return _map_schema(ctx, shape, name, parent)
        return _struct(ctx, shape, name, parent)
    return built({})


def _struct(ctx: Context, shape: Shape, name: str, parent: str) -> Built:
    # A sample object whose keys are a subset of a described type's is that type: samples
    # show the same structures the tables describe, often in part.
    match = superset(frozenset(shape.props or ()), ctx.described_keys)
    if match is not None and _sample_fits(ctx, match, shape):
        return built(ctx.component_ref(match))
    parts = {
        prop: _shape_schema(ctx, sub, prop, name, dictionary=prop in ctx.dictionary_props)
        for prop, sub in (shape.props or {}).items()
    }
    schema: Schema = {"type": "object", "properties": {p: nullable(b.schema) for p, b in parts.items()}}
    key = hashlib.sha1(json.dumps(schema, sort_keys=True).encode()).hexdigest()[:16]
    use = Use(key, schema, pascal(name), pascal(parent) + pascal(name))
    whole = built(pending(INFERRED + key), parts.values())
    return Built(whole.schema, whole.findings, whole.unknown_arrays, (*whole.uses, use))


def informative(schema: Schema) -> bool:
    """Whether a schema says more than "some value" or "some array", nullability aside."""
    alternatives = [a for a in schema.get("anyOf", [schema]) if a.get("type") != "null"]
    if len(alternatives) != 1:
        return bool(alternatives)
    s = alternatives[0]
    t = s.get("type")
    types = [x for x in t if x != "null"] if isinstance(t, list) else [t]
    if not s or s == {"type": "object"}:
        return False
    if types == ["array"]:
        return informative(s.get("items") or {})
    return True


def _describe(schema: Schema, description: str) -> Schema:
    if not description:
        return schema
    if "$ref" in schema:
        return {"anyOf": [schema], "description": description}
    return {**schema, "description": description}

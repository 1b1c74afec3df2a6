"""One schema registry across all pages.

Pages describe named types in property tables (body and response tables) and show them by
example in sample JSON. The registry collects both, merges what every page says about each
type, and decides one component per type. Structures the docs never name (array elements,
dictionary values) are inferred from samples, named from their context, and shared when
identical.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from docgen.diagnostics import Diagnostic, Place, diag_at
from docgen.model.api import COMPONENTS, Component, Schema, ref
from docgen.model.evidence import (
    PENDING,
    Evidence,
    LoneBodySeen,
    PropertyRow,
    SampleSeen,
    TableSeen,
    TypeNamed,
    pending,
)
from docgen.model.infer import Shape, is_struct, numbered_keys, plain_schema
from docgen.model.naming import TYPE_NAME_RE, fitting_names, property_uses, python_class_names, singulars
from docgen.model.typemap import INT32, DocType, _classify, array_of, map_of, nullable
from docgen.text import clean_doc, pascal, unique

# Pending references (evidence.PENDING) the registry makes itself: to a table structure docgen
# names (its provisional name after the prefix) and to a structure inferred from samples (its
# content hash after the prefix). Table records use their own keys.
_OWN = "own:"
_INFERRED = "inferred:"
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
_IDS_RE = re.compile(r"(^|[a-z_])(ids|Ids)$")
_NAMES_RE = re.compile(r"[a-z](Names)$")


_Tables = dict[str, list[TableSeen]]  # tables by the type they describe
_Named = list[tuple[str, TableSeen]]  # tables with the name docgen would give them


def _at_least_half(part: int, whole: int) -> bool:
    """The one share the rules ask for: tables whose property sets overlap this much (Jaccard)
    describe one type; this share of a stale cluster's operations named after a type gives it
    that type; a subset covering this share of a described type's properties is that type."""
    return part * 2 >= whole


# Shorter names ("Id", "Row") are words any type or operation name may contain by chance.
_MIN_NAME_WORD = 4
# Fewer shared properties (an id and a name) are everywhere: no evidence of one type.
_MIN_SUBSET = 3


@dataclass
class _Inferred:
    schema: Schema
    short: set[str]
    qualified: set[str]


# A request-table property by argument name: operation, place, owner type, property.
_Argument = tuple[str, Place, str, str]
# A merged property: name, type, description and the place of the row whose type won.
_Merged = tuple[str, DocType, str, Place]


@dataclass(frozen=True)
class Schemas:
    """What the pages say about types, decided: the components, and how a schema of an
    endpoint becomes final (`resolve`). Built by `fold`, read by everything after it."""

    components: tuple[Component, ...]
    diagnostics: tuple[Diagnostic, ...]
    unknown_arrays: int
    conflicts: int
    _resolution: Mapping[str, str]  # pending ref -> component ref
    _substitutes: Mapping[str, Schema]  # pending refs that stand for a whole schema

    def resolve(self, schema: Any) -> Any:
        """A schema of an endpoint with its pending references resolved."""
        return _rewrite(schema, self._resolution, self._substitutes)


def fold(records: Iterable[Evidence]) -> Schemas:
    """Every page's evidence (pages in file order, records in page order) into the components."""
    registry = SchemaRegistry()
    for record in records:
        registry.add(record)
    components, diagnostics = registry.finish()
    return Schemas(
        tuple(components),
        tuple(diagnostics),
        registry.unknown_arrays,
        registry.conflicts,
        MappingProxyType(registry._resolution),
        MappingProxyType(registry._substitutes),
    )


class SchemaRegistry:
    """The fold behind `fold`: takes every page's evidence (`add`), then decides the
    components once (`finish`), after which `resolve` makes an endpoint's schemas final."""

    def __init__(self) -> None:
        self._evidence: dict[str, list[TableSeen]] = defaultdict(list)
        self._tables: dict[str, list[tuple[PropertyRow, ...]]] = defaultdict(list)
        self._table_places: dict[str, list[Place]] = defaultdict(list)
        self._table_names: dict[str, str] = {}  # table key -> the component it describes
        self._sample_queue: list[tuple[str, Shape]] = []
        self._samples: dict[str, Shape] = {}
        self._referenced: set[str] = set()
        self._ref_places: dict[str, Place] = {}
        self._inferred: dict[str, _Inferred] = {}
        self._dictionary_props: set[str] = set()
        self.diagnostics: list[Diagnostic] = []
        self.unknown_arrays = 0
        self.conflicts = 0
        self._merged: dict[str, list[_Merged]] = {}
        self._lone: dict[str, LoneBodySeen] = {}
        self._substitutes: dict[str, Schema] = {}  # pending refs that stand for a whole schema
        self._leaky: set[str] = set()
        self._described_keys: dict[str, frozenset[str]] = {}
        self._prop_types: dict[str, Counter[str]] = defaultdict(Counter)  # property -> its named types
        self._own_names: set[str] = set()  # components named by docgen after an operation's table
        self._resolution: dict[str, str] = {}  # pending ref -> component ref, set by finish()

    # -- evidence -------------------------------------------------------------------------
    def add(self, record: Evidence) -> None:
        """One record of a page (pages in file order, records in page order)."""
        if isinstance(record, TableSeen):
            self._evidence[record.type_name].append(record)
            for r in record.rows:
                if r.type.kind == "named":
                    self._note(r.type.name, r.place)
                if r.type.kind == "object":
                    self._dictionary_props.add(r.name)
        elif isinstance(record, SampleSeen):
            self._sample_queue += [(record.type_name, shape) for shape in record.samples]
        elif isinstance(record, LoneBodySeen):
            # finish() gives it the schema of the property of that name that another page's
            # request table describes, the same operation's first (REST pages mirror agent
            # pages, whose `request` wrapper holds the argument as a property); failing that,
            # what the name and the sentence say (`...Ids` lists, `...Names` lists of
            # strings, a "Dictionary").
            self._lone[record.key] = record
        elif isinstance(record, TypeNamed):
            self._note(record.type_name, record.place)

    def _note(self, type_name: str, place: Place | None = None) -> None:
        """A type is named; its first place (by file and line) is where DG202 points."""
        self._referenced.add(type_name)
        if place is not None and (type_name not in self._ref_places or place < self._ref_places[type_name]):
            self._ref_places[type_name] = place

    def reference(self, type_name: str, place: Place | None = None) -> Schema:
        self._note(type_name, place)
        return self._component_ref(type_name)

    def _component_ref(self, name: str) -> Schema:
        """A reference to a component: pending when docgen names it (the name may change)."""
        return pending(_OWN + name) if name in self._own_names else ref(name)

    # -- decisions ------------------------------------------------------------------------
    def finish(self) -> tuple[list[Component], list[Diagnostic]]:
        self._resolve_tables()
        for name in sorted(self._tables):
            self._merged[name] = self._merge_rows(name)
        self._described_keys = {name: frozenset(p for p, *_ in rows) for name, rows in self._merged.items()}
        self._propagate_samples()
        arguments = self._request_arguments() if self._lone else {}
        lone = {PENDING + k: self._lone_schema(e, arguments) for k, e in self._lone.items()}
        named = set(self._tables) | set(self._samples) | self._referenced
        components = {name: self._named_component(name) for name in sorted(named)}
        inferred = [Component(key, inf.schema, "inferred") for key, inf in sorted(self._inferred.items())]
        uses = property_uses([*components.values(), *inferred])
        opaque = {n for n, c in components.items() if c.origin == "opaque"}
        # Names decided once: structures docgen named after an operation's table that several
        # properties share, then structures inferred from samples. A structure may take the
        # name of a type the pages name but never describe.
        shared = self._name_shared_tables(uses, named - opaque)
        for name in sorted(opaque - set(shared.values())):
            message = f"type {name} is not described by any page read; emitted as an open object"
            self.diagnostics.append(
                diag_at("DG202", self._ref_places.get(name, Place("<registry>", 0)), message)
            )
        described = (named - set(shared)) | set(shared.values())
        inferred_names = self._name_inferred(described, uses)
        final = {n: shared.get(n, n) for n in named - set(shared.values())}
        # A name a generated models module defines itself (`Field`, `None`) is no class name.
        python = python_class_names(set(final.values()) | set(inferred_names.values()))
        final = {n: python.get(v, v) for n, v in final.items()}
        inferred_names = {k: python.get(v, v) for k, v in inferred_names.items()}
        resolution = {PENDING + _OWN + n: COMPONENTS + final[n] for n in self._own_names}
        resolution |= {PENDING + _INFERRED + k: COMPONENTS + n for k, n in inferred_names.items()}
        resolution |= {PENDING + k: COMPONENTS + final[n] for k, n in self._table_names.items()}
        resolution |= {COMPONENTS + old: COMPONENTS + new for old, new in python.items()}
        self._resolution = resolution
        self._substitutes = {k: _rewrite(v, resolution) for k, v in lone.items()}
        out = [
            Component(final[n], _rewrite(c.schema, resolution), c.origin, c.sources)
            for n, c in components.items()
            if n not in shared.values()
        ]
        for key, inf in sorted(self._inferred.items()):
            new = inferred_names[key]
            aliases = tuple(sorted((inf.short | inf.qualified) - {new}))
            out.append(Component(new, _rewrite(inf.schema, resolution), "inferred", (), aliases))
        out.sort(key=lambda c: c.name)
        return out, self.diagnostics

    def _resolve_tables(self) -> None:
        """Decide which component each table describes (FORMAT.md, "Generator bugs").

        1. A `### Response body: X` heading is stale on some pages: when X's tables fall into
           unrelated property sets, the set from operations that carry X's name keeps it and
           the others are anonymous results of their operations.
        2. An anonymous table (entity-like body, array element, stale result) whose
           properties are a subset of a described type's is that type: entity bodies omit
           `TableRight` and `FieldProperties` that the response table lists.
        3. The rest are named by docgen; identical ones share one component, and names that
           two different structures want are qualified by the folder.
        """
        final, anonymous, requests, stale_for = self._headed_tables()
        # A name over tables of unrelated types is the docs generator's leftover: it leaks into
        # type cells too (`| TableRight | RecurrenceInfo |`, `| DayPattern | TableRight |`).
        self._leaky = {name for name, _ in stale_for}
        for evs in self._evidence.values():
            for e in evs:
                for r in e.rows:
                    if r.type.kind == "named":
                        self._prop_types[r.name][r.type.name] += 1
        anonymous += self._stale_owners(stale_for, final)
        # 2. Subsets of described types.
        described = {n: frozenset().union(*(e.keys for e in evs)) for n, evs in final.items()}
        unmatched: list[tuple[str, TableSeen]] = []
        for default, e in anonymous:
            match = _superset(e.keys, described)
            if match is None:
                unmatched.append((default, e))
            else:
                final[match].append(e)
        self._name_own(unmatched, requests, final)
        for name in sorted(final):
            for e in final[name]:
                self._table_names[e.key] = name
                self._tables[name].append(e.rows)
                self._table_places[name].append(e.place)
                for shape in e.samples:
                    self._sample_queue.append((name, shape))

    def _headed_tables(self) -> tuple[_Tables, _Named, _Tables, list[tuple[str, list[TableSeen]]]]:
        """Tables whose heading names their type (one cluster per name, or the cluster of the
        operations named after it), anonymous tables with their default names, request
        wrappers by name, and the clusters a stale heading sits over."""
        final: _Tables = defaultdict(list)
        anonymous: _Named = []
        requests: _Tables = defaultdict(list)
        stale_for: list[tuple[str, list[TableSeen]]] = []
        for name in sorted(self._evidence):
            headed = []
            for e in self._evidence[name]:
                if e.kind == "request":
                    requests[name].append(e)
                elif e.kind == "response":
                    headed.append(e)
                else:
                    anonymous.append((name, e))
            clusters = _cluster(headed)
            owners = [c for c in clusters if any(_affinity(name, e.op) for e in c)]
            for cluster in clusters:
                if len(clusters) == 1 or (len(owners) == 1 and cluster is owners[0]):
                    final[name] += cluster
                else:
                    stale_for.append((name, cluster))
        return final, anonymous, requests, stale_for

    def _stale_owners(self, stale_for: list[tuple[str, list[TableSeen]]], final: _Tables) -> _Named:
        """A stale heading's table may describe a type that pages name but never head a table
        with (RecurrenceInfo sits under `TableRight` on the recurrence operations): the type
        the cluster's operations are named after takes it (added to `final`). A property typed
        with a leaked name names a type too (`| ConfigurableScreenDelta | TableRight |`).
        Returns the tables no type takes, as anonymous results of their operations."""
        anonymous: _Named = []
        candidates = self._referenced | self._stale_typed_properties()
        for name, cluster in stale_for:
            others = sorted(
                t
                for t in candidates
                if t not in final
                and t != name
                and _at_least_half(sum(_affinity(t, e.op) for e in cluster), len(cluster))
            )
            owner = others[0] if len(others) == 1 else None
            for e in cluster:
                props = ", ".join(sorted(e.keys)[:4])
                reading = owner or "the operation's own result type"
                message = (
                    f"'Response body: {name}' heads a table of another type ({props}...); read as {reading}"
                )
                self.diagnostics.append(diag_at("DG205", e.place, message))
                if owner is None:
                    anonymous.append((f"{pascal(e.op)}Result", e))
            if owner is not None:
                final[owner] += cluster
        return anonymous

    def _name_own(self, unmatched: _Named, requests: _Tables, final: _Tables) -> None:
        """3. docgen's own names, shared by identical structures; request wrappers likewise.
        Names that two different structures want are qualified by the folder."""
        groups: dict[frozenset, _Named] = defaultdict(list)
        for default, e in unmatched:
            groups[_structure(e)].append((default, e))
        _merge_subsets(groups)
        for name, evs in requests.items():
            for e in evs:
                groups[frozenset({("~request~", name)}) | _structure(e)].append((name, e))
        wanted = {k: min(d for d, _ in g) for k, g in groups.items()}
        claims = Counter(wanted.values())
        taken = set(final) | self._referenced
        for k in sorted(groups, key=lambda k: (wanted[k], sorted(map(str, k)))):
            group = groups[k]
            name = wanted[k]
            if claims[name] > 1 or name in taken:
                name = min(pascal(_folder(e.place.file)) + d for d, e in group)
            name = unique(name, taken)
            if not any(e.kind == "request" for _, e in group):
                self._own_names.add(name)
            final[name] += [e for _, e in group]

    def _stale_typed_properties(self) -> set[str]:
        """Properties the pages only ever type with leaked names: each names a type of its own
        (`| ConfigurableScreenDelta | TableRight |`)."""
        return {
            p
            for p, types in self._prop_types.items()
            if set(types) <= self._leaky and self._leak_reading(p, types.most_common(1)[0][0]) == p
        }

    def _leak_reading(self, prop: str, type_name: str) -> str | None:
        """The type that a leaked type cell stands for, or None when the cell is no leak.

        The real type is the one the pages give the property elsewhere when it is named after
        the property (`| Recurrence | TableRight |` beside `| Recurrence | RecurrenceInfo |`),
        else the property's own name (`| TableRight | RecurrenceInfo |` is a TableRight).
        """
        if type_name not in self._leaky or prop == type_name or not TYPE_NAME_RE.match(prop):
            return None
        if prop not in self._referenced and _named_after(prop, type_name.lower()):
            return None  # `| Recurrence | RecurrenceInfo |`: a leaked name can be the real one too
        after = [
            n for n, _ in self._prop_types[prop].most_common() if n == prop or _named_after(prop, n.lower())
        ]
        return after[0] if after else prop

    def _lone_schema(self, lone: LoneBodySeen, arguments: dict[str, list[_Argument]]) -> Schema:
        name, sentence, op = lone.name, lone.sentence, lone.op
        twins = sorted(
            (twin_op != op, place, owner, prop)
            for twin_op, place, owner, prop in arguments.get(_argument_key(name), ())
        )
        for _, place, owner, prop in twins:
            dtype = next(d for p, d, _, _ in self._merged[owner] if p == prop)
            sample = self._samples.get(owner)
            sub = sample.props.get(prop) if sample is not None and sample.props else None
            schema = self._property_schema(owner, prop, dtype, sub, place)
            if _informative(schema):
                return schema
        if _IDS_RE.search(name):
            return array_of({"type": "string"} if "string" in sentence.lower() else INT32)
        if _NAMES_RE.search(name):
            return array_of({"type": "string"})
        if "dictionary" in sentence.lower():
            return map_of({"type": "string"})
        return {"type": "string"}

    def _request_arguments(self) -> dict[str, list[_Argument]]:
        """Request-table properties by argument name: (operation, place, owner type, property)."""
        out: dict[str, list[_Argument]] = defaultdict(list)
        for evs in self._evidence.values():
            for e in evs:
                owner = self._table_names.get(e.key)
                if owner is None or e.kind not in ("request", "body"):
                    continue
                seen: set[str] = set()
                for r in e.rows:
                    key = _argument_key(r.name)
                    if key not in seen:  # the first row of that name in a table, as before
                        seen.add(key)
                        out[key].append((e.op, e.place, owner, r.name))
        return out

    def _merge_rows(self, name: str) -> list[_Merged]:
        """Properties of a type across all its tables, in first-seen order; majority type wins."""
        seen: dict[str, list[PropertyRow]] = {}
        for rows in self._tables[name]:
            for r in rows:
                seen.setdefault(r.name, []).append(r)
        by_case: dict[str, list[str]] = defaultdict(list)
        for prop in seen:
            by_case[prop.lower()].append(prop)
        for twins in by_case.values():
            if len(twins) > 1:
                first = seen[twins[1]][0]
                self.diagnostics.append(
                    diag_at(
                        "DG206",
                        first.place,
                        f"{name} has properties that differ only by letter case ({', '.join(twins)}); they "
                        "stay distinct (Python names get a suffix): build such models from JSON names",
                    )
                )
        merged = []
        for prop, copies in seen.items():
            votes = Counter(_vote_key(r) for r in copies)
            if len(votes) > 1:
                ranked = [k for k, _ in votes.most_common()]
                # Stale names (`| TableRight | RecurrenceInfo |`): a type named after the
                # property outweighs a majority of copies of a previous row's type.
                named_after = [k for k in ranked if _named_after(prop, k)]
                if named_after:
                    ranked.remove(named_after[0])
                    ranked.insert(0, named_after[0])
                winner, loser = ranked[0], ranked[1]
                w = next(r for r in copies if _vote_key(r) == winner)
                lo = next(r for r in copies if _vote_key(r) == loser)
                self.conflicts += 1
                self.diagnostics.append(
                    diag_at(
                        "DG201",
                        lo.place,
                        f"{name}.{prop} is {lo.type.raw!r} here but {w.type.raw!r} at {w.place} "
                        f"({votes[winner]} of {sum(votes.values())} tables); using {w.type.raw!r}",
                    )
                )
            else:
                w = copies[0]
            desc = next((r.description for r in copies if r.description), "")
            merged.append((prop, self._unleaked(name, prop, w), desc, w.place))
        return merged

    def _unleaked(self, owner: str, prop: str, row: PropertyRow) -> DocType:
        """A row typed with a leaked name is of the type `_leak_reading` finds; the samples of
        the property then describe it, or it stays an open object of that name."""
        t = row.type
        reading = self._leak_reading(prop, t.name) if t.kind == "named" else None
        if reading is None:
            return t
        self.diagnostics.append(
            diag_at(
                "DG207",
                row.place,
                f"{owner}.{prop} is typed {t.name!r}, a name the pages leave over unrelated tables; read as "
                f"{reading}",
            )
        )
        self.reference(reading, row.place)
        return DocType("named", {}, name=reading, raw=reading)

    def _propagate_samples(self) -> None:
        """Sample objects under a property typed as a named type are samples of that type."""
        queue = list(self._sample_queue)
        while queue:
            name, shape = queue.pop()
            if name in self._samples:
                self._samples[name].merge(Shape.clone(shape))
            else:
                self._samples[name] = Shape.clone(shape)
            for prop, dtype, _, _ in self._merged.get(name, []):
                if dtype.kind != "named" or not shape.props or prop not in shape.props:
                    continue
                sub = shape.props[prop]
                if "object" in sub.kinds and sub.props and not numbered_keys(sub, prop):
                    queue.append((dtype.name, sub))

    def _named_component(self, name: str) -> Component:
        sample = self._samples.get(name)
        rows = self._merged.get(name)
        places = tuple(self._table_places.get(name, ()))
        if rows is None and (sample is None or not sample.props):
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
        props: dict[str, Schema] = {}
        for prop, dtype, desc, _place in rows or []:
            sub = sample.props.get(prop) if sample and sample.props else None
            schema = self._property_schema(name, prop, dtype, sub, _place, description=desc)
            props[prop] = _describe(nullable(schema), clean_doc(desc))
        if sample and sample.props:
            for prop, sub in sample.props.items():
                if prop in props:
                    continue
                seen = self._shape_schema(sub, prop, name, dictionary=prop in self._dictionary_props)
                note = "Seen in sample JSON; not in any property table." if rows is not None else ""
                props[prop] = _describe(nullable(seen), note)
        struct: Schema = {"type": "object", "properties": props}
        if rows is None:
            return Component(name, struct, "sampled", places)
        return Component(name, struct, "described", places)

    def _property_schema(
        self,
        owner: str,
        prop: str,
        dtype: DocType,
        sample: Shape | None,
        place: Place,
        *,
        description: str = "",
    ) -> Schema:
        sample_kinds = (sample.kinds - {"null"}) if sample else set()
        if dtype.kind in ("primitive", "enum"):
            if sample_kinds & {"array", "object"}:
                self.diagnostics.append(
                    diag_at(
                        "DG204",
                        place,
                        f"{owner}.{prop} is {dtype.raw!r} in the table but the sample shows "
                        f"{'an array' if 'array' in sample_kinds else 'an object'}; using the sample's kind",
                    )
                )
                return self._shape_schema(sample, prop, owner)  # type: ignore[arg-type]
            schema = dict(dtype.schema)
            # Body tables write `String` for dates and bytes; the sample settles it.
            if schema == {"type": "string"} and sample and sample_kinds == {"string"}:
                if sample.all_bytes:
                    schema["contentEncoding"] = "base64"
                elif sample.all_datetime:
                    schema["format"] = "date-time"
            return schema
        if dtype.kind == "array":
            if _CHILDREN_RE.match(prop) or _CHILD_ITEMS_RE.search(description):
                return array_of(self._component_ref(owner))  # a tree: samples show its nodes in part
            shown = (sample.items.kinds - {"null"}) if sample and sample.items is not None else set()
            described = self._array_element(owner, prop, description) if shown <= {"object"} else None
            if described is not None:
                return array_of(described)
            if sample and sample.items is not None and not sample.items.only_null:
                items = self._shape_schema(sample.items, prop + "Item", owner)
                if _informative(items):  # samples often show elements as `{}`: no evidence
                    return array_of(items)
            self.unknown_arrays += 1
            return array_of({})
        if dtype.kind == "object":
            return self._map_schema(sample, prop, owner)
        if dtype.kind == "named":
            if sample is not None and numbered_keys(sample, prop):
                # `| Parameters | PersonEntity |` over `{"Parameters1": .., "Parameters2": ..}`:
                # a stale type name over what the sample shows to be a dictionary.
                self.diagnostics.append(
                    diag_at(
                        "DG204",
                        place,
                        f"{owner}.{prop} is {dtype.raw!r} in the table but the sample shows a dictionary "
                        f"({', '.join(sorted(sample.props or {})[:2])}...); using the sample's kind",
                    )
                )
                return self._map_schema(sample, prop, owner)
            return self.reference(dtype.name)
        self.diagnostics.append(
            diag_at(
                "DG109",
                place,
                f"unknown type {dtype.raw!r} for {owner}.{prop}: expected a primitive (string, int32...), "
                "array, object, Enum: or a type name",
            )
        )
        return {}

    def _sample_fits(self, name: str, shape: Shape) -> bool:
        """Whether a sample object's JSON kinds agree with every row of a described type."""
        for prop, dtype, *_ in self._merged[name]:
            sub = (shape.props or {}).get(prop)
            shown = (sub.kinds - {"null"}) if sub is not None else set()
            if shown and not shown <= _KINDS_OF.get(
                dtype.kind if dtype.kind != "primitive" else dtype.schema.get("type", ""), shown
            ):
                return False
        return True

    def _array_element(self, owner: str, prop: str, description: str) -> Schema | None:
        """A plural of a described type holds that type (`QuoteAlternatives`: "The
        QuoteAlternatives for the QuoteVersion"): a table outweighs what samples show in part."""
        for singular in singulars(prop):
            if singular != owner and (
                singular in self._merged or (singular in self._samples and self._samples[singular].props)
            ):
                return self.reference(singular)
        return None

    def _map_schema(self, sample: Shape | None, prop: str, owner: str) -> Schema:
        if sample is None or not sample.props:
            return {"type": "object"}
        values = Shape()
        for v in sample.props.values():
            values.merge(Shape.clone(v))
        return map_of(self._shape_schema(values, prop + "Value", owner))

    def _shape_schema(self, shape: Shape, ctx: str, parent: str, dictionary: bool = False) -> Schema:
        plain = plain_schema(shape)  # primitives, and arrays and dictionaries of them
        if plain is not None:
            return plain
        kinds = shape.kinds - {"null"}
        if kinds == {"array"}:
            if shape.items is None or shape.items.only_null:
                self.unknown_arrays += 1
                return array_of({})
            return array_of(self._shape_schema(shape.items, ctx + "Item", parent))
        if kinds == {"object"}:
            if dictionary or not is_struct(shape) or numbered_keys(shape, ctx):
                return self._map_schema(shape, ctx, parent)
            return self._struct(shape, ctx, parent)
        return {}

    def _struct(self, shape: Shape, ctx: str, parent: str) -> Schema:
        # A sample object whose keys are a subset of a described type's is that type: samples
        # show the same structures the tables describe, often in part.
        match = _superset(frozenset(shape.props or ()), self._described_keys)
        if match is not None and self._sample_fits(match, shape):
            return self.reference(match)
        props: dict[str, Schema] = {}
        for prop, sub in (shape.props or {}).items():
            props[prop] = nullable(
                self._shape_schema(sub, prop, ctx, dictionary=prop in self._dictionary_props)
            )
        schema: Schema = {"type": "object", "properties": props}
        key = hashlib.sha1(json.dumps(schema, sort_keys=True).encode()).hexdigest()[:16]
        entry = self._inferred.setdefault(key, _Inferred(schema, set(), set()))
        entry.short.add(pascal(ctx))
        entry.qualified.add(pascal(parent) + pascal(ctx))
        return pending(_INFERRED + key)

    def _name_shared_tables(self, uses: dict[str, list[tuple[str, str]]], named: set[str]) -> dict[str, str]:
        """Anonymous table structures that properties of several names share are renamed for
        what they are (`fitting_names`) rather than after the operation whose table described
        them; the operation's name stays for a structure one property name uses."""
        renames: dict[str, str] = {}
        taken = set(named)
        for name in sorted(self._own_names):
            for candidate in fitting_names(uses.get(PENDING + _OWN + name, [])):
                if candidate not in taken:
                    renames[name] = candidate
                    taken.add(candidate)
                    break
        return renames

    def _name_inferred(self, named: set[str], uses: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
        """Names from context, never from discovery order: a structure that properties of
        several names share takes a name that fits them all (`fitting_names`); otherwise the
        smallest context name wins."""
        fitting = {key: fitting_names(uses.get(PENDING + _INFERRED + key, [])) for key in self._inferred}
        wanted: dict[str, str] = {}
        claims: Counter[str] = Counter()
        for key, inf in self._inferred.items():
            wanted[key] = min(inf.short)
            claims[wanted[key]] += 1
        names: dict[str, str] = {}
        used = set(named)
        for key in sorted(self._inferred, key=lambda k: (wanted[k], k)):
            inf = self._inferred[key]
            name = next((c for c in fitting[key] if c not in used and claims[c] == 0), wanted[key])
            if name == wanted[key] and (claims[name] > 1 or name in used):
                name = min(inf.qualified)
            if name in used:
                name = f"{name}{key[:6].upper()}"
            used.add(name)
            names[key] = name
        return names


def _cluster(evidence: list[TableSeen]) -> list[list[TableSeen]]:
    """Tables grouped by property sets: one group per set of related properties."""
    clusters: list[tuple[set[str], list[TableSeen]]] = []
    for e in sorted(evidence, key=lambda e: (sorted(e.keys), e.place)):
        for keys, members in clusters:
            if _at_least_half(len(keys & e.keys), len(keys | e.keys)):
                keys |= e.keys
                members.append(e)
                break
        else:
            clusters.append((set(e.keys), [e]))
    return [members for _, members in clusters]


def _affinity(type_name: str, op: str) -> bool:
    base = re.sub(r"(Info|Entity|Data|Carrier)$", "", type_name)
    return len(base) >= _MIN_NAME_WORD and base.lower() in op.lower()


def _named_after(prop: str, vote: str) -> bool:
    return len(prop) >= _MIN_NAME_WORD and vote.startswith(prop.lower()) and not vote.startswith("{")


def _superset(keys: frozenset[str], described: dict[str, frozenset[str]]) -> str | None:
    """The described type these properties belong to: the smallest superset covering half."""
    if len(keys) < 2:
        return None
    best = None
    for name in sorted(described):
        full = described[name]
        covers = (
            keys <= full
            and (len(keys) >= _MIN_SUBSET or keys == full)
            and _at_least_half(len(keys), len(full))
        )
        if covers and (best is None or len(full) < len(described[best])):
            best = name
    return best


def _merge_subsets(groups: dict[frozenset, list[tuple[str, TableSeen]]]) -> None:
    """Anonymous structures whose properties are a subset of another anonymous structure's are
    that structure: a list body's items (`entities`) omit `TableRight` and `FieldProperties`,
    which the same list's response items list. (Call before request wrappers join the groups:
    they keep their own names.)"""
    keys = {k: frozenset().union(*(e.keys for _, e in g)) for k, g in groups.items()}
    label = {k: "\x00".join(sorted(map(str, k))) for k in keys}
    by_label = {v: k for k, v in label.items()}
    for k in sorted(keys, key=lambda k: (len(keys[k]), label[k])):
        bigger = {label[o]: keys[o] for o in groups if o != k and keys[k] < keys[o]}
        target = _superset(keys[k], bigger)
        if target is not None:
            groups[by_label[target]].extend(groups.pop(k))


def _structure(e: TableSeen) -> frozenset:
    return frozenset((r.name, r.type.raw.lower()) for r in e.rows)


def _folder(file: str) -> str:
    parts = file.replace("\\", "/").split("/")
    return parts[-2] if len(parts) >= 2 else ""


def _rewrite(schema: Any, table: Mapping[str, str], whole: Mapping[str, Schema] | None = None) -> Any:
    """References renamed through `table`; a reference listed in `whole` is replaced by that schema."""
    if isinstance(schema, dict):
        if whole and schema.get("$ref") in whole:
            return whole[schema["$ref"]]
        return {
            k: (table.get(v, v) if k == "$ref" and isinstance(v, str) else _rewrite(v, table, whole))
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [_rewrite(v, table, whole) for v in schema]
    return schema


def _argument_key(name: str) -> str:
    """`sr_ids`, `SrIds` and `srIds` name the same argument."""
    return name.replace("_", "").lower()


def _informative(schema: Schema) -> bool:
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
        return _informative(s.get("items") or {})
    return True


def _vote_key(r: PropertyRow) -> str:
    return r.type.raw.lower() if r.type.kind != "primitive" else _primitive_key(r.type)


def _primitive_key(t: DocType) -> str:
    return _classify(t.raw)[1]  # the schema as JSON, cached per type cell


def _describe(schema: Schema, description: str) -> Schema:
    if not description:
        return schema
    if "$ref" in schema:
        return {"anyOf": [schema], "description": description}
    return {**schema, "description": description}

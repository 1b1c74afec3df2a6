"""Every page's evidence folded into one set of components, as a chain of steps.

Pages describe named types in property tables (body and response tables) and show them by
example in sample JSON. Each step takes the frozen result of the steps before it and returns
its own, with its findings; none changes what it is given. In order:

- `gather`: the records by kind (tables by heading, samples, lone bodies, named types);
- `assign_tables` (tables.py): which component each table describes;
- `merge_rows` (rows.py): each component's properties across its tables, and `with_reference`
  (reference_rows.py): what the .NET library reference adds to them, and the types only it
  describes that the pages' types reach;
- `sample_types`: what the samples show of each type, nested objects included;
- `build_components` (components.py): each named type's schema, and the structures
  inferred from samples on the way;
- `lone_bodies`: a body that is only a name and a sentence takes the schema that another
  page's table gives the same argument (read from the built components: nothing is built twice);
- `decide_names`, `final_components` (resolution.py): final names, decided once, and every
  pending reference resolved through them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from docgen.diagnostics import Diagnostic, Place, findings_of
from docgen.model.api import Component, Schema
from docgen.model.components import BuiltComponents, Context, build_components, informative
from docgen.model.evidence import (
    PENDING,
    Evidence,
    LoneBodySeen,
    ReferenceSeen,
    SampleSeen,
    TableSeen,
    TypeNamed,
)
from docgen.model.infer import Shape, numbered_keys
from docgen.model.reference_rows import reference_of, with_reference
from docgen.model.resolution import decide_names, final_components, rewrite
from docgen.model.rows import MergedRows, merge_rows
from docgen.model.tables import Assignment, assign_tables
from docgen.model.typemap import INT32, array_of, map_of

_IDS_RE = re.compile(r"(^|[a-z_])(ids|Ids)$")
_NAMES_RE = re.compile(r"[a-z](Names)$")


@dataclass(frozen=True)
class Schemas:
    """What the pages say about types, decided: the components, and how a schema of an
    endpoint becomes final (`resolve`). Built by `fold`, read by everything after it."""

    components: tuple[Component, ...]
    diagnostics: tuple[Diagnostic, ...]
    unknown_arrays: int
    conflicts: int
    resolution: Mapping[str, str]  # pending ref -> component ref
    substitutes: Mapping[str, Schema]  # pending refs that stand for a whole schema

    def resolve(self, schema: Any) -> Any:
        """A schema of an endpoint with its pending references resolved."""
        return rewrite(schema, self.resolution, self.substitutes)


@dataclass(frozen=True)
class Gathered:
    """What `gather` returns: the records of every page by kind (pages in file order, records
    in page order)."""

    by_heading: Mapping[str, tuple[TableSeen, ...]]  # tables by the type their heading names
    samples: tuple[tuple[str, Shape], ...]  # sample objects of named types with no table
    lone: Mapping[str, LoneBodySeen]  # by their pending key
    referenced: frozenset[str]  # every type a page names
    ref_places: Mapping[str, Place]  # a named type's first place (by file and line): DG202's
    dictionary_props: frozenset[str]  # properties some table types as a dictionary (`object`)
    references: tuple[ReferenceSeen, ...]  # types as the .NET library reference describes them


def fold(records: Iterable[Evidence]) -> Schemas:
    """Every page's evidence into the components."""
    gathered = gather(records)
    reference = reference_of(gathered.references)
    carriers = {n: frozenset(p.name for p in reference.properties(n)) for n in reference.types}
    assigned = assign_tables(gathered.by_heading, gathered.referenced | set(reference.types), carriers)
    merged = merge_rows(assigned.value)
    table = assigned.value
    readings = merged.value.readings
    named = (
        set(table.tables) | {n for n, _ in gathered.samples} | gathered.referenced | {n for n, _ in readings}
    )
    refined = with_reference(merged.value, reference, named)
    rows = refined.value.rows
    samples = sample_types([*gathered.samples, *table.samples()], rows)
    context = Context(
        merged=rows,
        samples=samples,
        own_names=table.own_names,
        dictionary_props=gathered.dictionary_props,
        described_keys=rows.keys(),
        table_places={n: tuple(e.place for e in evs) for n, evs in table.tables.items()},
        reference=reference,
    )
    names = named | set(samples) | refined.value.reached
    components = build_components(names, context)
    built = components.value
    lone = lone_bodies(gathered.lone, table, built)
    naming = decide_names(
        built,
        own_names=table.own_names,
        table_names=table.table_names,
        ref_places=_first_places(gathered.ref_places, [*readings, *refined.value.places.items()]),
        joinable={
            n: frozenset(c.schema.get("properties") or ())
            for n, c in built.components.items()
            if reference.kind(n) == "class"
        },
    )
    resolution = naming.value.resolution
    return Schemas(
        components=final_components(built, naming.value),
        diagnostics=findings_of(assigned, merged, refined, components, naming),
        unknown_arrays=built.unknown_arrays,
        conflicts=merged.value.conflicts,
        resolution=resolution,
        substitutes=MappingProxyType({k: rewrite(v, resolution) for k, v in lone.items()}),
    )


def gather(records: Iterable[Evidence]) -> Gathered:
    by_heading: dict[str, list[TableSeen]] = defaultdict(list)
    samples: list[tuple[str, Shape]] = []
    lone: dict[str, LoneBodySeen] = {}
    named: list[tuple[str, Place]] = []
    dictionary_props: set[str] = set()
    references: list[ReferenceSeen] = []
    for record in records:
        if isinstance(record, TableSeen):
            by_heading[record.type_name].append(record)
            named += [(r.type.name, r.place) for r in record.rows if r.type.kind == "named"]
            dictionary_props |= {r.name for r in record.rows if r.type.kind == "object"}
        elif isinstance(record, SampleSeen):
            samples += [(record.type_name, shape) for shape in record.samples]
        elif isinstance(record, LoneBodySeen):
            lone[record.key] = record
        elif isinstance(record, TypeNamed):
            named.append((record.type_name, record.place))
        elif isinstance(record, ReferenceSeen):
            references.append(record)
    return Gathered(
        by_heading=MappingProxyType({k: tuple(v) for k, v in by_heading.items()}),
        samples=tuple(samples),
        lone=MappingProxyType(lone),
        referenced=frozenset(n for n, _ in named),
        ref_places=_first_places({}, named),
        dictionary_props=frozenset(dictionary_props),
        references=tuple(references),
    )


def _first_places(places: Mapping[str, Place], more: Iterable[tuple[str, Place]]) -> Mapping[str, Place]:
    out = dict(places)
    for name, place in more:
        if name not in out or place < out[name]:
            out[name] = place
    return MappingProxyType(out)


def sample_types(shown: list[tuple[str, Shape]], merged: MergedRows) -> Mapping[str, Shape]:
    """`sample_types`: the samples of each type merged; sample objects under a property typed as a
    named type are samples of that type."""
    samples: dict[str, Shape] = {}
    queue = list(shown)
    while queue:  # last first: the merge order is the order properties are shown in
        name, shape = queue.pop()
        if name in samples:
            samples[name].merge(Shape.clone(shape))
        else:
            samples[name] = Shape.clone(shape)
        for row in merged.rows.get(name, ()):
            if row.type.kind != "named" or not shape.props or row.name not in shape.props:
                continue
            sub = shape.props[row.name]
            if "object" in sub.kinds and sub.props and not numbered_keys(sub, row.name):
                queue.append((row.type.name, sub))
    return MappingProxyType(samples)


def lone_bodies(
    lone: Mapping[str, LoneBodySeen], assignment: Assignment, built: BuiltComponents
) -> dict[str, Schema]:
    """`lone_bodies`: each body that is only a name and a sentence, by its pending reference.

    It takes the schema of the property of that name that another page's request table
    describes, the same operation's first (REST pages mirror agent pages, whose `request`
    wrapper holds the argument as a property); failing that, what the name and the sentence
    say (`...Ids` lists, `...Names` lists of strings, a "Dictionary")."""
    arguments = _request_arguments(assignment) if lone else {}
    return {PENDING + key: _lone_schema(body, arguments, built) for key, body in lone.items()}


# A request-table property by argument name: operation, place, owner type, property.
_Argument = tuple[str, Place, str, str]


def _lone_schema(
    lone: LoneBodySeen, arguments: Mapping[str, list[_Argument]], built: BuiltComponents
) -> Schema:
    twins = sorted(
        (twin_op != lone.op, place, owner, prop)
        for twin_op, place, owner, prop in arguments.get(_argument_key(lone.name), ())
    )
    for *_, owner, prop in twins:
        schema = built.property_schemas[(owner, prop)]
        if informative(schema):
            return schema
    sentence = lone.sentence.lower()
    if _IDS_RE.search(lone.name):
        return array_of({"type": "string"} if "string" in sentence else INT32)
    if _NAMES_RE.search(lone.name):
        return array_of({"type": "string"})
    if "dictionary" in sentence:
        return map_of({"type": "string"})
    return {"type": "string"}


def _request_arguments(assignment: Assignment) -> dict[str, list[_Argument]]:
    """Request-table properties by argument name: (operation, place, owner type, property)."""
    out: dict[str, list[_Argument]] = defaultdict(list)
    for owner, tables in assignment.tables.items():
        for e in tables:
            if e.kind not in ("request", "body"):
                continue
            seen: set[str] = set()
            for r in e.rows:
                key = _argument_key(r.name)
                if key not in seen:  # a table's first row of that name
                    seen.add(key)
                    out[key].append((e.op, e.place, owner, r.name))
    return out


def _argument_key(name: str) -> str:
    """`sr_ids`, `SrIds` and `srIds` name the same argument."""
    return name.replace("_", "").lower()

"""The fold's `gather`: every record of every page by kind, and where each named type is
first named."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from docgen.diagnostics import Place
from docgen.model.evidence import Evidence, LoneBodySeen, ReferenceSeen, SampleSeen, TableSeen, TypeNamed
from docgen.model.infer import Shape


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
        ref_places=first_places({}, named),
        dictionary_props=frozenset(dictionary_props),
        references=tuple(references),
    )


def first_places(places: Mapping[str, Place], more: Iterable[tuple[str, Place]]) -> Mapping[str, Place]:
    out = dict(places)
    for name, place in more:
        if name not in out or place < out[name]:
            out[name] = place
    return MappingProxyType(out)

"""Every page's evidence folded into one set of components, as a chain of steps.

Pages describe named types in property tables (body and response tables) and show them by
example in sample JSON. Each step takes the frozen result of the steps before it and returns
its own, with its findings; none changes what it is given. In order:

- `gather` (gather.py): the records by kind (tables by heading, samples, lone bodies, named
  types);
- `assign_tables` (tables.py): which component each table describes;
- `merge_rows` (rows.py): each component's properties across its tables, and `with_reference`
  (docfx_rows.py): what the .NET library reference adds to them, and the types only it
  describes that the pages' types reach;
- `sample_types` (samples.py): what the samples show of each type, nested objects included;
- `build_components` (components.py): each named type's schema, and the structures
  inferred from samples on the way;
- `lone_bodies` (lone_bodies.py): a body that is only a name and a sentence takes the schema
  that another page's table gives the same argument (read from the built components: nothing
  is built twice);
- `decide_names`, `final_components` (names.py): final names, decided once, and every
  pending reference resolved through them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from docgen.diagnostics import Diagnostic, findings_of
from docgen.model.api import Component, Schema
from docgen.model.evidence import Evidence
from docgen.model.fold.components import Context, build_components
from docgen.model.fold.docfx_rows import reference_of, with_reference
from docgen.model.fold.gather import first_places, gather
from docgen.model.fold.lone_bodies import lone_bodies
from docgen.model.fold.names import decide_names, final_components, rewrite
from docgen.model.fold.rows import merge_rows
from docgen.model.fold.samples import sample_types
from docgen.model.fold.tables import assign_tables


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
        ref_places=first_places(gathered.ref_places, [*readings, *refined.value.places.items()]),
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

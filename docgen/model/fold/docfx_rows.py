"""The fold's `with_reference`: what the .NET library reference adds to the pages' rows.

The two sources are merged by what each is known to get wrong:
- Where the pages describe a type, they are the authority on which properties it has (the
  reference lags the server: newer properties are missing from it, and it lists members that are
  not on the wire). A row keeps the pages' type where the reference only agrees; where the
  reference says more than the pages can (an array's element type, a dictionary's values, an
  enum behind a `string` cell, a date or bytes behind a `String` cell) it says it; where the two
  disagree about the kind of value (the pages' stale type cells: `| TableRight | RecurrenceInfo |`,
  filler that a sample made a dictionary), the reference's C# type is the declared one, and the
  disagreement is a DG208 finding naming both places.
- Where the pages only name a type (or a reached reference type names one), the reference gives
  its properties, inherited ones included (`Carrier` holds `TableRight` and `FieldProperties`).
- Enums are only in the reference: string enums of the value names, as the wire carries them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from docgen.diagnostics import Diagnostic, Found, Place, diag_at
from docgen.model.cstypes import CsType
from docgen.model.evidence import ReferenceProperty, ReferenceSeen
from docgen.model.fold.rows import MergedRow, MergedRows
from docgen.model.fold.tables import at_least_half
from docgen.model.naming import area_qualified, leading_names
from docgen.model.typemap import DocType


@dataclass(frozen=True)
class Reference:
    """The reference's types by name, with what follows from them."""

    types: Mapping[str, ReferenceSeen]
    qualified: Mapping[str, tuple[str, ...]]  # `Name` -> the area-qualified `Area_Name` types

    def kind(self, name: str) -> str:
        seen = self.types.get(name)
        return seen.kind if seen is not None else ""

    def properties(self, name: str) -> tuple[ReferenceProperty, ...]:
        """A carrier's properties, inherited ones first (base by base), without repeats."""
        seen = self.types.get(name)
        if seen is None or seen.kind != "class":
            return ()
        out: dict[str, ReferenceProperty] = {}
        for base in seen.bases:
            if base != name:
                out |= {p.name: p for p in self.properties(base)}
        out |= {p.name: p for p in seen.properties}
        return tuple(out.values())


def reference_of(records: Iterable[ReferenceSeen]) -> Reference:
    """The first record of each name (files in order)."""
    types: dict[str, ReferenceSeen] = {}
    for r in records:
        types.setdefault(r.name, r)
    return Reference(MappingProxyType(types), MappingProxyType(area_qualified(types)))


@dataclass(frozen=True)
class Refined:
    rows: MergedRows  # the pages' rows refined, and rows of the types only the reference describes
    reached: frozenset[str]  # every type reached, through the rows, from the names given
    places: Mapping[str, Place]  # where the reference first names a type it reached


def with_reference(merged: MergedRows, reference: Reference, names: Iterable[str]) -> Found[Refined]:
    """The pages' rows with what the reference says of each, and rows for every reached type the
    pages do not describe but the reference does (reached: named by `names` or, through
    properties, by a type reached before)."""
    rows = dict(merged.rows)
    findings: list[Diagnostic] = []
    for name in sorted(rows):
        refined = _refined(name, rows[name], reference)
        rows[name] = refined.value
        findings += refined.findings
    names = set(names)
    reached, places = _reached(names, rows, reference)
    for name in reached:
        if name not in rows and reference.kind(name) == "class":
            rows[name] = tuple(_row(p) for p in reference.properties(name))
    # A dictionary type is spelled out where it is used; it is a component only where a page names it.
    kept = frozenset(n for n in reached if n in names or reference.kind(n) != "dictionary")
    result = Refined(replace(merged, rows=MappingProxyType(dict(sorted(rows.items())))), kept, places)
    return Found(result, tuple(findings))


def _reached(
    names: set[str], rows: Mapping[str, tuple[MergedRow, ...]], reference: Reference
) -> tuple[list[str], dict[str, Place]]:
    """Every name reached from `names` through the rows' reference types and the reference's own
    properties, in the order reached, and where each was first named on the way."""
    queue = sorted(set(names))
    seen = set(queue)
    out = []
    places: dict[str, Place] = {}
    while queue:
        name = queue.pop(0)
        out.append(name)
        held: list[tuple[str, Place]] = []
        if name in rows:
            held += [
                (n, r.place)
                for r in rows[name]
                if r.reference is not None
                for n in sorted(r.reference.names())
            ]
        else:
            held += [(n, p.place) for p in reference.properties(name) for n in sorted(p.type.names())]
        seen_ref = reference.types.get(name)
        if seen_ref is not None and seen_ref.holds is not None:
            held += [(n, seen_ref.place) for n in sorted(seen_ref.holds.names())]
        for n, place in held:
            if n not in seen:
                seen.add(n)
                queue.append(n)
                places[n] = place
    return out, places


def _row(p: ReferenceProperty) -> MergedRow:
    return MergedRow(p.name, doc_type(p.type), p.description, p.place, reference=p.type)


def _refined(name: str, rows: tuple[MergedRow, ...], reference: Reference) -> Found[tuple[MergedRow, ...]]:
    """The pages' rows with the reference's types, then the properties only the reference lists
    (the pages' tables omit inherited `TableRight`/`FieldProperties` and some others)."""
    props = {p.name: p for p in reference.properties(_counterpart(name, rows, reference))}
    out = []
    findings = []
    for row in rows:
        prop = props.get(row.name)
        if prop is None or prop.type.kind in ("none", "any"):
            out.append(row)
            continue
        verdict = _verdict(row.type, prop.type, reference)
        if verdict == "same":
            out.append(row if row.description else replace(row, description=prop.description))
            continue
        described = row.description or prop.description
        out.append(replace(row, reference=prop.type, description=described))
        if verdict == "differs":
            message = (
                f"{name}.{row.name} is {row.type.raw!r} here but {_spelled(prop.type)} in the .NET reference "
                f"at {prop.place}; using the reference's type"
            )
            findings.append(diag_at("DG208", row.place, message))
    listed = {row.name for row in rows}
    out += [_row(p) for p in props.values() if p.name not in listed]
    return Found(tuple(out), tuple(findings))


def _counterpart(name: str, rows: tuple[MergedRow, ...], reference: Reference) -> str:
    """The reference type a pages' type is: the one of its name, else the reference carrier
    with most of its rows (at least half) among those whose name its name starts with
    (`AppointmentEntityWithLinks`, the REST answer, is an `AppointmentEntity` with links) or
    that are its name qualified by an area (the agent `request` wrapper `SaveImageStreamRequest`
    is the library's `BLOB_SaveImageStreamRequest`)."""
    if reference.kind(name) == "class":
        return name
    listed = {row.name for row in rows}
    best, best_overlap = name, 0
    prefixes = [p for p in leading_names(name) if p in reference.types]
    for other in sorted({*reference.qualified.get(name, ()), *prefixes}):
        if reference.kind(other) != "class":
            continue
        overlap = len(listed & {p.name for p in reference.properties(other)})
        if at_least_half(overlap, len(listed)) and overlap > best_overlap:
            best, best_overlap = other, overlap
    return best


def _verdict(page: DocType, ref: CsType, reference: Reference) -> str:
    """ "same" where the reference says what the page says, "more" where it only says more (the
    page could not say it), "differs" where they disagree about the kind of value."""
    ref_kind = reference.kind(ref.name) if ref.kind == "named" else ""
    if page.kind == "named":
        if ref.kind == "named" and ref.name == page.name:
            return "same"
        return "differs"
    if page.kind in ("primitive", "enum"):
        return _primitive_verdict(page, ref, ref_kind)
    if page.kind == "array":
        return "more" if ref.kind == "array" else "differs"
    if page.kind == "object":
        return "more" if ref.kind == "map" or ref_kind == "dictionary" else "differs"
    return "more"  # a cell no one understood


def _primitive_verdict(page: DocType, ref: CsType, ref_kind: str) -> str:
    page_type = page.schema.get("type")
    if ref_kind == "enum":
        return "more" if page_type in ("string", None) or page.kind == "enum" else "differs"
    if ref.kind != "primitive" or ref.schema is None:
        return "differs"
    if ref.schema.get("type") != page_type:
        return "differs"
    if ref.schema == page.schema:
        return "same"
    # `String` over a date or bytes, `Number` over a double: the page says less. int32 over
    # int64 is a disagreement. Either way the C# type is the declared one.
    return "more" if page_type == "string" or "format" not in page.schema else "differs"


def _spelled(t: CsType) -> str:
    if t.kind == "named":
        return t.name
    if t.kind in ("array", "map") and t.item is not None:
        return f"{'array' if t.kind == 'array' else 'dictionary'} of {_spelled(t.item)}"
    if t.kind == "primitive" and t.schema is not None:
        return str(t.schema.get("format") or t.schema.get("contentEncoding") or t.schema.get("type"))
    return t.kind


def doc_type(t: CsType) -> DocType:
    """A reference type in the shape of a table's type cell, for the steps that read cells."""
    if t.kind == "named":
        return DocType("named", {}, name=t.name, raw=t.name)
    if t.kind == "primitive":
        return DocType("primitive", dict(t.schema or {}), raw=_spelled(t))
    if t.kind == "array":
        return DocType("array", {}, raw="array")
    if t.kind == "map":
        return DocType("object", {}, raw="object")
    return DocType("unknown", {}, raw=t.kind)

"""The fold's `merge_rows`: the properties of each component, merged across all its tables.

Properties come in first-seen order; where tables disagree about a property's type, the
majority wins (a type named after the property outweighs copies of a stale row), with a DG201
finding. A row typed with a leaked name is read as the type it stands for (DG207).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from docgen.diagnostics import Diagnostic, Found, Place, diag_at
from docgen.model.cstypes import CsType
from docgen.model.evidence import PropertyRow
from docgen.model.fold.tables import Assignment, Leaks, named_after
from docgen.model.typemap import DocType, _classify


@dataclass(frozen=True)
class MergedRow:
    name: str
    type: DocType
    description: str
    place: Place  # of the row whose type won
    reference: CsType | None = None  # the type the .NET reference declares, where it is used


@dataclass(frozen=True)
class MergedRows:
    rows: Mapping[str, tuple[MergedRow, ...]]  # component -> its properties
    conflicts: int
    readings: tuple[tuple[str, Place], ...]  # types that leaked cells were read as, where

    def keys(self) -> Mapping[str, frozenset[str]]:
        """Each described type's property names."""
        return {name: frozenset(r.name for r in rows) for name, rows in self.rows.items()}

    def row(self, owner: str, prop: str) -> MergedRow:
        return next(r for r in self.rows[owner] if r.name == prop)


def merge_rows(assignment: Assignment) -> Found[MergedRows]:
    rows: dict[str, tuple[MergedRow, ...]] = {}
    findings: list[Diagnostic] = []
    conflicts = 0
    readings: list[tuple[str, Place]] = []
    for name, tables in assignment.tables.items():
        seen: dict[str, list[PropertyRow]] = {}
        for table in tables:
            for r in table.rows:
                seen.setdefault(r.name, []).append(r)
        findings += _case_twins(name, seen)
        merged = []
        for prop, copies in seen.items():
            winner, conflict = _winner(name, prop, copies)
            if conflict is not None:
                conflicts += 1
                findings.append(conflict)
            dtype, leak = _unleaked(name, prop, winner, assignment.leaks)
            if leak is not None:
                findings.append(leak)
                readings.append((dtype.name, winner.place))
            desc = next((r.description for r in copies if r.description), "")
            merged.append(MergedRow(prop, dtype, desc, winner.place))
        rows[name] = tuple(merged)
    return Found(MergedRows(MappingProxyType(rows), conflicts, tuple(readings)), tuple(findings))


def _case_twins(name: str, seen: Mapping[str, list[PropertyRow]]) -> list[Diagnostic]:
    by_case: dict[str, list[str]] = defaultdict(list)
    for prop in seen:
        by_case[prop.lower()].append(prop)
    return [
        diag_at(
            "DG206",
            seen[twins[1]][0].place,
            f"{name} has properties that differ only by letter case ({', '.join(twins)}); they "
            "stay distinct (Python names get a suffix): build such models from JSON names",
        )
        for twins in by_case.values()
        if len(twins) > 1
    ]


def _winner(name: str, prop: str, copies: list[PropertyRow]) -> tuple[PropertyRow, Diagnostic | None]:
    """The row whose type the property takes, and the DG201 finding when the copies disagree."""
    votes = Counter(_vote_key(r) for r in copies)
    if len(votes) == 1:
        return copies[0], None
    ranked = [k for k, _ in votes.most_common()]
    # Stale names (`| TableRight | RecurrenceInfo |`): a type named after the property
    # outweighs a majority of copies of a previous row's type.
    after = [k for k in ranked if named_after(prop, k)]
    if after:
        ranked.remove(after[0])
        ranked.insert(0, after[0])
    winner, loser = ranked[0], ranked[1]
    w = next(r for r in copies if _vote_key(r) == winner)
    lo = next(r for r in copies if _vote_key(r) == loser)
    message = (
        f"{name}.{prop} is {lo.type.raw!r} here but {w.type.raw!r} at {w.place} "
        f"({votes[winner]} of {sum(votes.values())} tables); using {w.type.raw!r}"
    )
    return w, diag_at("DG201", lo.place, message)


def _unleaked(owner: str, prop: str, row: PropertyRow, leaks: Leaks) -> tuple[DocType, Diagnostic | None]:
    """A row typed with a leaked name is of the type `Leaks.reading` finds; the samples of
    the property then describe it, or it stays an open object of that name."""
    t = row.type
    reading = leaks.reading(prop, t.name) if t.kind == "named" else None
    if reading is None:
        return t, None
    message = (
        f"{owner}.{prop} is typed {t.name!r}, a name the pages leave over unrelated tables; read as {reading}"
    )
    return DocType("named", {}, name=reading, raw=reading), diag_at("DG207", row.place, message)


def _vote_key(r: PropertyRow) -> str:
    return r.type.raw.lower() if r.type.kind != "primitive" else _classify(r.type.raw)[1]

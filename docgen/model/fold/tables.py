"""The fold's `assign_tables`: which component each property table describes.

1. A `### Response body: X` heading is stale on some pages: when X's tables fall into
   unrelated property sets, the set from operations that carry X's name keeps it and the
   others describe a type those operations are named after, or are anonymous results.
2. An anonymous table (entity-like body, array element, stale result) whose properties are a
   subset of a described type's is that type: entity bodies omit `TableRight` and
   `FieldProperties` that the response table lists.
3. The rest are named by docgen; identical ones share one component, and names that two
   different structures want are qualified by the folder.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from docgen.diagnostics import Diagnostic, Found, diag_at
from docgen.model.evidence import TableSeen
from docgen.model.infer import Shape
from docgen.model.naming import TYPE_NAME_RE
from docgen.text import pascal, unique

_Tables = Mapping[str, tuple[TableSeen, ...]]  # tables by the type they describe
_Named = list[tuple[str, TableSeen]]  # tables with the name docgen would give them
_Stale = list[tuple[str, list[TableSeen]]]  # a stale heading's name over one of its clusters


def at_least_half(part: int, whole: int) -> bool:
    """The one share the rules ask for: tables whose property sets overlap this much (Jaccard)
    describe one type; this share of a stale cluster's operations named after a type gives it
    that type; a subset covering this share of a described type's properties is that type."""
    return part * 2 >= whole


# Shorter names ("Id", "Row") are words any type or operation name may contain by chance.
MIN_NAME_WORD = 4
# Fewer shared properties (an id and a name) are everywhere: no evidence of one type.
_MIN_SUBSET = 3


@dataclass(frozen=True)
class Leaks:
    """Names the docs generator left over tables of unrelated types, and what they stand for
    where they leak into type cells (`| TableRight | RecurrenceInfo |`, `| DayPattern | TableRight |`)."""

    leaky: frozenset[str]
    prop_types: Mapping[str, Counter[str]]  # property -> the named types its rows give it
    referenced: frozenset[str]

    def reading(self, prop: str, type_name: str) -> str | None:
        """The type that a leaked type cell stands for, or None when the cell is no leak.

        The real type is the one the pages give the property elsewhere when it is named after
        the property (`| Recurrence | TableRight |` beside `| Recurrence | RecurrenceInfo |`),
        else the property's own name (`| TableRight | RecurrenceInfo |` is a TableRight).
        """
        if type_name not in self.leaky or prop == type_name or not TYPE_NAME_RE.match(prop):
            return None
        if prop not in self.referenced and named_after(prop, type_name.lower()):
            return None  # `| Recurrence | RecurrenceInfo |`: a leaked name can be the real one too
        types = self.prop_types.get(prop, Counter())
        after = [n for n, _ in types.most_common() if n == prop or named_after(prop, n.lower())]
        return after[0] if after else prop

    def stale_typed_properties(self) -> set[str]:
        """Properties the pages only ever type with leaked names: each names a type of its own
        (`| ConfigurableScreenDelta | TableRight |`)."""
        return {
            p
            for p, types in self.prop_types.items()
            if set(types) <= self.leaky and self.reading(p, types.most_common(1)[0][0]) == p
        }


@dataclass(frozen=True)
class Assignment:
    """Every table with the component it describes."""

    tables: _Tables  # component -> its tables (components in name order, tables in order)
    table_names: Mapping[str, str]  # table key -> component
    own_names: frozenset[str]  # components docgen named after an operation's table
    leaks: Leaks

    def samples(self) -> list[tuple[str, Shape]]:
        """What the pages' samples show of each table's component."""
        return [(name, shape) for name, evs in self.tables.items() for e in evs for shape in e.samples]


def assign_tables(
    by_heading: _Tables,
    referenced: frozenset[str],
    carriers: Mapping[str, frozenset[str]] = MappingProxyType({}),
) -> Found[Assignment]:
    """Tables by the type their heading names (in evidence order) to the component each describes.
    `carriers`: the types the .NET reference describes, with their properties."""
    headed, anonymous, requests, stale = _headed_tables(by_heading)
    leaks = Leaks(frozenset(name for name, _ in stale), _prop_types(by_heading), referenced)
    owned, stale_anonymous, findings = _stale_owners(stale, headed, leaks, carriers)
    described = _joined(headed, owned)
    anonymous += stale_anonymous
    keys = {n: frozenset().union(*(e.keys for e in evs)) for n, evs in described.items()}
    subsets: dict[str, list[TableSeen]] = defaultdict(list)
    unmatched: _Named = []
    for default, e in anonymous:
        match = superset(e.keys, keys)
        if match is None:
            unmatched.append((default, e))
        else:
            subsets[match].append(e)
    described = _joined(described, subsets)
    own, own_names = _name_own(unmatched, requests, set(described) | referenced)
    final = _joined(described, own)
    tables = MappingProxyType({name: final[name] for name in sorted(final)})
    table_names = MappingProxyType({e.key: name for name, evs in tables.items() for e in evs})
    return Found(Assignment(tables, table_names, own_names, leaks), tuple(findings))


def _joined(tables: _Tables, more: Mapping[str, list[TableSeen]]) -> _Tables:
    """Tables with more tables for some components (appended in order)."""
    out = {name: tuple(evs) for name, evs in tables.items()}
    for name, evs in more.items():
        out[name] = (*out.get(name, ()), *evs)
    return out


def _prop_types(by_heading: _Tables) -> Mapping[str, Counter[str]]:
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for evs in by_heading.values():
        for e in evs:
            for r in e.rows:
                if r.type.kind == "named":
                    out[r.name][r.type.name] += 1
    return MappingProxyType(dict(out))


def _headed_tables(by_heading: _Tables) -> tuple[_Tables, _Named, _Tables, _Stale]:
    """Tables whose heading names their type (one cluster per name, or the cluster of the
    operations named after it), anonymous tables with their default names, request
    wrappers by name, and the clusters a stale heading sits over."""
    final: dict[str, tuple[TableSeen, ...]] = {}
    anonymous: _Named = []
    requests: dict[str, tuple[TableSeen, ...]] = {}
    stale: _Stale = []
    for name in sorted(by_heading):
        headed = []
        for e in by_heading[name]:
            if e.kind == "request":
                requests[name] = (*requests.get(name, ()), e)
            elif e.kind == "response":
                headed.append(e)
            else:
                anonymous.append((name, e))
        clusters = _cluster(headed)
        owners = [c for c in clusters if any(affinity(name, e.op) for e in c)]
        for cluster in clusters:
            if len(clusters) == 1 or (len(owners) == 1 and cluster is owners[0]):
                final[name] = (*final.get(name, ()), *cluster)
            else:
                stale.append((name, cluster))
    return final, anonymous, requests, stale


def _stale_owners(
    stale: _Stale, final: _Tables, leaks: Leaks, carriers: Mapping[str, frozenset[str]]
) -> tuple[dict[str, list[TableSeen]], _Named, list[Diagnostic]]:
    """A stale heading's table may describe a type that pages name but never head a table
    with (RecurrenceInfo sits under `TableRight` on the recurrence operations): the type
    the cluster's operations are named after takes it. A property typed with a leaked name
    names a type too (`| ConfigurableScreenDelta | TableRight |`). Returns the tables each
    such type takes, the tables no type takes (anonymous results of their operations), and a
    DG205 finding per table."""
    owned: dict[str, list[TableSeen]] = {}
    anonymous: _Named = []
    findings: list[Diagnostic] = []
    candidates = leaks.referenced | leaks.stale_typed_properties()
    for name, cluster in stale:
        others = sorted(
            t
            for t in candidates
            if t not in final
            and t not in owned
            and t != name
            and at_least_half(sum(affinity(t, e.op) for e in cluster), len(cluster))
        )
        owner = others[0] if len(others) == 1 else None
        # The reference settles it where it describes a type whose properties these are (the
        # License pages' `TableRight` heading sits over `ExtendedLicenseInfo`'s table, though
        # their operations are named after `LicenseInfo`).
        described = superset(frozenset().union(*(e.keys for e in cluster)), carriers)
        if described is not None and described != name:
            owner = described
        for e in cluster:
            props = ", ".join(sorted(e.keys)[:4])
            reading = owner or "the operation's own result type"
            message = f"'Response body: {name}' heads a table of another type ({props}...); read as {reading}"
            findings.append(diag_at("DG205", e.place, message))
            if owner is None:
                anonymous.append((f"{pascal(e.op)}Result", e))
        if owner is not None:
            owned[owner] = [*owned.get(owner, []), *cluster]
    return owned, anonymous, findings


def _name_own(
    unmatched: _Named, requests: _Tables, taken_names: set[str]
) -> tuple[dict[str, list[TableSeen]], frozenset[str]]:
    """3. docgen's own names, shared by identical structures; request wrappers likewise.
    Names that two different structures want are qualified by the folder. Returns the tables
    by their new names, and the names given to structures that are not request wrappers."""
    groups: dict[frozenset, _Named] = defaultdict(list)
    for default, e in unmatched:
        groups[_structure(e)].append((default, e))
    groups = _merge_subsets(groups)
    for name, evs in requests.items():
        for e in evs:
            groups[frozenset({("~request~", name)}) | _structure(e)].append((name, e))
    wanted = {k: min(d for d, _ in g) for k, g in groups.items()}
    claims = Counter(wanted.values())
    taken = set(taken_names)
    named: dict[str, list[TableSeen]] = defaultdict(list)
    own: set[str] = set()
    for k in sorted(groups, key=lambda k: (wanted[k], sorted(map(str, k)))):
        group = groups[k]
        name = wanted[k]
        if claims[name] > 1 or name in taken:
            name = min(pascal(e.folder) + d for d, e in group)
        name = unique(name, taken)
        if not any(e.kind == "request" for _, e in group):
            own.add(name)
        named[name] += [e for _, e in group]
    return named, frozenset(own)


def _cluster(evidence: list[TableSeen]) -> list[list[TableSeen]]:
    """Tables grouped by property sets: one group per set of related properties."""
    clusters: list[tuple[set[str], list[TableSeen]]] = []
    for e in sorted(evidence, key=lambda e: (sorted(e.keys), e.place)):
        for keys, members in clusters:
            if at_least_half(len(keys & e.keys), len(keys | e.keys)):
                keys |= e.keys
                members.append(e)
                break
        else:
            clusters.append((set(e.keys), [e]))
    return [members for _, members in clusters]


def affinity(type_name: str, op: str) -> bool:
    base = re.sub(r"(Info|Entity|Data|Carrier)$", "", type_name)
    return len(base) >= MIN_NAME_WORD and base.lower() in op.lower()


def named_after(prop: str, vote: str) -> bool:
    return len(prop) >= MIN_NAME_WORD and vote.startswith(prop.lower()) and not vote.startswith("{")


def superset(keys: frozenset[str], described: Mapping[str, frozenset[str]]) -> str | None:
    """The described type these properties belong to: the smallest superset covering half."""
    if len(keys) < 2:
        return None
    best = None
    for name in sorted(described):
        full = described[name]
        covers = (
            keys <= full
            and (len(keys) >= _MIN_SUBSET or keys == full)
            and at_least_half(len(keys), len(full))
        )
        if covers and (best is None or len(full) < len(described[best])):
            best = name
    return best


def _merge_subsets(groups: Mapping[frozenset, _Named]) -> dict[frozenset, _Named]:
    """Anonymous structures whose properties are a subset of another anonymous structure's are
    that structure: a list body's items (`entities`) omit `TableRight` and `FieldProperties`,
    which the same list's response items list. (Before request wrappers join the groups:
    they keep their own names.)"""
    out = {k: list(g) for k, g in groups.items()}
    keys = {k: frozenset().union(*(e.keys for _, e in g)) for k, g in out.items()}
    label = {k: "\x00".join(sorted(map(str, k))) for k in keys}
    by_label = {v: k for k, v in label.items()}
    for k in sorted(keys, key=lambda k: (len(keys[k]), label[k])):
        bigger = {label[o]: keys[o] for o in out if o != k and keys[k] < keys[o]}
        target = superset(keys[k], bigger)
        if target is not None:
            out[by_label[target]].extend(out.pop(k))
    return defaultdict(list, out)


def _structure(e: TableSeen) -> frozenset:
    return frozenset((r.name, r.type.raw.lower()) for r in e.rows)

"""The fold's `decide_names` and `final_components`: every component's final name, decided
once, then every pending reference resolved through that one table.

Names: structures docgen named after an operation's table that several properties share,
then structures inferred from samples, take names that fit all their uses (`fitting_names`);
a structure may take the name of a type the pages name but never describe; a name a generated
models module defines itself (`Field`, `None`) is no class name and is changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from docgen.diagnostics import Found, Place, diag_at
from docgen.model.api import COMPONENTS, Component, Schema
from docgen.model.evidence import PENDING
from docgen.model.fold.components import INFERRED, OWN, BuiltComponents, Inferred
from docgen.model.fold.tables import superset
from docgen.model.naming import fitting_names, property_uses, python_class_names


@dataclass(frozen=True)
class Naming:
    final: Mapping[str, str]  # named type -> its component's name (absorbed types left out)
    inferred: Mapping[str, str]  # inferred structure key -> its component's name
    resolution: Mapping[str, str]  # pending or renamed ref -> component ref
    absorbed: frozenset[str] = frozenset()  # docgen's structures that are a reference type
    absorbed_inferred: frozenset[str] = frozenset()  # inferred structures that are one (by key)


def decide_names(
    built: BuiltComponents,
    *,
    own_names: frozenset[str],
    table_names: Mapping[str, str],
    ref_places: Mapping[str, Place],
    joinable: Mapping[str, frozenset[str]] = MappingProxyType({}),
) -> Found[Naming]:
    """`joinable`: the types the .NET reference describes, with their properties; a structure
    docgen named after an operation whose fitting name is one of them, and whose properties are
    among its properties, is that type."""
    components = built.components
    named = set(components)
    inferred = [Component(key, inf.schema, "inferred") for key, inf in sorted(built.inferred.items())]
    uses = property_uses([*components.values(), *inferred])
    opaque = {n for n, c in components.items() if c.origin == "opaque"}
    absorbed = _absorbed(built, own_names, uses, joinable)
    shared = _name_shared_tables(own_names - set(absorbed), uses, named - opaque)
    findings = tuple(
        diag_at(
            "DG202",
            ref_places.get(name, Place("<registry>", 0)),
            f"type {name} is not described by any page read; emitted as an open object",
        )
        for name in sorted(opaque - set(shared.values()))
    )
    described = (named - set(shared)) | set(shared.values())
    # A structure inferred from samples is the reference type it is a subset of, like a table's.
    joined = {
        key: match
        for key, inf in sorted(built.inferred.items())
        if (match := superset(frozenset(inf.schema.get("properties") or ()), joinable)) is not None
    }
    unjoined = {k: v for k, v in built.inferred.items() if k not in joined}
    inferred_names = _name_inferred(unjoined, described, uses) | joined
    final = {n: shared.get(n, n) for n in named - set(shared.values())} | absorbed
    python = python_class_names(set(final.values()) | set(inferred_names.values()))
    final = {n: python.get(v, v) for n, v in final.items()}
    inferred_names = {k: python.get(v, v) for k, v in inferred_names.items()}
    resolution = {PENDING + OWN + n: COMPONENTS + final[n] for n in own_names}
    resolution |= {PENDING + INFERRED + k: COMPONENTS + n for k, n in inferred_names.items()}
    resolution |= {PENDING + k: COMPONENTS + final[n] for k, n in table_names.items()}
    resolution |= {COMPONENTS + old: COMPONENTS + new for old, new in python.items()}
    naming = Naming(
        MappingProxyType(final),
        MappingProxyType(inferred_names),
        MappingProxyType(resolution),
        frozenset(absorbed),
        frozenset(joined),
    )
    return Found(naming, findings)


def final_components(built: BuiltComponents, naming: Naming) -> tuple[Component, ...]:
    """Every component under its final name, its references resolved, sorted by name."""
    table = naming.resolution
    out = [
        replace(c, name=naming.final[n], schema=rewrite(c.schema, table))
        for n, c in built.components.items()
        if n in naming.final and n not in naming.absorbed
    ]
    for key, inf in sorted(built.inferred.items()):
        if key in naming.absorbed_inferred:
            continue
        new = naming.inferred[key]
        aliases = tuple(sorted((inf.short | inf.qualified) - {new}))
        out.append(Component(new, rewrite(inf.schema, table), "inferred", (), aliases))
    return tuple(sorted(out, key=lambda c: c.name))


def _absorbed(
    built: BuiltComponents,
    own_names: frozenset[str],
    uses: dict[str, list[tuple[str, str]]],
    joinable: Mapping[str, frozenset[str]],
) -> dict[str, str]:
    """Structures docgen named after an operation's table that are a type the reference
    describes: the type their uses' fitting name names, when their properties are among its
    properties; else the type they are a subset of, by the pages' own subset rule (`superset`)."""
    out: dict[str, str] = {}
    for name in sorted(own_names):
        keys = frozenset(built.components[name].schema.get("properties") or ())
        named = [c for c in fitting_names(uses.get(PENDING + OWN + name, [])) if c in joinable]
        fits = [c for c in named if keys and keys <= joinable[c]]
        match = fits[0] if fits else superset(keys, joinable)
        if match is not None:
            out[name] = match
    return out


def _name_shared_tables(
    own_names: frozenset[str], uses: dict[str, list[tuple[str, str]]], named: set[str]
) -> dict[str, str]:
    """Anonymous table structures that properties of several names share are renamed for
    what they are (`fitting_names`) rather than after the operation whose table described
    them; the operation's name stays for a structure one property name uses."""
    renames: dict[str, str] = {}
    taken = set(named)
    for name in sorted(own_names):
        for candidate in fitting_names(uses.get(PENDING + OWN + name, [])):
            if candidate not in taken:
                renames[name] = candidate
                taken.add(candidate)
                break
    return renames


def _name_inferred(
    inferred: Mapping[str, Inferred], named: set[str], uses: dict[str, list[tuple[str, str]]]
) -> dict[str, str]:
    """Names from context, never from discovery order: a structure that properties of
    several names share takes a name that fits them all (`fitting_names`); otherwise the
    smallest context name wins."""
    fitting = {key: fitting_names(uses.get(PENDING + INFERRED + key, [])) for key in inferred}
    wanted = {key: min(inf.short) for key, inf in inferred.items()}
    claims = Counter(wanted.values())
    names: dict[str, str] = {}
    used = set(named)
    for key in sorted(inferred, key=lambda k: (wanted[k], k)):
        name = next((c for c in fitting[key] if c not in used and claims[c] == 0), wanted[key])
        if name == wanted[key] and (claims[name] > 1 or name in used):
            name = min(inferred[key].qualified)
        if name in used:
            name = f"{name}{key[:6].upper()}"
        used.add(name)
        names[key] = name
    return names


def rewrite(schema: Any, table: Mapping[str, str], whole: Mapping[str, Schema] | None = None) -> Any:
    """References renamed through `table`; a reference listed in `whole` is replaced by that schema."""
    if isinstance(schema, dict):
        if whole and schema.get("$ref") in whole:
            return whole[schema["$ref"]]
        return {
            k: (table.get(v, v) if k == "$ref" and isinstance(v, str) else rewrite(v, table, whole))
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [rewrite(v, table, whole) for v in schema]
    return schema

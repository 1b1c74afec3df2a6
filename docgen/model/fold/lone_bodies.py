"""The fold's `lone_bodies`: a body that is only a name and a sentence takes the schema that
another page's table gives the same argument, or what its name and sentence say."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping

from docgen.diagnostics import Place
from docgen.model.api import Schema
from docgen.model.evidence import PENDING, LoneBodySeen
from docgen.model.fold.components import BuiltComponents, informative
from docgen.model.fold.tables import Assignment
from docgen.model.typemap import INT32, array_of, map_of

_IDS_RE = re.compile(r"(^|[a-z_])(ids|Ids)$")
_NAMES_RE = re.compile(r"[a-z](Names)$")


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

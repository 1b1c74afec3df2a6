"""The records of the operation table (`operations.py`): each operation's method,
path, parameters, body and status.

Copied by docgen into every package it generates (from docgen/runtime/server/); do not
edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Param:
    name: str  # on the wire: `$select`, `id`
    location: str  # "path" or "query"
    python_name: str
    kind: str  # "string", "integer", "number", "boolean", "date-time", "array", "enum"
    required: bool = False
    values: Sequence[str] = ()
    minimum: int | None = None  # integers: the range their format allows
    maximum: int | None = None


@dataclass(frozen=True)
class Op:
    operation_id: str
    tag: str  # the implementation attribute: `contact_agent`
    name: str  # the method on it: `enrich_contact_entity`
    method: str
    path: str
    params: Sequence[Param]
    body: Any = (
        None  # a model class, the type of a list/dictionary/primitive body, or None
    )
    body_kind: str = "none"  # "model", "typed", "json", "binary", "none"
    status: int = 200
    returns: bool = True  # whether a success answer has a body

"""Routing: integer path parameters route by type (negative ids too), literal segments
before templates, integer templates before string ones.

Copied by docgen into every package it generates (from docgen/runtime/server/); do not
edit.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor

from ._ops import Op


class _SignedInt(Convertor[int]):
    """Starlette's `int` takes digits only; the real API's ids can be negative
    (`ChatSession/-5`)."""

    regex = "-?[0-9]+"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


register_url_convertor("signed_int", _SignedInt())


def route_path(op: Op) -> str:
    """Starlette path: integer path parameters use a signed integer convertor so they
    route by type."""
    out = op.path
    for p in op.params:
        if p.location == "path" and p.kind == "integer":
            out = out.replace("{" + p.name + "}", "{" + p.name + ":signed_int}")
    return out


def route_order(op: Op) -> tuple[tuple[int, str], ...]:
    """Literal segments before templates, integer templates before string ones."""
    kinds = {p.name: p.kind for p in op.params if p.location == "path"}
    key: list[tuple[int, str]] = []
    for segment in op.path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("}"):
            key.append((1 if kinds.get(segment[1:-1]) == "integer" else 2, ""))
        else:
            key.append((0, segment))
    return tuple(key)

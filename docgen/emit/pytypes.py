"""JSON Schema to Python type annotations for the generated client's signatures."""

from __future__ import annotations

from typing import Any

from docgen.emit.pysrc import union_parts
from docgen.model.api import Endpoint, ref_name

_SCALARS = {"integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_STRING_FORMATS = {"date-time": "datetime.datetime", "date": "datetime.date", "binary": "bytes"}


def response_type(ep: Endpoint) -> str:
    """The Python type an operation answers (its success response's schema)."""
    ok = ep.success
    if ok is None or ok.schema is None:
        return "None"
    if ok.schema.get("type") == "string" and ok.schema.get("contentEncoding") == "base64":
        return "bytes"  # `byte` answers: base64 in JSON, decoded by the client
    return annotation(ok.schema)


def annotation(schema: dict[str, Any] | None, models: str = "models.", bounded: bool = False) -> str:
    """The Python type of a schema; with `bounded`, integers carry their range
    (`Annotated[int, Field(ge=..., le=...)]`, for validation; needs `Annotated` and `Field`)."""
    if not schema:
        return "Any"
    if "$ref" in schema:
        return models + ref_name(schema)
    if "anyOf" in schema or "oneOf" in schema:
        parts = [annotation(s, models, bounded=bounded) for s in schema.get("anyOf", schema.get("oneOf", []))]
        return _union(parts)
    t = schema.get("type")
    if isinstance(t, list):
        return _union([annotation({**schema, "type": x}, models, bounded=bounded) for x in t])
    if t == "string":
        return _STRING_FORMATS.get(schema.get("format", ""), "str")
    if t == "integer" and bounded:
        return _bounded_int(schema)
    if t in _SCALARS:
        return _SCALARS[t]
    if t == "array":
        return f"list[{annotation(schema.get('items') or {}, models, bounded=bounded)}]"
    if t == "object":
        extra = schema.get("additionalProperties")
        value = annotation(extra, models, bounded=bounded) if isinstance(extra, dict) and extra else "Any"
        return f"dict[str, {value}]"
    return "Any"


def _bounded_int(schema: dict[str, Any]) -> str:
    """`int`, or `Annotated[int, Field(ge=..., le=...)]` where the schema bounds it."""
    bounds = ", ".join(f"{k}={schema[b]}" for k, b in (("ge", "minimum"), ("le", "maximum")) if b in schema)
    return f"Annotated[int, Field({bounds})]" if bounds else "int"


def _union(parts: list[str]) -> str:
    seen: list[str] = []
    for p in parts:
        for q in union_parts(p):
            if q not in seen:
                seen.append(q)
    if "Any" in seen:
        return "Any"
    if "None" in seen:  # None last, as black-formatted code usually has it
        seen = [p for p in seen if p != "None"] + ["None"]
    return " | ".join(seen)

"""Doc type names (`int32`, `String`, `Enum: A, B`, `ContactEntity`) to JSON Schema."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from docgen.model.api import Schema

# Response tables and parameter tables spell primitives in lower case; request-body tables
# capitalise them (`String`, `Integer`...). Both map to the same schemas.
# The bounds that `format` implies, spelled out: validators (pydantic, the mock server) and API
# testers enforce `minimum`/`maximum`, not formats; the real API rejects what does not fit.
INT32: Schema = {"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}
INT64: Schema = {"type": "integer", "format": "int64", "minimum": -(2**63), "maximum": 2**63 - 1}
PRIMITIVES: dict[str, Schema] = {
    "string": {"type": "string"},
    "int32": INT32,
    "int64": INT64,
    "integer": INT32,
    "int": INT32,
    "bool": {"type": "boolean"},
    "boolean": {"type": "boolean"},
    "date-time": {"type": "string", "format": "date-time"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "double": {"type": "number", "format": "double"},
    "float": {"type": "number", "format": "float"},
    "decimal": {"type": "number"},
    "number": {"type": "number"},
    # Base64 text: OpenAPI 3.1 says so with contentEncoding (format: byte is 3.0).
    "byte": {"type": "string", "contentEncoding": "base64"},
    "binary": {"type": "string", "format": "binary"},
}
_NAMED_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ENUM_RE = re.compile(r"^\s*Enum\s*:\s*(.*)$", re.I | re.S)


# "any": any JSON value, where a standard says so (a JSON Patch operation's value); no cell reads so.
TypeKind = Literal["primitive", "array", "object", "enum", "named", "unknown", "any"]


@dataclass(frozen=True)
class DocType:
    """A table's type cell, classified."""

    kind: TypeKind
    schema: Schema  # for primitives and enums
    name: str = ""  # for named types
    raw: str = ""


def classify_type(cell: str) -> DocType:
    kind, schema_json, name, raw = _classify(cell)
    return DocType(kind, json.loads(schema_json), name, raw)


@lru_cache(maxsize=4096)
def _classify(cell: str) -> tuple[TypeKind, str, str, str]:
    t = _classify_uncached(cell)
    return t.kind, json.dumps(t.schema), t.name, t.raw


def _classify_uncached(cell: str) -> DocType:
    raw = cell.strip()
    m = _ENUM_RE.match(raw)
    if m:
        values = [v.strip() for v in m.group(1).split(",") if v.strip()]
        if not values:  # `Enum:` listing nothing is not understood (DG109): never `enum: []`
            return DocType("unknown", {}, raw=raw)
        return DocType("enum", {"type": "string", "enum": values}, raw=raw)
    low = raw.lower()
    if low in PRIMITIVES:
        return DocType("primitive", dict(PRIMITIVES[low]), raw=raw)
    if low == "array":
        return DocType("array", {}, raw=raw)
    if low == "object":
        return DocType("object", {}, raw=raw)
    if _NAMED_RE.match(raw):
        return DocType("named", {}, name=raw, raw=raw)
    return DocType("unknown", {}, raw=raw)


def nullable(schema: Schema) -> Schema:
    """The schema, or null: OpenAPI 3.1 spells it with a type list or anyOf."""
    if not schema:
        return schema  # already accepts anything, null included
    if "$ref" in schema:
        return {
            "anyOf": [{"$ref": schema["$ref"]}, {"type": "null"}],
            **{k: v for k, v in schema.items() if k not in ("$ref",)},
        }
    if "anyOf" in schema:
        if any(s.get("type") == "null" for s in schema["anyOf"]):
            return schema
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    t = schema.get("type")
    if t == "object":
        # A type list would lose additionalProperties in datamodel-code-generator.
        return {"anyOf": [schema, {"type": "null"}]}
    if isinstance(t, str):
        out = dict(schema)
        out["type"] = [t, "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return out
    return schema


def array_of(items: Schema) -> Schema:
    """A JSON array: the real API sends and accepts null as an item, whatever the item type."""
    return {"type": "array", "items": nullable(items)}


def map_of(values: Schema) -> Schema:
    """A JSON dictionary: the real API sends and accepts null as a value, whatever the value type."""
    return {"type": "object", "additionalProperties": nullable(values)}

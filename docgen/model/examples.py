"""Sample values made to fit their schemas.

The pages' samples are filler (their JSON kinds and keys can be trusted, their values cannot):
where the declared type says more than the sample's JSON kind (an enum, a date, bytes,
the element type the .NET reference gives an array), the filler does not fit. An example must
validate against its schema (tools and the mock server use them), so each value that does not
fit becomes the simplest value that does: an enum's first value, a fixed date, the filler text
base64-encoded as bytes, the zero value of the type. Values that fit are left as the page has them.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from docgen.model.api import Schema, ref_name
from docgen.model.infer import DATETIME_RE

_DATE = "2023-01-01T00:00:00Z"  # RFC 3339, as JSON Schema's date-time has it
_ZERO: dict[str, Any] = {"string": "", "integer": 0, "number": 0, "boolean": False, "array": [], "object": {}}
_MAX_DEPTH = 64  # schemas nest through components; samples are never deeper than this


def fitted(schema: Schema | None, value: Any, components: Mapping[str, Schema], depth: int = 0) -> Any:
    """`value` where it fits `schema` (components followed), else the simplest value that does."""
    if not schema or value is None or depth > _MAX_DEPTH:
        return value
    if "$ref" in schema:
        return fitted(components.get(ref_name(schema)), value, components, depth + 1)
    alternatives = [a for a in schema.get("anyOf", ()) if a.get("type") != "null"]
    if alternatives:
        return fitted(alternatives[0], value, components, depth + 1)
    values = [v for v in schema.get("enum", ()) if v is not None]
    if values:
        return value if value in values else values[0]
    kind = _kind(schema)
    if kind == "array":
        items = schema.get("items")
        return [fitted(items, v, components, depth + 1) for v in value] if isinstance(value, list) else []
    if kind == "object":
        return _fitted_object(schema, value, components, depth) if isinstance(value, dict) else {}
    return _fitted_scalar(kind, schema, value)


def _fitted_scalar(kind: str, schema: Schema, value: Any) -> Any:
    if kind == "string":
        return _fitted_string(schema, value)
    if kind in ("integer", "number"):
        ok = isinstance(value, int) or (kind == "number" and isinstance(value, float))
        return value if ok and not isinstance(value, bool) else 0
    if kind == "boolean":
        return value if isinstance(value, bool) else False
    return value


def _kind(schema: Schema) -> str:
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    return t if isinstance(t, str) else ""


def _fitted_object(schema: Schema, value: dict, components: Mapping[str, Schema], depth: int) -> dict:
    props = schema.get("properties") or {}
    extra = schema.get("additionalProperties")
    return {
        k: fitted(props.get(k, extra if isinstance(extra, dict) else None), v, components, depth + 1)
        for k, v in value.items()
    }


def _fitted_string(schema: Schema, value: Any) -> Any:
    if not isinstance(value, str):
        return _ZERO["string"]
    if schema.get("format") == "date-time" and not _is_date(value):
        return _DATE
    if schema.get("contentEncoding") == "base64" and not _is_base64(value):
        # `byte` answers show "GIF89....File contents as raw bytes..." where the API sends
        # base64: that text, encoded, decodes to the same bytes.
        return base64.b64encode(value.encode("utf-8")).decode("ascii")
    return value


def _is_date(value: str) -> bool:
    return bool(DATETIME_RE.match(value))


def _is_base64(value: str) -> bool:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True

"""The wire codec: how path and query values, and JSON bodies, look on the wire.

The client encodes with it and the server stub decodes with it, so the two cannot
disagree: arrays go comma-separated (`?ids=1,2`, as the reference shows), booleans as
`true`/`false`, dates as ISO 8601, enums as their value; `$select` reaches the wire as
`$select`.

Copied by docgen into every package it generates (from docgen/runtime/_wire.py); do not
edit.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from ._types import UNSET

_SEQUENCES = (list, tuple, set, frozenset)
# What stays as it is in a query: `$select`, `a,b` lists, dates' `:`, paths' `/`.
_KEY_SAFE = "$"
_VALUE_SAFE = ",/:$"


def encode(value: Any) -> str:
    """A path or query value as the API reads it."""
    if isinstance(value, _SEQUENCES):
        return ",".join(encode(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return encode(value.value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def query_string(query: Iterable[tuple[str, Any]]) -> str:
    """`a=1&b=x,y` from pairs; None and UNSET values are left out."""
    pairs = [(k, encode(v)) for k, v in query if v is not None and v is not UNSET]
    return "&".join(
        f"{quote(k, safe=_KEY_SAFE)}={quote(v, safe=_VALUE_SAFE)}" for k, v in pairs
    )


def path_of(template: str, values: Mapping[str, Any]) -> str:
    """`/api/v1/Contact/{id}` with each `{name}` replaced by its value, escaped."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", quote(encode(value), safe=""))
    return template


def to_json(value: Any) -> Any:
    """A request body as JSON values: models by their JSON names, with only the fields
    set; dates, enums and decimals as JSON has them."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return to_jsonable_python(value)


def decode(
    raw: str,
    kind: str,
    *,
    values: Sequence[str] = (),
    minimum: int | None = None,
    maximum: int | None = None,
) -> Any:
    """A path or query value as `encode` wrote it, read as `kind` (`integer`, `number`,
    `boolean`, `date-time`, `array`, `enum`, `string`); ValueError when it is not one.

    A date and time stays the text sent, once it is known to be one; an enum value is
    matched to the listed one regardless of case."""
    if kind == "integer":
        number = int(raw)
        if (minimum is not None and number < minimum) or (
            maximum is not None and number > maximum
        ):
            raise ValueError(f"{number} is out of range ({minimum} to {maximum})")
        return number
    if kind == "number":
        return float(raw)
    if kind == "boolean":
        low = raw.lower()
        if low not in ("true", "false", "1", "0"):
            raise ValueError(f"expected true or false, got {raw!r}")
        return low in ("true", "1")
    if kind == "date-time":
        datetime.fromisoformat(raw.upper())  # RFC 3339, `t` and `z` in either case
        return raw
    if kind == "array":
        return [v for v in raw.split(",") if v != ""]
    if kind == "enum" and values and raw not in values:
        match = next((v for v in values if v.lower() == raw.lower()), None)
        if match is None:
            raise ValueError(f"expected one of {', '.join(values)}")
        return match
    return raw

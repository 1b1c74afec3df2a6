"""A request read as the implementation takes it: path and query parameters decoded by
the wire codec the client encodes with, JSON bodies validated as the real API reads
them, bytes from base64 where JSON carries them.

Copied by docgen into every package it generates (from docgen/runtime/server/); do not
edit.
"""

from __future__ import annotations

import base64
import contextlib
import json
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from .._base import closed_enums
from .._wire import decode
from ._answers import error_response
from ._ops import Op


def _integral_float(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _integral_numbers(content: bytes) -> bytes:
    """JSON with `1.0` and `1e2` written as the integers they are: JSON Schema's
    integers include them, and strict validation would not."""
    if b"." not in content and b"e" not in content.lower():
        return content
    return json.dumps(json.loads(content, parse_float=_integral_float)).encode()


@cache
def _adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


class Refused(Exception):
    """A request answered with an error before it reaches the implementation."""

    def __init__(self, response: Response) -> None:
        self.response = response


def arguments(op: Op, request: Request) -> dict[str, Any]:
    """The path and query parameters as the implementation takes them."""
    kwargs: dict[str, Any] = {}
    for p in op.params:
        raw = (
            request.path_params.get(p.name)
            if p.location == "path"
            else request.query_params.get(p.name)
        )
        if raw is None:
            if p.required:
                raise Refused(
                    error_response(
                        400, f"missing required {p.location} parameter {p.name}"
                    )
                )
            kwargs[p.python_name] = None
            continue
        try:
            kwargs[p.python_name] = decode(
                str(raw),  # path integers arrive converted
                p.kind,
                values=p.values,
                minimum=p.minimum,
                maximum=p.maximum,
            )
        except ValueError as e:
            raise Refused(
                error_response(400, f"invalid {p.location} parameter {p.name}: {e}")
            ) from None
    return kwargs


def binary_body(content: bytes, content_type: str) -> bytes:
    if "json" not in content_type:
        return content
    # Bytes in JSON are a base64 string (the spec's JSON media types say so).
    try:
        return base64.b64decode(
            _adapter(str).validate_json(content or b"null", strict=True), validate=True
        )
    except (ValueError, ValidationError):
        message = "invalid request body: expected the bytes as a base64 JSON string"
        raise Refused(error_response(400, message)) from None


def json_body(op: Op, content: bytes, strict_enums: bool) -> Any:
    """Wire JSON read as the real API's deserializer reads it: strictly (no `true` for
    an integer, no number for a date) and by JSON names only (a key spelled like a
    Python name, `value` beside `Value`, is an unknown field). With `strict_enums`, a
    request takes only the enum values the reference lists."""
    try:
        raw_json = _integral_numbers(content or b"null")
        with closed_enums() if strict_enums else contextlib.nullcontext():
            if op.body_kind == "model" and op.body is not None:
                return op.body.model_validate_json(
                    raw_json, strict=True, by_alias=True, by_name=False
                )
            if op.body_kind == "typed":
                return _adapter(op.body).validate_json(
                    raw_json, strict=True, by_alias=True, by_name=False
                )
            return json.loads(raw_json)
    except (ValueError, ValidationError) as e:
        message = (
            e.errors(include_url=False, include_input=False)
            if isinstance(e, ValidationError)
            else str(e)
        )
        raise Refused(error_response(400, f"invalid request body: {message}")) from None

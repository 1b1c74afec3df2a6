"""Runtime of the generated server: routing, argument parsing, errors, `$select`.

The app is built from a table of operations (`operations.py`) and an implementation
object you write (see `protocols.py`), so regenerating never overwrites hand-written
code. Copied by docgen into every package it generates (from
docgen/runtime/server/_runtime.py); do not edit.
"""

from __future__ import annotations

import base64
import contextlib
import inspect
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import to_jsonable_python
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .._base import closed_enums

logger = logging.getLogger(__name__.rpartition(".")[0])  # `<package>.server`


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


class ApiProblem(Exception):
    """Raise from an implementation to answer with SuperOffice's error body."""

    def __init__(
        self, status: int, message: str, error_type: str = "", source: str = ""
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type or _REASONS.get(status, "Error")
        self.source = source


_REASONS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    412: "PreconditionFailed",
    500: "InternalServerError",
    501: "NotImplemented",
}


@dataclass(frozen=True)
class RequestContext:
    """What an implementation may want to know of the request besides its arguments."""

    request: Request
    operation_id: str

    @property
    def headers(self) -> Mapping[str, str]:
        return self.request.headers


def error_response(
    status: int, message: str, error_type: str = "", source: str = ""
) -> JSONResponse:
    body = {
        # SuperOffice's error body (docgen/model/api.py ERROR_FIELDS).
        "Error": message,
        "ErrorType": error_type or _REASONS.get(status, "Error"),
        "ErrorMessage": message,
        "ErrorSource": source,
    }
    return JSONResponse(body, status_code=status)


def _is_odata(data: Any) -> bool:
    """`{"odata.metadata": ..., "odata.nextLink": ..., "value": [rows]}`: an OData
    answer."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("value"), list)
        and all(k == "value" or k.startswith("odata.") for k in data)
    )


def shaped(op: Op, data: Any, query: Mapping[str, str]) -> Any:
    """The answer as the query asks for it: `$select` picks fields (of the rows of an
    OData answer, whose envelope stays), `$skip` and `$top` page through those rows."""
    names = {p.name for p in op.params}
    select = query.get("$select") if "$select" in names else None
    if not _is_odata(data):
        return select_fields(data, select) if select else data
    rows = data["value"]
    skip = _count(query.get("$skip")) if "$skip" in names else 0
    top = _count(query.get("$top")) if "$top" in names and query.get("$top") else None
    page = rows[skip:] if top is None else rows[skip : skip + top]
    out = {
        **data,
        "value": [select_fields(r, select) for r in page] if select else page,
    }
    if "odata.nextLink" in out and (top is None or skip + top >= len(rows)):
        out["odata.nextLink"] = None  # the last page
    return out


def _count(raw: str | None) -> int:
    return max(0, int(raw)) if raw and raw.lstrip("-").isdigit() else 0


def select_fields(data: Any, select: str) -> Any:
    """`$select=Name,category/id`: every other top-level field is nulled, as the API
    does."""
    keep = {
        part.strip().split("/", 1)[0].split(".", 1)[0].lower()
        for part in select.split(",")
        if part.strip()
    }
    if not keep:
        return data
    if isinstance(data, list):
        return [select_fields(item, select) for item in data]
    if isinstance(data, dict):
        return {k: (v if k.lower() in keep else None) for k, v in data.items()}
    return data


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


def _convert(p: Param, raw: str) -> Any:
    if p.kind == "integer":
        value = int(raw)
        if (p.minimum is not None and value < p.minimum) or (
            p.maximum is not None and value > p.maximum
        ):
            raise ValueError(f"{value} is out of range ({p.minimum} to {p.maximum})")
        return value
    if p.kind == "number":
        return float(raw)
    if p.kind == "boolean":
        low = raw.lower()
        if low not in ("true", "false", "1", "0"):
            raise ValueError(f"expected true or false, got {raw!r}")
        return low in ("true", "1")
    if p.kind == "date-time":
        # RFC 3339 (`t` and `z` in either case) or a date; the text reaches the
        # implementation as sent, once it is known to be a real date and time.
        datetime.fromisoformat(raw.upper())
        return raw
    if p.kind == "array":
        return [v for v in raw.split(",") if v != ""]
    if p.kind == "enum" and p.values and raw not in p.values:
        match = next((v for v in p.values if v.lower() == raw.lower()), None)
        if match is None:
            raise ValueError(f"expected one of {', '.join(p.values)}")
        return match
    return raw


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


class _Refused(Exception):
    """A request answered with an error before it reaches the implementation."""

    def __init__(self, response: Response) -> None:
        self.response = response


def _arguments(op: Op, request: Request) -> dict[str, Any]:
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
                raise _Refused(
                    error_response(
                        400, f"missing required {p.location} parameter {p.name}"
                    )
                )
            kwargs[p.python_name] = None
            continue
        try:
            kwargs[p.python_name] = _convert(
                p, str(raw)
            )  # path integers arrive converted
        except ValueError as e:
            raise _Refused(
                error_response(400, f"invalid {p.location} parameter {p.name}: {e}")
            ) from None
    return kwargs


def _binary_body(content: bytes, content_type: str) -> bytes:
    if "json" not in content_type:
        return content
    # Bytes in JSON are a base64 string (the spec's JSON media types say so).
    try:
        return base64.b64decode(
            _adapter(str).validate_json(content or b"null", strict=True), validate=True
        )
    except (ValueError, ValidationError):
        message = "invalid request body: expected the bytes as a base64 JSON string"
        raise _Refused(error_response(400, message)) from None


def _json_body(op: Op, content: bytes, strict_enums: bool) -> Any:
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
        raise _Refused(
            error_response(400, f"invalid request body: {message}")
        ) from None


def _answer(op: Op, result: Any, request: Request) -> Response:
    if not op.returns or op.status == 204:
        return Response(status_code=op.status)
    if isinstance(result, BaseModel):
        data = result.model_dump(mode="json", by_alias=True)
    else:
        data = to_jsonable_python(result, by_alias=True)
    return JSONResponse(shaped(op, data, request.query_params), status_code=op.status)


def _endpoint(
    op: Op, impl: Any, require_auth: bool, strict_enums: bool
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        if require_auth and not (
            request.headers.get("authorization") or request.headers.get("x-xsrf-token")
        ):
            # Every operation requires Basic, SOTicket or Bearer credentials, or an XSRF
            # token.
            return error_response(
                401,
                "authentication required: send an Authorization header or X-XSRF-TOKEN",
            )
        handler = getattr(getattr(impl, op.tag, None), op.name, None)
        if handler is None:
            return error_response(
                501, f"{op.operation_id} is not implemented by this server"
            )
        try:
            kwargs = _arguments(op, request)
            if op.body_kind == "binary":
                kwargs["body"] = _binary_body(
                    await request.body(), request.headers.get("content-type", "")
                )
            elif op.body_kind != "none":
                kwargs["body"] = _json_body(op, await request.body(), strict_enums)
        except _Refused as refused:
            return refused.response
        try:
            result = handler(RequestContext(request, op.operation_id), **kwargs)
            if inspect.isawaitable(result):
                result = await result
        except ApiProblem as e:
            return error_response(e.status, e.message, e.error_type, e.source)
        except Exception:
            logger.exception("%s failed", op.operation_id)
            return error_response(500, f"{op.operation_id} failed on the server")
        return _answer(op, result, request)

    endpoint.__name__ = op.name
    return endpoint


def _add_docs_page(app: FastAPI, title: str) -> None:
    """`/docs`: the interactive API page, its assets served from here (no CDN: works
    offline)."""
    try:
        import fastapi_offline
    except ImportError:  # part of the [server] extra; without it there is no /docs
        return
    from fastapi.openapi.docs import get_swagger_ui_html
    from starlette.staticfiles import StaticFiles

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

    async def docs(request: Request) -> Response:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{title} - API docs",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon.png",
        )

    app.router.routes.append(
        Route("/docs", docs, methods=["GET"], include_in_schema=False)
    )


def build_app(
    impl: Any,
    operations: Sequence[Op],
    spec: Callable[[], dict[str, Any]],
    title: str,
    version: str,
    require_auth: bool = True,
    strict_enums: bool = False,
) -> FastAPI:
    """A FastAPI app answering every operation from `impl`; `/openapi.json` is docgen's
    spec.

    With `require_auth`, a request without credentials is answered 401, as the spec
    says; checking the credentials themselves is the implementation's job (see
    `RequestContext`). A request body holding an enum value the spec does not list is
    taken, as the real API takes the values it added after the reference was written;
    with `strict_enums` it is answered 400, as the spec says (to catch a typo).
    """
    app = FastAPI(
        title=title, version=version, docs_url=None, redoc_url=None, openapi_url=None
    )

    async def openapi(request: Request) -> Response:
        # This server first, so the /docs page's "Try it out" calls it, not a tenant.
        here = {"url": str(request.base_url).rstrip("/"), "description": "This server"}
        document = spec()
        return JSONResponse(
            {**document, "servers": [here, *document.get("servers", [])]}
        )

    app.router.routes.append(
        Route("/openapi.json", openapi, methods=["GET"], include_in_schema=False)
    )
    _add_docs_page(app, title)
    for op in sorted(
        operations, key=lambda o: (route_order(o), o.method, o.operation_id)
    ):
        app.router.routes.append(
            Route(
                route_path(op),
                _endpoint(op, impl, require_auth, strict_enums),
                methods=[op.method],
                name=op.operation_id,
            )
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error_response(exc.status_code, str(exc.detail))

    return app

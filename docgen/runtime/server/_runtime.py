"""Runtime of the generated server: the app, each operation's endpoint, the docs page.

The app is built from a table of operations (`operations.py`) and an implementation
object you write (see `protocols.py`), so regenerating never overwrites hand-written
code. An implementation's methods may be plain functions (run in a worker thread, so a
slow one never stalls the others) or coroutines. Copied by docgen into every package it
generates (from docgen/runtime/server/); do not edit.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._answers import ApiProblem, answer, error_response, select_fields, shaped
from ._arguments import Refused, arguments, binary_body, json_body
from ._ops import Op, Param
from ._routing import route_order, route_path

# What the generated server modules and implementations import from here.
__all__ = [
    "ApiProblem",
    "Op",
    "Param",
    "RequestContext",
    "build_app",
    "error_response",
    "select_fields",
    "shaped",
]


logger = logging.getLogger(__name__.rpartition(".")[0])  # `<package>.server`


@dataclass(frozen=True)
class RequestContext:
    """What an implementation may want to know of the request besides its arguments."""

    request: Request
    operation_id: str

    @property
    def headers(self) -> Mapping[str, str]:
        return self.request.headers


async def _called(
    handler: Callable[..., Any], context: RequestContext, kwargs: dict[str, Any]
) -> Any:
    """The handler's result: a coroutine awaited here, a plain function run in a worker
    thread (off the event loop)."""
    if inspect.iscoroutinefunction(handler):
        return await handler(context, **kwargs)
    result = await run_in_threadpool(handler, context, **kwargs)
    return await result if inspect.isawaitable(result) else result


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
            kwargs = arguments(op, request)
            if op.body_kind == "binary":
                kwargs["body"] = binary_body(
                    await request.body(), request.headers.get("content-type", "")
                )
            elif op.body_kind != "none":
                kwargs["body"] = json_body(op, await request.body(), strict_enums)
        except Refused as refused:
            return refused.response
        try:
            result = await _called(
                handler, RequestContext(request, op.operation_id), kwargs
            )
        except ApiProblem as e:
            return error_response(e.status, e.message, e.error_type, e.source)
        except Exception:
            logger.exception("%s failed", op.operation_id)
            return error_response(500, f"{op.operation_id} failed on the server")
        return answer(op, result, request)

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


def _spec_route(spec_text: Callable[[], str]) -> tuple[Route, Callable[[str], bytes]]:
    """`/openapi.json`: docgen's spec, this server named first; and the function that
    makes its body for a base URL (`serve --watch` runs it before the first request)."""
    # The spec as sent, by the base URL it names (and the text it was made of, which
    # `spec_text` may read again).
    bodies: dict[str, tuple[str, bytes]] = {}

    def body_for(base: str) -> bytes:
        text = spec_text()
        made = bodies.get(base)
        if made is None or made[0] is not text:
            if len(bodies) >= 8:  # a few names of this server at most
                bodies.clear()
            made = bodies[base] = (text, with_server_first(text, base))
        return made[1]

    async def openapi(request: Request) -> Response:
        body = body_for(str(request.base_url).rstrip("/"))
        return Response(body, media_type="application/json")

    route = Route("/openapi.json", openapi, methods=["GET"], include_in_schema=False)
    return route, body_for


_SERVERS = '"servers":'


def with_server_first(text: str, base: str) -> bytes:
    """The spec's compact JSON with this server first among its servers, so the /docs
    page's "Try it out" calls it. The list is replaced in the text, not the document
    parsed and written again (as long as the rest of a rebuild for a spec of thousands
    of operations): docgen writes `servers` at the top, after `info` (whose values are
    text), so its first occurrence before `paths` is the document's own."""
    here = {"url": base, "description": "This server"}
    start = text.find(_SERVERS + "[")
    paths = text.find('"paths":')
    if start < 0 or 0 <= paths < start:
        document = json.loads(text)
        servers = [here, *document.get("servers", [])]
        return bytes(JSONResponse({**document, "servers": servers}).body)
    at = start + len(_SERVERS)
    listed, end = json.JSONDecoder().raw_decode(text, at)
    servers_text = json.dumps(
        [here, *listed], ensure_ascii=False, allow_nan=False, separators=(",", ":")
    )
    return (text[:at] + servers_text + text[end:].rstrip("\n")).encode("utf-8")


def build_app(
    impl: Any,
    operations: Sequence[Op],
    spec_text: Callable[[], str],
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

    route, app.state.openapi_body = _spec_route(spec_text)
    app.router.routes.append(route)
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

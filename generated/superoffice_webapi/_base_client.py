"""What `Client` and `AsyncClient` share: settings, per-call options, copies
(`with_options`), paging, `for_tenant`, and every step of a call but the I/O, which the
two drivers in `_client.py` carry out.

Copied by docgen into every package it generates (from docgen/runtime/_base_client.py);
do not edit.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from typing import (
    IO,
    Any,
    Generic,
    Protocol,
    Required,
    Self,
    TypedDict,
    TypeVar,
)

import httpx

from . import _logging
from ._exceptions import where
from ._request import PreparedCall
from ._response import ApiResponse, parse
from ._retry import (
    SYSTEM_CLOCK,
    CallPlan,
    Clock,
    Deadline,
    Outcome,
    RetryPolicy,
    Send,
    Sleep,
)
from ._types import (
    NO_OPTIONS,
    UNSET,
    Headers,
    Mode,
    Operation,
    Query,
    RequestOptions,
    Timeout,
    Unset,
)
from .pagination import PageMethod, Rows

T = TypeVar("T")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)
TR = TypeVar("TR", httpx.BaseTransport, httpx.AsyncBaseTransport)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
# The request headers every call may carry, set from the client's keyword arguments
# (the spec lists them as header parameters: docgen/model/api.py STANDARD_HEADERS).
STANDARD_HEADERS = {
    "accept_language": "Accept-Language",
    "so_language": "SO-Language",
    "so_culture": "SO-Culture",
    "so_time_zone": "SO-TimeZone",
    "so_app_token": "SO-AppToken",
}
# What a copy made by `with_options` shares with its original.
_SETTINGS = ("base_url", "auth", "retries", "deadline", "timeout", "_headers")
_SHARED = ("_http", "_locator", "_clock", "_uniform")


class TenantEndpoint(Protocol):
    """Where a tenant's installation is now (`online.TenantLocator`)."""

    def endpoint(self) -> str: ...

    async def aendpoint(self) -> str: ...

    def forget(self) -> None: ...


class CallParts(TypedDict, total=False):
    """What a call sends besides its operation (the generated methods give these)."""

    path: Required[Mapping[str, Any]]  # path parameters by their names in the route
    query: Required[Mapping[str, Any]]  # query parameters by their wire names
    body: Any  # UNSET for none
    options: RequestOptions
    mode: Mode  # "parsed" (the default), "raw" or "stream"


class RequestArgs(TypedDict, total=False):
    """The keyword arguments of `request()` besides `cast_to`."""

    params: Query | None  # query parameters by their wire names
    json: object  # a JSON body
    content: bytes | IO[bytes] | Iterable[bytes] | AsyncIterable[bytes] | None
    headers: Headers | None
    timeout: Timeout | Unset


class BaseClient(Generic[H, TR]):
    """What `Client` and `AsyncClient` share: everything but sending."""

    _http: H
    _pool_kind: type[H]  # httpx.Client or httpx.AsyncClient
    _owns_http = True
    _locator: TenantEndpoint | None = None
    _clock: Clock = SYSTEM_CLOCK
    _uniform: Callable[[float, float], float] = staticmethod(random.uniform)

    def __init__(
        self,
        base_url: str,
        *,
        auth: httpx.Auth | None = None,
        accept_language: str | None = None,
        so_language: str | None = None,
        so_culture: str | None = None,
        so_time_zone: str | None = None,
        so_app_token: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | Unset = UNSET,
        verify: bool | str = True,
        retries: int = 3,
        deadline: float | None = None,
        transport: TR | None = None,
        http_client: H | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        # `timeout` bounds each wait for the network (connect, each read); `deadline`,
        # when set, the whole call: every attempt, the waits between them, the answer.
        self._timeout_given = not isinstance(timeout, Unset)
        self.timeout = httpx.Timeout(
            DEFAULT_TIMEOUT if isinstance(timeout, Unset) else timeout
        )
        self.deadline = deadline
        # 429 and 503 are retried after their Retry-After; 502, 504 and transport
        # failures only for idempotent methods: a POST that may have reached the server
        # is never sent twice.
        self.retries = max(0, retries)
        given = dict(
            accept_language=accept_language,
            so_language=so_language,
            so_culture=so_culture,
            so_time_zone=so_time_zone,
            so_app_token=so_app_token,
        )
        standard = {STANDARD_HEADERS[k]: v for k, v in given.items() if v is not None}
        self._headers = {"Accept": "application/json", **standard, **(headers or {})}
        self._verify = verify
        self._http = self._pool(http_client, transport)
        _logging.configure_from_environment()

    def _pool(self, http_client: H | None, transport: TR | None) -> H:
        """The caller's httpx client, used as it is (with its timeout unless the SDK was
        given one, and never closed by the SDK), or a new one."""
        if http_client is None:
            return self._new_pool(transport)
        if transport is not None:
            raise ValueError("pass transport= or http_client=, not both")
        if not isinstance(http_client, self._pool_kind):
            name = self._pool_kind.__name__
            raise TypeError(f"http_client must be an httpx.{name}")
        self._owns_http = False
        if not self._timeout_given:
            self.timeout = http_client.timeout
        return http_client

    def _new_pool(self, transport: TR | None) -> H:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, auth={self.auth!r})"

    def with_options(
        self,
        *,
        timeout: Timeout | Unset = UNSET,
        retries: int | Unset = UNSET,
        deadline: float | None | Unset = UNSET,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | None | Unset = UNSET,
    ) -> Self:
        """A client of the same class with these settings changed, sharing this one's
        connection pool (closing the copy leaves the pool open); this one is unchanged.

        `client.with_options(timeout=120, retries=0).document.get_document_stream(1)`
        """
        clone = object.__new__(type(self))
        for name in (*_SETTINGS, *_SHARED):
            setattr(clone, name, getattr(self, name))
        clone._headers = {**self._headers, **(headers or {})}
        clone._owns_http = False
        if not isinstance(timeout, Unset):
            clone.timeout = httpx.Timeout(timeout)
        if not isinstance(retries, Unset):
            clone.retries = max(0, retries)
        if not isinstance(deadline, Unset):
            clone.deadline = deadline
        if not isinstance(auth, Unset):
            clone.auth = auth
        return clone

    def paginate(
        self,
        method: PageMethod[T],
        *args: Any,
        page_size: int = 200,
        limit: int | None = None,
        **kwargs: Any,
    ) -> Rows[T]:
        """The rows of any operation that takes `$top` and `$skip`, page after page,
        until a short page or an answer without `odata.nextLink`; at most `limit` rows.

        `for row in client.paginate(client.contact.get_all, select=["name"]):` (with
        `AsyncClient`, `async for`)
        """
        return Rows(method, args, kwargs, page_size, limit)

    @classmethod
    def for_tenant(
        cls,
        context_identifier: str,
        *,
        auth: httpx.Auth | None,
        environment: str = "online",
        **options: Any,
    ) -> Self:
        """A client of the tenant's installation wherever it lives now.

        The base URL is the state API's `Endpoint` (`{environment}/api/state/<ctx>`),
        kept until its `ValidUntil` and asked again after it or when the tenant stops
        answering. Raises `online.TenantUnavailable` when the tenant is not running
        (`Client`: at once; `AsyncClient`: at the first call).
        """
        from .online.tenant import TenantLocator

        locator = TenantLocator(context_identifier, environment)
        client = cls(cls._first_endpoint(locator), auth=auth, **options)
        client._locator = locator
        return client

    @staticmethod
    def _first_endpoint(locator: TenantEndpoint) -> str:
        return "http://tenant.invalid"  # asked at the first call

    # Carrying out a call: what both drivers share -------------------------------------

    def _custom(
        self, method: str, path: str, cast_to: Any, args: RequestArgs
    ) -> tuple[Operation[Any], CallParts]:
        """`request()`'s arguments as an operation and the parts of its call."""
        if "://" in path:
            raise ValueError("request() takes a path under the client's base URL")
        if "json" in args and args.get("content") is not None:
            raise TypeError("pass json= or content=, not both")
        headers = args.get("headers") or {}
        media = "application/json"
        body = args.get("json", UNSET)
        if args.get("content") is not None:
            body = args.get("content")
            given = {k.lower(): v for k, v in headers.items()}.get("content-type")
            media = given or "application/octet-stream"
        op = Operation(
            f"{method.upper()} {path}",
            method.upper(),
            "/" + path.lstrip("/"),
            Any if cast_to is None else cast_to,
            media,
        )
        timeout = args.get("timeout", UNSET)
        options = RequestOptions(headers, args.get("params"), None, timeout)
        return op, CallParts(path={}, query={}, body=body, options=options)

    def _prepare(
        self, op: Operation[Any], parts: CallParts
    ) -> tuple[PreparedCall, Mode]:
        body, options = parts.get("body", UNSET), parts.get("options", NO_OPTIONS)
        path, query = parts["path"], parts["query"]
        call = PreparedCall(op, path, query, body, options, self._headers)
        return call, parts.get("mode", "parsed")

    def _follow(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def _begin(self, call: PreparedCall) -> CallPlan:
        """The call's request for where the API is now, and its plan."""
        timeout = call.options.timeout
        limits = self.timeout if isinstance(timeout, Unset) else httpx.Timeout(timeout)
        call.timeout = limits
        call.request = call.build(self._http, self.base_url, limits)
        return CallPlan(
            where(call.request),
            RetryPolicy(self.retries),
            Deadline(self.deadline, self._clock),
            limits,
            uniform=self._uniform,
            replayable=call.replayable,
            relocatable=self._locator is not None,
        )

    def _sending(self, call: PreparedCall, step: Send) -> httpx.Request:
        call.request.extensions["timeout"] = step.limits
        call.started = self._clock.now()
        return call.request

    def _answered(self, call: PreparedCall, step: Send, outcome: Outcome) -> Outcome:
        took = (self._clock.now() - call.started) * 1000
        _logging.attempt(call.request, outcome, took, step.attempt)
        return outcome

    def _waiting(self, call: PreparedCall, step: Sleep) -> float:
        _logging.waiting(call.request, step.seconds, step.attempt, self.retries)
        return step.seconds

    def _rebuilt(self, call: PreparedCall, base_url: str) -> None:
        """The tenant moved: send to `base_url` from now on."""
        self._follow(base_url)
        call.request = call.build(self._http, self.base_url, call.timeout)

    def _auth(self) -> httpx.Auth | Any:
        return self.auth if self.auth is not None else httpx.USE_CLIENT_DEFAULT

    def _finish(self, op: Operation[T], response: httpx.Response, mode: Mode) -> Any:
        if mode == "raw":
            return ApiResponse.of(op, response)
        if mode == "parsed" or not 200 <= response.status_code < 300:
            return parse(op, response)
        return self._streamed(op, response)

    _streamed: Callable[[Operation[Any], httpx.Response], Any]


def stays_open(response: httpx.Response, stream: bool) -> bool:
    """A success streamed to the caller is read by the caller; anything else here."""
    return stream and 200 <= response.status_code < 300


def within(deadline: Deadline, request: httpx.Request, chunk: bytes) -> bytes:
    deadline.check(where(request))  # a trickle of bytes is cut at the deadline
    return chunk


def whole(streamed: httpx.Response, raw: bytes) -> httpx.Response:
    """A streamed answer as one read whole (its body still encoded as sent)."""
    return httpx.Response(
        streamed.status_code,
        headers=streamed.headers,
        content=raw,
        request=streamed.request,
        extensions=streamed.extensions,
    )

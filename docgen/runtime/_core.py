"""Shared machinery of the generated client: auth, errors, requests and responses.

Copied by docgen into every package it generates (from docgen/runtime/_core.py, where it
is linted and type-checked as docgen's own code); regenerated on every build, so do not
edit.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from typing import (
    TYPE_CHECKING,
    Any,
    Concatenate,
    Generic,
    ParamSpec,
    Protocol,
    Self,
    TypeVar,
    cast,
    overload,
)
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import to_jsonable_python

if TYPE_CHECKING:
    from .models import ErrorBody
    from .online import TenantLocator

__all__ = [
    "ApiConnectionError",
    "ApiError",
    "ApiResponse",
    "ApiTimeout",
    "BasicAuth",
    "BearerAuth",
    "SoTicketAuth",
    "UNSET",
    "Unset",
    "UnexpectedResponse",
    "XsrfTokenAuth",
]

logger = logging.getLogger(__name__.rpartition(".")[0])  # the package's name
T = TypeVar("T")
P = ParamSpec("P")
Row = TypeVar("Row", covariant=True)


class Page(Protocol[Row]):
    """An OData answer: its rows are in `value`."""

    @property
    def value(self) -> Sequence[Row] | None: ...


DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class Unset:
    """Marks an argument the caller did not give: it is left out of the request body."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = Unset()


class _SecretAuth(httpx.Auth):
    """Sets one header on every request; the secret never shows in repr or str."""

    header = "Authorization"

    def _value(self) -> str:
        raise NotImplementedError

    def auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self.header] = self._value()
        yield request

    def __repr__(self) -> str:
        return f"{type(self).__name__}(***)"

    __str__ = __repr__


class BasicAuth(_SecretAuth):
    """`Authorization: Basic ...` from a user name and password (on-site)."""

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self._password = password

    def _value(self) -> str:
        return httpx.BasicAuth(self.user, self._password)._auth_header

    def __repr__(self) -> str:
        return f"BasicAuth(user={self.user!r}, password=***)"

    __str__ = __repr__


class SoTicketAuth(_SecretAuth):
    """`Authorization: SOTicket <ticket>`."""

    def __init__(self, ticket: str) -> None:
        self._ticket = ticket

    def _value(self) -> str:
        return f"SOTicket {self._ticket}"


class BearerAuth(httpx.Auth):
    """`Authorization: Bearer <token>` (SuperOffice Online access tokens).

    `token` is a string, or a callable returning one (with `AsyncClient`, it may return
    an awaitable): it is asked once, kept, and asked again once after a 401, when the
    request is sent again with the fresh token. The token never shows in repr or str.
    """

    def __init__(self, token: str | Callable[[], str | Awaitable[str]]) -> None:
        self._source = token
        self._token: str | None = token if isinstance(token, str) else None

    def _sync_token(self, fresh: bool) -> str:
        if self._token is not None and not fresh:
            return self._token
        value = self._source() if callable(self._source) else self._source
        if not isinstance(value, str):
            raise TypeError("BearerAuth: an awaitable token source needs AsyncClient")
        self._token = value
        return value

    async def _async_token(self, fresh: bool) -> str:
        if self._token is not None and not fresh:
            return self._token
        value = self._source() if callable(self._source) else self._source
        token = value if isinstance(value, str) else await value
        self._token = token
        return token

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._sync_token(False)}"
        response = yield request
        if response.status_code == 401 and callable(self._source):
            request.headers["Authorization"] = f"Bearer {self._sync_token(True)}"
            yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        request.headers["Authorization"] = f"Bearer {await self._async_token(False)}"
        response = yield request
        if response.status_code == 401 and callable(self._source):
            request.headers["Authorization"] = f"Bearer {await self._async_token(True)}"
            yield request

    def __repr__(self) -> str:
        return "BearerAuth(***)"

    __str__ = __repr__


class XsrfTokenAuth(_SecretAuth):
    """`X-XSRF-TOKEN: <token>`, the alternative to an Authorization header."""

    header = "X-XSRF-TOKEN"

    def __init__(self, token: str) -> None:
        self._token = token

    def _value(self) -> str:
        return self._token


@dataclass(frozen=True)
class ApiResponse(Generic[T]):
    """A response with its parsed body, as `client.with_raw_response` methods return."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    parsed: T
    http_response: httpx.Response


def raw_method(
    method: Callable[Concatenate[Any, P], T],
) -> Callable[Concatenate[Any, P], ApiResponse[T]]:
    """An operation of a `with_raw_response` namespace: the same arguments, and an
    `ApiResponse` of what the operation returns (the namespace sends with `raw=True`).
    """
    return method  # type: ignore[return-value]


def raw_async_method(
    method: Callable[Concatenate[Any, P], Awaitable[T]],
) -> Callable[Concatenate[Any, P], Awaitable[ApiResponse[T]]]:
    """As `raw_method`, for `AsyncClient`."""
    return method  # type: ignore[return-value]


# Request headers that carry credentials: their values never appear in an exception,
# even where a server's error body quotes them.
_CREDENTIAL_HEADERS = ("authorization", "x-xsrf-token", "so-apptoken", "cookie")
BODY_EXCERPT = 200  # characters of an unexpected body shown in an exception


def _credentials(request: httpx.Request) -> list[str]:
    """The secret values a request carried (a header's value, and its credential)."""
    out: list[str] = []
    for name in _CREDENTIAL_HEADERS:
        value = request.headers.get(name)
        if value:
            out += [value, value.partition(" ")[2]]
    return out


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with each secret replaced by `***`, longest first (a signed token holds
    the token it signs); values under 4 characters are no secret worth hiding."""
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


class ApiError(Exception):
    """An answer that is not a success (any status outside 2xx, redirects included).

    Carries the status, the content type, the start of the body, and SuperOffice's error
    body when it sent one; a credential the request carried is never shown, even where
    the body quotes it (`content` has it replaced too)."""

    def __init__(self, response: httpx.Response, reason: str = "") -> None:
        secrets = _credentials(response.request)
        self.status_code = response.status_code
        self.headers = response.headers
        self.content_type = response.headers.get("content-type", "")
        original = response.content.decode("utf-8", "replace")
        text = redact(original, secrets)
        self.content = text.encode("utf-8") if text != original else response.content
        self.body_start = " ".join(text[:BODY_EXCERPT].split())
        self.body = self._error_body(text)
        body = self.body
        self.error = body.error if body else None
        self.error_type = body.error_type if body else None
        self.error_message = body.error_message if body else None
        self.error_source = body.error_source if body else None
        self.method = response.request.method
        self.url = str(response.request.url.copy_with(query=None))
        detail = (
            reason or self.error_message or self.error or response.reason_phrase or ""
        )
        where = f"HTTP {self.status_code} from {self.method} {self.url}"
        shown = (
            f" ({self.content_type}: {self.body_start!r})" if reason or not body else ""
        )
        super().__init__(f"{where}: {detail}{shown}".rstrip(": "))

    @staticmethod
    def _error_body(text: str) -> ErrorBody | None:
        # Imported here: importing the package must not pay for importing every model.
        from .models import ErrorBody

        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        try:
            return ErrorBody.model_validate(data)
        except ValueError:
            return None

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, "
            f"error_type={self.error_type!r}, error_message={self.error_message!r})"
        )


class UnexpectedResponse(ApiError):
    """A success status whose body is not what the operation answers: not JSON (an HTML
    page from a proxy), or JSON of another shape. `reason` says what did not fit."""


class ApiConnectionError(httpx.TransportError):
    """The request could not be sent, or its answer not received, after the retries the
    client allows (connection refused or dropped, a read that timed out...)."""


class ApiTimeout(ApiConnectionError):
    """The call ran past the client's whole-call `deadline` (all attempts and waits)."""


@dataclass(frozen=True)
class Operation(Generic[T]):
    """What the client needs to know of one operation besides its arguments; `T` is what
    a call answers (`Operation[models.ContactEntity]`)."""

    operation_id: str
    method: str
    path: str
    response_type: type[T]  # a model, list[...], a primitive, or type(None) for no body
    body_media: str = "application/json"


@cache
def _adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return to_jsonable_python(value)  # dates, enums, decimals... as JSON values


def build_body(body: Any, model: Any, fields: Mapping[str, Any]) -> Any:
    """The request body: `body` as given, or a `model` made from the keyword arguments
    set."""
    given = {k: v for k, v in fields.items() if v is not UNSET}
    if body is not None and body is not UNSET:
        if given:
            raise TypeError(
                f"pass either body= or the keyword arguments {sorted(given)}, not both"
            )
        return _jsonable(body)
    if model is None:
        return _jsonable(given)
    return _jsonable(model.model_validate(given))


# Answers that say "try again later": the request was not carried out, whatever its
# method.
RETRY_LATER = {429, 503}
# Answers and failures after which a request may or may not have been carried out: only
# an idempotent request may be sent again.
RETRY_IDEMPOTENT = {502, 504}
IDEMPOTENT = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
MAX_RETRY_WAIT = (
    120.0  # seconds; a server asking for longer gets its answer raised instead
)


def _backoff(attempt: int) -> float:
    return min(8.0, 0.5 * 2.0**attempt)


def _retry_after(response: httpx.Response, attempt: int) -> float:
    """Seconds to wait, from `Retry-After` (seconds or an HTTP date), else exponential
    backoff."""
    value = response.headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    if value:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return _backoff(attempt)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    return _backoff(attempt)


def _retry_wait(
    method: str, attempt: int, retries: int, response: httpx.Response | None
) -> float | None:
    """How long to wait before sending again, or None to stop here.

    `response` is None after a transport failure (connection refused, reset, timed out).
    """
    if attempt >= retries:
        return None
    if response is None or response.status_code in RETRY_IDEMPOTENT:
        return _backoff(attempt) if method.upper() in IDEMPOTENT else None
    if response.status_code in RETRY_LATER:
        wait = _retry_after(response, attempt)
        return wait if wait <= MAX_RETRY_WAIT else None
    return None


def _rows(page: Any) -> list[Any]:
    """The rows of one page: an OData answer's `value`, or a list answer itself."""
    if isinstance(page, list):
        return page
    rows = (
        getattr(page, "value", None)
        if not isinstance(page, dict)
        else page.get("value")
    )
    return list(rows or [])


def _last_page(page: Any, rows: int, page_size: int) -> bool:
    """A short page, or an OData answer without `odata.nextLink`, ends the listing."""
    if rows < page_size:
        return True
    data = page.model_dump(by_alias=True) if isinstance(page, BaseModel) else page
    return (
        isinstance(data, dict)
        and "odata.nextLink" in data
        and not data["odata.nextLink"]
    )


def _query_value(value: Any) -> Any:
    # Arrays go comma-separated on the wire (`?ids=1,2`), as the reference shows.
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(str(_query_value(v)) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


class _Base:
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
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        verify: bool | str = True,
        retries: int = 3,
        deadline: float | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        # `timeout` bounds each wait for the network (connect, each read); `deadline`,
        # when set, the whole call: every attempt, the waits between them, the answer.
        self.deadline = deadline
        # 429 and 503 are retried after their Retry-After; 502, 504 and transport
        # failures only for idempotent methods: a POST that may have reached the server
        # is never sent twice.
        self.retries = max(0, retries)
        defaults = {
            "Accept": "application/json",
            # The request headers every call may carry (model/api.py STANDARD_HEADERS).
            "Accept-Language": accept_language,
            "SO-Language": so_language,
            "SO-Culture": so_culture,
            "SO-TimeZone": so_time_zone,
            "SO-AppToken": so_app_token,
        }
        self._headers = {k: v for k, v in defaults.items() if v is not None}
        self._headers.update(headers or {})
        self._timeout = timeout
        self._verify = verify

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, auth={self.auth!r})"

    _build_request: Callable[..., httpx.Request]  # the httpx client's build_request
    _http: httpx.Client | httpx.AsyncClient
    _locator: TenantLocator | None = None  # set by for_tenant: the tenant may move

    def _tenant_moved(self, error: httpx.TransportError) -> TenantLocator | None:
        """A connection refused (the request was not sent at all) to a tenant that may
        have moved: its locator, which asks the state API again at the next lookup."""
        if self._locator is None or not isinstance(error, httpx.ConnectError):
            return None
        self._locator.forget()
        return self._locator

    def _follow(self, base_url: str) -> bool:
        """Send to `base_url` from now on; whether that changed where requests go."""
        if base_url.rstrip("/") == self.base_url:
            return False
        self.base_url = base_url.rstrip("/")
        self._http.base_url = httpx.URL(self.base_url)
        return True

    def _request(
        self,
        op: Operation[Any],
        path: Mapping[str, Any],
        query: Mapping[str, Any],
        body: Any,
    ) -> httpx.Request:
        url = op.path
        for name, value in path.items():
            url = url.replace(
                "{" + name + "}", quote(str(_query_value(value)), safe="")
            )
        # Built by hand so `$select` reaches the wire as `$select`, and arrays as `a,b`.
        pairs = [
            (k, str(_query_value(v)))
            for k, v in query.items()
            if v is not None and v is not UNSET
        ]
        if pairs:
            url += "?" + "&".join(
                f"{quote(k, safe='$')}={quote(v, safe=',/:$')}" for k, v in pairs
            )
        kwargs: dict[str, Any] = {}
        if body is not UNSET:
            if op.body_media == "application/octet-stream":
                kwargs["content"] = (
                    body.read() if hasattr(body, "read") else body
                )  # bytes or a binary file
                kwargs["headers"] = {"Content-Type": op.body_media}
            else:
                kwargs["content"] = json.dumps(body).encode()
                kwargs["headers"] = {"Content-Type": op.body_media}
        logger.debug("%s %s", op.method, url)
        return self._build_request(op.method, url, **kwargs)

    @staticmethod
    def _body(op: Operation[T], response: httpx.Response) -> Any:
        if (
            op.response_type is type(None)
            or response.status_code == 204
            or not response.content
        ):
            return None
        if op.response_type is bytes:
            # Bytes come raw (octet-stream, images) or as a base64 JSON string.
            if "json" in response.headers.get("content-type", ""):
                text = _adapter(str).validate_json(response.content)
                return base64.b64decode(text, validate=True)
            return response.content
        tp: Any = op.response_type
        return _adapter(tp).validate_json(
            response.content, by_alias=True, by_name=False
        )

    def _parse(self, op: Operation[T], response: httpx.Response, raw: bool) -> T:
        if not 200 <= response.status_code < 300:
            raise ApiError(response)  # redirects too: the API answers where it is asked
        try:
            parsed = self._body(op, response)
        except ValueError as e:  # not JSON, not base64, or not the shape of T
            raise UnexpectedResponse(response, _unexpected(op, response, e)) from None
        if raw:
            # Only `with_raw_response` namespaces send raw, and `raw_method` types
            # theirs as returning ApiResponse[T].
            return cast(
                T,
                ApiResponse(
                    response.status_code,
                    response.headers,
                    response.content,
                    parsed,
                    response,
                ),
            )
        return cast(T, parsed)


class _Deadline:
    """The whole-call deadline of one call (none when `seconds` is None)."""

    def __init__(
        self, seconds: float | None, timeout: float | httpx.Timeout | None
    ) -> None:
        self.seconds = seconds
        self.end = None if seconds is None else time.monotonic() + seconds
        self.timeout = httpx.Timeout(timeout)

    def left(self) -> float:
        return float("inf") if self.end is None else self.end - time.monotonic()

    def check(self, request: httpx.Request) -> None:
        if self.left() <= 0:
            where = f"{request.method} {request.url.copy_with(query=None)}"
            message = f"{where}: no whole answer within the {self.seconds:g} s deadline"
            raise ApiTimeout(message, request=request)

    def limit(self, request: httpx.Request) -> None:
        """Each network wait of this attempt bounded by what is left of the deadline."""
        self.check(request)
        if self.end is None:
            return
        left = self.left()
        parts = self.timeout.as_dict()
        request.extensions["timeout"] = {
            k: left if v is None else min(v, left) for k, v in parts.items()
        }

    def sleep_within(self, wait: float, request: httpx.Request) -> None:
        """A wait before retrying that would end past the deadline ends the call now."""
        if wait >= self.left():
            self.end = time.monotonic()
            self.check(request)


def _whole(streamed: httpx.Response, raw: bytes) -> httpx.Response:
    """A streamed answer as one read whole (its body still encoded as sent)."""
    return httpx.Response(
        streamed.status_code,
        headers=streamed.headers,
        content=raw,
        request=streamed.request,
        extensions=streamed.extensions,
    )


def _connection_error(
    request: httpx.Request, error: httpx.TransportError
) -> ApiConnectionError:
    if isinstance(error, ApiConnectionError):
        return error
    where = f"{request.method} {request.url.copy_with(query=None)}"
    return ApiConnectionError(
        f"{where}: {type(error).__name__}: {error}", request=request
    )


def _log_retry(op: Operation[Any], wait: float, attempt: int, retries: int) -> None:
    logger.info(
        "%s %s: retrying in %.1f s (attempt %d of %d)",
        op.method,
        op.path,
        wait,
        attempt + 1,
        retries,
    )


def _unexpected(op: Operation[Any], response: httpx.Response, error: ValueError) -> str:
    """What did not fit, without the values (which may hold anything)."""
    content_type = response.headers.get("content-type", "")
    if "json" not in content_type and op.response_type is not bytes:
        return f"expected JSON, got {content_type or 'no content type'}"
    if isinstance(error, ValidationError):
        first = error.errors(include_url=False, include_input=False)[0]
        where = ".".join(map(str, first["loc"]))
        message = f"{where} {first['msg']}".strip()
        return f"the body is not what {op.operation_id} answers: {message}"
    return f"the body is not what {op.operation_id} answers: {type(error).__name__}"


class Client(_Base):
    """Synchronous client. Use as a context manager, or call `close()`."""

    _http: httpx.Client

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(base_url, **kwargs)
        self._http = httpx.Client(
            base_url=self.base_url,
            auth=self.auth,
            headers=self._headers,
            timeout=self._timeout,
            verify=self._verify,
            transport=transport,
        )
        self._build_request = self._http.build_request

    def call(
        self,
        op: Operation[T],
        *,
        path: Mapping[str, Any],
        query: Mapping[str, Any],
        body: Any = UNSET,
        raw: bool = False,
    ) -> T:
        """Send one operation (retrying as `retries` allows) and parse its answer as
        `T`. Raises ApiError (UnexpectedResponse for a success that does not parse),
        ApiConnectionError, or ApiTimeout past the `deadline`."""
        if self._locator is not None:
            self._follow(self._locator.endpoint())
        request = self._request(op, path, query, body)
        clock = _Deadline(self.deadline, self._timeout)
        attempt, moved = 0, False
        while True:
            try:
                response = self._send(request, clock)
            except ApiTimeout:
                raise
            except httpx.TransportError as e:
                locator = None if moved else self._tenant_moved(e)
                if locator is not None:
                    moved = True
                    self._follow(locator.endpoint())
                    request = self._request(op, path, query, body)
                    continue
                wait = _retry_wait(op.method, attempt, self.retries, None)
                if wait is None:
                    raise _connection_error(request, e) from e
            else:
                wait = _retry_wait(op.method, attempt, self.retries, response)
                if wait is None:
                    return self._parse(op, response, raw)
            _log_retry(op, wait, attempt, self.retries)
            clock.sleep_within(wait, request)
            time.sleep(wait)
            attempt += 1

    def _send(self, request: httpx.Request, clock: _Deadline) -> httpx.Response:
        """The answer, read whole within the deadline (a trickle of bytes is cut)."""
        clock.limit(request)
        response = self._http.send(request, stream=True)
        try:
            if clock.end is None:
                response.read()
                return response
            chunks = []
            for chunk in response.iter_raw():
                chunks.append(chunk)
                clock.check(request)
            return _whole(response, b"".join(chunks))
        finally:
            response.close()

    @overload
    def paginate(
        self,
        method: Callable[..., Page[T]],
        *args: Any,
        page_size: int = 200,
        limit: int | None = None,
        **kwargs: Any,
    ) -> Iterator[T]: ...

    @overload
    def paginate(
        self,
        method: Callable[..., list[T]],
        *args: Any,
        page_size: int = 200,
        limit: int | None = None,
        **kwargs: Any,
    ) -> Iterator[T]: ...

    def paginate(
        self,
        method: Callable[..., Any],
        *args: Any,
        page_size: int = 200,
        limit: int | None = None,
        **kwargs: Any,
    ) -> Iterator[Any]:
        """The rows of any operation that takes `$top` and `$skip`, page after page,
        until a short page or an answer without `odata.nextLink`; at most `limit` rows.

        `for row in client.paginate(client.contact.get_all, select=["name"],
        page_size=200):`

        """
        skip = kwargs.pop("skip", None) or 0
        seen = 0
        while True:
            page = method(*args, top=page_size, skip=skip, **kwargs)
            rows = _rows(page)
            for row in rows:
                if limit is not None and seen >= limit:
                    return
                seen += 1
                yield row
            if _last_page(page, len(rows), page_size) or (
                limit is not None and seen >= limit
            ):
                return
            skip += len(rows)

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
        answering.

        Raises `online.TenantUnavailable` when the tenant is not running.
        """
        from .online import TenantLocator

        locator = TenantLocator(context_identifier, environment)
        client = cls(locator.endpoint(), auth=auth, **options)
        client._locator = locator
        return client

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_Base):
    """Asynchronous client. Use as an async context manager, or await `aclose()`."""

    _http: httpx.AsyncClient

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(base_url, **kwargs)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            auth=self.auth,
            headers=self._headers,
            timeout=self._timeout,
            verify=self._verify,
            transport=transport,
        )
        self._build_request = self._http.build_request

    async def call(
        self,
        op: Operation[T],
        *,
        path: Mapping[str, Any],
        query: Mapping[str, Any],
        body: Any = UNSET,
        raw: bool = False,
    ) -> T:
        """As `Client.call`, awaited."""
        if self._locator is not None:
            self._follow(await self._locator.aendpoint())
        request = self._request(op, path, query, body)
        clock = _Deadline(self.deadline, self._timeout)
        attempt, moved = 0, False
        while True:
            try:
                response = await self._send(request, clock)
            except ApiTimeout:
                raise
            except httpx.TransportError as e:
                locator = None if moved else self._tenant_moved(e)
                if locator is not None:
                    moved = True
                    self._follow(await locator.aendpoint())
                    request = self._request(op, path, query, body)
                    continue
                wait = _retry_wait(op.method, attempt, self.retries, None)
                if wait is None:
                    raise _connection_error(request, e) from e
            else:
                wait = _retry_wait(op.method, attempt, self.retries, response)
                if wait is None:
                    return self._parse(op, response, raw)
            _log_retry(op, wait, attempt, self.retries)
            clock.sleep_within(wait, request)
            await asyncio.sleep(wait)
            attempt += 1

    async def _send(self, request: httpx.Request, clock: _Deadline) -> httpx.Response:
        clock.limit(request)
        response = await self._http.send(request, stream=True)
        try:
            if clock.end is None:
                await response.aread()
                return response
            chunks = []
            async for chunk in response.aiter_raw():
                chunks.append(chunk)
                clock.check(request)
            return _whole(response, b"".join(chunks))
        finally:
            await response.aclose()

    @overload
    def paginate(
        self,
        method: Callable[..., Awaitable[Page[T]]],
        *args: Any,
        page_size: int = 200,
        limit: int | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[T]: ...

    @overload
    def paginate(
        self,
        method: Callable[..., Awaitable[list[T]]],
        *args: Any,
        page_size: int = 200,
        limit: int | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[T]: ...

    async def paginate(
        self,
        method: Callable[..., Awaitable[Any]],
        *args: Any,
        page_size: int = 200,
        limit: int | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[Any]:
        """As `Client.paginate`, for `async for row in client.paginate(...)`."""
        skip = kwargs.pop("skip", None) or 0
        seen = 0
        while True:
            page = await method(*args, top=page_size, skip=skip, **kwargs)
            rows = _rows(page)
            for row in rows:
                if limit is not None and seen >= limit:
                    return
                seen += 1
                yield row
            if _last_page(page, len(rows), page_size) or (
                limit is not None and seen >= limit
            ):
                return
            skip += len(rows)

    @classmethod
    def for_tenant(
        cls,
        context_identifier: str,
        *,
        auth: httpx.Auth | None,
        environment: str = "online",
        **options: Any,
    ) -> Self:
        """As `Client.for_tenant`; the state API is first asked at the first call (which
        raises `online.TenantUnavailable` when the tenant is not running)."""
        from .online import TenantLocator

        locator = TenantLocator(context_identifier, environment)
        client = cls("http://tenant.invalid", auth=auth, **options)
        client._locator = locator
        return client

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

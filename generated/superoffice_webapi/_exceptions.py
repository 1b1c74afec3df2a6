"""Everything the package raises on purpose, under one base class.

    SuperOfficeError
    ├── ApiError                   any answer outside 2xx (redirects included)
    │   ├── BadRequestError        400
    │   ├── AuthenticationError    401
    │   ├── PermissionDeniedError  403
    │   ├── NotFoundError          404
    │   ├── ConflictError          409
    │   ├── UnprocessableEntityError 422
    │   ├── RateLimitError         429
    │   ├── InternalServerError    5xx
    │   └── UnexpectedResponse     a success whose body does not parse
    ├── ApiConnectionError         no answer (refused, dropped, timed out)
    │   └── ApiTimeout             past the whole-call deadline
    ├── SignInError                signing in to SuperOffice Online failed
    └── TenantUnavailable          the tenant is not running

No exception shows a credential: the request's credentials are replaced by `***`
wherever an answer quotes them, and the request an error keeps has them masked.

Copied by docgen into every package it generates (from docgen/runtime/_exceptions.py);
do not edit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from .models import ErrorBody


# Request headers that carry credentials: their values never appear in an exception,
# even where a server's error body quotes them.
CREDENTIAL_HEADERS = ("authorization", "x-xsrf-token", "so-apptoken", "cookie")
BODY_EXCERPT = 200  # characters of an unexpected body shown in an exception
_ENCODING = ("content-encoding", "content-length", "transfer-encoding")


def credentials(headers: httpx.Headers) -> list[str]:
    """The secret values of a request's headers (a header's value, and its credential
    after the scheme)."""
    out: list[str] = []
    for name in CREDENTIAL_HEADERS:
        value = headers.get(name)
        if value:
            out += [value, value.partition(" ")[2]]
    return out


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with each secret replaced by `***`, longest first (a signed token holds
    the token it signs); values under 4 characters are no secret worth hiding."""
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def masked(request: httpx.Request) -> httpx.Request:
    """A copy of `request` (method, URL, headers) with its credential headers `***`."""
    headers = httpx.Headers(request.headers)
    for name in CREDENTIAL_HEADERS:
        if name in headers:
            headers[name] = "***"
    return httpx.Request(request.method, request.url, headers=headers)


def where(request: httpx.Request) -> str:
    """`METHOD URL` without the query (which may hold anything)."""
    return f"{request.method} {request.url.copy_with(query=None)}"


class SuperOfficeError(Exception):
    """The base of every exception the package raises on purpose: `except
    SuperOfficeError` catches every failure of a call or of signing in."""


class ApiError(SuperOfficeError):
    """An answer that is not a success (any status outside 2xx, redirects included).

    Carries the status, the content type, the start of the body, and SuperOffice's error
    body when it sent one (`error_type`, `error_message`...). `response` is the answer
    with the request's credentials masked; a credential the request carried is never
    shown, even where the body quotes it (`content` has it replaced too)."""

    def __init__(self, response: httpx.Response, reason: str = "") -> None:
        request = response.request
        original = response.content.decode("utf-8", "replace")
        text = redact(original, credentials(request.headers))
        self.content = text.encode("utf-8") if text != original else response.content
        self.status_code = response.status_code
        self.headers = response.headers
        self.content_type = response.headers.get("content-type", "")
        # The body as read (decoded): without the headers that described its encoding.
        kept = [(k, v) for k, v in response.headers.multi_items() if k not in _ENCODING]
        self.response = httpx.Response(
            response.status_code,
            headers=kept,
            content=self.content,
            request=masked(request),
        )
        self.body_start = " ".join(text[:BODY_EXCERPT].split())
        self.body = body = _error_body(text)
        self.error = body.error if body else None
        self.error_type = body.error_type if body else None
        self.error_message = body.error_message if body else None
        self.error_source = body.error_source if body else None
        self.method = request.method
        self.url = str(request.url.copy_with(query=None))
        detail = (
            reason or self.error_message or self.error or response.reason_phrase or ""
        )
        shown = (
            f" ({self.content_type}: {self.body_start!r})" if reason or not body else ""
        )
        message = f"HTTP {self.status_code} from {self.method} {self.url}: {detail}"
        super().__init__(f"{message}{shown}".rstrip(": "))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, "
            f"error_type={self.error_type!r}, error_message={self.error_message!r})"
        )


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


class BadRequestError(ApiError):
    """400: the request is not one the API takes (a missing or invalid argument)."""


class AuthenticationError(ApiError):
    """401: no credentials, or credentials the API does not accept (any more)."""


class PermissionDeniedError(ApiError):
    """403: the credentials are valid, the user may not do this."""


class NotFoundError(ApiError):
    """404: no such entity or route."""


class ConflictError(ApiError):
    """409: the request conflicts with the entity's current state."""


class UnprocessableEntityError(ApiError):
    """422: the request is well formed but its content is refused."""


class RateLimitError(ApiError):
    """429: too many requests (raised once the retries the client allows are spent)."""


class InternalServerError(ApiError):
    """500 to 599: the server failed (raised once the retries allowed are spent)."""


class UnexpectedResponse(ApiError):
    """A success status whose body is not what the operation answers: not JSON (an HTML
    page from a proxy), or JSON of another shape. `reason` says what did not fit."""


STATUS_ERRORS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(response: httpx.Response) -> ApiError:
    """The exception for a status outside 2xx: by the status, else `ApiError`."""
    status = response.status_code
    cls = STATUS_ERRORS.get(status)
    if cls is None:
        cls = InternalServerError if 500 <= status <= 599 else ApiError
    return cls(response)


class ApiConnectionError(SuperOfficeError):
    """The request could not be sent, or its answer not received, after the retries the
    client allows (connection refused or dropped, a read that timed out...). The httpx
    error is the `__cause__`."""

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        super().__init__(message)
        self.method = method
        self.url = url


class ApiTimeout(ApiConnectionError):
    """The call ran past the client's whole-call `deadline` (all attempts and waits)."""


class SignInError(SuperOfficeError):
    """Signing in failed: what went wrong, never a secret. `status` is the HTTP status
    of the identity service's answer, where there was one."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class TenantUnavailable(SuperOfficeError):
    """The tenant is not running: `state` says what the state API answered."""

    def __init__(self, context_identifier: str, state: str) -> None:
        super().__init__(f"tenant {context_identifier} is not available: state {state}")
        self.context_identifier = context_identifier
        self.state = state

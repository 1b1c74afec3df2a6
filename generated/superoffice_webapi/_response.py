"""What a call gives back: the parsed body (`parse`), the parsed body with status and
headers (`ApiResponse`, from `client.with_raw_response`), or the answer as it streams in
(`StreamedResponse`, from `client.with_streaming_response`, read in chunks so memory
stays bounded whatever the size).

Copied by docgen into every package it generates (from docgen/runtime/_response.py); do
not edit.
"""

from __future__ import annotations

import base64
import functools
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast

import httpx
from pydantic import TypeAdapter, ValidationError

from ._exceptions import UnexpectedResponse, status_error
from ._types import Operation

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")


@cache
def _adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


def _body(op: Operation[Any], response: httpx.Response) -> Any:
    tp: Any = op.response_type
    if tp is type(None) or response.status_code == 204 or not response.content:
        return None
    is_json = "json" in response.headers.get("content-type", "")
    if tp is bytes:
        # Bytes come raw (octet-stream, images) or as a base64 JSON string.
        if not is_json:
            return response.content
        text = _adapter(str).validate_json(response.content)
        return base64.b64decode(text, validate=True)
    if tp is str and not is_json:
        return response.text
    if not is_json:
        raise ValueError("not JSON")
    return _adapter(tp).validate_json(response.content, by_alias=True, by_name=False)


def parse(op: Operation[T], response: httpx.Response) -> T:
    """The body of a read answer as `T`; raises the status's `ApiError` for an answer
    outside 2xx, `UnexpectedResponse` for a success that is not a `T`."""
    if not 200 <= response.status_code < 300:
        raise status_error(response)  # redirects too: the API answers where it is asked
    try:
        return cast(T, _body(op, response))
    except ValueError as e:  # not JSON, not base64, or not the shape of T
        raise UnexpectedResponse(response, _unexpected(op, response, e)) from None


def _unexpected(op: Operation[Any], response: httpx.Response, error: ValueError) -> str:
    """What did not fit, without the values (which may hold anything)."""
    content_type = response.headers.get("content-type", "")
    if "json" not in content_type and op.response_type not in (bytes, str):
        return f"expected JSON, got {content_type or 'no content type'}"
    if isinstance(error, ValidationError):
        first = error.errors(include_url=False, include_input=False)[0]
        where = ".".join(map(str, first["loc"]))
        message = f"{where} {first['msg']}".strip()
        return f"the body is not what {op.operation_id} answers: {message}"
    return f"the body is not what {op.operation_id} answers: {type(error).__name__}"


@dataclass(frozen=True)
class ApiResponse(Generic[T]):
    """A response with its parsed body, as `client.with_raw_response` methods return."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    parsed: T
    http_response: httpx.Response

    @classmethod
    def of(cls, op: Operation[T], response: httpx.Response) -> ApiResponse[T]:
        parsed = parse(op, response)
        return cls(
            response.status_code, response.headers, response.content, parsed, response
        )


class _Streamed(Generic[T]):
    """What both streamed responses hold: the status and headers, known before the body
    is read."""

    def __init__(self, op: Operation[T], response: httpx.Response) -> None:
        self.operation = op
        self.http_response = response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.status_code} {self.operation.path}>"


class StreamedResponse(_Streamed[T]):
    """An answer read as it arrives (`with
    client.with_streaming_response.<folder>.<op>(...) as response:`): `iter_bytes()`,
    `iter_lines()`, `stream_to_file(path)` keep memory bounded by the chunk size;
    `read()` and `parse()` read it whole."""

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def read(self) -> bytes:
        return self.http_response.read()

    def parse(self) -> T:
        """The body as the operation answers it (as the plain method returns it)."""
        self.read()
        return parse(self.operation, self.http_response)

    def stream_to_file(
        self, path: str | os.PathLike[str], chunk_size: int | None = None
    ) -> None:
        with open(path, "wb") as file:
            for chunk in self.iter_bytes(chunk_size):
                file.write(chunk)

    def close(self) -> None:
        self.http_response.close()


class AsyncStreamedResponse(_Streamed[T]):
    """As `StreamedResponse`, for `async with`: `async for chunk in
    response.iter_bytes()`, `await response.read()`, `await response.parse()`."""

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def parse(self) -> T:
        await self.read()
        return parse(self.operation, self.http_response)

    async def stream_to_file(
        self, path: str | os.PathLike[str], chunk_size: int | None = None
    ) -> None:
        with open(path, "wb") as file:
            async for chunk in self.iter_bytes(chunk_size):
                file.write(chunk)

    async def close(self) -> None:
        await self.http_response.aclose()


class StreamContext(Generic[R]):
    """`with ... as response:` sends the request on entering (nothing before) and closes
    the answer on leaving."""

    def __init__(self, send: Callable[[], StreamedResponse[R]]) -> None:
        self._send = send
        self._response: StreamedResponse[R] | None = None

    def __enter__(self) -> StreamedResponse[R]:
        self._response = self._send()
        return self._response

    def __exit__(self, *exc: object) -> None:
        if self._response is not None:
            self._response.close()


class AsyncStreamContext(Generic[R]):
    """As `StreamContext`, for `async with`."""

    def __init__(self, send: Callable[[], Awaitable[AsyncStreamedResponse[R]]]) -> None:
        self._send = send
        self._response: AsyncStreamedResponse[R] | None = None

    async def __aenter__(self) -> AsyncStreamedResponse[R]:
        self._response = await self._send()
        return self._response

    async def __aexit__(self, *exc: object) -> None:
        if self._response is not None:
            await self._response.close()


def raw_method(
    method: Callable[Concatenate[Any, P], T],
) -> Callable[Concatenate[Any, P], ApiResponse[T]]:
    """An operation of a `with_raw_response` namespace: the same arguments, and an
    `ApiResponse` of what the operation returns (the namespace calls in mode "raw")."""
    return method  # type: ignore[return-value]


def raw_async_method(
    method: Callable[Concatenate[Any, P], Awaitable[T]],
) -> Callable[Concatenate[Any, P], Awaitable[ApiResponse[T]]]:
    """As `raw_method`, for `AsyncClient`."""
    return method  # type: ignore[return-value]


def streaming_method(
    method: Callable[Concatenate[Any, P], T],
) -> Callable[Concatenate[Any, P], StreamContext[T]]:
    """An operation of a `with_streaming_response` namespace: the same arguments, and a
    context manager of its `StreamedResponse` (the namespace calls in mode "stream")."""

    def streaming(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> StreamContext[T]:
        return StreamContext(lambda: cast(Any, method(self, *args, **kwargs)))

    functools.update_wrapper(streaming, method)  # its name and docstring
    return streaming


def streaming_async_method(
    method: Callable[Concatenate[Any, P], Awaitable[T]],
) -> Callable[Concatenate[Any, P], AsyncStreamContext[T]]:
    """As `streaming_method`, for `AsyncClient` (`async with`)."""

    def streaming(
        self: Any, /, *args: P.args, **kwargs: P.kwargs
    ) -> AsyncStreamContext[T]:
        return AsyncStreamContext(lambda: cast(Any, method(self, *args, **kwargs)))

    functools.update_wrapper(streaming, method)
    return streaming

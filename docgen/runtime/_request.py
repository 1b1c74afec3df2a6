"""One call as an `httpx.Request`: the URL with its path and query values, the headers,
and the body, JSON or binary; a binary body given as a file object or an iterator of
bytes is sent in chunks, never read whole.

Copied by docgen into every package it generates (from docgen/runtime/_request.py); do
not edit.
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

import httpx
from pydantic import BaseModel

from . import _wire
from ._types import UNSET, Operation, RequestOptions

CHUNK_SIZE = 64 * 1024  # bytes read from a file, or handed on, at a time


def build_body(body: Any, model: Any, fields: Mapping[str, Any]) -> Any:
    """The request body: `body` as given, or a `model` made from the keyword arguments
    set (JSON names -> values)."""
    given = {k: v for k, v in fields.items() if v is not UNSET}
    if body is not None and body is not UNSET:
        if given:
            raise TypeError(
                f"pass either body= or the keyword arguments {sorted(given)}, not both"
            )
        return _wire.to_json(body)
    if model is None:
        return _wire.to_json(given)
    validated: BaseModel = model.model_validate(given)
    return _wire.to_json(validated)


class FileStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A binary file object, sent in chunks. A file that can seek is sent again from
    where it started when a request is repeated (a retry, a renewed credential)."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.replayable = file.seekable()
        self.start = file.tell() if self.replayable else 0
        self.size: int | None = None
        if self.replayable:
            self.size = file.seek(0, io.SEEK_END) - self.start
            file.seek(self.start)
        self._sent = False

    def _rewind(self) -> None:
        if self.replayable:
            self.file.seek(self.start)
        elif self._sent:
            raise httpx.StreamConsumed()
        self._sent = True

    def __iter__(self) -> Iterator[bytes]:
        self._rewind()
        while chunk := self.file.read(CHUNK_SIZE):
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self._rewind()
        while chunk := self.file.read(CHUNK_SIZE):
            yield chunk


class IteratorStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Bytes from an iterator (an async one too, with `AsyncClient`), sent as they come:
    once, so a call with such a body is not repeated."""

    replayable = False
    size = None

    def __init__(self, chunks: Iterable[bytes] | AsyncIterable[bytes]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        if not isinstance(self.chunks, Iterable):
            raise TypeError("an async iterator of bytes needs AsyncClient")
        yield from self.chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if isinstance(self.chunks, AsyncIterable):
            async for chunk in self.chunks:
                yield chunk
        else:
            for chunk in self.chunks:
                yield chunk


def _stream(body: Any) -> FileStream | IteratorStream | None:
    """A body to send in chunks (a file object or an iterator of bytes), else None."""
    if isinstance(body, (bytes, bytearray, memoryview, str)):
        return None
    if hasattr(body, "read"):
        return FileStream(body)
    if isinstance(body, (Iterable, AsyncIterable)):
        return IteratorStream(body)
    return None


def _json_body(body: Any, extra: Mapping[str, object] | None) -> bytes | None:
    """The JSON of `body`, with the `extra` fields merged into its object."""
    if extra:
        if body is UNSET or body is None:
            body = {}
        if not isinstance(body, dict):
            raise TypeError("extra_body needs a JSON object body")
        body = {**body, **extra}
    if body is UNSET:
        return None
    return json.dumps(_wire.to_json(body)).encode()


@dataclass
class PreparedCall:
    """A call's parts, from which its request is built for where the API is now."""

    op: Operation[Any]
    path: Mapping[str, Any]
    query: Mapping[str, Any]
    body: Any
    options: RequestOptions
    headers: Mapping[str, str]  # the client's, already merged with `with_options`
    stream: FileStream | IteratorStream | None = field(init=False, default=None)
    content: bytes | None = field(init=False, default=None)
    # Set while the call is carried out: the request as it is sent now, its network
    # limits, and when its current attempt began.
    request: httpx.Request = field(init=False)
    timeout: httpx.Timeout = field(init=False)
    started: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        if self.op.body_media.endswith("json"):
            self.content = _json_body(self.body, self.options.extra_body)
        elif self.options.extra_body:
            raise TypeError(f"extra_body needs a JSON body, not {self.op.body_media}")
        elif self.body is not UNSET:
            self.stream = _stream(self.body)
            if self.stream is None:
                body = self.body
                self.content = body.encode() if isinstance(body, str) else bytes(body)

    @property
    def replayable(self) -> bool:
        return self.stream is None or self.stream.replayable

    def url(self, base_url: str) -> str:
        query = {**self.query, **(self.options.extra_query or {})}
        text = _wire.query_string(query.items())
        url = base_url.rstrip("/") + _wire.path_of(self.op.path, self.path)
        return f"{url}?{text}" if text else url

    def build(
        self,
        http: httpx.Client | httpx.AsyncClient,
        base_url: str,
        timeout: httpx.Timeout,
    ) -> httpx.Request:
        headers = {**self.headers, **(self.options.extra_headers or {})}
        if self.content is not None or self.stream is not None:
            headers["Content-Type"] = headers.get("Content-Type") or self.op.body_media
        sent = {k: v for k, v in headers.items() if v is not None}
        request = http.build_request(
            self.op.method,
            self.url(base_url),
            content=self.content,
            headers=sent,
            timeout=timeout,
        )
        for name in (k for k, v in headers.items() if v is None):
            request.headers.pop(name, None)
        if self.stream is None:
            return request
        return _streaming(request, self.stream)


def _streaming(
    request: httpx.Request, stream: FileStream | IteratorStream
) -> httpx.Request:
    """`request` with its body sent from `stream` (its length when it is known)."""
    headers = httpx.Headers(request.headers)
    headers.pop("content-length", None)
    if stream.size is not None:
        headers["Content-Length"] = str(stream.size)
    else:
        headers["Transfer-Encoding"] = "chunked"
    return httpx.Request(
        request.method,
        request.url,
        headers=headers,
        stream=stream,
        extensions=request.extensions,
    )

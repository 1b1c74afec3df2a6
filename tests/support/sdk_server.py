"""A local server for the client's tests (uvicorn on 127.0.0.1, a free port, in a thread):
it answers what a test scripts, request by request, at any path: a status with
SuperOffice's error body, a JSON body, N bytes streamed in chunks, lines, a slow answer;
and by default it echoes what it received (method, path, raw query, headers, and the
body's length, hash and start, read as it arrives, never whole).

    with sdk_server() as server:
        server.script = [Status(429, {"Retry-After": "0"}), Echo()]
        client = Client(server.url, ...)
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

PATTERN = bytes(range(256)) * 256  # 64 KiB: what streamed answers repeat


def pattern_bytes(size: int) -> Iterator[bytes]:
    """`size` bytes of PATTERN, in 64 KiB chunks."""
    left = size
    while left > 0:
        chunk = PATTERN[: min(left, len(PATTERN))]
        left -= len(chunk)
        yield chunk


def pattern_digest(size: int) -> str:
    digest = hashlib.sha256()
    for chunk in pattern_bytes(size):
        digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Echo:
    """200 with `{"Echo": {...what was received...}}` (a JSON object any model parses,
    its fields kept as extras)."""

    status: int = 200


@dataclass
class Status:
    """`status` with SuperOffice's error body (or `body` as given) and `headers`."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None


@dataclass
class Json:
    body: Any
    status: int = 200
    content_type: str = "application/json"


@dataclass
class Text:
    """`text` as it is (UTF-8), as `content_type`."""

    text: str
    content_type: str = "text/plain; charset=utf-8"


@dataclass
class Stream:
    """`size` bytes of PATTERN in 64 KiB chunks, with no Content-Length."""

    size: int
    content_type: str = "application/octet-stream"


@dataclass
class Slow:
    """Waits `seconds`, then echoes."""

    seconds: float


class SdkServer:
    def __init__(self) -> None:
        self.script: list[Any] = []
        self.seen: list[dict[str, Any]] = []  # what each request carried (echo form)
        self.lock = threading.Lock()
        self.url = ""

    def next_answer(self) -> Any:
        with self.lock:
            return self.script.pop(0) if self.script else Echo()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        received = await _received(scope, receive)
        with self.lock:
            self.seen.append(received)
        answer = self.next_answer()
        if isinstance(answer, Slow):
            await asyncio.sleep(answer.seconds)
            answer = Echo()
        if isinstance(answer, Echo):
            await _send_json(send, answer.status, {"Echo": received})
        elif isinstance(answer, Status):
            body = answer.body
            if body is None:
                body = {
                    "Error": f"status {answer.status}",
                    "ErrorType": "Scripted",
                    "ErrorMessage": f"the server answered {answer.status}",
                    "ErrorSource": "sdk_server",
                }
            await _send_json(send, answer.status, body, answer.headers)
        elif isinstance(answer, Json):
            data = json.dumps(answer.body).encode()
            await _send_bytes(send, answer.status, data, answer.content_type)
        elif isinstance(answer, Text):
            await _send_bytes(send, 200, answer.text.encode(), answer.content_type)
        elif isinstance(answer, Stream):
            await _send_stream(send, answer)


async def _received(scope: dict[str, Any], receive: Any) -> dict[str, Any]:
    """What the request carried, its body read chunk by chunk (never kept whole)."""
    digest = hashlib.sha256()
    length, largest, start = 0, 0, b""
    more = True
    while more:
        message = await receive()
        chunk = message.get("body", b"")
        digest.update(chunk)
        length += len(chunk)
        largest = max(largest, len(chunk))
        if len(start) < 200:
            start += chunk[: 200 - len(start)]
        more = message.get("more_body", False)
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    return {
        "method": scope["method"],
        "path": scope["path"],
        "query": scope["query_string"].decode("latin-1"),
        "headers": headers,
        "length": length,
        "sha256": digest.hexdigest(),
        "start": start.decode("latin-1"),
        "largest_chunk": largest,
    }


async def _send_bytes(
    send: Any,
    status: int,
    data: bytes,
    content_type: str,
    headers: dict[str, str] | None = None,
) -> None:
    raw = [(b"content-type", content_type.encode()), (b"content-length", str(len(data)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": data})


async def _send_json(send: Any, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
    await _send_bytes(send, status, json.dumps(body).encode(), "application/json", headers)


async def _send_stream(send: Any, answer: Stream) -> None:
    headers = [(b"content-type", answer.content_type.encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    for chunk in pattern_bytes(answer.size):
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


@contextlib.contextmanager
def sdk_server() -> Iterator[SdkServer]:
    """The server on a free 127.0.0.1 port, stopped (within 10 s) on leaving."""
    from support.serving import serving

    app = SdkServer()
    with serving(app) as url:
        app.url = url
        yield app

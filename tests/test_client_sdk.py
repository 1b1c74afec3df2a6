"""What an integrator gets from the generated client: errors by status, per-call options, streams."""

# What an integrator gets from the generated client, tried on the bundled package against a
# local server (tests/support/sdk_server.py) that answers each status, streams, and echoes
# what it received: one exception tree with a class per status, per-call options, cheap
# copies (`with_options`), any call (`request`), streaming both ways, the caller's own httpx
# client, logging switched on by the environment, and the mock server running plain
# implementations off its event loop. Traffic stays on 127.0.0.1; every case is bounded.

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import subprocess
import sys
import threading
import time

import httpx
import pytest

from support.sdk_server import Echo, Json, Slow, Status, Stream, Text, pattern_digest, sdk_server

SECRET = "hunter2-very-secret"


@pytest.fixture
def server():
    with sdk_server() as s:
        yield s


def client(pkg, server, **options):
    options.setdefault("auth", pkg.BasicAuth("tje0", SECRET))
    return pkg.Client(server.url, **options)


def enrich(c, **kw):
    return c.contact_agent.enrich_contact_entity(enrich_id="x", **kw)


def echoed(contact) -> dict:
    """What the server received, from the echo a model keeps as an extra field."""
    return contact.model_extra["Echo"]


# One exception tree -------------------------------------------------------------------------

STATUS_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    500: "InternalServerError",
    502: "InternalServerError",
    503: "InternalServerError",
    418: "ApiError",
    302: "ApiError",
}


@pytest.mark.parametrize("status", sorted(STATUS_CLASSES))
def test_each_status_raises_its_class_under_api_error_and_superoffice_error(pkg, server, status):
    server.script = [Status(status)]
    with client(pkg, server, retries=0) as c, pytest.raises(pkg.SuperOfficeError) as e:
        enrich(c)
    error = e.value
    assert type(error).__name__ == STATUS_CLASSES[status]
    assert isinstance(error, pkg.ApiError) and error.status_code == status
    assert error.error_type == "Scripted" and error.error_message == f"the server answered {status}"
    # The response it keeps shows what came back, never the credentials that went out.
    assert error.response.status_code == status
    assert error.response.request.headers["authorization"] == "***"
    assert SECRET not in repr(error) + str(error)


def test_every_failure_the_package_raises_is_a_superoffice_error_and_none_is_httpx_s(pkg):
    from superoffice_webapi import online

    from conftest import free_port

    for cls in (pkg.ApiConnectionError, pkg.ApiTimeout, online.SignInError, online.TenantUnavailable):
        assert issubclass(cls, pkg.SuperOfficeError) and not issubclass(cls, httpx.HTTPError)
    assert issubclass(pkg.UnexpectedResponse, pkg.ApiError)
    with (
        pkg.Client(f"http://127.0.0.1:{free_port()}", retries=0) as c,
        pytest.raises(pkg.SuperOfficeError) as e,
    ):
        enrich(c)
    assert isinstance(e.value, pkg.ApiConnectionError) and isinstance(e.value.__cause__, httpx.ConnectError)


# Per call and per copy --------------------------------------------------------------------------


def test_extra_headers_query_and_body_reach_the_wire(pkg, server):
    with client(pkg, server, so_language="en", so_time_zone="UTC") as c:
        got = echoed(
            enrich(
                c,
                select=["name"],
                extra_headers={"SO-Language": "de", "X-Trace": "t-1", "SO-TimeZone": None},
                extra_query={"debug": True, "ids": [1, 2]},
                extra_body={"Extra": {"Deep": 1}, "EnrichId": "overridden"},
            )
        )
    headers = got["headers"]
    assert headers["so-language"] == "de" and headers["x-trace"] == "t-1"
    assert "so-timezone" not in headers, "None removes a header the client would send"
    assert got["query"] == "$select=name&debug=true&ids=1,2"
    body = json.loads(got["start"])
    assert body == {"EnrichId": "overridden", "Extra": {"Deep": 1}}
    # The next call carries none of it.
    with client(pkg, server, so_language="en") as c:
        again = echoed(enrich(c))
    assert (
        again["headers"]["so-language"] == "en" and "x-trace" not in again["headers"] and again["query"] == ""
    )


def test_a_per_call_timeout_bounds_that_call_only(pkg, server):
    with client(pkg, server, retries=0, timeout=10.0) as c:
        server.script = [Slow(1.0)]
        started = time.monotonic()
        with pytest.raises(pkg.ApiConnectionError, match="ReadTimeout"):
            enrich(c, timeout=0.3)
        assert time.monotonic() - started < 1.5
        server.script = [Slow(0.5)]
        assert echoed(enrich(c))["method"] == "POST"  # the client's own 10 s apply again


def test_with_options_is_a_copy_sharing_the_pool_and_the_original_is_unchanged(pkg, server):
    with client(pkg, server, retries=3, headers={"X-Base": "1"}) as c:
        quick = c.with_options(timeout=0.3, retries=0, deadline=5.0, headers={"X-Copy": "2"})
        assert type(quick) is type(c) and quick._http is c._http
        assert (c.retries, c.deadline, c.timeout.read) == (3, None, 30.0)
        assert (quick.retries, quick.deadline, quick.timeout.read) == (0, 5.0, 0.3)
        assert echoed(enrich(quick))["headers"]["x-copy"] == "2"
        assert "x-copy" not in echoed(enrich(c))["headers"]
        server.script = [Status(503, {"Retry-After": "0"})]
        with pytest.raises(pkg.InternalServerError):
            enrich(quick)  # retries=0 on the copy
        server.script = [Status(503, {"Retry-After": "0"})]
        enrich(c)  # the original still retries
        other = c.with_options(auth=pkg.BearerAuth("copy-token"))
        assert echoed(enrich(other))["headers"]["authorization"] == "Bearer copy-token"
        assert echoed(enrich(c))["headers"]["authorization"].startswith("Basic ")
        quick.close()  # a copy never closes the pool it shares
        assert echoed(enrich(c))["method"] == "POST"
    assert c._http.is_closed


# Any call -------------------------------------------------------------------------------------


def test_request_sends_any_call_with_the_client_s_auth_retries_and_errors(pkg, server):
    from superoffice_webapi import models

    with client(pkg, server) as c:
        got = c.request("GET", "/api/v1/Contact/5", params={"$select": ["a", "b"]}, headers={"X-One": "1"})
        echo = got["Echo"]
        assert echo["path"] == "/api/v1/Contact/5" and echo["query"] == "$select=a,b"
        assert echo["headers"]["x-one"] == "1" and echo["headers"]["authorization"].startswith("Basic ")
        server.script = [Json({"ContactId": 7, "Name": "Acme"})]
        contact = c.request("GET", "api/v1/Contact/7", cast_to=models.ContactEntity)
        assert isinstance(contact, models.ContactEntity) and contact.contact_id == 7
        server.script = [Json([{"ContactId": 1}, {"ContactId": 2}])]
        many = c.request("POST", "/api/v1/Whatever", json={"a": 1}, cast_to=list[models.ContactEntity])
        assert [m.contact_id for m in many] == [1, 2]
        assert json.loads(server.seen[-1]["start"]) == {"a": 1}
        server.script = [Stream(100_000)]
        data = c.request("GET", "/api/v1/Document/1/Content", cast_to=bytes)
        assert hashlib.sha256(data).hexdigest() == pattern_digest(100_000)
        server.script = [Status(503, {"Retry-After": "0"}), Json({"ok": True})]
        assert c.request("GET", "/api/v1/Retried") == {"ok": True}
        server.script = [Status(404)]
        with pytest.raises(pkg.NotFoundError):
            c.request("DELETE", "/api/v1/Contact/404")
        with pytest.raises(ValueError, match="base URL"):
            c.request("GET", "https://elsewhere.example/steal")


# Streaming both ways --------------------------------------------------------------------------


class ChunkReader(io.RawIOBase):
    """A binary file of `size` bytes that fails if anyone reads it whole."""

    def __init__(self, size: int) -> None:
        self.size, self.pos, self.largest = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = {0: offset, 1: self.pos + offset, 2: self.size + offset}[whence]
        return self.pos

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0 or n > 1024 * 1024:
            raise AssertionError(f"read({n}): the body was read whole")
        self.largest = max(self.largest, n)
        n = min(n, self.size - self.pos)
        self.pos += n
        return b"x" * n


def test_an_upload_from_a_file_is_sent_in_chunks_and_again_from_its_start_on_a_retry(pkg, server):
    body = ChunkReader(3 * 1024 * 1024)
    server.script = [Status(503, {"Retry-After": "0"})]
    with client(pkg, server) as c:
        got = c.request("PUT", "/api/v1/Upload", content=body)["Echo"]
    assert body.largest <= 64 * 1024
    assert got["length"] == 3 * 1024 * 1024 and got["headers"]["content-length"] == str(3 * 1024 * 1024)
    assert len(server.seen) == 2 and server.seen[0]["length"] == server.seen[1]["length"]


def test_an_upload_from_an_iterator_is_sent_as_it_comes_and_never_twice(pkg, server):
    def chunks():
        for _ in range(16):
            yield b"y" * 65536

    with client(pkg, server) as c:
        got = c.request("PUT", "/api/v1/Upload", content=chunks())["Echo"]
        assert got["length"] == 16 * 65536 and got["headers"]["transfer-encoding"] == "chunked"
        server.script = [Status(503, {"Retry-After": "0"})]
        with pytest.raises(pkg.InternalServerError):
            c.request("PUT", "/api/v1/Upload", content=chunks())
    assert len(server.seen) == 2, "a body that can be sent once is not sent again"


def test_a_streamed_answer_is_read_as_it_arrives(pkg, server, tmp_path):
    size = 5 * 1024 * 1024 + 17
    with client(pkg, server) as c:
        server.script = [Stream(size)]
        with c.with_streaming_response.contact_agent.enrich_contact_entity() as r:
            assert r.status_code == 200 and r.headers["content-type"] == "application/octet-stream"
            digest = hashlib.sha256()
            largest = 0
            for chunk in r.iter_bytes(65536):
                digest.update(chunk)
                largest = max(largest, len(chunk))
        assert digest.hexdigest() == pattern_digest(size) and largest <= 65536
        server.script = [Stream(size)]
        with c.with_streaming_response.contact_agent.enrich_contact_entity() as r:
            r.stream_to_file(tmp_path / "out.bin")
        assert hashlib.sha256((tmp_path / "out.bin").read_bytes()).hexdigest() == pattern_digest(size)
        server.script = [Json({"ContactId": 3}, content_type="application/json")]
        with c.with_streaming_response.contact_agent.enrich_contact_entity(enrich_id="z") as r:
            parsed = r.parse()
        assert parsed.contact_id == 3
        server.script = [Text("line one\nline two\n")]
        with c.with_streaming_response.contact_agent.enrich_contact_entity() as r:
            assert list(r.iter_lines()) == ["line one", "line two"]
        server.script = [Text("whole")]
        with c.with_streaming_response.contact_agent.enrich_contact_entity() as r:
            assert r.read() == b"whole"


def test_nothing_is_sent_before_the_with_and_an_error_is_raised_on_entering(pkg, server):
    with client(pkg, server) as c:
        streamed = c.with_streaming_response.contact_agent.enrich_contact_entity()
        assert server.seen == []
        server.script = [Status(404)]
        with pytest.raises(pkg.NotFoundError), streamed:
            pass
        assert len(server.seen) == 1


def test_the_async_client_streams_alike(pkg, server, tmp_path):
    size = 2 * 1024 * 1024

    async def chunks():
        for _ in range(8):
            yield b"z" * 65536

    async def main():
        async with pkg.AsyncClient(server.url, auth=pkg.BasicAuth("u", SECRET)) as c:
            server.script = [Stream(size)]
            async with c.with_streaming_response.contact_agent.enrich_contact_entity() as r:
                digest = hashlib.sha256()
                async for chunk in r.iter_bytes():
                    digest.update(chunk)
            server.script = [Stream(size)]
            async with c.with_streaming_response.contact_agent.enrich_contact_entity() as r:
                await r.stream_to_file(tmp_path / "a.bin")
            server.script = [Json({"ContactId": 9})]
            async with c.with_streaming_response.contact_agent.enrich_contact_entity() as r:
                parsed = await r.parse()
            raw = await c.with_raw_response.contact_agent.enrich_contact_entity()
            sent = await c.request("PUT", "/api/v1/Upload", content=chunks())
            return digest.hexdigest(), parsed.contact_id, raw.status_code, sent["Echo"]["length"]

    digest, contact_id, status, length = asyncio.run(main())
    assert digest == pattern_digest(size) and contact_id == 9 and status == 200
    assert hashlib.sha256((tmp_path / "a.bin").read_bytes()).hexdigest() == pattern_digest(size)
    assert length == 8 * 65536


# The caller's own httpx client -----------------------------------------------------------------


def test_requests_go_through_the_caller_s_httpx_client_which_the_sdk_never_closes(pkg, server):
    seen: list[str] = []
    own = httpx.Client(
        headers={"X-Own": "mine"},
        timeout=7.0,
        event_hooks={"request": [lambda request: seen.append(str(request.url))]},
    )
    with client(pkg, server, http_client=own) as c:
        got = echoed(enrich(c))
        assert c.timeout.read == 7.0, "the caller's timeout, unless the SDK is given one"
    assert seen == [f"{server.url}/api/v1/Agents/Contact/EnrichContactEntity"]
    assert got["headers"]["x-own"] == "mine" and got["headers"]["authorization"].startswith("Basic ")
    assert got["headers"]["accept"] == "application/json"
    assert not own.is_closed
    own.close()
    with pytest.raises(ValueError):
        pkg.Client(server.url, http_client=httpx.Client(), transport=httpx.MockTransport(lambda r: None))
    with pytest.raises(TypeError):
        pkg.Client(server.url, http_client=httpx.AsyncClient())


def test_the_async_client_takes_the_caller_s_async_httpx_client(pkg, server):
    async def main():
        own = httpx.AsyncClient(headers={"X-Own": "async"})
        async with pkg.AsyncClient(server.url, http_client=own, auth=pkg.BearerAuth("t0k3n-abc")) as c:
            got = await c.contact_agent.enrich_contact_entity()
        closed = own.is_closed
        await own.aclose()
        return got.model_extra["Echo"]["headers"], closed

    headers, closed = asyncio.run(main())
    assert headers["x-own"] == "async" and headers["authorization"] == "Bearer t0k3n-abc" and not closed


# Logging by environment ------------------------------------------------------------------------

LOGGING_PROGRAM = """
import sys
from superoffice_webapi import BasicAuth, Client
with Client(sys.argv[1], auth=BasicAuth("tje0", sys.argv[2])) as c:
    c._uniform = lambda a, b: 0.0
    c.contact_agent.enrich_contact_entity(enrich_id="x")
"""


@pytest.mark.parametrize("level", ["", "info", "debug"])
def test_the_log_switch_shows_one_line_per_attempt_and_no_secret(pkg, server, seed_package, level):
    server.script = [Status(503, {"Retry-After": "0"}), Echo()]
    env = {**os.environ, "PYTHONPATH": str(seed_package), "SUPEROFFICE_WEBAPI_LOG": level}
    r = subprocess.run(
        [sys.executable, "-c", LOGGING_PROGRAM, server.url, SECRET],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    if not level:
        assert r.stderr == ""
        return
    lines = r.stderr.splitlines()
    path = "/api/v1/Agents/Contact/EnrichContactEntity"
    attempts = [line for line in lines if "(attempt " in line and " ms " in line]
    assert [f"POST {path} 503" in attempts[0], f"POST {path} 200" in attempts[1]] == [True, True], r.stderr
    assert "(attempt 1)" in attempts[0] and "(attempt 2)" in attempts[1]
    assert any("retrying in 0.00 s" in line for line in lines)
    assert SECRET not in r.stderr and "dGplMD" not in r.stderr  # nor its base64
    if level == "debug":
        assert "authorization: ***" in r.stderr.lower()


# The mock server -----------------------------------------------------------------------------


def test_a_slow_plain_implementation_does_not_stall_the_server(pkg):
    """The server called plain (sync) implementations on its event loop: one slow
    handler held up every other request."""
    from superoffice_webapi.server import create_app

    from support.serving import serving

    class Contacts:
        def enrich_contact_entity(self, ctx, **kwargs):
            if kwargs["body"].enrich_id == "slow":
                time.sleep(1.5)
            return {"ContactId": 1}

    class Impl:
        contact_agent = Contacts()

    with serving(create_app(Impl())) as url:
        slow = threading.Thread(target=lambda: enrich_with(pkg, url, "slow"))
        slow.start()
        time.sleep(0.2)
        started = time.monotonic()
        enrich_with(pkg, url, "fast")
        took = time.monotonic() - started
        slow.join(10)
    assert took < 0.8, f"the fast request waited {took:.2f} s behind the slow one"


def enrich_with(pkg, url: str, enrich_id: str) -> None:
    with pkg.Client(url, auth=pkg.BasicAuth("u", "p")) as c:
        c.contact_agent.enrich_contact_entity(enrich_id=enrich_id)

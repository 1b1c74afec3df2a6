"""The generated client's retries and token refresh against a local server (429, 5xx, 401)."""

# The generated client against a real local server that answers 429, 503, 502 and 401 on
# purpose, or drops the connection: what is retried, after how long, and what never is; bearer
# tokens refreshed once after a 401 (sync and async). The waits between attempts go to a clock
# that records them instead of sleeping (`Clock`, as tests/test_runtime_core.py drives it), so
# these tests say how long the client waits without spending that time.

from __future__ import annotations

import asyncio
import json
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from support.http import QuietHandler, http_server

ENRICH = "/api/v1/Agents/Contact/EnrichContactEntity"


class Script:
    """What the server answers, request by request: (status, headers) or "drop"; then 200."""

    def __init__(self) -> None:
        self.answers: list = []
        self.seen: list[tuple[str, str, str]] = []
        self.unauthorized_token: str | None = None
        self.lock = threading.Lock()


@pytest.fixture
def server():
    script = Script()

    class Handler(QuietHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            auth = self.headers.get("Authorization", "")
            with script.lock:
                script.seen.append((self.command, self.path, auth))
                answer = script.answers.pop(0) if script.answers else (200, {})
            if script.unauthorized_token and auth == f"Bearer {script.unauthorized_token}":
                answer = (401, {})
            if answer == "drop":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            status, headers = answer
            body = (
                b"{}"
                if status == 200
                else json.dumps(
                    {"Error": "x", "ErrorType": "T", "ErrorMessage": f"status {status}", "ErrorSource": ""}
                ).encode()
            )
            self.send(status, "application/json", body, headers.items())

        do_GET = do_POST = do_PUT = do_DELETE = _answer

    with http_server(Handler) as url:
        script.url = url
        yield script


class RecordingClock:
    """The client's clock, waits recorded instead of slept (time moves on as if slept)."""

    def __init__(self, pkg) -> None:
        self.real = pkg._retry.Clock()
        self.offset = 0.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.real.now() + self.offset

    def utcnow(self):
        from datetime import timedelta

        return self.real.utcnow() + timedelta(seconds=self.offset)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.offset += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.fixture
def clock(pkg, monkeypatch):
    """Every client made in the test waits on this clock."""
    recording = RecordingClock(pkg)
    monkeypatch.setattr(pkg._base_client.BaseClient, "_clock", recording)
    return recording


def enrich(client):
    return client.contact_agent.enrich_contact_entity(enrich_id="x")


def get_op(pkg):
    """A GET operation (the bundled page has only a POST): the same machinery serves every method."""
    return pkg._types.Operation("v1Test_Get", "GET", ENRICH, type(None))


def test_429_and_503_are_retried_after_retry_after_in_seconds_or_a_date(server, pkg, clock):
    past = format_datetime(datetime.now(UTC) - timedelta(seconds=5), usegmt=True)
    server.answers = [(429, {"Retry-After": "0"}), (503, {"Retry-After": past})]
    with pkg.Client(server.url, auth=pkg.BasicAuth("u", "p")) as client:
        assert enrich(client) is not None
    assert [m for m, _, _ in server.seen] == ["POST", "POST", "POST"]
    assert clock.slept == [0.0, 0.0]


def test_retry_after_is_honoured(server, pkg, clock):
    server.answers = [(429, {"Retry-After": "7"})]
    with pkg.Client(server.url, auth=pkg.BasicAuth("u", "p")) as client:
        enrich(client)
    assert clock.slept == [7.0] and len(server.seen) == 2


def test_the_real_clock_really_waits(server, pkg):
    """Without a test clock, a Retry-After of one second is a second."""
    import time

    server.answers = [(429, {"Retry-After": "1"})]
    started = time.monotonic()
    with pkg.Client(server.url, auth=pkg.BasicAuth("u", "p")) as client:
        enrich(client)
    assert time.monotonic() - started >= 0.95 and len(server.seen) == 2


def test_a_server_asking_to_wait_too_long_gets_its_answer_raised(server, pkg, clock):
    server.answers = [(503, {"Retry-After": "3600"})]
    with pkg.Client(server.url, auth=pkg.BasicAuth("u", "p")) as client, pytest.raises(pkg.ApiError) as e:
        enrich(client)
    assert e.value.status_code == 503 and len(server.seen) == 1


def test_502_and_504_are_retried_for_idempotent_methods_only(server, pkg, clock):
    server.answers = [(502, {}), (504, {})]
    with pkg.Client(server.url, auth=pkg.BasicAuth("u", "p")) as client:
        client.call(get_op(pkg), path={}, query={})
        assert [m for m, _, _ in server.seen] == ["GET", "GET", "GET"]
        # Exponential backoff (0.5 s, 1 s) times a random factor in [0.75, 1].
        assert 0.375 <= clock.slept[0] <= 0.5 and 0.75 <= clock.slept[1] <= 1.0
        server.seen.clear()
        server.answers = [(502, {})]
        with pytest.raises(pkg.ApiError) as e:
            enrich(client)  # a POST that may have been carried out is never sent twice
    assert e.value.status_code == 502 and len(server.seen) == 1


def test_dropped_connections_are_retried_for_idempotent_methods_only(server, pkg, clock):
    with pkg.Client(server.url, auth=pkg.BasicAuth("u", "p")) as client:
        server.answers = ["drop", "drop"]
        client.call(get_op(pkg), path={}, query={})
        assert len(server.seen) == 3
        server.seen.clear()
        server.answers = ["drop"]
        with pytest.raises(pkg.ApiConnectionError) as e:
            enrich(client)
    assert len(server.seen) == 1
    # The SDK's own error, not httpx's; httpx's stays as the cause.
    assert not isinstance(e.value, httpx.HTTPError) and isinstance(e.value.__cause__, httpx.TransportError)


def test_retries_stop_after_the_configured_count_and_zero_turns_them_off(server, pkg, clock):
    server.answers = [(429, {"Retry-After": "0"})] * 10
    with (
        pkg.Client(server.url, auth=pkg.BasicAuth("u", "p"), retries=2) as client,
        pytest.raises(pkg.ApiError),
    ):
        enrich(client)
    assert len(server.seen) == 3
    server.seen.clear()
    with (
        pkg.Client(server.url, auth=pkg.BasicAuth("u", "p"), retries=0) as client,
        pytest.raises(pkg.ApiError),
    ):
        enrich(client)
    assert len(server.seen) == 1


def test_async_client_retries_alike(server, pkg, clock):
    server.answers = [(429, {"Retry-After": "0"}), (503, {})]

    async def main():
        async with pkg.AsyncClient(server.url, auth=pkg.BasicAuth("u", "p")) as client:
            return await client.contact_agent.enrich_contact_entity(enrich_id="x")

    assert asyncio.run(main()) is not None and len(server.seen) == 3
    assert clock.slept[0] == 0.0 and 0.75 <= clock.slept[1] <= 1.0  # Retry-After, then 1 s with jitter


def test_bearer_token_source_is_asked_again_once_after_a_401(server, pkg):
    tokens = iter(["old", "new", "newer"])
    asked = []

    def source():
        asked.append(1)
        return next(tokens)

    server.unauthorized_token = "old"
    auth = pkg.BearerAuth(source)
    with pkg.Client(server.url, auth=auth) as client:
        enrich(client)
        enrich(client)  # the fresh token is kept
    assert [a for _, _, a in server.seen] == ["Bearer old", "Bearer new", "Bearer new"] and len(asked) == 2
    assert "new" not in repr(auth) and "old" not in str(auth)


def test_a_fixed_bearer_token_is_not_retried_and_a_second_401_is_raised(server, pkg):
    server.unauthorized_token = "fixed"
    with pkg.Client(server.url, auth=pkg.BearerAuth("fixed")) as client, pytest.raises(pkg.ApiError) as e:
        enrich(client)
    assert e.value.status_code == 401 and len(server.seen) == 1
    server.seen.clear()
    server.unauthorized_token = None
    server.answers = [(401, {}), (401, {})]
    with pkg.Client(server.url, auth=pkg.BearerAuth(lambda: "t")) as client, pytest.raises(pkg.ApiError) as e:
        enrich(client)
    assert e.value.status_code == 401 and len(server.seen) == 2  # asked again once, not forever


def test_async_bearer_token_source_may_be_awaitable(server, pkg):
    tokens = iter(["old", "new"])

    async def source():
        await asyncio.sleep(0)
        return next(tokens)

    server.unauthorized_token = "old"

    async def main():
        async with pkg.AsyncClient(server.url, auth=pkg.BearerAuth(source)) as client:
            return await client.contact_agent.enrich_contact_entity(enrich_id="x")

    assert asyncio.run(main()) is not None
    assert [a for _, _, a in server.seen] == ["Bearer old", "Bearer new"]

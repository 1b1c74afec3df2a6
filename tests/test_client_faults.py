"""The generated client against a server that misbehaves: documented exceptions, no hang."""

# The generated client against a local server that misbehaves: an answer that
# trickles a byte at a time, a 200 holding HTML or broken JSON, a redirect to itself, an error
# body quoting the request's credentials. Every failure is one of the package's documented
# exceptions, with the status, the content type and the start of the body, never a credential;
# a whole-call deadline bounds a call however the server trickles. Traffic stays on 127.0.0.1;
# each case is bounded in time.

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from support.http import QuietHandler, http_server

ENRICH = "/api/v1/Agents/Contact/EnrichContactEntity"
TICKET = "7T:very-secret-ticket-value"


@pytest.fixture
def server():
    state = {"mode": "ok", "stop": threading.Event()}

    class Handler(QuietHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            mode = state["mode"]
            if mode == "trickle":  # a byte every 0.25 s, for up to 10 s
                body = b'{"Name": "' + b"x" * 40 + b'"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for byte in body:
                    if state["stop"].wait(0.25):
                        return
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:
                        return
            elif mode == "html":
                self.send(200, "text/html", b"<html><body><h1>Sign in to the proxy</h1></body></html>")
            elif mode == "broken-json":
                self.send(200, "application/json", b'{"Name": "unterminated')
            elif mode == "wrong-shape":
                self.send(200, "application/json", b'{"ContactId": "not a number"}')
            elif mode == "self-redirect":
                self.send(302, "text/plain", b"", [("Location", ENRICH)])
            elif mode == "quotes-credentials":
                auth = self.headers.get("Authorization", "")
                body = f'{{"Error": "bad", "ErrorMessage": "ticket {auth} refused"}}'.encode()
                self.send(401, "application/json", body)
            elif mode == "html-error":
                auth = self.headers.get("Authorization", "")
                self.send(500, "text/html", f"<pre>Request: Authorization: {auth}</pre>".encode())
            else:
                self.send(200, "application/json", b'{"Name": "Acme"}')

    with http_server(Handler) as url:
        state["url"] = url
        yield state
        state["stop"].set()


def client(pkg, server, **options):
    return pkg.Client(server["url"], auth=pkg.SoTicketAuth(TICKET), retries=0, **options)


def test_a_deadline_bounds_a_call_that_trickles(pkg, server):
    """timeout=1.0 is per read: a byte every 0.25 s kept a call running until the server
    gave up (10 s). `deadline=` bounds the whole call."""
    server["mode"] = "trickle"
    started = time.monotonic()
    with client(pkg, server, timeout=1.0, deadline=1.0) as c, pytest.raises(pkg.ApiTimeout) as e:
        c.contact_agent.enrich_contact_entity()
    took = time.monotonic() - started
    assert 0.95 <= took < 2.5, took
    assert "1 s deadline" in str(e.value) and isinstance(e.value, pkg.ApiConnectionError)

    async def trickled() -> None:
        async with pkg.AsyncClient(server["url"], retries=0, timeout=1.0, deadline=0.75) as a:
            await a.contact_agent.enrich_contact_entity()

    started = time.monotonic()
    with pytest.raises(pkg.ApiTimeout):
        asyncio.run(trickled())
    assert time.monotonic() - started < 2.0


def test_without_a_deadline_a_call_is_bounded_per_read_only(pkg, server):
    """The default (documented): no whole-call deadline; `timeout` bounds each read."""
    server["mode"] = "trickle"
    with client(pkg, server, timeout=0.1) as c, pytest.raises(pkg.ApiConnectionError) as e:
        c.contact_agent.enrich_contact_entity()
    assert not isinstance(e.value, pkg.ApiTimeout) and "ReadTimeout" in str(e.value)
    assert client(pkg, server).deadline is None


@pytest.mark.parametrize(
    "mode, content_type, start",
    [
        ("html", "text/html", "<html><body><h1>Sign in to the proxy"),
        ("broken-json", "application/json", '{"Name": "unterminated'),
        ("wrong-shape", "application/json", '{"ContactId": "not a number"}'),
    ],
)
def test_a_success_that_does_not_parse_is_an_unexpected_response(pkg, server, mode, content_type, start):
    """A 200 with HTML or invalid JSON raised pydantic_core.ValidationError, which nothing
    documents."""
    server["mode"] = mode
    with client(pkg, server) as c, pytest.raises(pkg.UnexpectedResponse) as e:
        c.contact_agent.enrich_contact_entity()
    error = e.value
    assert isinstance(error, pkg.ApiError) and error.status_code == 200
    assert error.content_type == content_type and error.body_start.startswith(start)
    assert content_type in str(error) and start[:20] in str(error)
    if mode == "wrong-shape":
        assert "contact_id" in str(error) or "ContactId" in str(error)


def test_a_redirect_is_an_api_error_not_a_success(pkg, server):
    """A 302 to itself returned None as if the call had succeeded."""
    server["mode"] = "self-redirect"
    with client(pkg, server) as c, pytest.raises(pkg.ApiError) as e:
        c.contact_agent.enrich_contact_entity()
    assert e.value.status_code == 302 and e.value.headers["location"] == ENRICH


@pytest.mark.parametrize("mode", ["quotes-credentials", "html-error"])
def test_an_error_body_quoting_the_credentials_is_redacted(pkg, server, mode):
    server["mode"] = mode
    with client(pkg, server) as c, pytest.raises(pkg.ApiError) as e:
        c.contact_agent.enrich_contact_entity()
    error = e.value
    shown = " ".join(
        [str(error), repr(error), error.body_start, error.content.decode(), str(error.error_message)]
    )
    assert TICKET not in shown and "very-secret" not in shown
    assert "***" in shown


def test_a_refused_connection_is_a_documented_exception(pkg):
    from conftest import free_port

    with (
        pkg.Client(f"http://127.0.0.1:{free_port()}", retries=0) as c,
        pytest.raises(pkg.ApiConnectionError) as e,
    ):
        c.contact_agent.enrich_contact_entity()
    assert "ConnectError" in str(e.value)


def test_a_call_within_its_deadline_succeeds(pkg, server):
    with client(pkg, server, deadline=5.0) as c:
        assert c.contact_agent.enrich_contact_entity().name == "Acme"

"""The generated client's safety: no credentials shown; TLS and timeouts on by default."""

# Client safety: credentials never in reprs, logs or errors; TLS verification and timeouts
# on by default; an ApiError always shows its status code.

from __future__ import annotations

import base64
import logging

import httpx
import pytest

SECRETS = ("hunter2-password", "ticket-7T-secret", "bearer-token-secret", "xsrf-secret")


def error_transport(status: int, body: dict | None):
    def handler(request: httpx.Request) -> httpx.Response:
        return (
            httpx.Response(status, json=body)
            if body is not None
            else httpx.Response(status, text="<html>oops</html>")
        )

    return httpx.MockTransport(handler)


def auths(pkg):
    return [
        pkg.BasicAuth("tje0", SECRETS[0]),
        pkg.SoTicketAuth(SECRETS[1]),
        pkg.BearerAuth(SECRETS[2]),
        pkg.XsrfTokenAuth(SECRETS[3]),
    ]


def test_defaults_verify_tls_and_time_out(pkg):
    with pkg.Client("https://online.superoffice.com/Cust1") as client:
        assert client._verify is True
        timeout = client._http.timeout
        assert timeout.read == 30.0 and timeout.connect == 10.0
        pool = client._http._transport._pool
        assert pool._ssl_context.verify_mode.name == "CERT_REQUIRED"


def test_credentials_never_in_reprs_logs_or_errors(pkg, caplog):
    caplog.set_level(logging.DEBUG)
    shown = []
    for auth in auths(pkg):
        shown += [repr(auth), str(auth)]
        with pkg.Client(
            "https://x.test/Cust1",
            auth=auth,
            transport=error_transport(
                401,
                {
                    "Error": "denied",
                    "ErrorType": "Unauthorized",
                    "ErrorMessage": "Login failed",
                    "ErrorSource": "Auth",
                },
            ),
        ) as client:
            shown += [repr(client), str(client)]
            with pytest.raises(pkg.ApiError) as info:
                client.contact_agent.enrich_contact_entity(enrich_id="x")
            shown += [str(info.value), repr(info.value), str(info.value.args)]
    shown.append(caplog.text)
    text = "\n".join(shown)
    basic = base64.b64encode(f"tje0:{SECRETS[0]}".encode()).decode()
    for secret in (*SECRETS, basic):
        assert secret not in text
    assert "BasicAuth(user='tje0', password=***)" in text


@pytest.mark.parametrize(
    "status, body",
    [
        (
            404,
            {
                "Error": "x",
                "ErrorType": "NotFound",
                "ErrorMessage": "No such contact",
                "ErrorSource": "Contact",
            },
        ),
        (500, None),
        (409, {}),
        (412, {"Unexpected": 1}),
    ],
)
def test_api_error_never_hides_the_status(pkg, status, body):
    with (
        pkg.Client("https://x.test/Cust1", transport=error_transport(status, body)) as client,
        pytest.raises(pkg.ApiError) as info,
    ):
        client.contact_agent.enrich_contact_entity(enrich_id="x")
    e = info.value
    assert e.status_code == status and str(status) in str(e) and str(status) in repr(e)
    if body and body.get("ErrorMessage"):
        assert (
            e.error_message == "No such contact"
            and e.error_type == "NotFound"
            and "No such contact" in str(e)
        )


def test_query_strings_never_carry_credentials(pkg):
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ContactId": 1})

    with pkg.Client(
        "https://x.test/Cust1", auth=pkg.BearerAuth(SECRETS[2]), transport=httpx.MockTransport(handler)
    ) as client:
        client.contact_agent.enrich_contact_entity(enrich_id="x", select=["Name", "ContactId"])
    (request,) = seen
    assert request.url.query.decode() == "$select=Name,ContactId"  # literally, as the API documents it
    assert str(request.url).startswith(
        "https://x.test/Cust1/api/v1/Agents/Contact/EnrichContactEntity?"
    )  # tenant path kept
    assert SECRETS[2] not in str(request.url)

"""The client of the whole reference against the local test server
(tests/support/sdk_server.py, which answers what the test scripts and echoes the rest):
usage `sdk_features.py BASE_URL`, one line `ok <feature>` per feature. The test scripts the
server's answers in this order: the statuses of STATUSES (each once), then echoes."""

from __future__ import annotations

import sys
from typing import Any

import httpx
from superoffice_webapi import (
    ApiConnectionError,
    ApiError,
    AuthenticationError,
    BadRequestError,
    BasicAuth,
    BearerAuth,
    Client,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SuperOfficeError,
    UnprocessableEntityError,
    models,
)

STATUSES: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
    503: InternalServerError,
    418: ApiError,
}
BASE = sys.argv[1]


def ok(feature: str, condition: bool) -> None:
    if not condition:
        raise SystemExit(f"FAILED {feature}")
    print("ok", feature)


def echo(answer: models.ContactEntityWithLinks) -> dict[str, Any]:
    extra = answer.model_extra or {}
    received: dict[str, Any] = extra["Echo"]
    return received


with Client(BASE, auth=BasicAuth("user", "password"), retries=0) as client:
    for status, cls in STATUSES.items():
        try:
            client.contact.get_contact_entity(1)
        except SuperOfficeError as error:
            ok(f"status {status} is {cls.__name__}", type(error) is cls and isinstance(error, ApiError))
        else:
            ok(f"status {status} raises", False)

    got = echo(
        client.contact.get_contact_entity(
            7,
            select=["name"],
            extra_headers={"SO-Language": "de"},
            extra_query={"trace": "t1"},
            timeout=20.0,
        )
    )
    ok(
        "per-call options",
        got["path"] == "/api/v1/Contact/7"
        and got["query"] == "$select=name&trace=t1"
        and got["headers"]["so-language"] == "de",
    )
    body = echo(client.contact.post_contact_entity({"Name": "Acme"}, extra_body={"Extra": 1}))
    ok("extra_body", '"Extra": 1' in body["start"] and '"Name": "Acme"' in body["start"])

    copy = client.with_options(auth=BearerAuth("copy-token"), headers={"X-Copy": "1"}, retries=2)
    got = echo(copy.contact.get_contact_entity(1))
    ok(
        "with_options",
        got["headers"]["authorization"] == "Bearer copy-token"
        and got["headers"]["x-copy"] == "1"
        and copy._http is client._http
        and client.retries == 0,
    )

    answer = client.request("POST", "/api/v1/Agents/Whatever/Undocumented", json={"A": [1, 2]})
    ok("request()", answer["Echo"]["path"] == "/api/v1/Agents/Whatever/Undocumented")
    typed = client.request("GET", "/api/v1/Contact/3", cast_to=models.ContactEntityWithLinks)
    ok("request(cast_to=...)", isinstance(typed, models.ContactEntityWithLinks))

seen: list[str] = []
own = httpx.Client(event_hooks={"request": [lambda request: seen.append(request.url.path)]})
with Client(BASE, auth=BasicAuth("user", "password"), http_client=own) as client:
    client.contact.get_contact_entity(2)
ok("http_client=", seen == ["/api/v1/Contact/2"] and not own.is_closed)
own.close()

try:
    with Client("http://127.0.0.1:9", retries=0) as closed:
        closed.contact.get_contact_entity(1)
except ApiConnectionError as error:
    ok("connection error", not isinstance(error, httpx.HTTPError) and error.__cause__ is not None)

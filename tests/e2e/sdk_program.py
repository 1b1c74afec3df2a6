"""A first program against the SDK of the whole reference, as an integrator writes it: run
against the generated mock server (usage: sdk_program.py BASE_URL), and type-checked with
`mypy --strict` by tests/test_sdk_program.py. Each task prints one line `ok <task>`."""

from __future__ import annotations

import asyncio
import io
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx
from superoffice_webapi import (
    ApiError,
    ApiResponse,
    AsyncClient,
    BasicAuth,
    BearerAuth,
    Client,
    NotFoundError,
    SuperOfficeError,
    models,
)

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
done: list[str] = []


def ok(task: str, condition: bool) -> None:
    if not condition:
        raise SystemExit(f"FAILED {task}")
    done.append(task)
    print("ok", task)


def sync_tasks() -> None:
    refreshed: list[int] = []

    def token() -> str:  # a long-running integration's token source
        refreshed.append(1)
        return "access-token"

    with Client(BASE, auth=BearerAuth(token), accept_language="en", retries=2) as client:
        # 1. An entity, by id, with `$select` picking fields.
        contact: models.ContactEntityWithLinks = client.contact.get_contact_entity(
            1, select=["name", "contactId"]
        )
        ok("entity with $select", contact.contact_id is not None and contact.department is None)

        # 2. An agent call whose body is keyword arguments (only those given are sent).
        person: models.Person = client.person_agent.get_person(7)
        client.person_agent.add_bounce(email_address="anna@example.com")
        ok("agent calls, keyword body", isinstance(person, models.Person))

        # 3. A list, page after page.
        names = [
            row.get("fullName")
            for row in client.paginate(client.contact.get_all, select=["fullName"], page_size=1)
            if row
        ]
        ok("paging through an OData list", len(names) == 2 and all(names))

        # 4. An array body: the primary keys, as one argument.
        associates: list[models.Associate | None] = client.associate_agent.get_associate_list([1, 2, 3])
        ok("array body", isinstance(associates, list))

        # 5. A dictionary body.
        printed: str = client.crm_script.execute_script(1, {"name": "value"})
        ok("dictionary body", isinstance(printed, str))

        # 6. Bytes back.
        stream: bytes = client.document.get_document_stream(1)
        ok("bytes answer", isinstance(stream, bytes) and len(stream) > 0)

        # 7. Bytes up, from a file object.
        client.attachment.upload_attachment(5, content=io.BytesIO(b"%PDF-1.7 ..."))
        ok("bytes upload", True)

        # 8. The raw response: status and headers beside the parsed body.
        raw: ApiResponse[models.ContactEntityWithLinks] = client.with_raw_response.contact.get_contact_entity(
            1
        )
        ok(
            "raw response",
            raw.status_code == 200
            and raw.headers["content-type"].startswith("application/json")
            and raw.parsed.contact_id is not None,
        )

        # 9. An error answer as an exception with SuperOffice's error body.
        try:
            client.user.execute_user_command(1, "refresh")
        except ApiError as e:
            ok("error body", e.status_code == 404 and e.error_message is not None)
        else:
            ok("error body", False)

        # 10. Keyword arguments and body= together are refused before any request.
        try:
            client.person_agent.add_bounce(email_address="anna@example.com", body={"EmailAddress": "x"})
        except TypeError:
            ok("body and keywords refused", True)
        else:
            ok("body and keywords refused", False)

        # 11. Errors by status: a 404 is a NotFoundError, and every failure a SuperOfficeError.
        try:
            client.user.execute_user_command(1, "refresh")
        except NotFoundError as missing:
            ok("error class by status", missing.status_code == 404 and isinstance(missing, SuperOfficeError))
        else:
            ok("error class by status", False)

        # 12. Per-call options: a header, a query parameter and a timeout for one call.
        german: models.ContactEntityWithLinks = client.contact.get_contact_entity(
            1, extra_headers={"SO-Language": "de"}, extra_query={"trace": "1"}, timeout=20.0
        )
        ok("per-call options", german.contact_id is not None)

        # 13. A copy with other settings, sharing the connections; the original unchanged.
        patient = client.with_options(timeout=60.0, retries=0, headers={"SO-TimeZone": "UTC"})
        again: models.ContactEntityWithLinks = patient.contact.get_contact_entity(2)
        ok("with_options", again.contact_id is not None and client.retries == 2 and patient.retries == 0)

        # 14. Any call, typed: a route called directly, its answer parsed as a model.
        direct = client.request("GET", "/api/v1/Contact/1", cast_to=models.ContactEntityWithLinks)
        anything: Any = client.request("GET", "/api/v1/Contact/1")
        ok("request(cast_to=...)", direct.contact_id is not None and isinstance(anything, dict))

        # 15. A document streamed to a file, never whole in memory.
        target = Path(tempfile.mkdtemp()) / "document.bin"
        with client.with_streaming_response.document.get_document_stream(1) as streamed:
            status = streamed.status_code
            streamed.stream_to_file(target)
        ok("streamed download", status == 200 and target.stat().st_size > 0)
        with client.with_streaming_response.document.get_document_stream(1) as streamed:
            content: bytes = streamed.parse()
        ok("streamed parse", content == stream)
    ok("bearer token asked once", len(refreshed) == 1)


def own_http_client() -> None:
    # 16. The integrator's own httpx client (proxies, limits, hooks): the SDK leaves it open.
    sent: list[str] = []
    own = httpx.Client(timeout=15.0, event_hooks={"request": [lambda request: sent.append(request.method)]})
    with Client(BASE, auth=BasicAuth("user", "password"), http_client=own) as client:
        contact: models.ContactEntityWithLinks = client.contact.get_contact_entity(1)
    ok("http_client=", contact.contact_id is not None and sent == ["GET"] and not own.is_closed)
    own.close()


async def async_tasks() -> None:
    async with AsyncClient(BASE, auth=BasicAuth("user", "password")) as client:
        # 17. Calls side by side.
        first, second = await asyncio.gather(
            client.contact.get_contact_entity(1), client.contact.get_contact_entity(2)
        )
        ok("async calls side by side", first.contact_id is not None and second.contact_id is not None)

        # 18. Async paging.
        rows: list[dict[str, Any] | None] = [
            row async for row in client.paginate(client.contact.get_all, page_size=1)
        ]
        ok("async paging", len(rows) == 2)

        # 19. Async raw response.
        raw = await client.with_raw_response.document.get_document_stream(1)
        ok("async raw bytes", raw.status_code == 200 and isinstance(raw.parsed, bytes))

        # 20. Async streaming and errors.
        async with client.with_streaming_response.document.get_document_stream(1) as streamed:
            chunks = [chunk async for chunk in streamed.iter_bytes()]
        ok("async streamed download", sum(map(len, chunks)) > 0)
        try:
            await client.request("GET", "/api/v1/NoSuchRoute/1")
        except ApiError as missing:
            ok("async error class", isinstance(missing, NotFoundError))


sync_tasks()
own_http_client()
asyncio.run(async_tasks())
print(f"{len(done)} tasks ok")

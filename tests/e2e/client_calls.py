"""Runs inside the fresh venv: calls the server with the generated client, prints JSON."""

import asyncio
import json
import sys

import httpx
from superoffice_webapi import (
    ApiError,
    AsyncClient,
    BasicAuth,
    BearerAuth,
    Client,
    SoTicketAuth,
    XsrfTokenAuth,
    models,
)

BASE = sys.argv[1]
AUTHS = {
    "basic": lambda: BasicAuth("tje0", "Tje0-secret"),
    "soticket": lambda: SoTicketAuth("7T:ticket-secret"),
    "bearer": lambda: BearerAuth("token-secret"),
    "xsrf": lambda: XsrfTokenAuth("xsrf-secret"),
}
DEFAULTS = dict(
    accept_language="en", so_language="no", so_culture="nb", so_time_zone="CET", so_app_token="app-token"
)
out = {"calls": [], "errors": []}


def summary(auth, flavour, result):
    assert isinstance(result, models.ContactEntity)
    return {
        "auth": auth,
        "flavour": flavour,
        "data": result.model_dump(mode="json", by_alias=True, exclude_unset=True),
    }


for name, make in AUTHS.items():
    with Client(BASE, auth=make(), **DEFAULTS) as client:
        r = client.contact_agent.enrich_contact_entity(
            contact_entity=models.ContactEntity(name="Acme"), enrich_id="e1", select=["Name", "Department"]
        )
        out["calls"].append(summary(name, "sync", r))
        out["repr"] = repr(client)

    async def run(make=make):
        async with AsyncClient(BASE, auth=make(), **DEFAULTS) as client:
            return await client.contact_agent.enrich_contact_entity(enrich_id="e2", select="Name")

    out["calls"].append(summary(name, "async", asyncio.run(run())))

with Client(BASE, auth=BearerAuth("token-secret")) as client:
    full = client.contact_agent.enrich_contact_entity(enrich_id="e3")
    out["full"] = full.model_dump(mode="json", by_alias=True, exclude_unset=True)
    raw = client.with_raw_response.contact_agent.enrich_contact_entity(enrich_id="e4")
    out["raw"] = {
        "status": raw.status_code,
        "content_type": raw.headers["content-type"],
        "parsed": type(raw.parsed).__name__,
    }
    whole = client.contact_agent.enrich_contact_entity(body=models.EnrichContactEntityRequest(enrich_id="e5"))
    out["whole_body_type"] = type(whole).__name__
    try:
        client.contact_agent.enrich_contact_entity(enrich_id="missing")
    except ApiError as e:
        out["errors"].append(
            {
                "sync": True,
                "status": e.status_code,
                "type": e.error_type,
                "message": e.error_message,
                "source": e.error_source,
                "error": e.error,
                "str": str(e),
                "repr": repr(e),
            }
        )


async def async_error():
    async with AsyncClient(BASE, auth=SoTicketAuth("7T:ticket-secret")) as client:
        try:
            await client.contact_agent.enrich_contact_entity(enrich_id="missing")
        except ApiError as e:
            out["errors"].append(
                {
                    "sync": False,
                    "status": e.status_code,
                    "type": e.error_type,
                    "message": e.error_message,
                    "str": str(e),
                }
            )


asyncio.run(async_error())
out["requests"] = httpx.get(BASE + "/_test/requests").json()
print(json.dumps(out))

"""Sign in to the fake SuperOffice with the installed package (its [online] extra), as a user
would: the system user flow and the OpenID Connect flow, the tenant found through the state
API, a call to the package's own mock server. Prints one JSON line of what happened."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time

import uvicorn
from superoffice_webapi import Client
from superoffice_webapi.online import OidcSignIn, SystemUserAuth
from superoffice_webapi.server import create_app
from superoffice_webapi.testing import FakeSuperOffice


def serve() -> tuple[uvicorn.Server, str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            sys.exit("the mock server did not start")
        time.sleep(0.02)
    return server, f"http://127.0.0.1:{sock.getsockname()[1]}"


def main() -> None:
    server, url = serve()
    with FakeSuperOffice() as fake:
        fake.add_tenant("Cust00000", endpoint=url)
        auth = SystemUserAuth(
            fake.system_user_token,
            fake.app_private_key_xml,
            fake.client_secret,
            "Cust00000",
            environment=fake.url,
        )
        with Client.for_tenant("Cust00000", auth=auth, environment=fake.url) as client:
            first = client.contact_agent.enrich_contact_entity(enrich_id="x")
            client.contact_agent.enrich_contact_entity(enrich_id="y")
        sign_in = OidcSignIn(fake.client_id, fake.client_secret, "http://127.0.0.1/cb", environment=fake.url)
        request = sign_in.authorization_url()
        code, state = fake.login(request.url)
        tokens = sign_in.exchange(request, code=code, state=state)
        with Client(url, auth=sign_in.auth(tokens)) as client:
            second = client.contact_agent.enrich_contact_entity(enrich_id="z")
        print(
            json.dumps(
                {
                    "system_user": first.name,
                    "exchanges": fake.exchanges,
                    "state_lookups": fake.state_lookups,
                    "oidc": second.name,
                    "ctx": tokens.identity.ctx if tokens.identity else None,
                }
            )
        )
    server.should_exit = True


if __name__ == "__main__":
    main()

"""A fake SuperOffice identity and state service, for testing sign-in offline.

    with FakeSuperOffice() as fake:
        fake.add_tenant("Cust00000", endpoint="http://127.0.0.1:8000")
        auth = SystemUserAuth(
            fake.system_user_token, fake.app_private_key_pem, fake.client_secret,
            "Cust00000", environment=fake.url,
        )
        client = Client.for_tenant("Cust00000", auth=auth, environment=fake.url)

It listens on 127.0.0.1 (a free port) and answers what `online` asks of SuperOffice: the
OpenID configuration and signing keys (JWKS), the partner system user service, the
authorize and token endpoints (authorization code with PKCE, refresh tokens), and the
state API. It makes its own keys: the app's RSA key (as PEM and as SuperOffice's
`<RSAKeyValue>` XML) and the signing keys of its tokens, which `rotate_keys` replaces.
`fault` makes the tokens it issues next expired, signed by a key it does not publish, or
issued by another issuer. Counters say how many exchanges, refreshes and state lookups
it answered. Needs the package's `[online]` extra.

Copied by docgen into every package it generates (from docgen/runtime/testing/); do not
edit.
"""

from __future__ import annotations

import base64
import secrets
import threading
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from ._answers import Answers, Code, Fault, Tenant, rsa_key
from ._http import Handler

__all__ = ["FakeSuperOffice", "Fault"]


def _b64(number: int) -> str:
    return base64.b64encode(
        number.to_bytes((number.bit_length() + 7) // 8, "big")
    ).decode()


class FakeSuperOffice(Answers):
    """SuperOffice's identity and state service on 127.0.0.1 (see the module)."""

    def __init__(
        self, *, client_id: str = "fake-client-id", ctx: str = "Cust00000"
    ) -> None:
        from cryptography.hazmat.primitives import serialization

        self.client_id = client_id
        self.client_secret = secrets.token_hex(16)
        self.system_user_token = f"FakeApp-{secrets.token_urlsafe(12)}"
        self.default_ctx = ctx
        self._app_key = rsa_key()
        self.app_private_key_pem = self._app_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        self._signing = []
        self.rotate_keys()
        self.tenants: dict[str, Tenant] = {}
        self.fault: Fault | None = None  # applies to the tokens issued next
        self.refuse_sign_in = ""  # an ErrorMessage: the next system user sign-ins fail
        self.rotate_refresh_tokens = True
        self.access_token_lifetime = (
            1200  # seconds, as SuperOffice's (about 20 minutes)
        )
        self.valid_tickets: set[str] = set()
        self.valid_access_tokens: set[str] = set()
        self._refresh_tokens: set[str] = set()
        self._codes: dict[str, Code] = {}
        self.exchanges = 0
        self.refreshes = 0
        self.state_lookups = 0
        self.jwks_fetches = 0
        self.requests: list[tuple[str, str]] = []  # (method, path): never a body
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def app_private_key_xml(self) -> str:
        """The app's key as SuperOffice issues it: .NET's `<RSAKeyValue>` XML."""
        n = self._app_key.private_numbers()
        parts = {
            "Modulus": n.public_numbers.n,
            "Exponent": n.public_numbers.e,
            "P": n.p,
            "Q": n.q,
            "DP": n.dmp1,
            "DQ": n.dmq1,
            "InverseQ": n.iqmp,
            "D": n.d,
        }
        inner = "".join(f"<{k}>{_b64(v)}</{k}>" for k, v in parts.items())
        return f"<RSAKeyValue>{inner}</RSAKeyValue>"

    def __repr__(self) -> str:
        return f"FakeSuperOffice(url={self.url if self._server else None!r})"

    # The service
    # ------------------------------------------------------------------------

    def start(self) -> FakeSuperOffice:
        handler = type("Handler", (Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        # A short poll: stop() returns within 50 ms (tests start many fakes).
        serve = self._server.serve_forever
        threading.Thread(
            target=serve, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeSuperOffice:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The environment to give `SystemUserAuth`, `OidcAuth` and `for_tenant`."""
        if self._server is None:
            raise RuntimeError("FakeSuperOffice is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # What tests change
    # ------------------------------------------------------------------

    def add_tenant(
        self, ctx: str, endpoint: str, state: str = "Running", valid_for: float = 300.0
    ) -> None:
        """What the state API says of `ctx` from now on (`valid_for` seconds ahead)."""
        self.tenants[ctx] = Tenant(endpoint.rstrip("/"), state, valid_for)

    def rotate_keys(self) -> str:
        """A new signing key (its kid returned) signs from now on; the old one stays
        published, as during a real rotation."""
        kid = f"fake-{secrets.token_hex(4)}"
        self._signing.append((kid, rsa_key()))
        return kid

    def revoke(self) -> None:
        """Every ticket and access token issued so far stops being valid."""
        self.valid_tickets.clear()
        self.valid_access_tokens.clear()

    def login(self, authorize_url: str) -> tuple[str, str]:
        """What a user's browser does at the authorize URL: (code, state) from the
        redirect the fake answers (it consents at once)."""
        import httpx

        response = httpx.get(authorize_url, follow_redirects=False)
        if response.status_code != 302:
            raise RuntimeError(
                f"authorize answered {response.status_code}: {response.text}"
            )
        query = parse_qs(urlsplit(response.headers["location"]).query)
        return query["code"][0], query["state"][0]

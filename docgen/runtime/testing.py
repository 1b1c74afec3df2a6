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

Copied by docgen into every package it generates (from docgen/runtime/testing.py); do
not edit.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode, urlsplit

from .online import CLAIM, SYSTEM_USER_ISSUER, TICKET_CLAIM

__all__ = ["FakeSuperOffice", "Fault"]

Fault = Literal["expired", "unpublished-key", "wrong-issuer"]


def _rsa_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(number: int) -> str:
    return base64.b64encode(
        number.to_bytes((number.bit_length() + 7) // 8, "big")
    ).decode()


@dataclass
class _Tenant:
    endpoint: str
    state: str
    valid_for: float


@dataclass
class _Code:
    redirect_uri: str
    challenge: str
    ctx: str


class FakeSuperOffice:
    """SuperOffice's identity and state service on 127.0.0.1 (see the module)."""

    def __init__(
        self, *, client_id: str = "fake-client-id", ctx: str = "Cust00000"
    ) -> None:
        from cryptography.hazmat.primitives import serialization

        self.client_id = client_id
        self.client_secret = secrets.token_hex(16)
        self.system_user_token = f"FakeApp-{secrets.token_urlsafe(12)}"
        self.default_ctx = ctx
        self._app_key = _rsa_key()
        self.app_private_key_pem = self._app_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        self._signing: list[tuple[str, Any]] = []
        self.rotate_keys()
        self.tenants: dict[str, _Tenant] = {}
        self.fault: Fault | None = None  # applies to the tokens issued next
        self.refuse_sign_in = ""  # an ErrorMessage: the next system user sign-ins fail
        self.rotate_refresh_tokens = True
        self.access_token_lifetime = (
            1200  # seconds, as SuperOffice's (about 20 minutes)
        )
        self.valid_tickets: set[str] = set()
        self.valid_access_tokens: set[str] = set()
        self._refresh_tokens: set[str] = set()
        self._codes: dict[str, _Code] = {}
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
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
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
        self.tenants[ctx] = _Tenant(endpoint.rstrip("/"), state, valid_for)

    def rotate_keys(self) -> str:
        """A new signing key (its kid returned) signs from now on; the old one stays
        published, as during a real rotation."""
        kid = f"fake-{secrets.token_hex(4)}"
        self._signing.append((kid, _rsa_key()))
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

    # Tokens
    # -----------------------------------------------------------------------------

    def _jwt(self, claims: Mapping[str, Any]) -> str:
        import jwt

        now = datetime.now(UTC)
        body: dict[str, Any] = {
            "iat": now,
            "nbf": now - timedelta(seconds=5),
            "exp": now + timedelta(minutes=5),
        }
        body.update(claims)
        kid, key = self._signing[-1]
        fault, self.fault = self.fault, None
        if fault == "expired":
            body["exp"] = now - timedelta(hours=1)
        elif fault == "wrong-issuer":
            body["iss"] = "https://attacker.example"
        elif fault == "unpublished-key":
            key = _rsa_key()  # same kid, a key nobody published
        return jwt.encode(body, key, algorithm="RS256", headers={"kid": kid})

    def jwks(self) -> dict[str, Any]:
        import jwt

        keys = []
        for kid, key in self._signing:
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": keys}

    def _system_user_answer(self, body: Mapping[str, Any]) -> dict[str, Any]:
        def refused(message: str) -> dict[str, Any]:
            return {"IsSuccessful": False, "ErrorMessage": message, "Token": None}

        if self.refuse_sign_in:
            return refused(self.refuse_sign_in)
        if body.get("ApplicationToken") != self.client_secret:
            return refused("Unknown application token")
        ctx = str(body.get("ContextIdentifier", ""))
        if ctx not in self.tenants and ctx != self.default_ctx:
            return refused("Unknown context identifier")
        if not self._signed_by_app(str(body.get("SignedSystemToken", ""))):
            return refused("The signed system user token is not valid")
        ticket = f"7T:{secrets.token_urlsafe(24)}"
        with self._lock:
            self.exchanges += 1
            self.valid_tickets.add(ticket)
        claims = {
            "iss": SYSTEM_USER_ISSUER,
            "sub": "system",
            TICKET_CLAIM: ticket,
            CLAIM + "ctx": ctx,
        }
        return {"IsSuccessful": True, "ErrorMessage": "", "Token": self._jwt(claims)}

    def _signed_by_app(self, signed: str) -> bool:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        data, _, signature = signed.rpartition(".")
        token, _, stamp = data.rpartition(".")
        if token != self.system_user_token or len(stamp) != 12:
            return False
        when = datetime.strptime(stamp, "%Y%m%d%H%M").replace(tzinfo=UTC)
        if abs((datetime.now(UTC) - when).total_seconds()) > 600:
            return False
        try:
            raw = base64.b64decode(signature, validate=True)
            self._app_key.public_key().verify(
                raw, data.encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        except (InvalidSignature, ValueError):
            return False
        return True

    def _tokens(self, ctx: str, with_id_token: bool) -> dict[str, Any]:
        access = f"8A:{ctx}.{secrets.token_urlsafe(24)}"
        refresh = secrets.token_urlsafe(32)
        with self._lock:
            self.valid_access_tokens.add(access)
            self._refresh_tokens.add(refresh)
        answer: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": access,
            "expires_in": self.access_token_lifetime,
            "refresh_token": refresh,
        }
        if with_id_token:
            tenant = self.tenants.get(ctx)
            endpoint = tenant.endpoint if tenant else f"{self.url}/{ctx}"
            claims = {
                "iss": self.url,
                "aud": self.client_id,
                "sub": "user@example.test",
                CLAIM + "ctx": ctx,
                CLAIM + "webapi_url": f"{endpoint}/api/",
                CLAIM + "system_token": self.system_user_token,
                CLAIM + "email": "user@example.test",
                CLAIM + "associateid": "5",
                CLAIM + "is_administrator": "True",
            }
            answer["id_token"] = self._jwt(claims)
        return answer

    def _token_answer(self, form: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return 401, {"error": "invalid_client"}
        grant = form.get("grant_type")
        if grant == "authorization_code":
            code = self._codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(
                hashlib.sha256(verifier.encode()).digest()
            )
            if code is None or code.redirect_uri != form.get("redirect_uri"):
                return 400, {"error": "invalid_grant"}
            if challenge.decode().rstrip("=") != code.challenge:
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}
            return 200, self._tokens(code.ctx, with_id_token=True)
        if grant == "refresh_token":
            token = form.get("refresh_token", "")
            if token not in self._refresh_tokens:
                return 400, {"error": "invalid_grant"}
            with self._lock:
                self.refreshes += 1
                if self.rotate_refresh_tokens:
                    self._refresh_tokens.discard(token)
            answer = self._tokens(self.default_ctx, with_id_token=True)
            if not self.rotate_refresh_tokens:
                answer.pop("refresh_token")
            return 200, answer
        return 400, {"error": "unsupported_grant_type"}

    def _authorize(self, query: Mapping[str, str]) -> str | None:
        """The redirect of a consenting user, or None when the request is not
        acceptable."""
        if (
            query.get("client_id") != self.client_id
            or query.get("response_type") != "code"
        ):
            return None
        if query.get("code_challenge_method") != "S256" or not query.get(
            "code_challenge"
        ):
            return None
        ctx = query.get("acr_values", "").removeprefix("tenant:") or self.default_ctx
        code = secrets.token_urlsafe(24)
        self._codes[code] = _Code(
            query.get("redirect_uri", ""), query["code_challenge"], ctx
        )
        redirect = query.get("redirect_uri", "")
        return (
            f"{redirect}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        )

    def _state(self, ctx: str) -> tuple[int, dict[str, Any]]:
        tenant = self.tenants.get(ctx)
        with self._lock:
            self.state_lookups += 1
        if tenant is None:
            return 200, {
                "ContextIdentifier": ctx,
                "State": "Unknown",
                "IsRunning": False,
            }
        until = datetime.now(UTC) + timedelta(seconds=tenant.valid_for)
        return 200, {
            "ContextIdentifier": ctx,
            "Endpoint": tenant.endpoint,
            "State": tenant.state,
            "IsRunning": tenant.state in ("Running", "OnlineMaintenance"),
            "ValidUntil": until.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z",
            "Api": f"{tenant.endpoint}/api",
        }

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/login/common/oauth/authorize",
            "token_endpoint": f"{self.url}/login/common/oauth/tokens",
            "jwks_uri": f"{self.url}/login/.well-known/jwks",
            "id_token_signing_alg_values_supported": ["RS256"],
        }


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSuperOffice

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests read the fake's counters and request list, not stderr

    def _send(
        self, status: int, body: Any = None, headers: Mapping[str, str] = {}
    ) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self) -> None:
        fake = self.fake
        url = urlsplit(self.path)
        fake.requests.append(("GET", url.path))
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/login/.well-known/openid-configuration":
            self._send(200, fake.metadata())
        elif url.path == "/login/.well-known/jwks":
            with fake._lock:
                fake.jwks_fetches += 1
            self._send(200, fake.jwks())
        elif url.path == "/login/common/oauth/authorize":
            redirect = fake._authorize(query)
            self._send(302, None, {"Location": redirect}) if redirect else self._send(
                400, {}
            )
        elif url.path.startswith("/api/state/"):
            self._send(*fake._state(url.path.removeprefix("/api/state/")))
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self) -> None:
        fake = self.fake
        url = urlsplit(self.path)
        fake.requests.append(("POST", url.path))
        raw = self._body()
        if url.path.lower() == "/login/api/partnersystemuser/authenticate":
            try:
                body = json.loads(raw)
            except ValueError:
                self._send(400, {"error": "not JSON"})
                return
            self._send(
                200, fake._system_user_answer(body if isinstance(body, dict) else {})
            )
        elif url.path == "/login/common/oauth/tokens":
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            self._send(*fake._token_answer(form))
        else:
            self._send(404, {"error": "not found"})

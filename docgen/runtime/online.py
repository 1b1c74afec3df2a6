"""Sign in to SuperOffice Online, and find where a tenant lives.

* `SystemUserAuth`: server to server. The system user token is signed with the app's RSA
  key, exchanged at the partner system user service for a JWT, the JWT is validated and
  its ticket claim sent as `Authorization: SOTicket <ticket>` (with `SO-AppToken`). The
  ticket is kept and shared by every client using the auth object, and renewed only when
  its sliding lifetime has run out or the API answers 401.
* `OidcAuth` and `OidcSignIn`: a user signs in (OpenID Connect authorization code flow
  with PKCE); access tokens are sent as Bearer and refreshed before they expire.
* `TenantLocator` (behind `Client.for_tenant`): the state API says where a tenant's
  installation lives now and whether it is running.

`environment` is `sod`, `stage` or `online` (`https://{environment}.superoffice.com`),
or a base URL (a proxy, or `testing.FakeSuperOffice` in tests). Signing and validating
need the package's `[online]` extra (cryptography, PyJWT). No secret (private key,
client secret, signed token, ticket, tokens) is ever in a repr, str, log line or
exception.

Copied by docgen into every package it generates (from docgen/runtime/online.py); do not
edit.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import secrets
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx

from ._core import redact

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

__all__ = [
    "AuthorizationRequest",
    "IdentityClaims",
    "OidcAuth",
    "OidcSignIn",
    "SignInError",
    "SystemUserAuth",
    "TenantLocation",
    "TenantLocator",
    "TenantUnavailable",
    "Tokens",
    "environment_url",
]

logger = logging.getLogger(__name__.rpartition(".")[0])

ENVIRONMENTS = ("sod", "stage", "online")
CLAIM = (
    "http://schemes.superoffice.net/identity/"  # SuperOffice's claims share this prefix
)
TICKET_CLAIM = CLAIM + "ticket"
SYSTEM_USER_ISSUER = (
    "SuperOffice AS"  # the issuer of system-user JWTs (the .NET client's)
)
LEEWAY = 30.0  # seconds of clock difference allowed on exp and nbf
TICKET_LIFETIME = (
    6 * 3600.0
)  # a system user ticket lives 6 hours, sliding with each use
RENEW_MARGIN = 60.0  # seconds before expiry at which a credential is renewed
RUNNING_STATES = ("Running", "OnlineMaintenance")
_EXTRA = "install the package's [online] extra (cryptography, PyJWT)"


class SignInError(Exception):
    """Signing in failed: what went wrong, never a secret. `status` is the HTTP status
    of the identity service's answer, where there was one."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class TenantUnavailable(Exception):
    """The tenant is not running: `state` says what the state API answered."""

    def __init__(self, context_identifier: str, state: str) -> None:
        super().__init__(f"tenant {context_identifier} is not available: state {state}")
        self.context_identifier = context_identifier
        self.state = state


def environment_url(environment: str) -> str:
    """`sod`, `stage`, `online` -> `https://{environment}.superoffice.com`; a URL as it
    is."""
    if environment in ENVIRONMENTS:
        return f"https://{environment}.superoffice.com"
    if environment.startswith(("https://", "http://")):
        return environment.rstrip("/")
    raise ValueError(f"environment must be one of {', '.join(ENVIRONMENTS)} or a URL")


def _crypto() -> Any:
    """PyJWT, imported when first needed: importing the package needs no extra."""
    try:
        import jwt
    except ImportError as e:
        raise ImportError(
            f"signing in to SuperOffice Online needs PyJWT: {_EXTRA}"
        ) from e
    return jwt


def load_private_key(key: str | bytes) -> RSAPrivateKey:
    """An RSA private key from PEM or from SuperOffice's `<RSAKeyValue>` XML."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
    except ImportError as e:
        raise ImportError(
            f"signing a system user token needs cryptography: {_EXTRA}"
        ) from e
    data = key.encode() if isinstance(key, str) else key
    try:
        if b"<RSAKeyValue>" in data:
            return _xml_private_key(data)
        loaded = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as e:
        raise SignInError(
            f"the private key is not usable: {type(e).__name__}"
        ) from None
    if not isinstance(loaded, rsa.RSAPrivateKey):
        raise SignInError("the private key is not an RSA key")
    return loaded


def _xml_private_key(data: bytes) -> RSAPrivateKey:
    """.NET's RSA XML (`<RSAKeyValue><Modulus>...`): big-endian base64 numbers."""
    import xml.etree.ElementTree as ET

    from cryptography.hazmat.primitives.asymmetric import rsa

    root = ET.fromstring(data)

    def number(tag: str) -> int:
        node = root.find(tag)
        if node is None or not node.text:
            raise ValueError(f"<{tag}> missing")
        return int.from_bytes(base64.b64decode(node.text.strip()), "big")

    public = rsa.RSAPublicNumbers(number("Exponent"), number("Modulus"))
    private = rsa.RSAPrivateNumbers(
        p=number("P"),
        q=number("Q"),
        d=number("D"),
        dmp1=number("DP"),
        dmq1=number("DQ"),
        iqmp=number("InverseQ"),
        public_numbers=public,
    )
    return private.private_key()


def signed_system_token(
    system_user_token: str, key: RSAPrivateKey, now: datetime
) -> str:
    """`<token>.<yyyyMMddHHmm UTC>.<base64 RSA-SHA256 signature of the first two
    parts>`."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    data = f"{system_user_token}.{now.astimezone(UTC):%Y%m%d%H%M}"
    signature = key.sign(data.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{data}.{base64.b64encode(signature).decode()}"


@dataclass
class _Metadata:
    """An environment's OpenID configuration and signing keys, fetched once each (the
    keys again when a token names a key they lack: SuperOffice rotates them)."""

    base: str
    document: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, Any] = field(default_factory=dict)  # kid -> PyJWK

    @property
    def url(self) -> str:
        return f"{self.base}/login/.well-known/openid-configuration"

    def endpoint(self, name: str) -> str:
        value = self.document.get(name)
        if not isinstance(value, str) or not value:
            raise SignInError(f"the OpenID configuration of {self.base} has no {name}")
        return value

    def lacks_keys(self, kid: str | None) -> bool:
        """No keys yet, or none by the id a token names (the keys were rotated)."""
        return not self.keys or (kid is not None and kid not in self.keys)

    def take_keys(self, jwks: Any) -> None:
        jwt = _crypto()
        try:
            found = jwt.PyJWKSet.from_dict(jwks).keys
        except (jwt.PyJWKSetError, jwt.InvalidKeyError, TypeError, KeyError) as e:
            raise SignInError(
                f"the signing keys of {self.base} are not usable: {e}"
            ) from None
        self.keys = {k.key_id: k for k in found if k.key_id}


@contextlib.contextmanager
def _reaching(what: str) -> Iterator[None]:
    """An HTTP failure talking to `what` as a SignInError (the type of failure, no URL:
    a query may hold a credential)."""
    try:
        yield
    except httpx.HTTPError as e:
        raise SignInError(f"{what} could not be reached: {type(e).__name__}") from None


def _kid_in(answer: Any, field: str) -> str | None:
    """The signing key id of the JWT in `answer[field]`, where the answer holds one."""
    if isinstance(answer, dict) and isinstance(answer.get(field), str):
        return _Identity.kid_of(answer[field])
    return None


def _json(response: httpx.Response, what: str) -> Any:
    if response.status_code != 200:
        raise SignInError(
            f"{what} answered {response.status_code}", response.status_code
        )
    try:
        return response.json()
    except ValueError:
        raise SignInError(f"{what} did not answer JSON", response.status_code) from None


class _Identity:
    """The identity service of one environment: its metadata and token validation, over
    a sync and an async HTTP client of its own."""

    def __init__(self, environment: str, timeout: float) -> None:
        self.base = environment_url(environment)
        self.timeout = timeout
        self.metadata = _Metadata(self.base)
        self._lock = threading.Lock()

    def http(self) -> httpx.Client:
        return httpx.Client(timeout=self.timeout)

    def ahttp(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.timeout)

    def ensure_metadata(self, http: httpx.Client, kid: str | None = None) -> _Metadata:
        with self._lock:
            if not self.metadata.document:
                self.metadata.document = _json(
                    http.get(self.metadata.url), "the OpenID configuration"
                )
            if self.metadata.lacks_keys(kid):
                jwks_uri = self.metadata.endpoint("jwks_uri")
                self.metadata.take_keys(
                    _json(http.get(jwks_uri), "the signing keys (JWKS)")
                )
            return self.metadata

    async def aensure_metadata(
        self, http: httpx.AsyncClient, kid: str | None = None
    ) -> _Metadata:
        if not self.metadata.document:
            document = _json(
                await http.get(self.metadata.url), "the OpenID configuration"
            )
            self.metadata.document = document
        if self.metadata.lacks_keys(kid):
            jwks_uri = self.metadata.endpoint("jwks_uri")
            self.metadata.take_keys(
                _json(await http.get(jwks_uri), "the signing keys (JWKS)")
            )
        return self.metadata

    @staticmethod
    def kid_of(token: str) -> str:
        jwt = _crypto()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError:
            raise SignInError("the token is not a JWT") from None
        kid = header.get("kid")
        if header.get("alg") != "RS256" or not isinstance(kid, str):
            raise SignInError("the token is not signed RS256 with a named key (kid)")
        return kid

    def claims(
        self, token: str, issuers: tuple[str, ...], audience: str | None = None
    ) -> dict[str, Any]:
        """The token's claims once its signature (by the key its kid names, from the
        environment's JWKS), expiry, not-before and issuer hold; else SignInError."""
        jwt = _crypto()
        kid = self.kid_of(token)
        key = self.metadata.keys.get(kid)
        if key is None:
            raise SignInError(
                f"the token is signed by a key {self.base} does not publish"
            )
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                issuer=issuers,
                audience=audience,
                leeway=LEEWAY,
                options={"require": ["exp", "iss"], "verify_aud": audience is not None},
            )
        except jwt.PyJWTError as e:
            raise SignInError(
                f"the token is not valid: {type(e).__name__}: {e}"
            ) from None
        return claims


@dataclass
class _Ticket:
    value: str
    last_used: float

    def fresh(self, now: float) -> bool:
        return now - self.last_used < TICKET_LIFETIME - RENEW_MARGIN


class SystemUserAuth(httpx.Auth):
    """`Authorization: SOTicket <ticket>` and `SO-AppToken` for a system user.

    `private_key` is PEM or SuperOffice's `<RSAKeyValue>` XML. The ticket is exchanged
    once (one exchange however many first requests arrive at once, from threads or
    tasks), kept for every request and every client that shares this object, and renewed
    after a 401 or when it has not been used for the ticket's sliding lifetime (6
    hours).
    """

    def __init__(
        self,
        system_user_token: str,
        private_key: str | bytes,
        client_secret: str,
        context_identifier: str,
        environment: str = "online",
        *,
        timeout: float = 30.0,
    ) -> None:
        self.context_identifier = context_identifier
        self.environment = environment
        self._system_user_token = system_user_token
        self._key = load_private_key(private_key)
        self._client_secret = client_secret
        self._identity = _Identity(environment, timeout)
        self._ticket: _Ticket | None = None
        self._lock = threading.Lock()
        self._alocks: dict[int, asyncio.Lock] = {}
        self.exchanges = 0  # how many tickets this object has obtained

    def __repr__(self) -> str:
        return (
            f"SystemUserAuth(context_identifier={self.context_identifier!r}, "
            f"environment={self.environment!r})"
        )

    __str__ = __repr__

    def _hidden(self, signed: str = "") -> tuple[str, ...]:
        ticket = self._ticket.value if self._ticket else ""
        return (self._client_secret, self._system_user_token, signed, ticket)

    def _request_body(self) -> tuple[dict[str, str], str]:
        signed = signed_system_token(
            self._system_user_token, self._key, datetime.now(UTC)
        )
        body = {
            "SignedSystemToken": signed,
            "ApplicationToken": self._client_secret,
            "ContextIdentifier": self.context_identifier,
            "ReturnTokenType": "JWT",
        }
        return body, signed

    def _ticket_from(self, answer: Any, signed: str) -> str:
        if not isinstance(answer, dict):
            raise SignInError(
                "the partner system user service did not answer an object"
            )
        if not answer.get("IsSuccessful"):
            reason = redact(
                str(answer.get("ErrorMessage") or "no reason given"),
                self._hidden(signed),
            )
            raise SignInError(f"the system user sign-in was refused: {reason}")
        token = answer.get("Token")
        if not isinstance(token, str):
            raise SignInError("the partner system user service answered no token")
        issuers = (self._identity.metadata.endpoint("issuer"), SYSTEM_USER_ISSUER)
        claims = self._identity.claims(token, issuers)
        ticket = claims.get(TICKET_CLAIM)
        if not isinstance(ticket, str) or not ticket:
            raise SignInError("the system user JWT holds no ticket claim")
        if claims.get(CLAIM + "ctx") not in (None, self.context_identifier):
            raise SignInError("the system user JWT is for another tenant")
        return ticket

    @property
    def _authenticate_url(self) -> str:
        return f"{self._identity.base}/Login/api/PartnerSystemUser/Authenticate"

    def _exchange(self) -> str:
        body, signed = self._request_body()
        with self._identity.http() as http, _reaching("the identity service"):
            response = http.post(self._authenticate_url, json=body)
            answer = _json(response, "the partner system user service")
            if kid := _kid_in(answer, "Token"):
                self._identity.ensure_metadata(http, kid)
        return self._ticket_from(answer, signed)

    async def _aexchange(self) -> str:
        body, signed = self._request_body()
        async with self._identity.ahttp() as http:
            with _reaching("the identity service"):
                response = await http.post(self._authenticate_url, json=body)
                answer = _json(response, "the partner system user service")
                if kid := _kid_in(answer, "Token"):
                    await self._identity.aensure_metadata(http, kid)
        return self._ticket_from(answer, signed)

    def _current(self, refused: str | None) -> str | None:
        """The kept ticket, unless it is the one just refused or its lifetime has run
        out."""
        now = time.monotonic()
        ticket = self._ticket
        if ticket is None or ticket.value == refused or not ticket.fresh(now):
            return None
        ticket.last_used = now
        return ticket.value

    def _keep(self, value: str) -> str:
        self._ticket = _Ticket(value, time.monotonic())
        self.exchanges += 1
        logger.info("system user ticket obtained for %s", self.context_identifier)
        return value

    def ticket(self, refused: str | None = None) -> str:
        """The ticket to send: the kept one, or a new one (one exchange at a time)."""
        with self._lock:
            return self._current(refused) or self._keep(self._exchange())

    async def aticket(self, refused: str | None = None) -> str:
        """As `ticket`, without blocking the event loop."""
        loop = id(asyncio.get_running_loop())
        lock = self._alocks.setdefault(loop, asyncio.Lock())
        async with lock:
            return self._current(refused) or self._keep(await self._aexchange())

    def _sign(self, request: httpx.Request, ticket: str) -> None:
        request.headers["Authorization"] = f"SOTicket {ticket}"
        request.headers["SO-AppToken"] = self._client_secret

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        ticket = self.ticket()
        self._sign(request, ticket)
        response = yield request
        if (
            response.status_code == 401
        ):  # the ticket was revoked or expired early: once more
            self._sign(request, self.ticket(refused=ticket))
            yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        ticket = await self.aticket()
        self._sign(request, ticket)
        response = yield request
        if response.status_code == 401:
            self._sign(request, await self.aticket(refused=ticket))
            yield request


@dataclass(frozen=True)
class IdentityClaims:
    """What a validated id token says of the user and the tenant."""

    ctx: str  # the tenant: `Cust00000`
    webapi_url: (
        str  # the tenant's REST API: `https://sod.superoffice.com/Cust00000/api/`
    )
    system_token: str = field(
        repr=False
    )  # for SystemUserAuth (a credential: not shown)
    email: str = ""
    associate_id: str = ""
    is_administrator: bool = False
    claims: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, claims: Mapping[str, Any]) -> IdentityClaims:
        def get(name: str) -> str:
            value = claims.get(CLAIM + name, "")
            return value if isinstance(value, str) else str(value)

        return cls(
            ctx=get("ctx"),
            webapi_url=get("webapi_url"),
            system_token=get("system_token"),
            email=get("email"),
            associate_id=get("associateid"),
            is_administrator=get("is_administrator").lower() == "true",
            claims=dict(claims),
        )


@dataclass(frozen=True)
class Tokens:
    """A token endpoint's answer; the tokens themselves never show in repr."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: float
    id_token: str = field(default="", repr=False)
    identity: IdentityClaims | None = None


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the user (`url`), and what the callback must be checked against:
    `state` and the PKCE `code_verifier` (keep both server-side until the callback)."""

    url: str
    state: str
    code_verifier: str = field(repr=False)


class _TokenEndpoint:
    """The environment's token endpoint, with id-token validation (audience = client
    id)."""

    def __init__(self, identity: _Identity, client_id: str, client_secret: str) -> None:
        self.identity = identity
        self.client_id = client_id
        self._client_secret = client_secret

    def form(self, grant: Mapping[str, str]) -> dict[str, str]:
        return {
            **grant,
            "client_id": self.client_id,
            "client_secret": self._client_secret,
        }

    def tokens(self, answer: Any, refresh_token: str) -> Tokens:
        if not isinstance(answer, dict) or not isinstance(
            answer.get("access_token"), str
        ):
            raise SignInError("the token endpoint answered no access token")
        id_token = (
            answer.get("id_token") if isinstance(answer.get("id_token"), str) else ""
        )
        identity = None
        if id_token:
            issuer = self.identity.metadata.endpoint("issuer")
            claims = self.identity.claims(id_token, (issuer,), audience=self.client_id)
            identity = IdentityClaims.of(claims)
        rotated = answer.get("refresh_token")
        return Tokens(
            access_token=answer["access_token"],
            refresh_token=rotated
            if isinstance(rotated, str) and rotated
            else refresh_token,
            expires_in=float(answer.get("expires_in") or 3600),
            id_token=str(id_token),
            identity=identity,
        )

    def post(self, grant: Mapping[str, str], refresh_token: str) -> Tokens:
        with self.identity.http() as http, _reaching("the token endpoint"):
            metadata = self.identity.ensure_metadata(http)
            response = http.post(
                metadata.endpoint("token_endpoint"), data=self.form(grant)
            )
            answer = self._answer(response)
            if kid := _kid_in(answer, "id_token"):
                self.identity.ensure_metadata(http, kid)
        return self.tokens(answer, refresh_token)

    async def apost(self, grant: Mapping[str, str], refresh_token: str) -> Tokens:
        async with self.identity.ahttp() as http:
            with _reaching("the token endpoint"):
                metadata = await self.identity.aensure_metadata(http)
                response = await http.post(
                    metadata.endpoint("token_endpoint"), data=self.form(grant)
                )
                answer = self._answer(response)
                if kid := _kid_in(answer, "id_token"):
                    await self.identity.aensure_metadata(http, kid)
        return self.tokens(answer, refresh_token)

    def _answer(self, response: httpx.Response) -> Any:
        if response.status_code != 200:
            try:
                error = response.json().get("error", "")
            except (ValueError, AttributeError):
                error = ""
            reason = redact(str(error), (self._client_secret,))
            message = (
                f"the token endpoint answered {response.status_code} {reason}".rstrip()
            )
            raise SignInError(message, response.status_code)
        return _json(response, "the token endpoint")


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43 to 128
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return verifier, challenge


class OidcSignIn:
    """The steps before `OidcAuth`: where to send the user, and the callback's code
    exchanged for tokens (PKCE S256 and `state` checked; the id token validated)."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        environment: str = "online",
        *,
        timeout: float = 30.0,
    ) -> None:
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.environment = environment
        self._client_secret = client_secret
        self._identity = _Identity(environment, timeout)
        self._endpoint = _TokenEndpoint(self._identity, client_id, client_secret)

    def __repr__(self) -> str:
        client_id, environment = self.client_id, self.environment
        return f"OidcSignIn(client_id={client_id!r}, environment={environment!r})"

    __str__ = __repr__

    def authorization_url(self, *, tenant: str | None = None) -> AuthorizationRequest:
        """The authorize URL (from the environment's OpenID configuration) with a fresh
        `state` and PKCE challenge; `tenant` (`Cust00000`) skips the tenant choice."""
        with self._identity.http() as http, _reaching("the identity service"):
            endpoint = self._identity.ensure_metadata(http).endpoint(
                "authorization_endpoint"
            )
        verifier, challenge = _pkce_pair()
        state = secrets.token_urlsafe(24)
        query = {
            "client_id": self.client_id,
            "scope": "openid",
            "redirect_uri": self.redirect_uri,
            "response_type": "code",
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        if tenant:
            query["acr_values"] = f"tenant:{tenant}"
        return AuthorizationRequest(f"{endpoint}?{urlencode(query)}", state, verifier)

    def exchange(
        self, request: AuthorizationRequest, *, code: str, state: str
    ) -> Tokens:
        """The callback's `code` for tokens; `state` must be the one sent."""
        if not secrets.compare_digest(state, request.state):
            raise SignInError("the callback's state is not the one sent: refused")
        grant = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": request.code_verifier,
        }
        tokens = self._endpoint.post(grant, "")
        if tokens.identity is None:
            raise SignInError("the token endpoint answered no id token")
        return tokens

    def auth(
        self, tokens: Tokens, on_refresh: Callable[[str], None] | None = None
    ) -> OidcAuth:
        """An `OidcAuth` that starts with these tokens."""
        auth = OidcAuth(
            self.client_id,
            self._client_secret,
            tokens.refresh_token,
            self.environment,
            access_token=tokens.access_token,
            on_refresh=on_refresh,
        )
        auth._expires_at = time.monotonic() + tokens.expires_in
        return auth


class OidcAuth(httpx.Auth):
    """`Authorization: Bearer <access token>` for a signed-in user.

    With no `access_token` one is obtained from the refresh token first. The access
    token is refreshed at the token endpoint (`grant_type=refresh_token`) shortly before
    it expires and after a 401 (once); a refresh token the endpoint rotates is handed to
    `on_refresh`, for the app to store.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        environment: str = "online",
        access_token: str | None = None,
        on_refresh: Callable[[str], None] | None = None,
        *,
        timeout: float = 30.0,
    ) -> None:
        self.client_id = client_id
        self.environment = environment
        self._refresh_token = refresh_token
        self._access_token = access_token
        # An access token given without its lifetime is used until the API refuses it.
        self._expires_at = float("inf") if access_token else 0.0
        self._on_refresh = on_refresh
        self._endpoint = _TokenEndpoint(
            _Identity(environment, timeout), client_id, client_secret
        )
        self._lock = threading.Lock()
        self._alocks: dict[int, asyncio.Lock] = {}
        self.refreshes = 0
        self.identity: IdentityClaims | None = None

    def __repr__(self) -> str:
        return (
            f"OidcAuth(client_id={self.client_id!r}, environment={self.environment!r})"
        )

    __str__ = __repr__

    def _grant(self) -> dict[str, str]:
        return {"grant_type": "refresh_token", "refresh_token": self._refresh_token}

    def _current(self, refused: str | None) -> str | None:
        token = self._access_token
        if (
            token is None
            or token == refused
            or time.monotonic() >= self._expires_at - RENEW_MARGIN
        ):
            return None
        return token

    def _keep(self, tokens: Tokens) -> str:
        self._access_token = tokens.access_token
        self._expires_at = time.monotonic() + tokens.expires_in
        self.refreshes += 1
        if tokens.identity is not None:
            self.identity = tokens.identity
        if tokens.refresh_token != self._refresh_token:
            self._refresh_token = tokens.refresh_token
            if self._on_refresh is not None:
                self._on_refresh(tokens.refresh_token)
        return tokens.access_token

    def access_token(self, refused: str | None = None) -> str:
        with self._lock:
            return self._current(refused) or self._keep(
                self._endpoint.post(self._grant(), self._refresh_token)
            )

    async def aaccess_token(self, refused: str | None = None) -> str:
        lock = self._alocks.setdefault(id(asyncio.get_running_loop()), asyncio.Lock())
        async with lock:
            return self._current(refused) or self._keep(
                await self._endpoint.apost(self._grant(), self._refresh_token)
            )

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.access_token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            request.headers["Authorization"] = (
                f"Bearer {self.access_token(refused=token)}"
            )
            yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self.aaccess_token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            request.headers["Authorization"] = (
                f"Bearer {await self.aaccess_token(refused=token)}"
            )
            yield request


@dataclass(frozen=True)
class TenantLocation:
    """What the state API says of a tenant."""

    context_identifier: str
    endpoint: str  # the installation's root: `https://sod2.superoffice.com/Cust00000`
    state: str
    valid_until: float  # time.monotonic() after which the state API is asked again


class TenantLocator:
    """Where a tenant's installation lives now (`{environment}/api/state/{ctx}`), kept
    until the state's `ValidUntil` and asked again after it or when the tenant stops
    answering; a tenant that is not running raises `TenantUnavailable`."""

    def __init__(
        self,
        context_identifier: str,
        environment: str = "online",
        *,
        timeout: float = 30.0,
    ) -> None:
        self.context_identifier = context_identifier
        self.url = f"{environment_url(environment)}/api/state/{context_identifier}"
        self.timeout = timeout
        self._location: TenantLocation | None = None
        self._lock = threading.Lock()
        self.lookups = 0

    def __repr__(self) -> str:
        return f"TenantLocator(context_identifier={self.context_identifier!r})"

    def forget(self) -> None:
        """The tenant stopped answering where it was: ask the state API next time."""
        self._location = None

    def _location_of(self, response: httpx.Response) -> TenantLocation:
        self.lookups += 1
        answer = _json(response, "the state API")
        if not isinstance(answer, dict) or not isinstance(answer.get("Endpoint"), str):
            raise SignInError("the state API answered no Endpoint")
        state = str(answer.get("State") or "Unknown")
        if state not in RUNNING_STATES:
            raise TenantUnavailable(self.context_identifier, state)
        return TenantLocation(
            self.context_identifier,
            answer["Endpoint"].rstrip("/"),
            state,
            _until(answer.get("ValidUntil")),
        )

    def _kept(self) -> str | None:
        location = self._location
        return (
            location.endpoint
            if location and time.monotonic() < location.valid_until
            else None
        )

    def endpoint(self) -> str:
        """The installation's base URL (asking the state API when the kept one has
        expired)."""
        with self._lock:
            kept = self._kept()
            if kept is not None:
                return kept
            with _reaching("the state API"), httpx.Client(timeout=self.timeout) as http:
                response = http.get(self.url)
            self._location = self._location_of(response)
            return self._location.endpoint

    async def aendpoint(self) -> str:
        kept = self._kept()
        if kept is not None:
            return kept
        with _reaching("the state API"):
            async with httpx.AsyncClient(timeout=self.timeout) as http:
                response = await http.get(self.url)
        self._location = self._location_of(response)
        return self._location.endpoint


def _until(value: Any) -> float:
    """`ValidUntil` (an ISO date and time, UTC) as a time.monotonic() deadline; at most
    an hour ahead, and now when it is missing or unreadable."""
    now = time.monotonic()
    if not isinstance(value, str):
        return now
    try:
        when = datetime.fromisoformat(
            value
        )  # `Z`, and 7 fractional digits, as SuperOffice writes
    except ValueError:
        return now
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return now + max(0.0, min(3600.0, (when - datetime.now(UTC)).total_seconds()))

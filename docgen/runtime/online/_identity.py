"""The identity service of a SuperOffice environment: where it is, its OpenID
configuration and signing keys, and the validation of the JWTs it issues.

Copied by docgen into every package it generates (from
docgen/runtime/online/_identity.py); do not edit.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from .._auth import RenewingAuth
from .._exceptions import SignInError

ENVIRONMENTS = ("sod", "stage", "online")
# SuperOffice's claims share this prefix.
CLAIM = "http://schemes.superoffice.net/identity/"
TICKET_CLAIM = CLAIM + "ticket"
# The issuer of system-user JWTs (the .NET client's Constants.SystemUser.ClaimsIssuer).
SYSTEM_USER_ISSUER = "SuperOffice AS"
LEEWAY = 30.0  # seconds of clock difference allowed on exp and nbf
RENEW_MARGIN = 60.0  # seconds before expiry at which a credential is renewed
EXTRA = "install the package's [online] extra (cryptography, PyJWT)"


def environment_url(environment: str) -> str:
    """`sod`, `stage`, `online` -> `https://{environment}.superoffice.com`; a URL as it
    is."""
    if environment in ENVIRONMENTS:
        return f"https://{environment}.superoffice.com"
    if environment.startswith(("https://", "http://")):
        return environment.rstrip("/")
    raise ValueError(f"environment must be one of {', '.join(ENVIRONMENTS)} or a URL")


def crypto() -> Any:
    """PyJWT, imported when first needed: importing the package needs no extra."""
    try:
        import jwt
    except ImportError as e:
        raise ImportError(
            f"signing in to SuperOffice Online needs PyJWT: {EXTRA}"
        ) from e
    return jwt


@contextlib.contextmanager
def reaching(what: str) -> Iterator[None]:
    """An HTTP failure talking to `what` as a SignInError (the type of failure, no URL:
    a query may hold a credential)."""
    try:
        yield
    except httpx.HTTPError as e:
        raise SignInError(f"{what} could not be reached: {type(e).__name__}") from None


def answer_json(response: httpx.Response, what: str) -> Any:
    """The JSON of a 200 answer; else SignInError naming `what` and the status."""
    if response.status_code != 200:
        raise SignInError(
            f"{what} answered {response.status_code}", response.status_code
        )
    try:
        return response.json()
    except ValueError:
        raise SignInError(f"{what} did not answer JSON", response.status_code) from None


def kid_in(answer: Any, name: str) -> str | None:
    """The signing key id of the JWT in `answer[name]`, where the answer holds one."""
    if isinstance(answer, dict) and isinstance(answer.get(name), str):
        return Identity.kid_of(answer[name])
    return None


@dataclass
class Metadata:
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
        jwt = crypto()
        try:
            found = jwt.PyJWKSet.from_dict(jwks).keys
        except (jwt.PyJWKSetError, jwt.InvalidKeyError, TypeError, KeyError) as e:
            raise SignInError(
                f"the signing keys of {self.base} are not usable: {e}"
            ) from None
        self.keys = {k.key_id: k for k in found if k.key_id}


class Identity:
    """The identity service of one environment: its metadata and token validation.

    Blocking HTTP only: `AsyncClient`s reach it through `RenewingAuth`, in a worker
    thread, so that one code path serves both."""

    def __init__(self, environment: str, timeout: float) -> None:
        self.base = environment_url(environment)
        self.timeout = timeout
        self.metadata = Metadata(self.base)
        self._lock = threading.Lock()

    def http(self) -> httpx.Client:
        return httpx.Client(timeout=self.timeout)

    def ensure_metadata(self, http: httpx.Client, kid: str | None = None) -> Metadata:
        with self._lock:
            if not self.metadata.document:
                self.metadata.document = answer_json(
                    http.get(self.metadata.url), "the OpenID configuration"
                )
            if self.metadata.lacks_keys(kid):
                jwks_uri = self.metadata.endpoint("jwks_uri")
                self.metadata.take_keys(
                    answer_json(http.get(jwks_uri), "the signing keys (JWKS)")
                )
            return self.metadata

    @staticmethod
    def kid_of(token: str) -> str:
        jwt = crypto()
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
        jwt = crypto()
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


class SignedInAuth(RenewingAuth):
    """A credential the identity service of `environment` issues. Its repr and str show
    the attributes `_shown` names, never a secret."""

    _shown: tuple[str, ...] = ("environment",)

    def __init__(self, environment: str, timeout: float) -> None:
        super().__init__()
        self.environment = environment
        self._identity = Identity(environment, timeout)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
        return f"{type(self).__name__}({shown})"

    __str__ = __repr__

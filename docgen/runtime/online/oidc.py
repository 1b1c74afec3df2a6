"""A user signs in: OpenID Connect's authorization code flow with PKCE (`OidcSignIn`),
then access tokens sent as Bearer and refreshed before they expire (`OidcAuth`).

Copied by docgen into every package it generates (from docgen/runtime/online/oidc.py);
do not edit.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from .._exceptions import SignInError, redact
from ._identity import (
    CLAIM,
    RENEW_MARGIN,
    Identity,
    SignedInAuth,
    answer_json,
    kid_in,
    reaching,
)

__all__ = ["AuthorizationRequest", "IdentityClaims", "OidcAuth", "OidcSignIn", "Tokens"]


@dataclass(frozen=True)
class IdentityClaims:
    """What a validated id token says of the user and the tenant."""

    ctx: str  # the tenant: `Cust00000`
    # The tenant's REST API: `https://sod.superoffice.com/Cust00000/api/`.
    webapi_url: str
    # For SystemUserAuth (a credential: not shown).
    system_token: str = field(repr=False)
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

    def __init__(self, identity: Identity, client_id: str, client_secret: str) -> None:
        self.identity = identity
        self.client_id = client_id
        self._client_secret = client_secret

    def post(self, grant: Mapping[str, str], refresh_token: str) -> Tokens:
        form = {
            **grant,
            "client_id": self.client_id,
            "client_secret": self._client_secret,
        }
        with self.identity.http() as http, reaching("the token endpoint"):
            metadata = self.identity.ensure_metadata(http)
            response = http.post(metadata.endpoint("token_endpoint"), data=form)
            answer = self._answer(response)
            if kid := kid_in(answer, "id_token"):
                self.identity.ensure_metadata(http, kid)
        return self._tokens(answer, refresh_token)

    def _answer(self, response: httpx.Response) -> Any:
        if response.status_code != 200:
            try:
                error = response.json().get("error", "")
            except (ValueError, AttributeError):
                error = ""
            reason = redact(str(error), (self._client_secret,))
            message = f"the token endpoint answered {response.status_code} {reason}"
            raise SignInError(message.rstrip(), response.status_code)
        return answer_json(response, "the token endpoint")

    def _tokens(self, answer: Any, refresh_token: str) -> Tokens:
        if not isinstance(answer, dict) or not isinstance(
            answer.get("access_token"), str
        ):
            raise SignInError("the token endpoint answered no access token")
        id_token = answer.get("id_token")
        id_token = id_token if isinstance(id_token, str) else ""
        identity = None
        if id_token:
            issuer = self.identity.metadata.endpoint("issuer")
            claims = self.identity.claims(id_token, (issuer,), audience=self.client_id)
            identity = IdentityClaims.of(claims)
        rotated = answer.get("refresh_token")
        return Tokens(
            access_token=answer["access_token"],
            refresh_token=(
                rotated if isinstance(rotated, str) and rotated else refresh_token
            ),
            expires_in=float(answer.get("expires_in") or 3600),
            id_token=id_token,
            identity=identity,
        )


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
        self._identity = Identity(environment, timeout)
        self._endpoint = _TokenEndpoint(self._identity, client_id, client_secret)

    def __repr__(self) -> str:
        client_id, environment = self.client_id, self.environment
        return f"OidcSignIn(client_id={client_id!r}, environment={environment!r})"

    __str__ = __repr__

    def authorization_url(self, *, tenant: str | None = None) -> AuthorizationRequest:
        """The authorize URL (from the environment's OpenID configuration) with a fresh
        `state` and PKCE challenge; `tenant` (`Cust00000`) skips the tenant choice."""
        with self._identity.http() as http, reaching("the identity service"):
            metadata = self._identity.ensure_metadata(http)
        endpoint = metadata.endpoint("authorization_endpoint")
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


class OidcAuth(SignedInAuth):
    """`Authorization: Bearer <access token>` for a signed-in user.

    With no `access_token` one is obtained from the refresh token first. The access
    token is refreshed at the token endpoint (`grant_type=refresh_token`) shortly before
    it expires and after a 401 (once); a refresh token the endpoint rotates is handed to
    `on_refresh`, for the app to store (from a worker thread with `AsyncClient`).
    """

    _shown = ("client_id", "environment")

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
        super().__init__(environment, timeout)
        self.client_id = client_id
        self._refresh_token = refresh_token
        self._access_token = access_token
        # An access token given without its lifetime is used until the API refuses it.
        self._expires_at = float("inf") if access_token else 0.0
        self._on_refresh = on_refresh
        self._endpoint = _TokenEndpoint(self._identity, client_id, client_secret)
        self.refreshes = 0
        self.identity: IdentityClaims | None = None

    def access_token(self, refused: str | None = None) -> str:
        """The access token to send: the kept one, or a refreshed one."""
        return self.credential(refused)

    def _kept(self, refused: str | None) -> str | None:
        token = self._access_token
        if token is None or token == refused:
            return None
        if time.monotonic() >= self._expires_at - RENEW_MARGIN:
            return None
        return token

    def _renew(self) -> str:
        grant = {"grant_type": "refresh_token", "refresh_token": self._refresh_token}
        tokens = self._endpoint.post(grant, self._refresh_token)
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

    def _apply(self, request: httpx.Request, credential: str) -> None:
        request.headers["Authorization"] = f"Bearer {credential}"

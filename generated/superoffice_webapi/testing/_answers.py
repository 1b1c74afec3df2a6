"""What the fake SuperOffice answers: tokens it signs, the partner system user service,
the token and authorize endpoints, the state API, its OpenID configuration and keys.

Copied by docgen into every package it generates (from docgen/runtime/testing/); do not
edit.
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
from typing import Any, Literal
from urllib.parse import urlencode

from ..online import CLAIM, SYSTEM_USER_ISSUER, TICKET_CLAIM

Fault = Literal["expired", "unpublished-key", "wrong-issuer"]


def rsa_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Tenant:
    endpoint: str
    state: str
    valid_for: float


@dataclass
class Code:
    redirect_uri: str
    challenge: str
    ctx: str


class Answers:
    """The fake's state and its answers, without the HTTP around them."""

    client_id: str
    client_secret: str
    system_user_token: str
    default_ctx: str
    tenants: dict[str, Tenant]
    fault: Fault | None
    refuse_sign_in: str
    rotate_refresh_tokens: bool
    access_token_lifetime: int
    valid_tickets: set[str]
    valid_access_tokens: set[str]
    exchanges: int
    refreshes: int
    state_lookups: int
    jwks_fetches: int
    requests: list[tuple[str, str]]
    _app_key: Any
    _signing: list[tuple[str, Any]]
    _refresh_tokens: set[str]
    _codes: dict[str, Code]
    _lock: threading.Lock

    @property
    def url(self) -> str:
        raise NotImplementedError

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
            key = rsa_key()  # same kid, a key nobody published
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
        self._codes[code] = Code(
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

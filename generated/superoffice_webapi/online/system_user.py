"""Server to server, as a tenant's system user: the system user token is signed with the
app's RSA key, exchanged at the partner system user service for a JWT, the JWT is
validated and its ticket claim sent as `Authorization: SOTicket <ticket>` (with
`SO-AppToken`).

Copied by docgen into every package it generates (from
docgen/runtime/online/system_user.py); do not edit.
"""

from __future__ import annotations

import base64
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

from .._exceptions import SignInError, redact
from ._identity import (
    CLAIM,
    EXTRA,
    RENEW_MARGIN,
    SYSTEM_USER_ISSUER,
    TICKET_CLAIM,
    SignedInAuth,
    answer_json,
    kid_in,
    reaching,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

__all__ = ["SystemUserAuth", "load_private_key", "signed_system_token"]

logger = logging.getLogger(__name__.split(".")[0])
TICKET_LIFETIME = (
    6 * 3600.0
)  # a system user ticket lives 6 hours, sliding with each use


def load_private_key(key: str | bytes) -> RSAPrivateKey:
    """An RSA private key from PEM or from SuperOffice's `<RSAKeyValue>` XML."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
    except ImportError as e:
        raise ImportError(
            f"signing a system user token needs cryptography: {EXTRA}"
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
class _Ticket:
    value: str
    last_used: float

    def fresh(self, now: float) -> bool:
        return now - self.last_used < TICKET_LIFETIME - RENEW_MARGIN


class SystemUserAuth(SignedInAuth):
    """`Authorization: SOTicket <ticket>` and `SO-AppToken` for a system user.

    `private_key` is PEM or SuperOffice's `<RSAKeyValue>` XML. The ticket is exchanged
    once (one exchange however many first requests arrive at once, from threads or
    tasks), kept for every request and every client that shares this object, and renewed
    after a 401 or when it has not been used for the ticket's sliding lifetime (6
    hours).
    """

    _shown = ("context_identifier", "environment")

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
        super().__init__(environment, timeout)
        self.context_identifier = context_identifier
        self._system_user_token = system_user_token
        self._key = load_private_key(private_key)
        self._client_secret = client_secret
        self._ticket: _Ticket | None = None
        self.exchanges = 0  # how many tickets this object has obtained

    def ticket(self, refused: str | None = None) -> str:
        """The ticket to send: the kept one, or a new one (one exchange at a time)."""
        return self.credential(refused)

    def _kept(self, refused: str | None) -> str | None:
        """The kept ticket, unless it is the one refused or its lifetime has run out."""
        now = time.monotonic()
        ticket = self._ticket
        if ticket is None or ticket.value == refused or not ticket.fresh(now):
            return None
        ticket.last_used = now
        return ticket.value

    def _renew(self) -> str:
        value = self._exchange()
        self._ticket = _Ticket(value, time.monotonic())
        self.exchanges += 1
        logger.info("system user ticket obtained for %s", self.context_identifier)
        return value

    def _apply(self, request: httpx.Request, credential: str) -> None:
        request.headers["Authorization"] = f"SOTicket {credential}"
        request.headers["SO-AppToken"] = self._client_secret

    @property
    def _authenticate_url(self) -> str:
        return f"{self._identity.base}/Login/api/PartnerSystemUser/Authenticate"

    def _exchange(self) -> str:
        signed = signed_system_token(
            self._system_user_token, self._key, datetime.now(UTC)
        )
        body = {
            "SignedSystemToken": signed,
            "ApplicationToken": self._client_secret,
            "ContextIdentifier": self.context_identifier,
            "ReturnTokenType": "JWT",
        }
        with self._identity.http() as http, reaching("the identity service"):
            response = http.post(self._authenticate_url, json=body)
            answer = answer_json(response, "the partner system user service")
            if kid := kid_in(answer, "Token"):
                self._identity.ensure_metadata(http, kid)
        return self._ticket_from(answer, signed)

    def _hidden(self, signed: str) -> tuple[str, ...]:
        ticket = self._ticket.value if self._ticket else ""
        return (self._client_secret, self._system_user_token, signed, ticket)

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

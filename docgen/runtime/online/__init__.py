"""Sign in to SuperOffice Online, and find where a tenant lives.

* `SystemUserAuth` (`online.system_user`): server to server. The system user token is
  signed with the app's RSA key, exchanged at the partner system user service for a JWT,
  the JWT is validated and its ticket claim sent as `Authorization: SOTicket <ticket>`
  (with `SO-AppToken`). The ticket is kept and shared by every client using the auth
  object, and renewed only when its sliding lifetime has run out or the API answers
  401.
* `OidcAuth` and `OidcSignIn` (`online.oidc`): a user signs in (OpenID Connect
  authorization code flow with PKCE); access tokens are sent as Bearer and refreshed
  before they expire.
* `TenantLocator` (`online.tenant`, behind `Client.for_tenant`): the state API says
  where a tenant's installation lives now and whether it is running.

`environment` is `sod`, `stage` or `online` (`https://{environment}.superoffice.com`),
or a base URL (a proxy, or `testing.FakeSuperOffice` in tests). Signing and validating
need the package's `[online]` extra (cryptography, PyJWT). No secret (private key,
client secret, signed token, ticket, tokens) is ever in a repr, str, log line or
exception. `SignInError` and `TenantUnavailable` derive from the package's
`SuperOfficeError`.

Copied by docgen into every package it generates (from docgen/runtime/online/); do not
edit.
"""

from .._exceptions import SignInError, TenantUnavailable
from ._identity import (
    CLAIM,
    LEEWAY,
    RENEW_MARGIN,
    SYSTEM_USER_ISSUER,
    TICKET_CLAIM,
    environment_url,
)
from .oidc import AuthorizationRequest, IdentityClaims, OidcAuth, OidcSignIn, Tokens
from .system_user import (
    TICKET_LIFETIME,
    SystemUserAuth,
    load_private_key,
    signed_system_token,
)
from .tenant import RUNNING_STATES, TenantLocation, TenantLocator

__all__ = [
    "CLAIM",
    "LEEWAY",
    "RENEW_MARGIN",
    "RUNNING_STATES",
    "SYSTEM_USER_ISSUER",
    "TICKET_CLAIM",
    "TICKET_LIFETIME",
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
    "load_private_key",
    "signed_system_token",
]

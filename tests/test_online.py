"""Signing in to SuperOffice Online with the generated package, against its fake, over real HTTP."""

# Signing in to SuperOffice Online with the generated package (`online`), against the fake
# identity and state service it ships (`testing.FakeSuperOffice`), over real HTTP on 127.0.0.1:
# the system user flow, the OpenID Connect flow, tenants that move or stop, and no secret in
# anything printed.
#
# The tenant's API is the generated server itself (uvicorn on a free port) with an
# implementation that accepts only the tickets and access tokens the fake issued and has not
# revoked, so a revoked credential is answered 401 as SuperOffice answers it.

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from conftest import free_port


class _Contacts:
    def __init__(self, fake) -> None:
        self.fake = fake
        self.seen: list[str] = []  # the Authorization schemes the API was sent
        self.refuse_all = False

    def enrich_contact_entity(self, ctx, **kwargs):
        from superoffice_webapi.server._runtime import ApiProblem

        header = ctx.headers.get("authorization", "")
        scheme, _, credential = header.partition(" ")
        self.seen.append(scheme)
        if scheme == "SOTicket":
            ok = credential in self.fake.valid_tickets
            ok = ok and ctx.headers.get("so-apptoken") == self.fake.client_secret
        else:
            ok = scheme == "Bearer" and credential in self.fake.valid_access_tokens
        if not ok or self.refuse_all:
            raise ApiProblem(401, "the credential is not valid")
        return {"ContactId": 5, "Name": "Fake AS"}


class _Tenant:
    def __init__(self, fake) -> None:
        self.contact_agent = _Contacts(fake)


@contextlib.contextmanager
def tenant_api(fake) -> Iterator[tuple[str, _Tenant]]:
    """The generated server on 127.0.0.1, checking credentials against the fake."""
    from superoffice_webapi.server import create_app

    from support.serving import serving

    implementation = _Tenant(fake)
    with serving(create_app(implementation)) as url:
        yield url, implementation


@pytest.fixture
def fake(seed_package):
    from superoffice_webapi.testing import FakeSuperOffice

    with FakeSuperOffice(ctx="Cust12345") as f:
        yield f


@pytest.fixture
def tenant(fake):
    with tenant_api(fake) as (url, implementation):
        fake.add_tenant("Cust12345", endpoint=url)
        yield url, implementation


def system_user(fake, key=None):
    from superoffice_webapi.online import SystemUserAuth

    return SystemUserAuth(
        fake.system_user_token,
        key or fake.app_private_key_pem,
        fake.client_secret,
        "Cust12345",
        environment=fake.url,
    )


def enrich(client):
    return client.contact_agent.enrich_contact_entity()


# The system user flow ---------------------------------------------------------------------


@pytest.mark.parametrize("key_form", ["pem", "xml"])
def test_a_system_user_signs_in_with_a_pem_or_xml_key_and_sends_its_ticket(fake, tenant, key_form):
    from superoffice_webapi import Client

    key = fake.app_private_key_pem if key_form == "pem" else fake.app_private_key_xml
    auth = system_user(fake, key)
    with Client(tenant[0], auth=auth) as client:
        contact = enrich(client)
    assert contact.contact_id == 5 and contact.name == "Fake AS"
    assert tenant[1].contact_agent.seen == ["SOTicket"] and fake.exchanges == 1


def test_the_ticket_is_kept_for_every_request_and_every_client_sharing_the_auth(fake, tenant):
    from superoffice_webapi import AsyncClient, Client

    auth = system_user(fake)
    with Client(tenant[0], auth=auth) as one, Client(tenant[0], auth=auth) as two:
        for _ in range(3):
            enrich(one)
            enrich(two)

    async def from_async() -> None:
        async with AsyncClient(tenant[0], auth=auth) as client:
            await client.contact_agent.enrich_contact_entity()

    asyncio.run(from_async())
    assert fake.exchanges == 1 and auth.exchanges == 1


def test_many_first_requests_at_once_make_one_exchange_threads_and_tasks(fake, tenant):
    from superoffice_webapi import AsyncClient, Client

    auth = system_user(fake)
    with Client(tenant[0], auth=auth) as client:
        errors: list[BaseException] = []

        def call() -> None:
            try:
                enrich(client)
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=call) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert not errors and fake.exchanges == 1

    auth = system_user(fake)

    async def many() -> None:
        async with AsyncClient(tenant[0], auth=auth) as client:
            await asyncio.gather(*(client.contact_agent.enrich_contact_entity() for _ in range(16)))

    asyncio.run(many())
    assert fake.exchanges == 2 and auth.exchanges == 1


def test_a_401_gets_a_new_ticket_once(fake, tenant):
    from superoffice_webapi import ApiError, Client

    auth = system_user(fake)
    with Client(tenant[0], auth=auth) as client:
        enrich(client)
        fake.revoke()  # SuperOffice no longer takes the ticket
        enrich(client)
        assert fake.exchanges == 2
        # A ticket the API refuses even when fresh: one renewal, then the 401 is the answer.
        tenant[1].contact_agent.refuse_all = True
        with pytest.raises(ApiError) as refused:
            enrich(client)
    assert refused.value.status_code == 401 and fake.exchanges == 3


def test_a_ticket_whose_lifetime_has_run_out_is_renewed(fake, tenant):
    from superoffice_webapi import Client
    from superoffice_webapi.online import TICKET_LIFETIME

    auth = system_user(fake)
    with Client(tenant[0], auth=auth) as client:
        enrich(client)
        auth._ticket.last_used -= TICKET_LIFETIME  # six hours unused
        enrich(client)
    assert fake.exchanges == 2


def test_a_rotated_signing_key_is_fetched_once_more(fake, tenant):
    from superoffice_webapi import Client

    auth = system_user(fake)
    with Client(tenant[0], auth=auth) as client:
        enrich(client)
        fake.rotate_keys()
        fake.revoke()
        enrich(client)  # a JWT signed by a key the cached set lacks
        enrich(client)
    assert fake.jwks_fetches == 2 and fake.exchanges == 2


@pytest.mark.parametrize(
    "fault, expected",
    [
        ("expired", "ExpiredSignatureError"),
        ("unpublished-key", "InvalidSignatureError"),
        ("wrong-issuer", "InvalidIssuerError"),
    ],
)
def test_a_token_that_is_expired_wrongly_signed_or_from_elsewhere_is_refused(fake, tenant, fault, expected):
    from superoffice_webapi import Client
    from superoffice_webapi.online import SignInError

    fake.fault = fault
    with Client(tenant[0], auth=system_user(fake)) as client, pytest.raises(SignInError) as e:
        enrich(client)
    assert expected in str(e.value)
    assert tenant[1].contact_agent.seen == [], "nothing is sent with a token not validated"


def test_a_refused_sign_in_is_a_clear_sign_in_error(fake, tenant):
    from superoffice_webapi import Client
    from superoffice_webapi.online import SignInError

    fake.refuse_sign_in = f"Application token {fake.client_secret} is not approved by Cust12345"
    with Client(tenant[0], auth=system_user(fake)) as client, pytest.raises(SignInError) as e:
        enrich(client)
    assert "refused" in str(e.value) and "not approved" in str(e.value)
    assert fake.client_secret not in str(e.value), "the error quotes the secret: it is redacted"


def test_an_unusable_key_or_unreachable_service_is_a_sign_in_error(fake, tenant):
    from superoffice_webapi import Client
    from superoffice_webapi.online import SignInError, SystemUserAuth

    with pytest.raises(SignInError, match="private key"):
        SystemUserAuth("t", "-----BEGIN PRIVATE KEY-----\nnot a key\n", "s", "Cust1")
    auth = SystemUserAuth(
        fake.system_user_token,
        fake.app_private_key_pem,
        fake.client_secret,
        "Cust12345",
        environment=f"http://127.0.0.1:{free_port()}",  # nothing listens there
    )
    with Client(tenant[0], auth=auth) as client, pytest.raises(SignInError, match="could not be reached"):
        enrich(client)


# A user signs in: OpenID Connect ----------------------------------------------------------


def oidc(fake):
    from superoffice_webapi.online import OidcSignIn

    return OidcSignIn(fake.client_id, fake.client_secret, "http://127.0.0.1/callback", environment=fake.url)


def test_a_user_signs_in_with_the_authorization_code_flow_and_pkce(fake, tenant):
    from superoffice_webapi import Client

    sign_in = oidc(fake)
    request = sign_in.authorization_url(tenant="Cust12345")
    assert "code_challenge_method=S256" in request.url and f"state={request.state}" in request.url
    code, state = fake.login(request.url)
    tokens = sign_in.exchange(request, code=code, state=state)
    identity = tokens.identity
    assert identity is not None and identity.ctx == "Cust12345"
    assert identity.webapi_url == f"{tenant[0]}/api/" and identity.system_token == fake.system_user_token
    stored: list[str] = []
    with Client(tenant[0], auth=sign_in.auth(tokens, on_refresh=stored.append)) as client:
        enrich(client)
        assert tenant[1].contact_agent.seen == ["Bearer"] and fake.refreshes == 0
        fake.revoke()  # the access token expired early: refreshed after the 401
        enrich(client)
    assert fake.refreshes == 1 and len(stored) == 1 and stored[0] != tokens.refresh_token


def test_the_callback_must_carry_the_state_sent_and_the_code_its_verifier(fake):
    from superoffice_webapi.online import AuthorizationRequest, SignInError

    sign_in = oidc(fake)
    request = sign_in.authorization_url()
    code, _ = fake.login(request.url)
    with pytest.raises(SignInError, match="state"):
        sign_in.exchange(request, code=code, state="forged")
    other = AuthorizationRequest(request.url, request.state, "another-verifier-" + "x" * 40)
    with pytest.raises(SignInError, match="400"):
        sign_in.exchange(other, code=code, state=request.state)


def test_an_id_token_for_another_client_is_refused(fake):
    from superoffice_webapi.online import SignInError
    from superoffice_webapi.online._identity import Identity as _Identity

    identity = _Identity(fake.url, 10)
    with identity.http() as http:
        identity.ensure_metadata(http)
    token = fake._jwt({"iss": fake.url, "aud": "someone-else", "sub": "u"})
    with pytest.raises(SignInError, match="InvalidAudienceError"):
        identity.claims(token, (fake.url,), audience="fake-client-id")


def test_an_oidc_auth_without_an_access_token_gets_one_first_and_refreshes_before_expiry(fake, tenant):
    from superoffice_webapi import AsyncClient, Client
    from superoffice_webapi.online import RENEW_MARGIN, OidcAuth

    refresh = fake._tokens("Cust12345", with_id_token=False)["refresh_token"]
    stored: list[str] = []
    auth = OidcAuth(
        fake.client_id, fake.client_secret, refresh, environment=fake.url, on_refresh=stored.append
    )
    with Client(tenant[0], auth=auth) as client:
        enrich(client)
        assert fake.refreshes == 1 and auth.identity is not None and auth.identity.ctx == "Cust12345"
        enrich(client)
        assert fake.refreshes == 1, "the access token is kept while it lives"
        auth._expires_at = time.monotonic() + RENEW_MARGIN / 2  # about to expire
        enrich(client)
    assert fake.refreshes == 2 and len(stored) == 2

    async def from_async() -> None:
        async with AsyncClient(tenant[0], auth=auth) as client:
            fake.revoke()
            await client.contact_agent.enrich_contact_entity()

    asyncio.run(from_async())
    assert fake.refreshes == 3


# Where the tenant lives -------------------------------------------------------------------


def test_for_tenant_follows_the_state_api_and_a_tenant_that_moved(fake):
    from superoffice_webapi import AsyncClient, Client

    auth = system_user(fake)
    with tenant_api(fake) as (first, _):
        fake.add_tenant("Cust12345", endpoint=first)
        client = Client.for_tenant("Cust12345", auth=auth, environment=fake.url)
        enrich(client)
        enrich(client)
        assert client.base_url == first and fake.state_lookups == 1, "kept until ValidUntil"
    with tenant_api(fake) as (second, _):
        fake.add_tenant("Cust12345", endpoint=second)
        enrich(client)  # the first installation stopped answering: the state API is asked again
        assert client.base_url == second and fake.state_lookups == 2
        fake.add_tenant("Cust12345", endpoint=second, valid_for=0)
        client._locator.forget()
        enrich(client)
        enrich(client)
        assert fake.state_lookups == 4, "asked again once ValidUntil has passed"
        client.close()

        async def from_async() -> str:
            async with AsyncClient.for_tenant("Cust12345", auth=auth, environment=fake.url) as a:
                await a.contact_agent.enrich_contact_entity()
                return a.base_url

        assert asyncio.run(from_async()) == second


@pytest.mark.parametrize("state", ["OfflineMaintenance", "Suspended", "Deleted"])
def test_a_tenant_that_is_not_running_raises_tenant_unavailable(fake, tenant, state):
    from superoffice_webapi import Client
    from superoffice_webapi.online import TenantUnavailable

    fake.add_tenant("Cust12345", endpoint=tenant[0], state=state)
    with pytest.raises(TenantUnavailable) as e:
        Client.for_tenant("Cust12345", auth=system_user(fake), environment=fake.url)
    assert e.value.state == state and "Cust12345" in str(e.value)


def test_a_tenant_in_online_maintenance_answers(fake, tenant):
    from superoffice_webapi import Client

    fake.add_tenant("Cust12345", endpoint=tenant[0], state="OnlineMaintenance")
    with Client.for_tenant("Cust12345", auth=system_user(fake), environment=fake.url) as client:
        assert enrich(client).contact_id == 5


def test_environments_are_superoffice_hosts_or_urls(seed_package):
    from superoffice_webapi.online import environment_url

    assert environment_url("sod") == "https://sod.superoffice.com"
    assert environment_url("online") == "https://online.superoffice.com"
    assert environment_url("stage") == "https://stage.superoffice.com"
    assert environment_url("http://127.0.0.1:9/") == "http://127.0.0.1:9"
    with pytest.raises(ValueError):
        environment_url("production")


# Secrets ----------------------------------------------------------------------------------


def test_no_secret_in_any_repr_str_log_line_or_exception(fake, tenant, caplog):
    from superoffice_webapi import Client
    from superoffice_webapi.online import SignInError

    caplog.set_level(logging.DEBUG)
    printed: list[str] = []
    auth = system_user(fake)
    with Client(tenant[0], auth=auth) as client:
        enrich(client)
        printed += [repr(auth), str(auth), repr(client)]
    ticket = next(iter(fake.valid_tickets))
    sign_in = oidc(fake)
    request = sign_in.authorization_url()
    tokens = sign_in.exchange(request, code=fake.login(request.url)[0], state=request.state)
    oidc_auth = sign_in.auth(tokens)
    printed += [repr(sign_in), repr(request), repr(tokens), repr(tokens.identity), repr(oidc_auth)]
    for fault in ("expired", "wrong-issuer"):
        fake.fault = fault
        fake.revoke()
        with Client(tenant[0], auth=system_user(fake)) as client, pytest.raises(SignInError) as e:
            enrich(client)
        printed += [str(e.value), repr(e.value)]
    printed += [r.getMessage() for r in caplog.records]
    text = "\n".join(printed)
    secrets = {
        "client secret": fake.client_secret,
        "private key": fake.app_private_key_pem.splitlines()[1],
        "system user token": fake.system_user_token,
        "ticket": ticket,
        "access token": tokens.access_token,
        "refresh token": tokens.refresh_token,
        "id token": tokens.id_token,
        "code verifier": request.code_verifier,
    }
    leaked = [name for name, value in secrets.items() if value and value in text]
    assert not leaked, f"printed: {leaked}"
    assert "SystemUserAuth(context_identifier='Cust12345'" in text


def test_the_online_extra_is_named_when_it_is_missing(seed_package, monkeypatch):
    from superoffice_webapi import online

    monkeypatch.setitem(sys.modules, "jwt", None)
    with pytest.raises(ImportError, match=r"\[online\] extra"):
        online._identity.crypto()

"""How requests carry credentials: fixed ones (`BasicAuth`, `SoTicketAuth`,
`XsrfTokenAuth`) and renewing ones (`BearerAuth` with a token source, and the sign-in
flows of `online`), which share `RenewingAuth`: a credential obtained when first needed
(once, however many requests ask at once, from threads or tasks), kept while it is
fresh, and obtained again after a 401, when the request is sent again with it.

No credential ever shows in a repr or str.

Copied by docgen into every package it generates (from docgen/runtime/_auth.py); do not
edit.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from weakref import WeakKeyDictionary

import httpx


class _FixedAuth(httpx.Auth):
    """Sets one header on every request; the secret never shows in repr or str."""

    header = "Authorization"

    def _value(self) -> str:
        raise NotImplementedError

    def auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self.header] = self._value()
        yield request

    def __repr__(self) -> str:
        return f"{type(self).__name__}(***)"

    __str__ = __repr__


class BasicAuth(_FixedAuth):
    """`Authorization: Basic ...` from a user name and password (on-site)."""

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self._password = password

    def _value(self) -> str:
        return httpx.BasicAuth(self.user, self._password)._auth_header

    def __repr__(self) -> str:
        return f"BasicAuth(user={self.user!r}, password=***)"

    __str__ = __repr__


class SoTicketAuth(_FixedAuth):
    """`Authorization: SOTicket <ticket>`."""

    def __init__(self, ticket: str) -> None:
        self._ticket = ticket

    def _value(self) -> str:
        return f"SOTicket {self._ticket}"


class XsrfTokenAuth(_FixedAuth):
    """`X-XSRF-TOKEN: <token>`, the alternative to an Authorization header."""

    header = "X-XSRF-TOKEN"

    def __init__(self, token: str) -> None:
        self._token = token

    def _value(self) -> str:
        return self._token


class LoopLocks:
    """One `asyncio.Lock` per running event loop (a lock belongs to the loop it is first
    used in), forgotten with its loop: a new loop never gets a dead loop's lock."""

    def __init__(self) -> None:
        self._locks: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            WeakKeyDictionary()
        )
        self._guard = threading.Lock()

    def get(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        with self._guard:
            lock = self._locks.get(loop)
            if lock is None:
                lock = self._locks[loop] = asyncio.Lock()
            return lock

    def __len__(self) -> int:
        return len(self._locks)


class RenewingAuth(httpx.Auth):
    """A credential obtained when first needed, kept while fresh, renewed after a 401.

    A subclass says what is kept (`_kept`), how a new one is obtained and kept
    (`_renew`, called under the lock, so one at a time however many threads and tasks
    ask) and how a request carries it (`_apply`). With `AsyncClient`, `_renew` runs in a
    worker thread (`_arenew`): obtaining a credential is rare, and one code path behind
    one lock serves threads and event loops alike without blocking a loop.
    """

    renewable = True  # whether a 401 asks for a new credential

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop_locks = LoopLocks()
        self._refused: str | None = None  # refused, but not renewed yet

    def _kept(self, refused: str | None) -> str | None:
        """The kept credential, unless it is `refused` or no longer fresh."""
        raise NotImplementedError

    def _renew(self) -> str:
        """Obtain a new credential, keep it and return it (under the lock)."""
        raise NotImplementedError

    def _apply(self, request: httpx.Request, credential: str) -> None:
        raise NotImplementedError

    def credential(self, refused: str | None = None) -> str:
        """The credential to send: the kept one, or a new one."""
        with self._lock:
            return self._kept(refused or self._refused) or self._renew()

    async def acredential(self, refused: str | None = None) -> str:
        """As `credential`, without blocking the event loop."""
        refused = refused or self._refused
        kept = self._kept(refused)
        if kept is not None:
            return kept
        async with self._loop_locks.get():
            return self._kept(refused) or await self._arenew(refused)

    async def _arenew(self, refused: str | None) -> str:
        return await asyncio.to_thread(self.credential, refused)

    def _again(
        self, request: httpx.Request, response: httpx.Response, sent: str
    ) -> bool:
        """Whether to renew `sent` and send the request again: after a 401, when the
        body can be sent twice (else the next request renews it)."""
        if response.status_code != 401 or not self.renewable:
            return False
        if getattr(request.stream, "replayable", True):
            return True
        self._refused = sent
        return False

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        sent = self.credential()
        self._apply(request, sent)
        if self._again(request, (yield request), sent):
            self._apply(request, self.credential(refused=sent))
            yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        sent = await self.acredential()
        self._apply(request, sent)
        if self._again(request, (yield request), sent):
            self._apply(request, await self.acredential(refused=sent))
            yield request


TokenSource = Callable[[], str | Awaitable[str]]


class BearerAuth(RenewingAuth):
    """`Authorization: Bearer <token>` (SuperOffice Online access tokens).

    `token` is a string, or a callable returning one (with `AsyncClient`, it may return
    an awaitable): it is asked once, kept, and asked again once after a 401, when the
    request is sent again with the fresh token. The token never shows in repr or str.
    """

    def __init__(self, token: str | TokenSource) -> None:
        super().__init__()
        self._source = token
        self._token: str | None = token if isinstance(token, str) else None
        self.renewable = callable(token)

    def _kept(self, refused: str | None) -> str | None:
        return None if self._token == refused else self._token

    def _renew(self) -> str:
        value = self._source() if callable(self._source) else self._source
        if not isinstance(value, str):
            raise TypeError("BearerAuth: an awaitable token source needs AsyncClient")
        return self._keep(value)

    async def _arenew(self, refused: str | None) -> str:
        # The source is the caller's: it runs on the loop, and may be a coroutine.
        value = self._source() if callable(self._source) else self._source
        return self._keep(value if isinstance(value, str) else await value)

    def _keep(self, token: str) -> str:
        self._token = token
        self._refused = None
        return token

    def _apply(self, request: httpx.Request, credential: str) -> None:
        request.headers["Authorization"] = f"Bearer {credential}"

    def __repr__(self) -> str:
        return "BearerAuth(***)"

    __str__ = __repr__

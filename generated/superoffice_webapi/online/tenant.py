"""Where a tenant's installation lives now, and whether it is running: SuperOffice's
state API (`{environment}/api/state/{context identifier}`), behind `Client.for_tenant`.

Copied by docgen into every package it generates (from docgen/runtime/online/tenant.py);
do not edit.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from .._exceptions import SignInError, TenantUnavailable
from ._identity import answer_json, environment_url, reaching

__all__ = ["RUNNING_STATES", "TenantLocation", "TenantLocator"]

RUNNING_STATES = ("Running", "OnlineMaintenance")
MAX_VALID = 3600.0  # seconds an answer is kept at most, whatever its ValidUntil


@dataclass(frozen=True)
class TenantLocation:
    """What the state API says of a tenant."""

    context_identifier: str
    endpoint: str  # the installation's root: `https://sod2.superoffice.com/Cust00000`
    state: str
    valid_until: float  # time.monotonic() after which the state API is asked again


class TenantLocator:
    """Where a tenant's installation lives now, kept until the state's `ValidUntil` and
    asked again after it or when the tenant stops answering; a tenant that is not
    running raises `TenantUnavailable`. One lookup at a time, from threads and event
    loops alike (`aendpoint` asks in a worker thread)."""

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

    def _kept(self) -> str | None:
        location = self._location
        if location is None or time.monotonic() >= location.valid_until:
            return None
        return location.endpoint

    def endpoint(self) -> str:
        """The installation's base URL (asking the state API when the kept one has
        expired)."""
        with self._lock:
            kept = self._kept()
            if kept is not None:
                return kept
            with reaching("the state API"), httpx.Client(timeout=self.timeout) as http:
                response = http.get(self.url)
            self._location = self._location_of(response)
            return self._location.endpoint

    async def aendpoint(self) -> str:
        """As `endpoint`, without blocking the event loop."""
        kept = self._kept()
        return kept if kept is not None else await asyncio.to_thread(self.endpoint)

    def _location_of(self, response: httpx.Response) -> TenantLocation:
        self.lookups += 1
        answer = answer_json(response, "the state API")
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


def _until(value: Any) -> float:
    """`ValidUntil` (an ISO date and time, UTC; `Z` and 7 fractional digits, as
    SuperOffice writes it) as a time.monotonic() deadline; at most an hour ahead, and
    now when it is missing or unreadable."""
    now = time.monotonic()
    if not isinstance(value, str):
        return now
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return now
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return now + max(0.0, min(MAX_VALID, (when - datetime.now(UTC)).total_seconds()))

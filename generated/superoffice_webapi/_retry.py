"""When to send again, how long to wait, and when a call has run out of time: decided
without I/O.

A call is a `CallPlan`: it says what to do next (`Send` attempt n, `Sleep` this long,
`Relocate` to where the tenant lives now) and is told what happened (the answer, or the
transport failure). The sync and the async client only carry out its steps, so their
retries, waits and deadlines cannot drift apart; tests drive a plan with a `Clock` that
does not wait.

Copied by docgen into every package it generates (from docgen/runtime/_retry.py); do not
edit.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from ._exceptions import ApiConnectionError, ApiTimeout

# Answers that say "try again later": the request was not carried out, whatever its
# method.
RETRY_LATER = frozenset({429, 503})
# Answers and failures after which a request may or may not have been carried out: only
# an idempotent request may be sent again.
RETRY_IDEMPOTENT = frozenset({502, 504})
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class Clock:
    """Time as a call sees it. Tests pass one that records waits instead of waiting."""

    def now(self) -> float:
        """Seconds on a monotonic clock."""
        return time.monotonic()

    def utcnow(self) -> datetime:
        """The date and time, for `Retry-After` given as an HTTP date."""
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


SYSTEM_CLOCK = Clock()


@dataclass(frozen=True)
class RetryPolicy:
    """`retries` more attempts after the first, waiting `Retry-After` where the server
    says it, else `backoff * 2**attempt` (at most `max_backoff`) times a random factor
    in `jitter`, so that many clients refused at once do not come back at once."""

    retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_wait: float = 120.0  # a server asking for longer gets its answer raised instead
    jitter: tuple[float, float] = (0.75, 1.0)

    def wait(
        self,
        method: str,
        attempt: int,
        response: httpx.Response | None,
        clock: Clock,
        uniform: Callable[[float, float], float],
    ) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to stop here.
        `response` is None after a transport failure (refused, reset, timed out)."""
        if attempt >= self.retries:
            return None
        if response is None or response.status_code in RETRY_IDEMPOTENT:
            if method.upper() not in IDEMPOTENT:
                return None
            return self.backoff_for(attempt, uniform)
        if response.status_code not in RETRY_LATER:
            return None
        told = retry_after(response, clock)
        wait = self.backoff_for(attempt, uniform) if told is None else told
        return wait if wait <= self.max_wait else None

    def backoff_for(
        self, attempt: int, uniform: Callable[[float, float], float]
    ) -> float:
        base = min(self.max_backoff, self.backoff * 2.0**attempt)
        return base * uniform(*self.jitter)


def retry_after(response: httpx.Response, clock: Clock) -> float | None:
    """`Retry-After` in seconds (given as seconds or as an HTTP date), if present and
    readable."""
    value = response.headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - clock.utcnow()).total_seconds())


class Deadline:
    """The whole-call deadline of one call (none when `seconds` is None): every
    attempt, the waits between them and reading the answer."""

    def __init__(self, seconds: float | None, clock: Clock) -> None:
        self.seconds = seconds
        self.clock = clock
        self.end = None if seconds is None else clock.now() + seconds

    def left(self) -> float:
        return float("inf") if self.end is None else self.end - self.clock.now()

    def expired(self) -> bool:
        return self.left() <= 0

    def error(self, where: str) -> ApiTimeout:
        message = f"{where}: no whole answer within the {self.seconds:g} s deadline"
        method, _, url = where.partition(" ")
        return ApiTimeout(message, method=method, url=url)

    def check(self, where: str) -> None:
        if self.expired():
            raise self.error(where)

    def limits(self, timeout: httpx.Timeout) -> dict[str, float | None]:
        """Each network wait of an attempt: `timeout`'s, bounded by what is left."""
        parts = timeout.as_dict()
        if self.end is None:
            return parts
        left = max(0.0, self.left())
        return {k: left if v is None else min(v, left) for k, v in parts.items()}


@dataclass(frozen=True)
class Send:
    """Send the request (attempt 0 is the first), each network wait within `limits`."""

    attempt: int
    limits: dict[str, float | None]


@dataclass(frozen=True)
class Sleep:
    """Wait this long before the next attempt."""

    seconds: float
    attempt: int  # the attempt that was answered


@dataclass(frozen=True)
class Relocate:
    """The tenant refused the connection: ask where it lives now and build the request
    again for there (once per call)."""


Step = Send | Sleep | Relocate
Outcome = httpx.Response | httpx.TransportError | None


@dataclass(frozen=True)
class Done:
    """The plan is over: this answer is the call's (a success or the error to raise)."""

    response: httpx.Response


class CallPlan:
    """The steps of one call. `start()` gives the first; `next(outcome)` is told what
    the last step brought (the answer or the transport failure of a `Send`, None after
    the others) and gives the next step, or `Done` with the answer; it raises
    `ApiConnectionError` or `ApiTimeout` when the call has failed.

    `replayable` is false when the body can be sent only once (an iterator): then no
    attempt follows the first. `relocatable` is true for a client that follows its
    tenant (`for_tenant`)."""

    def __init__(
        self,
        where: str,
        policy: RetryPolicy,
        deadline: Deadline,
        timeout: httpx.Timeout,
        *,
        uniform: Callable[[float, float], float] = random.uniform,
        replayable: bool = True,
        relocatable: bool = False,
    ) -> None:
        self.where = where
        self.method = where.split(" ", 1)[0]
        self.policy = policy if replayable else RetryPolicy(retries=0)
        self.deadline = deadline
        self.timeout = timeout
        self.uniform = uniform
        self.relocatable = relocatable
        self._steps = self._plan()

    def start(self) -> Step | Done:
        return self.next(None)

    def next(self, outcome: Outcome) -> Step | Done:
        try:
            return self._steps.send(outcome)
        except StopIteration as end:
            response: httpx.Response = end.value
            return Done(response)

    def _plan(self) -> Generator[Step, Outcome, httpx.Response]:
        attempt, moved = 0, False
        while True:
            self.deadline.check(self.where)
            outcome = yield Send(attempt, self.deadline.limits(self.timeout))
            if isinstance(outcome, httpx.Response):
                wait = self._wait(attempt, outcome)
                if wait is None:
                    return outcome
            elif not isinstance(outcome, httpx.TransportError):
                raise TypeError("a Send is answered with a response or a failure")
            elif self.relocatable and not moved and _refused(outcome):
                moved = True
                yield Relocate()
                continue
            else:
                wait = self._failed(attempt, outcome)
            if wait >= self.deadline.left():  # the wait would end past the deadline
                raise self.deadline.error(self.where)
            yield Sleep(wait, attempt)
            attempt += 1

    def _wait(self, attempt: int, response: httpx.Response | None) -> float | None:
        clock = self.deadline.clock
        return self.policy.wait(self.method, attempt, response, clock, self.uniform)

    def _failed(self, attempt: int, error: httpx.TransportError) -> float:
        """The wait after a transport failure; raises when the call has failed."""
        if self.deadline.expired():
            raise self.deadline.error(self.where) from error
        wait = self._wait(attempt, None)
        if wait is None:
            method, _, url = self.where.partition(" ")
            message = f"{self.where}: {type(error).__name__}: {error}"
            raise ApiConnectionError(message, method=method, url=url) from error
        return wait


def _refused(outcome: Outcome) -> bool:
    """A connection refused: the request was not sent at all."""
    return isinstance(outcome, httpx.ConnectError)

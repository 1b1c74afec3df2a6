"""The client runtime's decisions without I/O: call plans, retries, pager, wire codec, credentials."""

# The client's decisions, taken without I/O, driven here with a clock that does not wait:
# the call plan (what is retried, after how long, with what jitter, when the deadline or the
# retries end a call, when a tenant that moved is looked up again), the pager, the wire
# codec both sides share, and the credentials fetched once however many ask at once. No
# test here sleeps or opens a socket.

from __future__ import annotations

import asyncio
import gc
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def rt(seed_package):
    """The runtime as the generated package holds it."""
    import importlib

    return importlib.import_module("superoffice_webapi")


class FakeClock:
    """Time that moves only when the plan says to wait (or a test says so)."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.slept: list[float] = []
        self.wall = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)

    def now(self) -> float:
        return self.t

    def utcnow(self) -> datetime:
        return self.wall + timedelta(seconds=self.t - 1000.0)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def plan(rt, method="GET", retries=3, deadline=None, clock=None, uniform=None, **kw):
    from superoffice_webapi._retry import CallPlan, Deadline, RetryPolicy

    clock = clock or FakeClock()
    return CallPlan(
        f"{method} http://t.test/api/v1/X",
        RetryPolicy(retries),
        Deadline(deadline, clock),
        httpx.Timeout(30.0),
        uniform=uniform or (lambda a, b: b),
        **kw,
    ), clock


def answer(status, headers=None):
    return httpx.Response(status, headers=headers or {}, request=httpx.Request("GET", "http://t.test/"))


def run(p, clock, outcomes):
    """Drive plan `p` with `outcomes` (answers or transport failures) for its Send steps:
    the kinds of step it took, and what it ended with (the answer, or the exception)."""
    from superoffice_webapi._retry import Done, Relocate, Send, Sleep

    steps = []
    outcomes = list(outcomes)
    try:
        step = p.start()
        while not isinstance(step, Done):
            if isinstance(step, Send):
                steps.append("send")
                step = p.next(outcomes.pop(0))
            elif isinstance(step, Sleep):
                steps.append(f"sleep {step.seconds:g}")
                clock.sleep(step.seconds)
                step = p.next(None)
            else:
                assert isinstance(step, Relocate)
                steps.append("relocate")
                step = p.next(None)
    except Exception as e:  # the plan's verdict
        return steps, e
    return steps, step.response


def test_a_success_is_sent_once(rt):
    p, clock = plan(rt)
    steps, end = run(p, clock, [answer(200)])
    assert steps == ["send"] and end.status_code == 200


def test_429_and_503_wait_what_retry_after_says_in_seconds_or_as_a_date(rt):
    p, clock = plan(rt, method="POST")
    # A date 10 s ahead, read after the first wait of 3 s: 7 s left.
    date = format_datetime(clock.utcnow() + timedelta(seconds=10), usegmt=True)
    steps, end = run(
        p, clock, [answer(429, {"Retry-After": "3"}), answer(503, {"Retry-After": date}), answer(200)]
    )
    assert steps == ["send", "sleep 3", "send", "sleep 7", "send"] and end.status_code == 200


def test_without_retry_after_the_wait_doubles_with_jitter_between_three_quarters_and_whole(rt):
    """The backoff is 0.5, 1, 2... seconds times a random factor in [0.75, 1]: many
    clients refused at once do not come back at once."""
    factors = iter([0.75, 1.0, 0.8])
    seen_bounds = []

    def uniform(a, b):
        seen_bounds.append((a, b))
        return next(factors)

    p, clock = plan(rt, uniform=uniform)
    steps, _ = run(p, clock, [answer(503), answer(502), answer(429), answer(200)])
    assert steps == ["send", "sleep 0.375", "send", "sleep 1", "send", "sleep 1.6", "send"]
    assert set(seen_bounds) == {(0.75, 1.0)}


def test_jitter_spreads_real_waits(rt):
    """With the real random source, the waits of many clients differ."""
    import random

    waits = set()
    for _ in range(20):
        p, clock = plan(rt, uniform=random.uniform)
        run(p, clock, [answer(429), answer(200)])
        waits.add(clock.slept[0])
        assert 0.375 <= clock.slept[0] <= 0.5
    assert len(waits) > 10


def test_a_post_is_not_sent_again_after_502_504_or_a_transport_failure(rt):
    for outcome in (answer(502), answer(504)):
        p, clock = plan(rt, method="POST")
        steps, end = run(p, clock, [outcome])
        assert steps == ["send"] and end.status_code == outcome.status_code
    p, clock = plan(rt, method="POST")
    steps, end = run(p, clock, [httpx.ReadError("reset")])
    assert steps == ["send"] and isinstance(end, rt.ApiConnectionError)
    assert isinstance(end.__cause__, httpx.ReadError) and not isinstance(end, httpx.HTTPError)


def test_an_idempotent_call_is_sent_again_after_a_transport_failure_until_the_retries_are_spent(rt):
    p, clock = plan(rt, method="PUT", retries=2)
    steps, end = run(p, clock, [httpx.ConnectError("refused")] * 3)
    assert steps == ["send", "sleep 0.5", "send", "sleep 1", "send"]
    assert isinstance(end, rt.ApiConnectionError) and "ConnectError" in str(end)


def test_the_last_refusal_is_the_answer_once_retries_are_spent(rt):
    p, clock = plan(rt, retries=1)
    steps, end = run(p, clock, [answer(429, {"Retry-After": "0"})] * 2)
    assert steps == ["send", "sleep 0", "send"] and end.status_code == 429


def test_a_server_asking_to_wait_too_long_gets_its_answer_back(rt):
    p, clock = plan(rt)
    steps, end = run(p, clock, [answer(503, {"Retry-After": "3600"})])
    assert steps == ["send"] and end.status_code == 503


def test_a_wait_that_would_end_past_the_deadline_ends_the_call_at_once(rt):
    p, clock = plan(rt, deadline=5.0)
    steps, end = run(p, clock, [answer(429, {"Retry-After": "10"})])
    assert steps == ["send"] and isinstance(end, rt.ApiTimeout) and "5 s deadline" in str(end)
    assert clock.slept == []


def test_each_attempt_waits_on_the_network_at_most_what_is_left_of_the_deadline(rt):
    from superoffice_webapi._retry import Send

    p, clock = plan(rt, deadline=10.0)
    first = p.start()
    assert isinstance(first, Send) and first.limits["read"] == 10.0
    clock.t += 4
    step = p.next(answer(429, {"Retry-After": "1"}))
    clock.sleep(step.seconds)
    second = p.next(None)
    assert isinstance(second, Send) and second.limits["read"] == pytest.approx(5.0)


def test_a_failure_after_the_deadline_is_a_timeout(rt):
    p, clock = plan(rt, deadline=2.0)
    p.start()
    clock.t += 3
    with pytest.raises(rt.ApiTimeout):
        p.next(httpx.ReadTimeout("slow"))


def test_a_body_that_can_be_sent_once_is_never_sent_again(rt):
    p, clock = plan(rt, method="PUT", replayable=False)
    steps, end = run(p, clock, [answer(503, {"Retry-After": "0"})])
    assert steps == ["send"] and end.status_code == 503


def test_a_refused_connection_to_a_tenant_asks_where_it_lives_once(rt):
    p, clock = plan(rt, method="POST", relocatable=True)
    steps, end = run(p, clock, [httpx.ConnectError("refused"), answer(200)])
    assert steps == ["send", "relocate", "send"] and end.status_code == 200
    p, clock = plan(rt, method="POST", relocatable=True)
    steps, end = run(p, clock, [httpx.ConnectError("refused")] * 2)
    assert steps == ["send", "relocate", "send"] and isinstance(end, rt.ApiConnectionError)


def test_the_client_carries_out_a_plan_without_real_sleeps(rt):
    """The whole client, its clock replaced: three 503s and a success, no time passes."""
    answers = iter([503, 503, 503, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), json={})

    clock = FakeClock()
    with rt.Client("http://t.test", transport=httpx.MockTransport(handler)) as client:
        client._clock = clock
        client._uniform = lambda a, b: a
        client.contact_agent.enrich_contact_entity()
    assert clock.slept == [0.375, 0.75, 1.5]


def test_the_async_client_follows_the_same_plan(rt):
    answers = iter([429, 502, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), json={})

    clock = FakeClock()

    async def main():
        async with rt.AsyncClient("http://t.test", transport=httpx.MockTransport(handler)) as client:
            client._clock = clock
            client._uniform = lambda a, b: b
            await client.request("GET", "/api/v1/X")

    asyncio.run(main())
    assert clock.slept == [0.5, 1.0]


# Paging ---------------------------------------------------------------------------------


def test_the_pager_asks_page_after_page_until_a_short_page_and_keeps_to_the_limit(rt):
    from superoffice_webapi.pagination import Pager

    pager = Pager(page_size=2, limit=None, skip=None)
    asked, rows = [], []
    pages = {0: [1, 2], 2: [3, 4], 4: [5]}
    while not pager.done:
        asked.append(pager.arguments())
        rows += pager.take(pages[pager.skip])
    assert rows == [1, 2, 3, 4, 5] and [a["skip"] for a in asked] == [0, 2, 4]
    limited = Pager(page_size=2, limit=3, skip=None)
    got = limited.take([1, 2]) + limited.take([3, 4])
    assert got == [1, 2, 3] and limited.done


def test_an_odata_page_without_next_link_is_the_last(rt):
    from superoffice_webapi.pagination import Pager

    pager = Pager(page_size=2, limit=None, skip=5)
    assert pager.take({"value": [1, 2], "odata.nextLink": None}) == [1, 2] and pager.done
    assert pager.skip == 7


def test_rows_of_an_async_listing_are_read_with_async_for_only(rt):
    from superoffice_webapi.pagination import Rows

    async def page(top, skip):
        return [1, 2][skip : skip + top]

    async def main():
        return [r async for r in Rows(page, (), {}, 1, None)]

    assert asyncio.run(main()) == [1, 2]
    with pytest.raises(TypeError, match="async for"):
        list(Rows(page, (), {}, 1, None))


# The wire codec -------------------------------------------------------------------------


@given(st.integers(min_value=-(2**31), max_value=2**31 - 1))
def test_integers_round_trip(rt, value):
    from superoffice_webapi._wire import decode, encode

    assert decode(encode(value), "integer") == value


@given(st.booleans())
def test_booleans_round_trip(rt, value):
    from superoffice_webapi._wire import decode, encode

    assert decode(encode(value), "boolean") is value


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_round_trip(rt, value):
    from superoffice_webapi._wire import decode, encode

    assert decode(encode(value), "number") == value


@given(st.datetimes(timezones=st.just(UTC)) | st.datetimes())
def test_dates_round_trip(rt, value):
    from superoffice_webapi._wire import decode, encode

    assert datetime.fromisoformat(decode(encode(value), "date-time")) == value


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters=","), min_size=1), max_size=5))
def test_arrays_round_trip_comma_separated(rt, value):
    from superoffice_webapi._wire import decode, encode

    assert decode(encode(value), "array") == value


def test_enums_travel_as_their_value_and_come_back_as_the_listed_one(rt):
    from superoffice_webapi import models
    from superoffice_webapi._wire import decode, encode

    member = next(iter(models.AddressType))
    wire = encode(member)
    assert wire == member.value
    values = [m.value for m in models.AddressType]
    assert decode(wire.upper(), "enum", values=values) == member.value
    with pytest.raises(ValueError, match="expected one of"):
        decode("NoSuchValue", "enum", values=values)


def test_the_query_keeps_select_and_commas_and_leaves_out_what_is_not_given(rt):
    from superoffice_webapi._wire import query_string

    text = query_string([("$select", ["name", "id"]), ("$top", 5), ("skip", None), ("q", "a b&c")])
    assert text == "$select=name,id&$top=5&q=a%20b%26c"


# Credentials fetched once -----------------------------------------------------------------


class CountingAuth:
    """A RenewingAuth whose fetch takes a moment and counts itself."""

    @staticmethod
    def make(rt):
        from superoffice_webapi._auth import RenewingAuth

        class Counting(RenewingAuth):
            def __init__(self) -> None:
                super().__init__()
                self.fetches = 0
                self.value: str | None = None
                self.gate = threading.Event()

            def _kept(self, refused):
                return None if self.value == refused else self.value

            def _renew(self):
                self.gate.wait(5)
                self.fetches += 1
                self.value = f"credential-{self.fetches}"
                return self.value

            def _apply(self, request, credential):
                request.headers["Authorization"] = f"Test {credential}"

        return Counting()


def test_one_fetch_however_many_threads_and_tasks_ask_at_once(rt):
    auth = CountingAuth.make(rt)
    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(auth.credential())) for _ in range(8)]
    for t in threads:
        t.start()

    async def tasks():
        return await asyncio.gather(*(auth.acredential() for _ in range(8)))

    result: list[str] = []
    loop_thread = threading.Thread(target=lambda: result.extend(asyncio.run(tasks())))
    loop_thread.start()
    auth.gate.set()
    for t in [*threads, loop_thread]:
        t.join(10)
    assert auth.fetches == 1 and set(got + result) == {"credential-1"} and len(got + result) == 16
    assert auth.credential(refused="credential-1") == "credential-2"


def test_each_event_loop_gets_its_own_lock_and_a_closed_loop_s_lock_goes(rt):
    """The locks were kept in a dict keyed by id(loop): it grew with every loop, and a new
    loop at a reused address got a dead loop's lock."""
    from superoffice_webapi._auth import LoopLocks

    locks = LoopLocks()

    async def lock_of_this_loop():
        return id(locks.get())

    ids = [asyncio.run(lock_of_this_loop()) for _ in range(5)]
    gc.collect()
    assert len(locks) == 0, "a lock outlived its loop"
    assert len(ids) == 5

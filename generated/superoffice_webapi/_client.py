"""`Client` and `AsyncClient`: the two thin drivers that carry out a call's plan
(`_retry.CallPlan`) with httpx, one blocking and one awaited. Everything they decide is
decided once, without I/O, in `_base_client` and `_retry`.

Copied by docgen into every package it generates (from docgen/runtime/_client.py); do
not edit.
"""

from __future__ import annotations

from typing import Any, Self, TypeVar, Unpack, overload

import httpx

from ._base_client import (
    BaseClient,
    CallParts,
    RequestArgs,
    TenantEndpoint,
    stays_open,
    whole,
    within,
)
from ._request import PreparedCall
from ._response import AsyncStreamedResponse, StreamedResponse
from ._retry import CallPlan, Deadline, Done, Outcome, Send, Sleep, Step
from ._types import Operation

T = TypeVar("T")


class Client(BaseClient[httpx.Client, httpx.BaseTransport]):
    """Synchronous client. Use as a context manager, or call `close()`."""

    _pool_kind = httpx.Client
    _streamed = StreamedResponse

    def _new_pool(self, transport: httpx.BaseTransport | None) -> httpx.Client:
        return httpx.Client(
            timeout=self.timeout, verify=self._verify, transport=transport
        )

    @staticmethod
    def _first_endpoint(locator: TenantEndpoint) -> str:
        return locator.endpoint()

    def call(self, op: Operation[T], **parts: Unpack[CallParts]) -> T:
        """Send one operation (retrying as `retries` allows) and answer it as `T` (with
        mode "raw" an `ApiResponse`, with "stream" an open `StreamedResponse`). Raises
        `ApiError` by status (`UnexpectedResponse` for a success that does not parse),
        `ApiConnectionError`, or `ApiTimeout` past the `deadline`."""
        call, mode = self._prepare(op, parts)
        if self._locator is not None:
            self._follow(self._locator.endpoint())
        finished: T = self._finish(op, self._run(call, mode == "stream"), mode)
        return finished

    @overload
    def request(
        self, method: str, path: str, *, cast_to: type[T], **args: Unpack[RequestArgs]
    ) -> T: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: None = ...,
        **args: Unpack[RequestArgs],
    ) -> Any: ...

    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any = None,
        **args: Unpack[RequestArgs],
    ) -> Any:
        """Any call, with the client's auth, headers, retries, deadline and errors:
        `client.request("GET", "/api/v1/Contact/5", cast_to=models.ContactEntity)`.
        Answers parsed JSON, or an instance of `cast_to` (a model, `list[Model]`,
        `bytes`, `str`)."""
        op, parts = self._custom(method, path, cast_to, args)
        return self.call(op, **parts)

    def _run(self, call: PreparedCall, stream: bool) -> httpx.Response:
        plan = self._begin(call)
        step = plan.start()
        while not isinstance(step, Done):
            step = plan.next(self._step(call, plan, step, stream))
        return step.response

    def _step(
        self, call: PreparedCall, plan: CallPlan, step: Step, stream: bool
    ) -> Outcome:
        if isinstance(step, Send):
            return self._attempt(call, step, plan.deadline, stream)
        if isinstance(step, Sleep):
            self._clock.sleep(self._waiting(call, step))
        elif self._locator is not None:
            self._locator.forget()
            self._rebuilt(call, self._locator.endpoint())
        return None

    def _attempt(
        self, call: PreparedCall, step: Send, deadline: Deadline, stream: bool
    ) -> Outcome:
        request = self._sending(call, step)
        try:
            response = self._http.send(request, auth=self._auth(), stream=True)
            if not stays_open(response, stream):
                response = self._read(response, deadline)
        except httpx.TransportError as error:
            return self._answered(call, step, error)
        return self._answered(call, step, response)

    @staticmethod
    def _read(response: httpx.Response, deadline: Deadline) -> httpx.Response:
        if response.is_stream_consumed:  # a transport that answers whole (a mock)
            return response
        request = response.request
        try:
            chunks = [within(deadline, request, c) for c in response.iter_raw()]
        finally:
            response.close()
        return whole(response, b"".join(chunks))

    def close(self) -> None:
        """Close the connection pool (unless it was given, or this is a copy)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(BaseClient[httpx.AsyncClient, httpx.AsyncBaseTransport]):
    """Asynchronous client. Use as an async context manager, or await `aclose()`."""

    _pool_kind = httpx.AsyncClient
    _streamed = AsyncStreamedResponse

    def _new_pool(
        self, transport: httpx.AsyncBaseTransport | None
    ) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=self.timeout, verify=self._verify, transport=transport
        )

    async def call(self, op: Operation[T], **parts: Unpack[CallParts]) -> T:
        """As `Client.call`, awaited (mode "stream": an `AsyncStreamedResponse`)."""
        call, mode = self._prepare(op, parts)
        if self._locator is not None:
            self._follow(await self._locator.aendpoint())
        response = await self._run(call, mode == "stream")
        finished: T = self._finish(op, response, mode)
        return finished

    @overload
    async def request(
        self, method: str, path: str, *, cast_to: type[T], **args: Unpack[RequestArgs]
    ) -> T: ...

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: None = ...,
        **args: Unpack[RequestArgs],
    ) -> Any: ...

    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any = None,
        **args: Unpack[RequestArgs],
    ) -> Any:
        """As `Client.request`, awaited."""
        op, parts = self._custom(method, path, cast_to, args)
        return await self.call(op, **parts)

    async def _run(self, call: PreparedCall, stream: bool) -> httpx.Response:
        plan = self._begin(call)
        step = plan.start()
        while not isinstance(step, Done):
            step = plan.next(await self._step(call, plan, step, stream))
        return step.response

    async def _step(
        self, call: PreparedCall, plan: CallPlan, step: Step, stream: bool
    ) -> Outcome:
        if isinstance(step, Send):
            return await self._attempt(call, step, plan.deadline, stream)
        if isinstance(step, Sleep):
            await self._clock.asleep(self._waiting(call, step))
        elif self._locator is not None:
            self._locator.forget()
            self._rebuilt(call, await self._locator.aendpoint())
        return None

    async def _attempt(
        self, call: PreparedCall, step: Send, deadline: Deadline, stream: bool
    ) -> Outcome:
        request = self._sending(call, step)
        try:
            response = await self._http.send(request, auth=self._auth(), stream=True)
            if not stays_open(response, stream):
                response = await self._read(response, deadline)
        except httpx.TransportError as error:
            return self._answered(call, step, error)
        return self._answered(call, step, response)

    @staticmethod
    async def _read(response: httpx.Response, deadline: Deadline) -> httpx.Response:
        if response.is_stream_consumed:
            return response
        request = response.request
        try:
            chunks = [within(deadline, request, c) async for c in response.aiter_raw()]
        finally:
            await response.aclose()
        return whole(response, b"".join(chunks))

    async def aclose(self) -> None:
        """Close the connection pool (unless it was given, or this is a copy)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

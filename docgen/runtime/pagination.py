"""Paging through a listing (`client.paginate(client.contact.get_all, page_size=200)`):
the rows of any operation that takes `$top` and `$skip`, page after page, until a short
page or an answer without `odata.nextLink`. `Pager` decides without I/O; `Rows` asks
for the pages, blocking or awaited.

Copied by docgen into every package it generates (from docgen/runtime/pagination.py); do
not edit.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any, Generic, Protocol, TypeAlias, TypeVar

from pydantic import BaseModel

__all__ = ["Page", "PageMethod", "Pager", "Rows"]

T = TypeVar("T")
Row = TypeVar("Row", covariant=True)


class Page(Protocol[Row]):
    """An OData answer: its rows are in `value`."""

    @property
    def value(self) -> Sequence[Row] | None: ...


# An operation that answers a page of rows, or a list of them (awaited, with
# AsyncClient).
PageMethod: TypeAlias = (
    Callable[..., Page[T]]
    | Callable[..., list[T]]
    | Callable[..., Awaitable[Page[T]]]
    | Callable[..., Awaitable[list[T]]]
)


class Pager:
    """Where a listing is, decided without I/O: the arguments of the next page, and
    whether the last has been seen."""

    def __init__(self, page_size: int, limit: int | None, skip: int | None) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.page_size = page_size
        self.limit = limit
        self.skip = skip or 0
        self.seen = 0
        self.done = limit is not None and limit <= 0

    def arguments(self) -> dict[str, int]:
        return {"top": self.page_size, "skip": self.skip}

    def take(self, page: Any) -> list[Any]:
        """The rows of `page` to hand on (up to the limit); notes whether it was the
        last."""
        rows = _rows(page)
        last = _last_page(page, len(rows), self.page_size)
        self.skip += len(rows)
        if self.limit is not None:
            rows = rows[: self.limit - self.seen]
        self.seen += len(rows)
        self.done = last or (self.limit is not None and self.seen >= self.limit)
        return rows


def _rows(page: Any) -> list[Any]:
    """The rows of one page: an OData answer's `value`, or a list answer itself."""
    if isinstance(page, list):
        return page
    rows = page.get("value") if isinstance(page, dict) else getattr(page, "value", None)
    return list(rows or [])


def _last_page(page: Any, rows: int, page_size: int) -> bool:
    """A short page, or an OData answer without `odata.nextLink`, ends the listing."""
    if rows < page_size:
        return True
    data = page.model_dump(by_alias=True) if isinstance(page, BaseModel) else page
    return (
        isinstance(data, dict)
        and "odata.nextLink" in data
        and not data["odata.nextLink"]
    )


class Rows(Generic[T]):
    """The rows of a listing, page after page: `for row in` it when the operation is a
    `Client`'s, `async for row in` it when it is an `AsyncClient`'s."""

    def __init__(
        self,
        method: PageMethod[T],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        page_size: int,
        limit: int | None,
    ) -> None:
        self._method: Callable[..., Any] = method
        self._args = args
        self._kwargs = dict(kwargs)
        skip = self._kwargs.pop("skip", None)
        self._pager = Pager(page_size, limit, skip)

    def _page(self) -> Any:
        return self._method(*self._args, **self._pager.arguments(), **self._kwargs)

    def __iter__(self) -> Iterator[T]:
        while not self._pager.done:
            page = self._page()
            if inspect.isawaitable(page):
                _close(page)
                raise TypeError("an AsyncClient's listing is read with `async for`")
            yield from self._pager.take(page)

    async def __aiter__(self) -> AsyncIterator[T]:
        while not self._pager.done:
            for row in self._pager.take(await self._page()):
                yield row


def _close(awaitable: Any) -> None:
    """A coroutine that will not be awaited, closed (no "never awaited" warning)."""
    close = getattr(awaitable, "close", None)
    if close is not None:
        close()

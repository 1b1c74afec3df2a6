"""Small types the whole runtime shares: the `UNSET` marker and the shapes of per-call
options.

Copied by docgen into every package it generates (from docgen/runtime/_types.py); do
not edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeAlias, TypeVar

import httpx

T = TypeVar("T")
C = TypeVar("C")
# What a call gives back: the parsed body, an `ApiResponse`, or a streamed response.
Mode: TypeAlias = Literal["parsed", "raw", "stream"]


class Unset:
    """Marks an argument the caller did not give: a body field left out of the request,
    an option that keeps the client's setting."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = Unset()

# Seconds for every network wait, an `httpx.Timeout` for each kind, or None for no
# limit.
Timeout: TypeAlias = float | httpx.Timeout | None
# Extra request headers; a value of None removes a header the client would send.
Headers: TypeAlias = Mapping[str, str | None]
# Extra query parameters and body fields, by their names on the wire.
Query: TypeAlias = Mapping[str, object]
Body: TypeAlias = Mapping[str, object]


@dataclass(frozen=True)
class RequestOptions:
    """What one call adds to or changes in the client's settings."""

    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: Body | None = None
    timeout: Timeout | Unset = UNSET


NO_OPTIONS = RequestOptions()


@dataclass(frozen=True)
class Operation(Generic[T]):
    """What the client needs to know of one operation besides its arguments; `T` is what
    a call answers (`Operation[models.ContactEntity]`)."""

    operation_id: str
    method: str
    path: str
    response_type: type[T]  # a model, list[...], a primitive, or type(None) for no body
    body_media: str = "application/json"


class Namespace(Generic[C]):
    """The operations of one folder on a client (`client.contact_agent`); its `_mode`
    says what they give back (`with_raw_response` namespaces: "raw")."""

    _mode: Mode = "parsed"

    def __init__(self, client: C) -> None:
        self._client = client

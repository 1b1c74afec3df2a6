"""The base of every generated model and enum.

Copied by docgen into every package it generates (from docgen/runtime/_base.py); do not
edit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

# Whether an enum takes only the values it lists: the server stub sets it while it
# validates a request; everywhere else a value a newer server adds is kept.
_CLOSED_ENUMS: ContextVar[bool] = ContextVar("closed_enums", default=False)


class ApiModel(BaseModel):
    """An API object: built by Python or JSON names, unknown fields kept.

    Validators are built on first use rather than at import, so importing the models of
    the whole API stays fast.
    """

    model_config = ConfigDict(defer_build=True, extra="allow", populate_by_name=True)


class OpenStrEnum(StrEnum):
    """A string enum, as the wire carries it, that also takes values it does not list.

    The API adds enum values between releases: parsing an answer that holds one must not
    fail. An unlisted value becomes a member of its own (`Color("Green").value ==
    "Green"`) that the class does not list (`list(Color)` stays what the reference
    documents).
    """

    @classmethod
    def _missing_(cls, value: object) -> OpenStrEnum | None:
        if _CLOSED_ENUMS.get() or not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        """Whether the value is one the class lists."""
        return self.value in type(self)._value2member_map_


@contextlib.contextmanager
def closed_enums() -> Iterator[None]:
    """Within this block enums take only the values they list (request validation)."""
    token = _CLOSED_ENUMS.set(True)
    try:
        yield
    finally:
        _CLOSED_ENUMS.reset(token)

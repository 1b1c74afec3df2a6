"""Pieces of output by the key of everything they are made of, so that a rebuild renders only
the pieces whose inputs changed: a folder's client module, its section of api.md, a path of
the spec. A `Memo` holds the pieces of the last build (read from the cache, or kept in memory
by `docgen serve --watch`) and records the pieces this build uses, which the next one reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from docgen.model.api import Endpoint, Tag

T = TypeVar("T")


class Memo:
    def __init__(self, previous: Mapping[tuple[str, ...], object] | None = None, scope: str = "") -> None:
        self.previous = previous or {}
        self.scope = scope  # what every piece depends on besides its key (templates, settings)
        self.used: dict[tuple[str, ...], object] = {}

    def __call__(self, kind: str, parts: tuple[str, ...] | None, make: Callable[[], T]) -> T:
        """The piece of `kind` made of `parts` (keys of its inputs): the last build's, or made
        now. With no parts (an input without a key), it is made now and not kept."""
        if parts is None:
            return make()
        k = (kind, self.scope, *parts)  # content keys already: a tuple of them is a key too
        if k in self.used:
            return self.used[k]  # type: ignore[return-value]
        value = self.previous.get(k)
        if value is None:
            value = make()
        self.used[k] = value
        return value  # type: ignore[return-value]


class Keys:
    """The content keys pieces are made of: each operation's (by operationId) and the
    components'. Without them (`Keys()`), every piece is made anew."""

    def __init__(self, endpoints: Mapping[str, str] | None = None, components: str | None = None) -> None:
        self.endpoints = endpoints
        self.components = components

    def of(self, *operation_ids: str, components: bool = False) -> tuple[str, ...] | None:
        """The parts of a piece made of these operations (and of the components)."""
        if self.endpoints is None or (components and self.components is None):
            return None
        parts = tuple(self.endpoints[o] for o in operation_ids)
        return (*parts, self.components) if components and self.components else parts

    def of_folder(self, tag: Tag, endpoints: Iterable[Endpoint]) -> tuple[str, ...] | None:
        """The parts of a folder's piece: the folder's names and description, its operations
        and the components."""
        parts = self.of(*(ep.operation_id for ep in endpoints), components=True)
        return None if parts is None else (tag.name, tag.description, tag.python_name, tag.class_name, *parts)

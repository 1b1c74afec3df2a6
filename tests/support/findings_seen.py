"""The finding codes the test session's builds produce (a pytest plugin): each `Diagnostic`
made in this process, or received from a worker or read from a cache (unpickled), and each
code a `docgen` subprocess printed through `conftest.run_docgen`. `test_diagnostics.py` asks
it, at the end of a whole run, for every code docgen can emit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from docgen.diagnostics import Diagnostic

SEEN: set[str] = set()
CHECK = "test_diagnostics.py::test_every_finding_code_is_produced_by_some_test"
_PRINTED = re.compile(r"\b(DG\d{3})\b")

_made = Diagnostic.__init__


def _recording_init(self: Diagnostic, *args: Any, **kwargs: Any) -> None:
    _made(self, *args, **kwargs)
    SEEN.add(self.code)


def _recording_setstate(self: Diagnostic, state: dict[str, Any]) -> None:
    # A frozen dataclass: its fields are set as object.__setattr__ would, then recorded.
    self.__dict__.update(state)
    SEEN.add(self.code)


Diagnostic.__init__ = _recording_init  # type: ignore[method-assign]
Diagnostic.__setstate__ = _recording_setstate  # type: ignore[attr-defined]


def printed(text: str) -> None:
    """Codes a docgen subprocess printed (as text, JSON, SARIF or workflow commands)."""
    SEEN.update(_PRINTED.findall(text or ""))


def whole_run(config: pytest.Config) -> bool:
    """The whole suite as `make test` runs it: its test paths, no selection by name or mark."""
    option = config.option
    chosen = any((option.keyword, option.markexpr, getattr(option, "lf", False), option.deselect))
    return not chosen and sorted(config.args) == sorted(config.getini("testpaths"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The check runs last, and only in a whole run (it asks what all the others produced)."""
    check = [item for item in items if item.nodeid.endswith(CHECK)]
    if not check:
        return
    items.remove(check[0])
    if whole_run(config):
        items.append(check[0])
    else:
        config.hook.pytest_deselected(items=check)

"""The fold again after a few pages changed, without reading every page.

A build keeps what it folded (`Folded`: every page's linked endpoint and findings, the
components) in the cache. The next build over the same sources reads only the pages whose
content changed and asks of each whether the fold could see the change: it could not when the
page tells the fold the same things, up to where its lines stand (a reworded description, a
paragraph added above a table). The fold compares places only by their order (file, then line),
and such an edit moves the page's lines in order, so every decision the fold made stands; what
changes is the page's own endpoint and findings, and every line of the page that a finding or a
component cites, moved with the page. Any other change (evidence, pages added or removed, the
reference, an index page, the configuration) folds everything again.
"""

from __future__ import annotations

import io
import pickle
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from docgen.diagnostics import Diagnostic, Place
from docgen.model.api import Component
from docgen.model.assemble import Folded, fingerprint, linked_endpoint
from docgen.model.endpoints import PageModel

MOST_CHANGED = 32  # pages; beyond this, folding everything again is as quick

LineMap = dict[int, int]  # a page's lines before the edit -> after it


@dataclass(frozen=True)
class FrontState:
    """What one build folded, and of what: kept in the cache for the next build."""

    inputs: str  # the key of everything but the pages (configuration, reference, indexes...)
    pages: dict[str, str]  # page file -> the key of its content, in file order
    folded: Folded


_PAGE = "page"  # an entry of a page: (endpoint, checks, page findings, fingerprint)
_WHOLE = ("files", "duplicates", "reference_findings", "schemas", "declared", "pages")


def state_entries(state: FrontState, before: Mapping[Any, Any]) -> dict[Any, Any]:
    """The state as the entries the cache keeps (`cache.Layered`), each entry that did not
    change the very object of `before` (the entries the state was read from)."""
    f = picklable(state.folded)
    entries: dict[Any, Any] = {"inputs": state.inputs, "page keys": state.pages}
    entries.update({name: getattr(f, name) for name in _WHOLE})
    for file in f.files:
        entry = (f.endpoints.get(file), f.checks.get(file), f.page_findings[file], f.fingerprints.get(file))
        old = before.get((_PAGE, file))
        same = isinstance(old, tuple) and all(a is b for a, b in zip(old, entry, strict=True))
        entries[(_PAGE, file)] = old if same else entry
    return entries


def state_of(entries: Mapping[Any, Any]) -> FrontState | None:
    """The state the entries keep, or None when they keep none."""
    if "inputs" not in entries:
        return None
    try:
        files = entries["files"]
        pages = [entries[(_PAGE, file)] for file in files]
        folded = Folded(
            **{name: entries[name] for name in _WHOLE},
            endpoints={f: p[0] for f, p in zip(files, pages, strict=True) if p[0] is not None},
            checks={f: p[1] for f, p in zip(files, pages, strict=True) if p[1] is not None},
            page_findings={f: p[2] for f, p in zip(files, pages, strict=True)},
            fingerprints={f: p[3] for f, p in zip(files, pages, strict=True) if p[3] is not None},
        )
    except (KeyError, TypeError, ValueError):
        return None
    return FrontState(entries["inputs"], entries["page keys"], folded)


def refolded(
    state: FrontState,
    inputs: str,
    pages: Mapping[str, str],
    read: Callable[[list[str]], dict[str, PageModel]],
    previous: Callable[[str], PageModel | None],
) -> Folded | None:
    """The fold of `pages` from the state of the build before, when only a few pages changed
    and none in a way the fold sees; None when everything must be folded again.

    `read(files)` reads the changed pages now; `previous(file)` is a page's model as the build
    before read it (from the cache), or None."""
    if state.inputs != inputs or list(state.pages) != list(pages):
        return None
    changed = [f for f, k in pages.items() if state.pages[f] != k]
    if not changed or len(changed) > MOST_CHANGED:
        return None
    olds = {f: previous(f) for f in changed}
    news = read(changed)
    moved: dict[str, LineMap] = {}
    for f in changed:
        old, new = olds[f], news.get(f)
        if old is None or new is None:
            return None
        lines = moved_lines(old, new)
        if lines is None:
            return None
        moved[f] = lines
    return _with_pages(state.folded, news, moved)


def moved_lines(old: PageModel, new: PageModel) -> LineMap | None:
    """How the page's lines moved, when the new model tells the fold what the old one did up
    to where its lines stand (and is the same operation); else None."""
    if old.endpoint is None or new.endpoint is None:
        return None
    if (old.endpoint.operation_id, old.endpoint.tag) != (new.endpoint.operation_id, new.endpoint.tag):
        return None
    old_lines, new_lines = _lines(old), _lines(new)
    if len(old_lines) != len(new_lines):
        return None
    if _ranked(old, old_lines) != _ranked(new, new_lines):
        return None
    return {a: b for a, b in zip(old_lines, new_lines, strict=True) if a != b}


def _with_pages(folded: Folded, news: Mapping[str, PageModel], moved: Mapping[str, LineMap]) -> Folded:
    """`folded` with the changed pages' endpoints and findings anew, and the lines of theirs
    that anything else cites moved (what nothing cites stays the very same object)."""
    move = _Mover(moved)
    components = tuple(move.component(c) for c in folded.schemas.components)
    diagnostics = move.findings(folded.schemas.diagnostics)
    schemas = folded.schemas
    if diagnostics is not schemas.diagnostics or any(
        a is not b for a, b in zip(components, schemas.components, strict=True)
    ):
        schemas = replace(schemas, components=components, diagnostics=diagnostics)
    declared = folded.declared
    if any(p.file in move.moved for p in declared.values()):
        declared = {k: move.place(p) for k, p in declared.items()}
    endpoints = dict(folded.endpoints)
    fingerprints = dict(folded.fingerprints)
    checks = {f: move.findings(d) if f not in news else d for f, d in folded.checks.items()}
    page_findings = dict(folded.page_findings)
    for f, model in news.items():
        page_findings[f] = model.diagnostics
        if f in endpoints:  # a kept page (not a duplicate of an earlier page's uid)
            endpoints[f], checks[f] = linked_endpoint(model, schemas, declared)
            fingerprints[f] = fingerprint(endpoints[f])
    return replace(
        folded,
        endpoints=endpoints,
        page_findings=page_findings,
        checks=checks,
        schemas=schemas,
        declared=declared,
        fingerprints=fingerprints,
    )


class _Mover:
    """Moves the cited lines of the changed pages: in places, findings and their messages."""

    def __init__(self, moved: Mapping[str, LineMap]) -> None:
        self.moved = {f: m for f, m in moved.items() if m}
        files = "|".join(re.escape(f) for f in sorted(self.moved, key=len, reverse=True))
        # `file:line` as a message cites a place (`Place.__str__`)
        self.cited = re.compile(rf"(?<![\w./-])({files}):(\d+)(?!\d)") if files else None

    def place(self, p: Place) -> Place:
        m = self.moved.get(p.file)
        return Place(p.file, m.get(p.line, p.line)) if m else p

    def component(self, c: Component) -> Component:
        if not self.cited or not any(p.file in self.moved for p in c.sources):
            return c
        return replace(c, sources=tuple(self.place(p) for p in c.sources))

    def findings(self, found: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
        if not self.cited:
            return found
        moved = tuple(self._finding(d) for d in found)
        return found if all(a is b for a, b in zip(moved, found, strict=True)) else moved

    def _finding(self, d: Diagnostic) -> Diagnostic:
        assert self.cited is not None
        line = self.place(Place(d.file, d.line)).line
        message = self.cited.sub(self._cite, d.message)
        return d if (line, message) == (d.line, d.message) else replace(d, line=line, message=message)

    def _cite(self, m: re.Match[str]) -> str:
        line = int(m.group(2))
        return f"{m.group(1)}:{self.moved[m.group(1)].get(line, line)}"


def _lines(model: PageModel) -> list[int]:
    """The lines of the page that its evidence cites, in order."""
    lines: set[int] = set()
    _PlacePickler(io.BytesIO(), model.file, lambda p: lines.add(p.line)).dump(model.evidence)
    return sorted(lines)


def _ranked(model: PageModel, lines: list[int]) -> bytes:
    """The page's evidence with each of its own lines replaced by its rank."""
    rank = {line: i for i, line in enumerate(lines)}
    buffer = io.BytesIO()
    _PlacePickler(buffer, model.file, lambda p: ("line", rank[p.line])).dump(model.evidence)
    return buffer.getvalue()


class _PlacePickler(pickle.Pickler):
    """Pickles evidence, handing each place in `file` to `seen` (whose answer, when not None,
    stands for the place in the pickle)."""

    def __init__(self, out: io.BytesIO, file: str, seen: Callable[[Place], Any]) -> None:
        super().__init__(out, protocol=pickle.HIGHEST_PROTOCOL)
        self.file = file
        self.seen = seen

    def persistent_id(self, obj: Any) -> Any:
        if type(obj) is Place and obj.file == self.file:
            return self.seen(obj)
        return None


def picklable(folded: Folded) -> Folded:
    """The fold as the cache keeps it (its read-only mappings as plain dicts)."""
    s = folded.schemas
    if type(s.resolution) is dict and type(s.substitutes) is dict:
        return folded
    schemas = replace(s, resolution=dict(s.resolution), substitutes=dict(s.substitutes))
    return replace(folded, schemas=schemas)


__all__ = ["FrontState", "moved_lines", "picklable", "refolded", "state_entries", "state_of"]

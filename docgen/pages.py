"""Every page read to its model: in a pool of worker processes for large trees, each model
cached by the page's content. A page with `[!include]`s is finished in its worker too (its
model also depends on the included files, so it is not cached)."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from docgen.cache import Cache, key
from docgen.diagnostics import Diagnostic, Found, diag
from docgen.model import PageModel, page_model
from docgen.parser import parse_page, resolve_includes
from docgen.parser.discover import SourceFile, read_index
from docgen.parser.page import IndexPage

PARALLEL_THRESHOLD = 300  # uncached pages; below this a process pool costs more than it saves


@dataclass(frozen=True)
class PagesRead:
    models: list[PageModel]  # one per page file, in the order discovered
    indexes: list[IndexPage]  # the folders' index pages
    pages: int  # page files discovered


@dataclass(frozen=True)
class _PageTask:
    """What a worker needs to read one page to its model: the page and, for a page with
    `[!include]`s, the files of the sources it may include (others are read from disk)."""

    data: bytes
    display: str
    folder: str
    path: Path
    includable: dict[Path, bytes] = field(default_factory=dict)


def read_pages(discovered: list[tuple[SourceFile, bytes]], cache: Cache) -> Found[PagesRead]:
    """Every page's model and the folder indexes, with what reading the indexes found."""
    indexes = [read_index(s, d) for s, d in discovered if s.kind == "index"]
    pages = [(s, d) for s, d in discovered if s.kind == "page"]
    includable = {s.path: d for s, d in discovered if s.kind != "page"}
    models = _page_models(pages, includable, cache)
    read = PagesRead(models, [i.value for i in indexes if i.value is not None], len(pages))
    return Found(read, tuple(d for i in indexes for d in i.findings))


def _page_models(
    pages: list[tuple[SourceFile, bytes]], includable: dict[Path, bytes], cache: Cache
) -> list[PageModel]:
    keys = [key("page", s.display, s.folder, d) if b"[!include" not in d else "" for s, d in pages]
    models: list[PageModel | None] = []
    for k in keys:
        hit = cache.get_object("page", k) if k else None
        models.append(hit if isinstance(hit, PageModel) else None)
    missing = [i for i, m in enumerate(models) if m is None]
    todo = [
        _PageTask(d, s.display, s.folder, s.path, includable if not keys[i] else {})
        for i in missing
        for s, d in [pages[i]]
    ]
    if len(todo) >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=min(os.cpu_count() or 2, 4)) as pool:
            read = list(pool.map(_read_one, todo, chunksize=64))
    else:
        read = [_read_one(t) for t in todo]
    for i, model in zip(missing, read, strict=True):
        if keys[i]:
            cache.put_object("page", keys[i], model)
        models[i] = model
    return [m for m in models if m is not None]


def _read_one(task: _PageTask) -> PageModel:
    """A page's model, its includes resolved; a bug in docgen is a diagnostic of that page."""
    try:
        result = parse_page(task.data, task.display, task.folder)
    except Exception as e:  # a parser bug must not take the other pages down
        return PageModel(task.display, None, (), (_bug(task, "parsing", e),))
    page = result.value
    if page is None:
        return PageModel(task.display, None, (), result.findings)
    try:
        diags = result.findings
        if page.includes:
            page, included = resolve_includes(page, _include_reader(task.path, task.includable))
            diags = (*diags, *included)
        return page_model(page, diags)
    except Exception as e:  # a model bug must not take the other pages down
        return PageModel(task.display, None, (), (*result.findings, _bug(task, "modelling", e)))


def _bug(task: _PageTask, stage: str, e: Exception) -> Diagnostic:
    return diag("DG900", task.display, 1, f"internal error while {stage}: {type(e).__name__}: {e}")


def _include_reader(page: Path, includable: dict[Path, bytes]) -> Callable[[str], bytes | None]:
    def read(target: str) -> bytes | None:
        path = Path(posixpath.normpath(posixpath.join(str(page.parent), target)))
        if path in includable:
            return includable[path]
        try:
            return path.read_bytes()
        except OSError:
            return None

    return read

"""Every page read to its model: in a pool of worker processes for large trees, each model
cached by the page's content. A page with `[!include]`s is finished in its worker too (its
model also depends on the included files, so it is not cached).

Then the reference files the pages reach (`docgen/reach.py`); only those files are read, in
the same way (pool, cache by content)."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from docgen.cache import Cache, key
from docgen.diagnostics import Diagnostic, Found, diag
from docgen.model import PageModel, page_model
from docgen.model.docfx import ReferenceModel, reference_model
from docgen.parser import parse_page, resolve_includes
from docgen.parser.discover import SourceFile, inside, not_a_source_file, read_index
from docgen.parser.page import IndexPage
from docgen.parser.read import IncludeRefused
from docgen.pool import process_pool
from docgen.reach import ReadAs, names_in, no_other_reading, reached_files

PARALLEL_THRESHOLD = 300  # uncached pages; below this a process pool costs more than it saves
PARALLEL_REFERENCES = 100  # uncached reference files (each takes several times a page's time)
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class PagesRead:
    models: list[PageModel]  # one per page file, in the order discovered
    references: list[ReferenceModel] = field(default_factory=list)  # the reference files reached


@dataclass(frozen=True)
class _PageTask:
    """What a worker needs to read one page to its model: the page and, for a page with
    `[!include]`s, the files of the sources it may include (others are read from disk)."""

    data: bytes
    display: str
    folder: str
    path: Path
    includable: dict[Path, bytes] = field(default_factory=dict)
    roots: tuple[Path, ...] = ()  # what an include may read from disk: nothing outside these


def read_pages(
    discovered: list[tuple[SourceFile, bytes]],
    cache: Cache,
    roots: tuple[Path, ...] = (),
    read_as: ReadAs = no_other_reading,
) -> PagesRead:
    """Every page's model, and the models of the reference files the pages reach (a name
    reaching the types `read_as` reads it as, too: the fold's naming rules, which the caller
    gives); an include may read a file from disk only inside `roots` (the sources). The
    folders' index pages are `read_indexes`'."""
    models = page_models(discovered, None, cache, roots)
    files = [(s, d) for s, d in discovered if s.kind == "reference"]
    reached = reached_files(files, names_in(models), read_as, cache) if files else []
    return PagesRead(models, _reference_models(reached, cache))


def read_indexes(discovered: list[tuple[SourceFile, bytes]]) -> Found[tuple[IndexPage, ...]]:
    """The folders' index pages, with what reading them found."""
    indexes = [read_index(s, d) for s, d in discovered if s.kind == "index"]
    return Found(
        tuple(i.value for i in indexes if i.value is not None), tuple(d for i in indexes for d in i.findings)
    )


def page_models(
    discovered: list[tuple[SourceFile, bytes]],
    only: set[str] | None,
    cache: Cache,
    roots: tuple[Path, ...] = (),
) -> list[PageModel]:
    """The models of the pages discovered (or of those whose file is in `only`), in order."""
    pages = [(s, d) for s, d in discovered if s.kind == "page" and (only is None or s.display in only)]
    includable = {s.path: d for s, d in discovered if s.kind != "page"}
    return _page_models(pages, includable, cache, roots)


def page_key(src: SourceFile, data: bytes) -> str:
    """What a page's model is cached by (a page with includes depends on more: not cached)."""
    return key("page", src.display, src.folder, data) if b"[!include" not in data else ""


def cached_page_model(cache: Cache, k: str) -> PageModel | None:
    hit = cache.get_object("page", k) if k else None
    return hit if isinstance(hit, PageModel) else None


def _reference_models(files: list[tuple[SourceFile, bytes]], cache: Cache) -> list[ReferenceModel]:
    keys = [key("reference", s.display, d) for s, d in files]
    models: list[ReferenceModel | None] = []
    for k in keys:
        hit = cache.get_object("reference", k)
        models.append(hit if isinstance(hit, ReferenceModel) else None)
    missing = [i for i, m in enumerate(models) if m is None]
    todo = [files[i] for i in missing]
    read = _in_pool(_read_reference, todo, PARALLEL_REFERENCES)
    for i, model in zip(missing, read, strict=True):
        cache.put_object("reference", keys[i], model)
        models[i] = model
    return [m for m in models if m is not None]


def _read_reference(task: tuple[SourceFile, bytes]) -> ReferenceModel:
    src, data = task
    try:
        return reference_model(data, src.display)
    except Exception as e:  # a reader bug must not take the other files down
        message = f"internal error while reading the reference: {type(e).__name__}: {e}"
        return ReferenceModel(src.display, (), (diag("DG900", src.display, 1, message),))


def _page_models(
    pages: list[tuple[SourceFile, bytes]],
    includable: dict[Path, bytes],
    cache: Cache,
    roots: tuple[Path, ...],
) -> list[PageModel]:
    keys = [page_key(s, d) for s, d in pages]
    models = [cached_page_model(cache, k) for k in keys]
    missing = [i for i, m in enumerate(models) if m is None]
    todo = [
        _PageTask(d, s.display, s.folder, s.path, includable if not keys[i] else {}, roots)
        for i in missing
        for s, d in [pages[i]]
    ]
    read = _in_pool(_read_one, todo, PARALLEL_THRESHOLD)
    for i, model in zip(missing, read, strict=True):
        if keys[i]:
            cache.put_object("page", keys[i], model)
        models[i] = model
    return [m for m in models if m is not None]


def _in_pool(work: Callable[[T], R], tasks: list[T], threshold: int) -> list[R]:
    """`work` over the tasks, in order: in worker processes when there are enough of them."""
    if len(tasks) >= threshold and (os.cpu_count() or 1) > 1:
        with process_pool(min(os.cpu_count() or 2, 4)) as pool:
            return list(pool.map(work, tasks, chunksize=max(1, min(64, len(tasks) // 8))))
    return [work(t) for t in tasks]


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
            reader = _include_reader(task.path, task.includable, task.roots)
            page, included = resolve_includes(page, reader)
            diags = (*diags, *included)
        return page_model(page, diags)
    except Exception as e:  # a model bug must not take the other pages down
        return PageModel(task.display, None, (), (*result.findings, _bug(task, "modelling", e)))


def _bug(task: _PageTask, stage: str, e: Exception) -> Diagnostic:
    return diag("DG900", task.display, 1, f"internal error while {stage}: {type(e).__name__}: {e}")


def _include_reader(
    page: Path, includable: dict[Path, bytes], roots: tuple[Path, ...]
) -> Callable[[str], bytes | None]:
    def read(target: str) -> bytes | None:
        path = Path(posixpath.normpath(posixpath.join(str(page.parent), target)))
        if path in includable:
            return includable[path]
        if not path.exists():
            return None
        if not inside(path, roots):
            raise IncludeRefused("outside the source roots")
        refused = not_a_source_file(path, roots)
        if refused:
            raise IncludeRefused(refused.removesuffix(": not read"))
        try:
            return path.read_bytes()
        except OSError:
            return None

    return read

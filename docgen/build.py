"""sources -> pages -> model -> outputs; content-hash cache; atomic write and `--check`.

Only this module touches the disk. Every stage before it is a function of its input that
returns diagnostics instead of raising.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import posixpath
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path

from docgen import __version__
from docgen.cache import Cache, key
from docgen.config import Config
from docgen.diagnostics import Diagnostic, Level, diag
from docgen.emit.client import operation_views, render_client
from docgen.emit.environment import builtin_template_dir
from docgen.emit.format import format_files
from docgen.emit.models import class_names, render_models
from docgen.emit.openapi import render_openapi, spec_document
from docgen.emit.package import render_package
from docgen.emit.server import render_server
from docgen.model import Api, PageModel, assemble, page_model
from docgen.parser import discover, parse_page, resolve_includes
from docgen.parser.discover import SourceFile, read_index
from docgen.parser.page import IndexPage

# Modules rendered from mostly static templates; everything else is black-stable by construction.
SMALL_MODULES = (
    "__init__.py",
    "_base.py",
    "_core.py",
    "api/__init__.py",
    "server/__init__.py",
    "server/__main__.py",
    "server/_runtime.py",
    "server/app.py",
    "server/samples.py",
)
PARALLEL_THRESHOLD = 300  # uncached pages; below this a process pool costs more than it saves
PARALLEL_MODELS_THRESHOLD = 300  # components; below this a second process costs more than it saves


# Hears `(stage, "start" | "end", seconds)` as each build stage runs (the CLI's progress).
Observer = Callable[[str, str, float], None]


@dataclass
class BuildResult:
    files: dict[str, str]
    diagnostics: list[Diagnostic]
    stats: dict
    timings: dict[str, float] = field(default_factory=dict)
    pages: int = 0
    cached: bool = False  # the whole output came from the cache: no input changed
    api: Api | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.WARNING]


class _Timer:
    """Times the stages; tells an observer (the CLI's progress display) when each starts and ends."""

    def __init__(self, observer: Observer | None = None) -> None:
        self.timings: dict[str, float] = {}
        self.observer = observer

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        if self.observer:
            self.observer(name, "start", 0.0)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.timings[name] = self.timings.get(name, 0.0) + elapsed
            if self.observer:
                self.observer(name, "end", elapsed)


@dataclass(frozen=True)
class _PageTask:
    """What a worker needs to read one page to its model: the page and, for a page with
    `[!include]`s, the files of the sources it may include (others are read from disk)."""

    data: bytes
    display: str
    folder: str
    path: Path
    includable: dict[Path, bytes] = field(default_factory=dict)


def _read_one(task: _PageTask) -> PageModel:
    """A page's model, its includes resolved; a bug in docgen is a diagnostic of that page."""
    try:
        result = parse_page(task.data, task.display, task.folder)
    except Exception as e:  # a parser bug must not take the other pages down
        return PageModel(task.display, None, (), (_bug(task, "parsing", e),))
    if result.page is None:
        return PageModel(task.display, None, (), result.diagnostics)
    try:
        page, diags = result.page, result.diagnostics
        if page.includes:
            page, found = resolve_includes(page, _include_reader(task.path, task.includable))
            diags = (*diags, *found)
        return page_model(page, diags)
    except Exception as e:  # a model bug must not take the other pages down
        return PageModel(task.display, None, (), (*result.diagnostics, _bug(task, "modelling", e)))


def _bug(task: _PageTask, stage: str, e: Exception) -> Diagnostic:
    return diag("DG900", task.display, 1, f"internal error while {stage}: {type(e).__name__}: {e}")


def read_models(
    found: list[tuple[SourceFile, bytes]], cache: Cache, timer: _Timer
) -> tuple[list[PageModel], list[IndexPage], list[Diagnostic], int]:
    """Every page's model, each cached by the page's content (pages with `[!include]`s are not
    cached: their model also depends on the included files), the folder indexes and what
    reading the indexes found."""
    pages_src = [(s, d) for s, d in found if s.kind == "page"]
    indexes: list[IndexPage] = []
    diags: list[Diagnostic] = []
    for s, d in found:
        if s.kind == "index":
            idx, idx_diags = read_index(s, d)
            diags += idx_diags
            if idx is not None:
                indexes.append(idx)
    includable = {s.path: d for s, d in found if s.kind != "page"}
    with timer.stage("parse"):
        keys = [key("page", s.display, s.folder, d) if b"[!include" not in d else "" for s, d in pages_src]
        models: list[PageModel | None] = []
        for k in keys:
            hit = cache.get_object("page", k) if k else None
            models.append(hit if isinstance(hit, PageModel) else None)
        missing = [i for i, m in enumerate(models) if m is None]
        todo = [
            _PageTask(d, s.display, s.folder, s.path, includable if not keys[i] else {})
            for i in missing
            for s, d in [pages_src[i]]
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
    return [m for m in models if m is not None], indexes, diags, len(pages_src)


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


def _build_key(config: Config, found: list) -> str:
    """Everything the output depends on: inputs, configuration, templates, tool versions."""
    from importlib.metadata import version

    parts: list[str | bytes] = ["build", version("datamodel-code-generator"), version("black")]
    for f in fields(Config):
        if f.name not in ("cache_dir", "root", "sources", "output", "strict"):
            parts.append(f"{f.name}={getattr(config, f.name)}")
    for folder in [builtin_template_dir(), config.template_dir]:
        if folder is not None and Path(folder).is_dir():
            for path in sorted(Path(folder).rglob("*")):
                if path.is_file():
                    parts += [str(path.relative_to(folder)), path.read_bytes()]
    for src, data in found:
        parts += [src.display, src.folder, src.kind, data]
    return key(*parts)


def generate(
    config: Config,
    sources: list[Path] | None = None,
    observer: Observer | None = None,
) -> BuildResult:
    """Everything `OUT` should hold, as relative path -> text. Writes nothing but the cache.

    `observer(stage, "start" | "end", seconds)` hears about each stage as it runs.
    """
    # The build allocates millions of long-lived objects and frees them together at the end:
    # the cyclic collector only re-scans them (a third of the time of a rebuild).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate_cached(config, sources, observer)
    finally:
        if gc_was_enabled:
            gc.enable()


def _generate_cached(config: Config, sources: list[Path] | None, observer: Observer | None) -> BuildResult:
    timer = _Timer(observer)
    cache = Cache(config.cache_dir)
    srcs = list(sources or config.sources)
    with timer.stage("discover"):
        found, read_diags = discover(srcs)
        # A file that could not be read is no input the key could name: build afresh.
        build_key = _build_key(config, found) if cache.root is not None and not read_diags else ""
    hit = cache.get_object("build", build_key) if build_key else None
    if isinstance(hit, dict):
        stored = {rel: cache.get_bytes("blob", k) for rel, k in hit["files"].items()}
        files = {rel: b.decode("utf-8") for rel, b in stored.items() if b is not None}
        if len(files) == len(stored):
            return BuildResult(
                files, hit["diagnostics"], hit["stats"], timer.timings, hit["pages"], cached=True
            )
    result = _generate(config, found, cache, timer, read_diags)
    if build_key and result.files:
        blobs: dict[str, str] = {}
        for rel, text in result.files.items():
            data = text.encode("utf-8")
            blobs[rel] = k = key("blob", data)
            cache.put_bytes("blob", k, data)
        entry = {
            "files": blobs,
            "diagnostics": result.diagnostics,
            "stats": result.stats,
            "pages": result.pages,
        }
        cache.put_object("build", build_key, entry)
    return result


def _generate(
    config: Config,
    found: list[tuple[SourceFile, bytes]],
    cache: Cache,
    timer: _Timer,
    read_diags: list[Diagnostic],
) -> BuildResult:
    models, indexes, index_diags, n_pages = read_models(found, cache, timer)
    template_dir = str(config.template_dir) if config.template_dir else None
    pkg = config.package_name
    with timer.stage("schema"):
        api, diags = assemble(models, indexes, config.title, config.package_version)
        diags = [*read_diags, *index_diags, *diags]
    with timer.stage("spec"):
        spec = spec_document(api, config.base_url)
        spec_text = render_openapi(spec, template_dir)
    # Models depend on the schemas alone: a change to descriptions of operations or
    # parameters does not re-run datamodel-code-generator. When it must run (the longest
    # stage by far), it runs in a second process while this one renders the rest.
    model_input = {
        "openapi": spec["openapi"],
        "info": spec["info"],
        "paths": {},
        "components": {"schemas": spec["components"]["schemas"]},
    }
    mkey = key("models", pkg, json.dumps(model_input, sort_keys=True))
    cached = cache.get_bytes("models", mkey)
    pool = future = None
    models_text: str | None = cached.decode("utf-8") if cached is not None else None
    if cached is None:
        if len(api.components) >= PARALLEL_MODELS_THRESHOLD and (os.cpu_count() or 1) > 1:
            pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
            future = pool.submit(render_models, model_input, pkg)
        else:
            with timer.stage("models"):
                models_text, mdiags = render_models(model_input, pkg)
                diags += mdiags
    try:
        files: dict[str, str] = {"openapi.yaml": spec_text}
        with timer.stage("client"):
            views = operation_views(api)
            files.update(render_client(api, pkg, views, template_dir, config.base_url))
        with timer.stage("server"):
            files.update(render_server(api, pkg, spec, views, template_dir))
        files.update(
            render_package(
                api,
                pkg,
                distribution=config.distribution_name,
                version=config.package_version,
                template_dir=template_dir,
                base_url=config.base_url,
            )
        )
        if future is not None:
            with timer.stage("models"):
                models_text, mdiags = future.result()
                diags += mdiags
    finally:
        if pool is not None:
            pool.shutdown()
    if models_text is None:
        return BuildResult({}, sorted(diags, key=_diag_order), _stats(api, n_pages), timer.timings, n_pages)
    # Component names are class names by construction (the registry keeps clear of the names a
    # models module defines itself); a class under another name would be a bug in docgen.
    renamed = sorted({c.name for c in api.components} - class_names(models_text))
    if renamed:
        message = f"datamodel-code-generator renamed classes docgen refers to: {', '.join(renamed[:5])}"
        diags.append(diag("DG900", "openapi.yaml", 1, message))
        return BuildResult({}, sorted(diags, key=_diag_order), _stats(api, n_pages), timer.timings, n_pages)
    if cached is None:
        cache.put_bytes("models", mkey, models_text.encode("utf-8"))
    files[f"{pkg}/models/__init__.py"] = models_text
    with timer.stage("format"):
        # Built-in templates and datamodel-code-generator's builtin formatter produce
        # black-stable code (tests run `black --check` on the output), so black, at ~1 s per
        # 1,000 lines, only runs over the small hand-written modules (whose line breaks depend
        # on the package name), or over everything when user templates may change shapes.
        small = {f"{pkg}/{name}" for name in SMALL_MODULES}
        to_format = {
            p for p in files if p.endswith(".py") and (config.template_dir is not None or p in small)
        }
        formatted, fdiags = format_files({p: files[p] for p in sorted(to_format)}, cache)
        files.update(formatted)
        diags += fdiags
    return BuildResult(
        dict(sorted(files.items())),
        sorted(diags, key=_diag_order),
        _stats(api, n_pages),
        timer.timings,
        n_pages,
        api=api,
    )


def _diag_order(d: Diagnostic) -> tuple:
    return (d.file, d.line, d.code, d.message)


def _stats(api: Api, pages: int) -> dict:
    return {
        "operations": len(api.endpoints),
        "schemas": len(api.components),
        "opaque_types": list(api.stats.opaque),
        "arrays_of_unknown_items": api.stats.unknown_arrays,
        "conflicts": api.stats.conflicts,
    }


def write_atomic(files: dict[str, str], out: Path, unchanged: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Build the whole tree beside `out`, then swap it in: `out` is never half-written.

    Files listed in `unchanged` (same bytes in `out` already) are hard-linked from `out`
    rather than written again: a rebuild after one page changes rewrites little.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    old: Path | None = None
    try:
        for rel, text in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if rel in unchanged:
                try:
                    os.link(out / rel, path)
                    continue
                except OSError:
                    pass  # no hard links here: write it
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rmdir(old)
            os.replace(out, old)
        os.replace(tmp, out)
    except BaseException:
        if old is not None and not out.exists():
            os.replace(old, out)
            old = None
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def stale_files(files: dict[str, str], out: Path, same: set[str] | None = None) -> list[str]:
    """Paths (relative to `out`) that differ, are missing, or should not be there."""
    stale = []
    existing: set[str] = set()
    if out.is_dir():
        for dirpath, dirnames, filenames in os.walk(out):
            # Tool caches (__pycache__, .mypy_cache, build metadata) are not output.
            dirnames[:] = [
                d
                for d in dirnames
                if d != "__pycache__" and not d.startswith(".") and not d.endswith(".egg-info")
            ]
            for name in filenames:
                if name.endswith((".pyc",)):
                    continue
                existing.add(Path(dirpath, name).relative_to(out).as_posix())
    for rel, text in files.items():
        path = out / rel
        if rel not in existing:
            stale.append(rel)
            continue
        if path.read_bytes() != text.encode("utf-8"):
            stale.append(rel)
        elif same is not None:
            same.add(rel)
    stale.extend(sorted(existing - set(files)))
    return sorted(set(stale))


def summary(result: BuildResult) -> dict:
    stats = result.stats or {}
    return {
        "docgen": __version__,
        "pages": result.pages,
        "operations": stats.get("operations", 0),
        "schemas": stats.get("schemas", 0),
        "opaque_types": len(stats.get("opaque_types", ())),
        "arrays_of_unknown_items": stats.get("arrays_of_unknown_items", 0),
        "conflicts": stats.get("conflicts", 0),
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "files": len(result.files),
        "cached": result.cached,
        "seconds": {k: round(v, 3) for k, v in result.timings.items()},
    }


def spec_for_sources(sources: list[Path], config: Config | None = None) -> dict:
    """The spec a doc tree describes, built in memory (no models, no package): for `diff`."""
    config = config or Config(cache_dir=None)
    found, _ = discover(sources)
    models, indexes, _, _ = read_models(found, Cache(config.cache_dir), _Timer())
    api, _ = assemble(models, indexes, config.title, config.package_version)
    return spec_document(api, config.base_url)

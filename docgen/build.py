"""sources -> pages -> model -> outputs, with a content-hash cache: `generate` returns what OUT
should hold and the findings; it writes only the cache (`output.py` writes OUT).

Every stage is a function of its input that returns findings instead of raising.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from docgen import __version__
from docgen.cache import Cache, Layered, key
from docgen.config import Config
from docgen.diagnostics import Diagnostic, Found, Level, diag
from docgen.emit.emitters import EMITTERS, SPEC, Pieces
from docgen.emit.environment import builtin_template_dir
from docgen.emit.format import black_formatted
from docgen.emit.memo import Keys, Memo
from docgen.emit.models import (
    class_names,
    finished_models,
    generated_models,
    joined_models,
    model_groups,
    schemas_spec,
    shared_class_names,
)
from docgen.emit.openapi import schemas_parts, spec_document
from docgen.emit.reference import model_uses, render_models_reference
from docgen.emit.settings import Settings
from docgen.incremental import FrontState, refolded, state_entries, state_of
from docgen.model import Api, PageModel
from docgen.model.api import Stats
from docgen.model.assemble import Folded, fingerprint, finish, fold_pages
from docgen.model.naming import read_as
from docgen.pages import cached_page_model, page_key, page_models, read_indexes, read_pages
from docgen.parser import discover
from docgen.parser.discover import SourceFile, reread, source_roots
from docgen.pool import Beside

PARALLEL_MODELS_THRESHOLD = 300  # components; below this a second process costs more than it saves
# Groups the models are made in from that many components on: the second core's share and this
# process's, after the rest is rendered. A number of the output's layout, not of the machine.
MODEL_GROUPS = 2
PARALLEL_SPEC_THRESHOLD = 300  # operations


R = TypeVar("R")

# Hears `(stage, "start" | "end", seconds)` as each build stage runs (the CLI's progress).
Observer = Callable[[str, str, float], None]


@dataclass
class BuildResult:
    files: dict[str, str]
    diagnostics: list[Diagnostic]
    stats: Stats
    timings: dict[str, float] = field(default_factory=dict)
    pages: int = 0  # page files read
    cached: bool = False  # the whole output came from the cache: no input changed
    refolded: bool = False  # the last build's fold, with the pages changed since (docgen.incremental)
    api: Api | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.WARNING]

    def figures(self) -> dict[str, Any]:
        """What the build read and made, and its stages' times: what `--report` prints and the
        CLI's summary says."""
        stats = self.stats
        return {
            "docgen": __version__,
            "pages": self.pages,
            "operations": stats.operations,
            "schemas": stats.schemas,
            "opaque_types": len(stats.opaque),
            "arrays_of_unknown_items": stats.unknown_arrays,
            "conflicts": stats.conflicts,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "files": len(self.files),
            "cached": self.cached,
            "seconds": {k: round(v, 3) for k, v in self.timings.items()},
        }


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
class _Keys:
    """What the build and its front depend on, as content keys."""

    build: str  # everything the output depends on: inputs, configuration, templates, versions
    inputs: str  # everything the fold depends on but the pages
    pages: dict[str, str]  # page file -> the key of its content, in the order discovered
    setup: str  # the configuration, templates and tool versions (what every output depends on)


def _keys(config: Config, discovered: list, held: Held | None = None) -> _Keys:
    from importlib.metadata import version

    pages = {
        s.display: page_key(s, d) or key("page-with-includes", s.display, s.folder, d)
        for s, d in discovered
        if s.kind == "page"
    }
    others = [part for s, d in discovered if s.kind != "page" for part in (s.display, s.folder, s.kind, d)]
    # Held between builds, the non-page sources are the very same objects while unchanged:
    # their key (31 MB of reference hashed) is kept with their identity.
    identity = tuple(map(id, others))
    if held is not None and held.inputs is not None and held.inputs[0] == identity:
        inputs = held.inputs[1]
    else:
        # The fold depends on the sources alone (the version and title are applied after it,
        # by `finish`): a new version (`docgen release`) folds nothing again.
        inputs = key("front", *others)
        if held is not None:
            held.inputs = (identity, inputs)
    parts: list[str | bytes] = ["setup", version("datamodel-code-generator"), version("black")]
    for f in fields(Config):
        if f.name not in ("cache_dir", "root", "sources", "output", "strict"):
            parts.append(f"{f.name}={getattr(config, f.name)}")
    for folder in [builtin_template_dir(), config.template_dir]:
        if folder is not None and Path(folder).is_dir():
            for path in sorted(Path(folder).rglob("*")):
                if path.is_file():
                    parts += [str(path.relative_to(folder)), path.read_bytes()]
    setup = key(*parts)
    build = key("build", setup, inputs, *(part for display, k in pages.items() for part in (display, k)))
    return _Keys(build, inputs, pages, setup)


class Held:
    """What a long-lived process (`docgen serve --watch`) keeps from one build to the next in
    memory, where the `docgen` command keeps it in the cache: the fold's state and the
    pieces of output. Kept this way, a rebuild neither reads nor writes them."""

    def __init__(self) -> None:
        self.front = _InMemory()
        self.memo = _InMemory()
        self.discovered: list[tuple[SourceFile, bytes]] | None = None  # the last build's sources
        self.inputs: tuple[tuple[int, ...], str] | None = None  # (the non-page sources' identities, key)
        self.changed: set[Path] | None = None  # files changed since (None: unknown, list again)

    def sources(self, srcs: list[Path]) -> Found[list[tuple[SourceFile, bytes]]]:
        """The sources: the last build's, with the files changed since read again; listed
        afresh when files came or went (or what changed is not known)."""
        changed, self.changed = self.changed, None
        again = (
            reread(self.discovered, changed) if self.discovered is not None and changed is not None else None
        )
        found = again if again is not None else discover(srcs)
        self.discovered = found.value if not found.findings else None
        return found


class _InMemory:
    """Read and written as `cache.Layered` is, in memory."""

    def __init__(self) -> None:
        self.entries: dict[Any, Any] = {}

    def read(self) -> dict[Any, Any]:
        return self.entries

    def write(self, entries: dict[Any, Any]) -> None:
        self.entries = entries


def generate(
    config: Config,
    sources: list[Path] | None = None,
    observer: Observer | None = None,
    held: Held | None = None,
) -> BuildResult:
    """Everything `OUT` should hold, as relative path -> text. Writes nothing but the cache.

    `observer(stage, "start" | "end", seconds)` hears about each stage as it runs; `held`
    keeps the state the next build starts from in memory (else the cache keeps it).
    """
    return _generate_cached(config, sources, observer, held)


def _generate_cached(
    config: Config, sources: list[Path] | None, observer: Observer | None, held: Held | None
) -> BuildResult:
    timer = _Timer(observer)
    cache = Cache(config.cache_dir)
    srcs = list(sources or config.sources)
    with timer.stage("discover"):
        discovered, unreadable = held.sources(srcs) if held else discover(srcs)
        keys = _keys(config, discovered, held)
        # A file that could not be read is no input the key could name: build afresh.
        build_key = keys.build if (cache.root is not None or held) and not unreadable else ""
    hit = cache.get_object("build", build_key) if build_key and not held else None
    if isinstance(hit, dict):
        stored = {rel: cache.get_bytes("blob", k) for rel, k in hit["files"].items()}
        files = {rel: b.decode("utf-8") for rel, b in stored.items() if b is not None}
        if len(files) == len(stored):
            return BuildResult(
                files, hit["diagnostics"], hit["stats"], timer.timings, hit["pages"], cached=True
            )
    result = _generate(
        config, discovered, cache, timer, unreadable, source_roots(srcs), keys if build_key else None, held
    )
    if build_key and result.files and not held:
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
    discovered: list,
    cache: Cache,
    timer: _Timer,
    unreadable: tuple,
    roots: tuple[Path, ...],
    keys: _Keys | None = None,
    held: Held | None = None,
) -> BuildResult:
    settings = Settings.of(config)
    store: Layered | _InMemory | None = None
    if keys is not None:
        store = held.front if held else Layered(cache, "front", _state_slot(roots))
    before = store.read() if store is not None else {}
    ahead = front(config, discovered, cache, roots, timer, _Previous(keys, state_of(before)))
    api, folded = ahead.api, ahead.folded
    diags: list[Diagnostic] = [*unreadable, *ahead.findings]
    (memo, kept), unit_keys = _memo(cache, roots, keys, held), _unit_keys(api, folded, keys)
    with timer.stage("spec"):
        # Templates of the user's see the paths as data; the built-in ones take them in pieces.
        spec = spec_document(api, config.base_url, refuse=False, with_paths=settings.template_dir is not None)
    files, models = _outputs(api, spec, settings, cache, timer, memo, unit_keys)
    diags += models.findings
    models_text = models.value
    if models_text is not None:
        files[f"{settings.package}/models/__init__.py"] = models_text
        with timer.stage("models"):
            files.update(_models_reference(api, models_text, settings, cache))
        if settings.template_dir is not None:  # the one case black runs (docgen.emit.format)
            with timer.stage("format"):
                formatted = black_formatted(files, cache)
            files.update(formatted.value)
            diags += formatted.findings
    result_files = dict(sorted(files.items())) if models_text is not None else {}
    if kept is not None and store is not None and keys is not None and result_files:
        # Last, once the models process has ended: pickling the state takes memory a while.
        store.write(state_entries(FrontState(keys.inputs, keys.pages, folded), before))
        kept.write(memo.used)
    return BuildResult(
        result_files,
        sorted(diags, key=_diag_order),
        api.stats,
        timer.timings,
        len(keys.pages) if keys else sum(s.kind == "page" for s, _ in discovered),
        api=api if result_files else None,
        refolded=ahead.refolded,
    )


@dataclass(frozen=True)
class Front:
    """What the sources describe, before any output is rendered: the API, what reading and
    folding them found, and the fold it was made from (what the next build starts from)."""

    api: Api
    findings: tuple[Diagnostic, ...]
    folded: Folded
    refolded: bool  # the last build's fold, with the pages changed since (docgen.incremental)


@dataclass(frozen=True)
class _Previous:
    """The last build of these sources, as far as the front can start from it."""

    keys: _Keys | None = None
    state: FrontState | None = None


def front(
    config: Config,
    discovered: list,
    cache: Cache,
    roots: tuple[Path, ...],
    timer: _Timer | None = None,
    previous: _Previous = _Previous(),
) -> Front:
    """The pages (and reference files) discovered, read and folded into the API: what `build`
    renders and `diff` compares. From the last build's fold where no change reaches it."""
    timer = timer or _Timer()
    with timer.stage("parse"):
        indexes = read_indexes(discovered)
        folded = _refolded(discovered, cache, roots, previous.keys, previous.state)
        refolded = folded is not None
        read = None if folded is not None else read_pages(discovered, cache, roots, read_as)
    with timer.stage("schema"):
        if read is not None:
            folded = fold_pages(read.models, read.references)
            # The pages' models (their evidence) end with the fold: a process forked later
            # (the models') would carry them for nothing.
            del read
        assert folded is not None
        api, assembled = finish(folded, list(indexes.value), config.title, config.package_version)
    return Front(api, (*indexes.findings, *assembled), folded, refolded)


def _memo(
    cache: Cache, roots: tuple[Path, ...], keys: _Keys | None, held: Held | None
) -> tuple[Memo, Layered | _InMemory | None]:
    """The pieces of output the last build of these sources made, to take what is unchanged."""
    if keys is None:
        return Memo(), None
    kept = held.memo if held else Layered(cache, "memo", _state_slot(roots))
    return Memo(kept.read(), scope=keys.setup), kept


def _unit_keys(api: Api, folded: Folded, keys: _Keys | None) -> Keys:
    """The content key of each operation (its endpoint as linked, and its method name) and of
    the components: what the pieces of output are keyed by."""
    if keys is None:
        return Keys()
    endpoints = {
        ep.operation_id: key("operation", folded.fingerprints[ep.file], ep.python_name)
        for ep in api.endpoints
    }
    return Keys(endpoints, fingerprint([(c.name, c.schema) for c in api.components]))


def _state_slot(roots: tuple[Path, ...]) -> str:
    """Where the cache keeps the fold of the last build of these sources."""
    return key("front-state", *(str(r) for r in roots))


def _refolded(
    discovered: list, cache: Cache, roots: tuple[Path, ...], keys: _Keys | None, state: FrontState | None
) -> Folded | None:
    """The fold of the last build of these sources with the pages changed since read again,
    when no change reaches the fold (`docgen.incremental`); else None."""
    if keys is None or state is None:
        return None

    def read(files: list[str]) -> dict[str, PageModel]:
        return {m.file: m for m in page_models(discovered, set(files), cache, roots)}

    def previous(file: str) -> PageModel | None:
        return cached_page_model(cache, state.pages[file])

    return refolded(state, keys.inputs, keys.pages, read, previous)


def _outputs(
    api: Api, spec: dict, settings: Settings, cache: Cache, timer: _Timer, memo: Memo, keys: Keys
) -> tuple[dict[str, str], Found[str | None]]:
    """Every output: the emitters' files, and the models module (from the cache, or from
    datamodel-code-generator while this process runs the emitters)."""
    model_input = _model_input(spec)
    # The models depend on the schemas and the title (their header) alone: keyed by the schemas'
    # content keys where there are (a new version, as `docgen release` writes, makes no new models).
    pieces = Pieces(memo, keys, schemas_parts(api, keys))
    made_of = json.dumps(model_input, sort_keys=True) if pieces.schemas is None else spec["info"]["title"]
    mkey = key("models", settings.package, made_of, *(pieces.schemas or ()))
    cached_models = cache.get_bytes("models", mkey)
    files: dict[str, str] = {}
    if cached_models is not None:
        # The second core is free: rendered afresh (no pieces of a last build to take), the
        # spec is worth a process of its own while this one renders the package.
        fresh = not memo.previous and len(api.endpoints) >= PARALLEL_SPEC_THRESHOLD
        with Beside(fresh) as beside:
            with timer.stage("spec"):  # the whole stage when it runs here, the fork when beside
                spec_made = beside.submit(_spec_files, api, spec, settings, pieces)
            files.update(_emitted(api, spec, settings, pieces, timer, beside_spec=True))
            with timer.stage("spec"):
                spec_files, used = spec_made.result()
                files.update(spec_files)
                memo.used.update(used)
        return files, Found[str | None](cached_models.decode("utf-8"))

    def meanwhile() -> None:
        """This process's share while the models are made: the emitters' files."""
        files.update(_emitted(api, spec, settings, pieces, timer))

    models = _models(api, model_input, settings, timer, meanwhile)
    if models.value is not None:
        cache.put_bytes("models", mkey, models.value.encode("utf-8"))
    return files, models


def _models_reference(api: Api, models_text: str, settings: Settings, cache: Cache) -> dict[str, str]:
    """models.md, cached by what it is made of: the models module (parsed, ~0.6 s for the
    whole reference), the methods that use each model, and the templates."""
    uses = json.dumps(model_uses(api), sort_keys=True)
    template = (builtin_template_dir() / "package" / "models.md.jinja").read_bytes()
    k = key("models.md", settings.package, api.title, template, models_text, uses)
    cached = cache.get_bytes("reference", k) if settings.template_dir is None else None
    if cached is not None:
        return {"models.md": cached.decode("utf-8")}
    files = render_models_reference(api, models_text, settings)
    cache.put_bytes("reference", k, files["models.md"].encode("utf-8"))
    return files


def _spec_files(
    api: Api, spec: dict, settings: Settings, pieces: Pieces
) -> tuple[dict[str, str], dict[tuple[str, ...], object]]:
    """The spec's emitter, with the pieces it rendered on the way (so that a forked process
    hands them back too)."""
    _, emit = SPEC
    return emit(api, spec, settings, pieces), pieces.memo.used


def _emitted(
    api: Api, spec: dict, settings: Settings, pieces: Pieces, timer: _Timer, beside_spec: bool = False
) -> dict[str, str]:
    """The files of every emitter in `EMITTERS`, in order, each timed as its stage (the
    spec's left out when it runs beside)."""
    files: dict[str, str] = {}
    for stage, emit in EMITTERS:
        if beside_spec and stage == SPEC[0]:
            continue
        with timer.stage(stage):
            files.update(emit(api, spec, settings, pieces))
    return files


def _model_input(spec: dict) -> dict:
    """What the models module depends on: the spec's schemas alone (a change to descriptions of
    operations or parameters does not re-run datamodel-code-generator)."""
    return {
        "openapi": spec["openapi"],
        "info": spec["info"],
        "paths": {},
        "components": {"schemas": spec["components"]["schemas"]},
    }


def _models(
    api: Api, model_input: dict, settings: Settings, timer: _Timer, meanwhile: Callable[[], None]
) -> Found[str | None]:
    """The models module from datamodel-code-generator; `meanwhile` renders the rest. When the
    models are many (the longest stage by far), they are made in groups: the first in a second
    process while this one renders the rest and then makes the others."""
    schemas = model_input["components"]["schemas"]
    many = len(api.components) >= PARALLEL_MODELS_THRESHOLD
    groups = model_groups(schemas, MODEL_GROUPS) if many else (tuple(schemas),)
    package = settings.package
    with Beside(many) as beside:
        with timer.stage("models"):  # the whole stage when it runs here, the fork when beside
            first = beside.submit(generated_models, schemas_spec(model_input, groups[0]), package)
        meanwhile()
        with timer.stage("models"):
            rest = [generated_models(schemas_spec(model_input, g), package) for g in groups[1:]]
            parts = [first.result(), *rest]
    texts = [part.value for part in parts if part.value is not None]
    if len(texts) == len(parts) > 1 and shared_class_names(texts):
        # A class the generator named in two groups: one run over all makes the names unique.
        parts = [generated_models(model_input, package)]
        texts = [part.value for part in parts if part.value is not None]
    findings = tuple(d for part in parts for d in part.findings)
    if len(texts) < len(parts):
        return _checked_models(api, Found(None, findings))
    return _checked_models(api, Found(finished_models(joined_models(texts), package), findings))


def _checked_models(api: Api, models: Found[str | None]) -> Found[str | None]:
    """Component names are class names by construction (the fold keeps clear of the names a
    models module defines itself); a class under another name would be a bug in docgen."""
    if models.value is None:
        return models
    renamed = sorted({c.name for c in api.components} - class_names(models.value))
    if not renamed:
        return models
    message = f"datamodel-code-generator renamed classes docgen refers to: {', '.join(renamed[:5])}"
    return Found(None, (*models.findings, diag("DG900", "openapi.yaml", 1, message)))


def _diag_order(d: Diagnostic) -> tuple:
    return (d.file, d.line, d.code, d.message)


def spec_of(sources: list[Path], config: Config) -> dict:
    """The spec a doc tree describes, built in memory (no models, no package)."""
    discovered, _ = discover(sources)
    ahead = front(config, discovered, Cache(config.cache_dir), source_roots(list(sources)))
    return spec_document(ahead.api, config.base_url)

"""`docgen serve --watch`: the sample server of the last good build, rebuilt in this process
when a source changes and swapped in without dropping the port.

The build's state stays in memory between builds (`build.Held`), so a rebuild after an edit
reads the edited pages and renders what they reach, nothing else. The new tree is swapped into
the served folder whole (`output.write_tree`) and only the modules whose files changed are
imported again: the models module and the operations table (the slow ones to import) stay
loaded when an edit leaves them as they were. Requests go to the app of the last good build:
a rebuild with errors (a page the edit broke, which would drop out of the API) or a docgen
bug is reported, and the last good build keeps serving.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.build import BuildResult, Held, generate
from docgen.config import Config
from docgen.output import write_tree
from docgen.parser.discover import SOURCE_SUFFIXES
from docgen.runtime import RUNTIME_FILES

ASGIApp = Callable[..., Any]


class LiveApp:
    """An ASGI app that hands each request to the app of the last good build."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


@dataclass
class Rebuild:
    """What one rebuild did, as `serve --watch` reports it."""

    result: BuildResult | None  # None: docgen itself failed (the traceback was printed)
    seconds: float
    changed: int  # output files that changed
    swapped: bool  # the served app is now this build's
    broken: bool = False  # not served: it has errors the served build did not have


class Served:
    """The generated package as the server runs it: built into `out`, imported from there,
    and imported again where a build changed it."""

    def __init__(
        self,
        config: Config,
        sources: list[Path],
        out: Path,
        watch: bool = True,
        pause: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext,
    ) -> None:
        self.config, self.sources, self.out = config, sources, out
        # What the process holds while a build runs (the CLI: the cyclic collector paused).
        self.pause = pause
        self.package = config.package_name
        # Rebuilt in this process: the state stays in memory. Served once: a build whose
        # inputs did not change comes from the cache whole.
        self.held = Held() if watch else None
        self.files: dict[str, str] = {}
        self.errors: set[tuple[str, str]] = set()  # the served build's errors: (file, code)
        self.live: LiveApp | None = None
        self.base_url = ""  # where it is served, once known: its spec is made ready for it

    def build(self, report: Callable[[BuildResult], None]) -> Rebuild:
        """Build; when the build succeeded, write it and swap its app in."""
        start = time.perf_counter()
        try:
            with self.pause():
                result = generate(self.config, self.sources, held=self.held)
        except Exception:  # a docgen bug: say so, keep serving what was
            traceback.print_exc()
            return Rebuild(None, time.perf_counter() - start, 0, False)
        report(result)
        # A page the edit broke (an error the served build did not have) would vanish from the
        # API: keep what was served.
        errors = {(d.file, d.code) for d in result.errors}
        if not result.files or (self.live is not None and not errors <= self.errors):
            return Rebuild(result, time.perf_counter() - start, 0, False, broken=True)
        self.errors = errors
        changed = {rel for rel, text in result.files.items() if self.files.get(rel) != text}
        changed |= self.files.keys() - result.files.keys()
        if changed or self.live is None:
            self._write(result.files, changed if self.live is not None else None)
            app = self._app(changed if self.live is not None else None)
            self.ready(app)
            if self.live is None:
                self.live = LiveApp(app)
            else:
                self.live.app = app
        self.files = result.files
        return Rebuild(result, time.perf_counter() - start, len(changed), bool(changed))

    def ready(self, app: ASGIApp | None = None) -> None:
        """The spec `/openapi.json` sends made ahead of the first request for it (serialising
        the whole reference's spec takes longer than the rebuild)."""
        app = app or (self.live.app if self.live else None)
        openapi_body = getattr(getattr(app, "state", None), "openapi_body", None)
        if self.base_url and openapi_body is not None:
            openapi_body(self.base_url)

    def _write(self, files: dict[str, str], changed: set[str] | None) -> None:
        """The tree into `out`: whole the first time, then only the files that changed, each
        replaced in one step (the folder is this process's own; the app that reads them is
        swapped in after)."""
        if changed is None:
            write_tree(files, self.out)
            return
        for rel in sorted(changed):
            path = self.out / rel
            if rel not in files:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            # A compiled module records its source's mtime in seconds and its size: an edit of
            # the same size within the second would import the old code.
            for compiled in path.parent.glob(f"__pycache__/{path.stem}.*.pyc"):
                compiled.unlink(missing_ok=True)
            scratch = path.with_name(f".{path.name}.tmp")
            scratch.write_text(files[rel], encoding="utf-8", newline="\n")
            os.replace(scratch, path)

    def _app(self, changed: set[str] | None) -> ASGIApp:
        """The server app of the tree in `out`, its changed modules (all, for None) imported
        afresh; where no module the server runs changed, the app it runs, told to read its
        spec and samples again."""
        if self.live is not None and changed is not None and not server_modules(self.package, changed):
            app_module = sys.modules[f"{self.package}.server.app"]
            app_module.spec_text.cache_clear()
            app_module.spec.cache_clear()
            samples_module = sys.modules.get(f"{self.package}.server.samples")
            if samples_module is not None:
                samples_module.samples.cache_clear()
            return self.live.app
        if str(self.out) not in sys.path:
            sys.path.insert(0, str(self.out))
        for name in stale_modules(self.package, changed, sys.modules):
            del sys.modules[name]
        importlib.invalidate_caches()
        server = importlib.import_module(f"{self.package}.server")
        app: ASGIApp = server.create_app()
        return app

    def close(self) -> None:
        """Forget the package's modules (the folder they came from is going away)."""
        for name in stale_modules(self.package, None, sys.modules):
            del sys.modules[name]
        if str(self.out) in sys.path:
            sys.path.remove(str(self.out))


def _dotted(rel: str) -> str:
    """A module's file in the package to its name there: `server/app.py` -> `server.app`,
    `models/__init__.py` -> `models`, the package's own `__init__.py` -> ``."""
    name = rel.removesuffix(".py").removesuffix("/__init__")
    return "" if name == "__init__" else name.replace("/", ".")


def _modules(package: str, files: Iterable[str]) -> set[str]:
    """The modules of `package` among output files (`pkg/server/app.py` -> `server.app`)."""
    return {_dotted(rel.removeprefix(package + "/")) for rel in files if rel.endswith(".py")}


# The modules docgen copies in unchanged, and the one that is slow to import.
_RUNTIME = {_dotted(f) for f in RUNTIME_FILES}
_KEPT_UNLESS_CHANGED = {"server.operations"} | _RUNTIME


def stale_modules(package: str, changed: set[str] | None, loaded: Iterable[str]) -> list[str]:
    """The loaded modules of `package` to import again after the files `changed` (relative to
    the output folder; None: all of them). A change to the models or to the runtime reaches
    every module; otherwise the changed modules go, and the server's own modules but the
    operations table (the app is made anew from them: its spec and samples are read again)."""
    ours = [m for m in loaded if m == package or m.startswith(package + ".")]
    if changed is None:
        return sorted(ours)
    names = _modules(package, changed)
    if any(n == "models" or n in _RUNTIME for n in names):
        return sorted(ours)
    out = []
    for m in ours:
        name = m.removeprefix(package).removeprefix(".")
        server_own = name == "server" or (name.startswith("server.") and name not in _KEPT_UNLESS_CHANGED)
        if name in names or server_own:
            out.append(m)
    return sorted(out)


def server_modules(package: str, changed: set[str]) -> set[str]:
    """The changed modules the server runs: its own but the Protocols (which only type
    checkers read), the models and the runtime they use. The client's are not among them."""
    names = _modules(package, changed)
    runs = {"models", "_base", "_wire", "server"}
    return {n for n in names if n != "server.protocols" and (n in runs or n.startswith("server."))}


def is_source(path: str) -> bool:
    """What the watcher reports: files of a source suffix (no editor swap files)."""
    return path.lower().endswith(SOURCE_SUFFIXES)


def watch_loop(
    served: Served,
    report: Callable[[BuildResult], None],
    say: Callable[[str], None],
    stop: threading.Event,
) -> None:
    """Rebuild on each change to the sources until `stop` is set."""
    import watchfiles

    def only_sources(_change: watchfiles.Change, path: str) -> bool:
        return is_source(path)

    for changes in watchfiles.watch(
        *served.sources, watch_filter=only_sources, stop_event=stop, raise_interrupt=False, step=20
    ):
        if served.held is not None:
            # Saved in place or replaced whole (an editor's atomic save): read again. A file
            # that came or went: the sources are listed again (`reread` tells).
            served.held.changed = {Path(p).resolve() for _, p in changes}
        names = sorted({Path(p).name for _, p in changes})
        say(f"changed: {', '.join(names[:5])}{' ...' if len(names) > 5 else ''}; rebuilding")
        done = served.build(report)
        say(summary(done))


def summary(done: Rebuild) -> str:
    if done.result is None:
        return "docgen failed (see above); still serving the last good build"
    if done.broken:
        errors = len(done.result.errors)
        return f"the build has {errors} error{'s' * (errors != 1)}; still serving the last good build"
    if not done.swapped:
        return f"rebuilt in {done.seconds:.2f}s: no output changed"
    files = f"{done.changed} file{'s' * (done.changed != 1)}"
    stages = sorted(done.result.timings.items(), key=lambda kv: -kv[1])[:3]
    slowest = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in stages)
    return f"rebuilt in {done.seconds:.2f}s ({slowest}): {files} changed, now serving it"

"""`docgen build`, `docgen diff`, `docgen release` and `docgen serve`.

Exit codes, for every command: 0 success; 1 the command's finding (errors in the docs, stale
output for --check); 2 usage; 3 internal failure (a bug in docgen).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from docgen import __version__
from docgen.config import Config, ConfigError, load_config
from docgen.diagnostics import Level, render_json
from docgen.reporting import render_github, render_sarif

if TYPE_CHECKING:  # docgen.build imports the emitters: only the commands that build load it
    from rich.progress import Progress, TaskID

    from docgen.build import BuildResult, Observer
    from docgen.diff import DiffReport
    from docgen.watch import Served

EXIT_OK, EXIT_FINDING, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
REPORT_URL = "the docgen issue tracker"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="docgen",
        description="SuperOffice WebAPI reference pages to an OpenAPI 3.1 spec and a typed Python SDK.",
    )
    p.add_argument("--version", action="version", version=f"docgen {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    _build_command(sub.add_parser("build", help="build the spec and the package from reference pages"))
    d = sub.add_parser(
        "diff", help="what changed between two doc trees or specs, and whether it breaks clients"
    )
    d.add_argument("old", type=Path, metavar="OLD", help="a doc tree, or a spec file (.yaml/.json)")
    d.add_argument("new", type=Path, metavar="NEW", help="a doc tree, or a spec file (.yaml/.json)")
    d.add_argument("--format", choices=("markdown", "json"), default="markdown")
    d.add_argument("--fail-on-breaking", action="store_true", help="exit 1 when anything breaking changed")
    _common(d)
    _release_command(
        sub.add_parser(
            "release",
            help="the version the API change since OLD asks for, written to pyproject.toml and the changelog",
        )
    )

    s = sub.add_parser("serve", help="build into a temporary folder and serve the sample server")
    s.add_argument("sources", nargs="*", type=Path, metavar="SRC")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument(
        "--watch",
        action="store_true",
        help="rebuild when a source changes and serve the new build (the last good one if a build fails)",
    )
    _common(s)
    return p


def _build_command(b: argparse.ArgumentParser) -> None:
    b.add_argument(
        "sources",
        nargs="*",
        type=Path,
        metavar="SRC",
        help="page files or folders (default: [tool.docgen] sources)",
    )
    b.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help="output folder (default: [tool.docgen] output, generated/)",
    )
    b.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and list stale files if OUT differs from a fresh build",
    )
    b.add_argument(
        "--strict", action="store_true", help="any error or warning fails the build and writes nothing"
    )
    b.add_argument(
        "--format",
        choices=("text", "json", "sarif", "github"),
        default="text",
        help=(
            "diagnostics as text on stderr, or on stdout as a JSON array, one SARIF 2.1.0 log "
            "(code scanning) or GitHub workflow commands (annotations)"
        ),
    )
    b.add_argument("--no-cache", action="store_true", help="ignore and do not write the content-hash cache")
    b.add_argument(
        "--report",
        action="store_true",
        help=(
            "print a JSON report of what stayed uncertain (opaque types, arrays of unknown "
            "items, conflicts) and stage times on stdout"
        ),
    )
    _common(b)


def _release_command(r: argparse.ArgumentParser) -> None:
    r.add_argument(
        "old",
        type=Path,
        metavar="OLD",
        help="the last release's docs: a checkout of the docs repository, a doc tree, or a spec file",
    )
    r.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help="output folder, whose CHANGELOG.md is added to (default: [tool.docgen] output)",
    )
    r.add_argument("--dry-run", action="store_true", help="print what would be released; write nothing")
    r.add_argument("--no-cache", action="store_true", help="ignore and do not write the content-hash cache")
    r.set_defaults(sources=[])
    _common(r)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    p.add_argument("-v", "--verbose", action="store_true", help="print info findings and tracebacks")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return EXIT_USAGE if e.code not in (0, None) else EXIT_OK
    commands = {"build": cmd_build, "serve": cmd_serve, "diff": cmd_diff, "release": cmd_release}
    try:
        config = load_config()
        # A command that builds and ends pauses the collector throughout; `serve` per build.
        with contextlib.nullcontext() if args.command == "serve" else collector_paused():
            return commands[args.command](args, config)
    except ConfigError as e:
        print(f"docgen: configuration error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("docgen: interrupted; output left as it was", file=sys.stderr)
        return 130
    except OSError as e:
        # The machine, not docgen: a full disk, a read-only folder, a vanished file.
        print(f"docgen: cannot read or write files: {e}; output left as it was", file=sys.stderr)
        if getattr(args, "verbose", False):
            traceback.print_exc()
        return EXIT_INTERNAL
    except Exception as e:
        print(f"docgen: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        print(
            f"docgen: this is a bug in docgen {__version__}; please report it to {REPORT_URL} with the "
            "command you ran.",
            file=sys.stderr,
        )
        if getattr(args, "verbose", False):
            traceback.print_exc()
        else:
            print("docgen: run again with --verbose for the traceback.", file=sys.stderr)
        return EXIT_INTERNAL
    return EXIT_USAGE


def _resolve(args: argparse.Namespace, config: Config) -> tuple[Config, list[Path]] | None:
    sources = list(args.sources) or list(config.sources)
    if not sources:
        print("docgen: no sources: give SRC or set [tool.docgen] sources in pyproject.toml", file=sys.stderr)
        return None
    for s in sources:
        if not s.exists():
            print(f"docgen: source {s} does not exist", file=sys.stderr)
            return None
    if getattr(args, "no_cache", False):
        config = replace(config, cache_dir=None)
    return config, sources


def _report(result: BuildResult, args: argparse.Namespace, roots: list[Path]) -> None:
    shown = [d for d in result.diagnostics if d.level is not Level.INFO or args.verbose]
    if args.quiet:
        shown = [d for d in shown if d.level is Level.ERROR]
    shape = getattr(args, "format", "text")
    if shape == "json":
        print(render_json(shown))
    elif shape in ("sarif", "github"):
        render = render_sarif if shape == "sarif" else render_github
        text = render(shown, roots, Path.cwd())
        if text:
            print(text)
    else:
        for d in shown:
            print(d.format_text(), file=sys.stderr)


STAGES = ("discover", "parse", "schema", "spec", "client", "server", "package", "models", "format")


class _Progress:
    """A rich progress display on a terminal, plain lines elsewhere (CI logs), nothing with -q."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.live: Progress | None = None

    def __enter__(self) -> Observer | None:
        if self.args.quiet:
            return None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            live = self.live = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            live.start()
            tasks: dict[str, TaskID] = {}

            def observe(stage: str, event: str, seconds: float) -> None:
                if event == "start":
                    tasks[stage] = live.add_task(f"docgen: {stage}", total=None)
                else:
                    live.update(
                        tasks[stage],
                        description=f"docgen: {stage} done in {seconds:.1f}s",
                        total=1,
                        completed=1,
                    )

            return observe

        def plain(stage: str, event: str, seconds: float) -> None:
            if event == "end":
                print(f"docgen: {stage} done in {seconds:.2f}s", file=sys.stderr, flush=True)

        return plain

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.stop()


def _summary(result: BuildResult, elapsed: float) -> str:
    """One screen: what was read, what came out, what stayed uncertain, and where time went."""
    figures = result.figures()
    stages = ", ".join(
        f"{k} {v:.1f}s"
        for k, v in sorted(
            result.timings.items(), key=lambda kv: STAGES.index(kv[0]) if kv[0] in STAGES else 99
        )
    )
    return "\n".join(
        [
            _summary_line(figures, elapsed),
            f"docgen:   pages {figures['pages']}, operations {figures['operations']}, schemas "
            f"{figures['schemas']}, opaque types {figures['opaque_types']}",
            f"docgen:   errors {figures['errors']}, warnings {figures['warnings']}; time per stage: "
            f"{stages or 'all from the cache'}",
        ]
    )


def _summary_line(figures: dict, elapsed: float) -> str:
    pages, ops = figures["pages"], figures["operations"]
    return (
        f"docgen: {pages} page{'s' if pages != 1 else ''}, {ops} operation{'s' if ops != 1 else ''}, "
        f"{figures['schemas']} schemas ({figures['opaque_types']} opaque, "
        f"{figures['arrays_of_unknown_items']} arrays of unknown items, {figures['conflicts']} conflicts), "
        f"{figures['errors']} errors, {figures['warnings']} warnings "
        f"in {elapsed:.1f}s{' (cached)' if figures['cached'] else ''}"
    )


def cmd_build(args: argparse.Namespace, config: Config) -> int:
    from docgen.build import generate

    resolved = _resolve(args, config)
    if resolved is None:
        return EXIT_USAGE
    config, sources = resolved
    out = args.output or config.output
    started = time.perf_counter()
    with _Progress(args) as observer:
        result = generate(config, sources, observer)
    _report(result, args, sources)
    elapsed = time.perf_counter() - started
    if not args.quiet:
        print(_summary(result, elapsed), file=sys.stderr)
    if args.report:
        report = result.figures()
        report["opaque_type_names"] = list(result.stats.opaque)
        print(json.dumps(report, indent=2))
    if not result.files:
        print("docgen: nothing was generated; output left as it was", file=sys.stderr)
        return EXIT_FINDING
    from docgen.release import carry_changelog

    result = replace(result, files=carry_changelog(result.files, out))
    if args.check:
        return _check(result, out, args)
    if (args.strict or config.strict) and (result.errors or result.warnings):
        print("docgen: --strict: errors or warnings found; nothing written", file=sys.stderr)
        return EXIT_FINDING
    return _write(result, out, args)


def _check(result: BuildResult, out: Path, args: argparse.Namespace) -> int:
    """`--check`: list the files of OUT a fresh build would change; write nothing."""
    from docgen.output import stale_files

    stale = stale_files(result.files, out)
    for rel in stale:
        print(f"stale: {rel}")
    if stale and not args.quiet:
        print(
            f"docgen: {len(stale)} file(s) in {out} differ from what the docs produce; run 'docgen "
            "build' and commit",
            file=sys.stderr,
        )
    return EXIT_FINDING if stale or result.errors else EXIT_OK


def _write(result: BuildResult, out: Path, args: argparse.Namespace) -> int:
    from docgen.output import write_tree

    # Compared and swapped in under the lock of OUT's writers: a concurrent build waits.
    if not write_tree(result.files, out):
        if not args.quiet:
            print(f"docgen: {out} is up to date", file=sys.stderr)
    elif not args.quiet:
        print(f"docgen: wrote {len(result.files)} files to {out}", file=sys.stderr)
    return EXIT_FINDING if result.errors else EXIT_OK


def cmd_diff(args: argparse.Namespace, config: Config) -> int:
    from docgen.diff import diff_specs

    for path in (args.old, args.new):
        if not path.exists():
            print(f"docgen: {path} does not exist", file=sys.stderr)
            return EXIT_USAGE
    report = diff_specs(_spec(args.old, config), _spec(args.new, config))
    print(
        json.dumps(report.as_json(), indent=2, ensure_ascii=False)
        if args.format == "json"
        else report.as_markdown()
    )
    if not args.quiet:
        print(
            f"docgen: {len(report.changes)} changes, {len(report.breaking)} breaking; version bump: "
            f"{report.bump}",
            file=sys.stderr,
        )
    return EXIT_FINDING if args.fail_on_breaking and report.breaking else EXIT_OK


def _spec(path: Path, config: Config) -> dict:
    """A spec file as it is, or the spec a doc tree describes (built in memory, uncached)."""
    from docgen.diff import is_spec_file, load_spec

    if is_spec_file(path):
        return load_spec(path)
    from docgen.build import spec_of

    return spec_of([path], replace(config, cache_dir=None))


def cmd_release(args: argparse.Namespace, config: Config) -> int:
    """The bump the API change since OLD asks for: the version into pyproject.toml, the change
    report into OUT's CHANGELOG.md, OUT rebuilt with the new version; prints the version."""
    from docgen.build import spec_of
    from docgen.diff import diff_specs
    from docgen.release import ReleaseError, next_version

    pyproject = config.root / "pyproject.toml"
    resolved = _resolve(args, config)
    if resolved is None or not args.old.exists() or not pyproject.is_file():
        if resolved is not None:
            missing = args.old if not args.old.exists() else "pyproject.toml with [tool.docgen]"
            print(f"docgen: {missing} does not exist", file=sys.stderr)
        return EXIT_USAGE
    config, sources = resolved
    try:
        report = diff_specs(_released_spec(args.old, config), spec_of(sources, config))
        version = next_version(config.package_version, report.bump)
    except ReleaseError as e:
        print(f"docgen: {e}", file=sys.stderr)
        return EXIT_USAGE
    if version is None:
        if not args.quiet:
            print(
                f"docgen: no API change since {args.old}: the version stays {config.package_version}",
                file=sys.stderr,
            )
        print(config.package_version)
        return EXIT_OK
    try:
        return _release(args, config, sources, pyproject, version, report)
    except ReleaseError as e:
        print(f"docgen: {e}; nothing released", file=sys.stderr)
        return EXIT_FINDING


def _release(
    args: argparse.Namespace,
    config: Config,
    sources: list[Path],
    pyproject: Path,
    version: str,
    report: DiffReport,
) -> int:
    """A release decided: the changelog and pyproject.toml made in memory, then (unless
    --dry-run) the package built with the new version and both written."""
    from docgen.build import generate
    from docgen.emit.package import CHANGELOG, changelog_start
    from docgen.emit.settings import Settings
    from docgen.output import write_tree
    from docgen.release import changelog_section, prepend_section, with_version, write_text_atomic

    out, settings = args.output or config.output, Settings.of(config)
    kept = out / CHANGELOG
    before = kept.read_text(encoding="utf-8") if kept.is_file() else changelog_start(settings, config.title)
    section = changelog_section(version, report, settings)
    changelog = prepend_section(before, section)
    new_pyproject = with_version(pyproject.read_text(encoding="utf-8"), version)
    if not args.quiet:
        verb = "would release" if args.dry_run else "releasing"
        print(
            f"docgen: {verb} {version} (was {config.package_version}: {len(report.breaking)} breaking of "
            f"{len(report.changes)} changes, a {report.bump} change); {CHANGELOG}'s new section:\n{section}",
            file=sys.stderr,
        )
    if args.dry_run:
        print(version)
        return EXIT_OK
    with _Progress(args) as observer:
        result = generate(replace(config, package_version=version), sources, observer)
    _report(result, args, sources)
    if not result.files or result.errors or (config.strict and result.warnings):
        print("docgen: the docs have errors (or warnings, with strict); nothing released", file=sys.stderr)
        return EXIT_FINDING
    write_tree({**result.files, CHANGELOG: changelog}, out)
    write_text_atomic(pyproject, new_pyproject)
    print(version)
    return EXIT_OK


def _released_spec(old: Path, config: Config) -> dict:
    """The spec of the last release: a spec file; a checkout of the docs repository at that
    release (the configured sources found in it where they are in this one: read as this
    build reads them, so the pages that did not change come from the cache); or a doc tree."""
    from docgen.build import spec_of
    from docgen.diff import is_spec_file, load_spec

    if is_spec_file(old):
        return load_spec(old)
    try:
        there = [old / source.resolve().relative_to(config.root.resolve()) for source in config.sources]
    except ValueError:  # a source outside the project: OLD cannot mirror it
        there = []
    return spec_of(there if there and all(p.exists() for p in there) else [old], config)


def cmd_serve(args: argparse.Namespace, config: Config) -> int:
    from docgen.watch import Served

    resolved = _resolve(args, config)
    if resolved is None:
        return EXIT_USAGE
    config, sources = resolved
    with tempfile.TemporaryDirectory(prefix="docgen-serve-") as tmp:
        served = Served(config, sources, Path(tmp) / "out", watch=args.watch, pause=collector_paused)
        try:
            first = served.build(lambda result: _report(result, args, sources))
            if served.live is None:
                return EXIT_INTERNAL if first.result is None else EXIT_FINDING
            _serve(served, args)
        finally:
            served.close()
    # SIGTERM or Ctrl-C: the server stopped as asked, the build folder is gone.
    return EXIT_OK


def _serve(served: Served, args: argparse.Namespace) -> None:
    """Serve the last good build until SIGINT or SIGTERM; with --watch, rebuild on changes."""
    import uvicorn

    from docgen.watch import watch_loop

    class StoppableServer(uvicorn.Server):
        """uvicorn re-raises SIGTERM/SIGINT once it has shut down, which would kill this
        process before it removes its build folder: here a stop asked for is a normal end."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            with super().capture_signals():
                yield
                self._captured_signals.clear()

    assert served.live is not None
    server = StoppableServer(uvicorn.Config(served.live, host=args.host, port=args.port, log_level="warning"))
    # Bound here, so that `--port 0` announces the port the system chose.
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    port = sock.getsockname()[1]
    served.base_url = f"http://{f'[{args.host}]' if family == socket.AF_INET6 else args.host}:{port}"
    if args.watch:
        served.ready()

    def say(text: str) -> None:
        print(f"docgen: {text}", file=sys.stderr, flush=True)

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            host = f"[{args.host}]" if family == socket.AF_INET6 else args.host
            print(f"Serving on http://{host}:{port}", flush=True)
            if args.watch:
                say(f"watching {', '.join(map(str, served.sources))} for changes")

    threading.Thread(target=announce, daemon=True).start()
    with sock:
        if not args.watch:
            server.run(sockets=[sock])
            return
        # The server in a thread of its own; this one watches, rebuilds, and hears the signals.
        stop = threading.Event()
        previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="server")
        thread.start()
        try:
            report = lambda result: _report(result, args, served.sources)  # noqa: E731
            watch_loop(served, report, say, stop)
        finally:
            server.should_exit = True
            thread.join()
            for sig, handler in previous.items():
                signal.signal(sig, handler)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a build runs: a build allocates millions of
    long-lived objects and frees them together at its end, so the collector would only scan
    them again and again (a third of the time of a rebuild after an edit). A process that
    serves afterwards (`docgen serve`) has it on again between builds."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def run() -> None:
    """The `docgen` command: `main`, then out without tearing the build down object by object
    (a build holds millions of objects; freeing them one by one at exit takes ~0.3 s, as
    long as the rest of a rebuild after an edit). Output is flushed first; every file docgen
    writes is complete and closed by then."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()

"""Wall time and peak memory of docgen builds: cold, nothing changed, one page changed, and
`docgen serve --watch` from an edit to the served spec.

Each build scenario runs `docgen build` in a fresh process (so peak RSS is that build's own) on
a copy of the sources, with the cache state the scenario needs, and prints the per-stage
breakdown docgen measures itself. The watch scenario starts `docgen serve --watch` (its own
cache, cold), edits the description of one page and times the edit until `/openapi.json`
serves it (one request once the server says it serves the rebuild), with the peak memory of
the server's process tree.

    python benchmarks/bench.py [SRC ...]   # default: the 2023 pages and .NET reference
                                           # (../shared/corpus/superoffice-2023/restful, webapi)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "superoffice-2023"
DEFAULT_SRC = [CORPUS / "restful", CORPUS / "webapi"]
# Every child runs as for a user of an installed docgen: the modules' .pyc files written once and
# reused (this machine's environment sets PYTHONDONTWRITEBYTECODE, which costs each process
# compiling docgen's modules again: ~0.1 s).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

CHILD = r"""
import json, os, resource, sys, time
from dataclasses import replace
from pathlib import Path
from docgen.build import generate
from docgen.cli import collector_paused
from docgen.output import write_tree
from docgen.config import load_config
out, cache, root = map(Path, sys.argv[1:4])
sources = [Path(a) for a in sys.argv[4:]]
config = replace(load_config(root), cache_dir=cache)
t = time.perf_counter()
with collector_paused():  # as `docgen build` runs (docgen.cli.main)
    result = generate(config, sources)
    t_write = time.perf_counter()
    write_tree(result.files, out)  # as `docgen build` writes: compared, then swapped in
s = result.figures()
s["seconds"]["write"] = round(time.perf_counter() - t_write, 3)
s["wall"] = round(time.perf_counter() - t, 3)
s["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(s), flush=True)
os._exit(0)  # as the docgen command ends (docgen.cli.run): no teardown of the build's objects
"""


def run_build(sources: list[Path], out: Path, cache: Path) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(out), str(cache), str(ROOT), *map(str, sources)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=CHILD_ENV,
    )
    peak = [0]
    sampler = threading.Thread(target=_sample_tree, args=(proc, peak), daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(stderr)
    result = json.loads(stdout.strip().splitlines()[-1])
    result["process_wall"] = round(time.perf_counter() - started, 3)
    result["tree_peak_mb"] = round(peak[0] / 1024 / 1024, 1)
    return result


def _sample_tree(proc: subprocess.Popen, peak: list[int]) -> None:
    """The peak of the summed RSS of the build and every process under it (page workers, the
    models process), sampled every 100 ms from /proc."""
    page = os.sysconf("SC_PAGE_SIZE")
    while proc.poll() is None:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * page
        tree = {proc.pid}
        grew = True
        while grew:
            more = {pid for pid, ppid in parents.items() if ppid in tree} - tree
            tree |= more
            grew = bool(more)
        peak[0] = max(peak[0], sum(rss.get(pid, 0) for pid in tree))
        time.sleep(0.1)


STARTUP = r"""
import json, sys, time
t = time.perf_counter()
import superoffice_webapi
t_pkg = time.perf_counter() - t
t = time.perf_counter()
import superoffice_webapi.models
t_models = time.perf_counter() - t
t = time.perf_counter()
from superoffice_webapi.server import create_app
app = create_app()
t_app = time.perf_counter() - t
times = {"import package": t_pkg, "import models": t_models, "server app start": t_app}
print(json.dumps({k: round(v, 3) for k, v in times.items()}))
"""


def startup(out: Path) -> dict:
    """Import and app start times of the generated package, in a fresh process (warm .pyc)."""
    env = {**CHILD_ENV, "PYTHONPATH": str(out)}
    subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True)  # compiles .pyc
    proc = subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def watch(sources: list[Path], page: Path, tmp: Path) -> dict:
    """Seconds from an edit of `page` to `/openapi.json` serving it, under `serve --watch`."""
    import httpx

    project = tmp / "watch-project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.docgen]\ncache-dir = "cache"\n', encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", *map(str, sources), "--watch", "--port", str(port)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**CHILD_ENV, "PYTHONPATH": str(ROOT)},
    )
    peak = [0]
    threading.Thread(target=_sample_tree, args=(proc, peak), daemon=True).start()
    err: list[str] = []
    try:
        assert proc.stdout is not None and proc.stderr is not None
        threading.Thread(target=lambda: err.extend(proc.stderr), daemon=True).start()
        proc.stdout.readline()  # Serving on ...
        while not any("watching" in line for line in err):
            time.sleep(0.05)
        first = time.perf_counter() - started
        url = f"http://127.0.0.1:{port}/openapi.json"
        text = page.read_text(encoding="utf-8")
        marker = "Edited under serve --watch."
        said = len(err)
        edit = time.perf_counter()
        page.write_text(text.replace("```\n\n", f"```\n\n{marker}\n\n", 1), encoding="utf-8")
        # Once it says it serves the rebuild, one request (as a browser's reload) shows it.
        while not any("rebuilt in" in line or "still serving" in line for line in err[said:]):
            time.sleep(0.005)
        assert marker in httpx.get(url, timeout=30).text
        served = time.perf_counter() - edit
        page.write_text(text, encoding="utf-8")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    said = [line.strip() for line in err if "rebuilt in" in line]
    return {
        "first build and serve": round(first, 2),
        "edit to served": round(served, 3),
        "rebuild (as it says)": said[0] if said else "",
        "tree_peak_mb": round(peak[0] / 1024 / 1024, 1),
    }


def main() -> None:
    sources = [Path(a) for a in sys.argv[1:]] or DEFAULT_SRC
    missing = [s for s in sources if not s.exists()]
    if missing:
        raise SystemExit(f"no sources at {', '.join(map(str, missing))}")
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp:
        tmp_path = Path(tmp)
        copies = [tmp_path / "src" / s.name for s in sources]
        for src, copy in zip(sources, copies, strict=True):
            shutil.copytree(src, copy)
        out, cache = tmp_path / "out", tmp_path / "cache"
        rows = {}
        rows["cold"] = run_build(copies, out, cache)
        times = startup(out)
        rows["nothing changed"] = run_build(copies, out, cache)
        pages = sorted(
            p for c in copies for p in c.rglob("*.md") if p.name != "index.md" and "samples" not in p.parts
        )
        page = pages[len(pages) // 2]
        text = page.read_text(encoding="utf-8")
        # A doc edit that reaches every output: a new first paragraph of the description.
        page.write_text(text.replace("```\n\n", "```\n\nChanged for the benchmark.\n\n", 1), encoding="utf-8")
        rows["one page changed"] = run_build(copies, out, cache)
        page.write_text(text, encoding="utf-8")
        watched = watch(copies, page, tmp_path)
    print(
        f"sources: {', '.join(map(str, sources))} ({rows['cold']['pages']} pages, "
        f"{rows['cold']['operations']} operations, {rows['cold']['schemas']} schemas)"
    )
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    stages = ["discover", "parse", "schema", "spec", "models", "client", "server", "format", "write"]
    print("| scenario | wall (s) | peak RSS (MB) | process tree peak (MB) | " + " | ".join(stages) + " |")
    print("|---|---|---|---|" + "---|" * len(stages))
    for name, r in rows.items():
        cells = [str(r["seconds"].get(s, 0.0)) for s in stages]
        row = f"| {name} | {r['process_wall']} | {r['peak_rss_mb']} | {r['tree_peak_mb']} | "
        print(row + " | ".join(cells) + " |")
    print()
    print(
        f"serve --watch: first build and serve {watched['first build and serve']} s; an edited description "
        f"served {watched['edit to served']} s after the edit ({watched['rebuild (as it says)']}); "
        f"process tree peak {watched['tree_peak_mb']} MB"
    )
    cold = rows["cold"]["process_wall"]
    one = rows["one page changed"]["process_wall"]
    served = watched["edit to served"]
    print(f"one page changed / cold: {one / cold:.3f}; edit to served / cold: {served / cold:.3f}")
    print()
    print("| generated package | seconds |")
    print("|---|---|")
    for name, value in times.items():
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()

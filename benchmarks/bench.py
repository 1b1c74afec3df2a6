"""Wall time and peak memory of docgen builds: cold, nothing changed, one page changed.

Each scenario runs `docgen build` in a fresh process (so peak RSS is that build's own) on a
copy of the sources, with the cache state the scenario needs, and prints the per-stage
breakdown docgen measures itself.

    python benchmarks/bench.py [SRC]     # default: ../shared/corpus/superoffice-2023/restful
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SRC = ROOT.parent / "shared" / "corpus" / "superoffice-2023" / "restful"

CHILD = r"""
import json, resource, sys, time
from dataclasses import replace
from pathlib import Path
from docgen.build import generate, summary
from docgen.output import stale_files, write_atomic
from docgen.config import load_config
src, out, cache = map(Path, sys.argv[1:4])
config = replace(load_config(Path(sys.argv[4])), cache_dir=cache)
t = time.perf_counter()
result = generate(config, [src])
t_write = time.perf_counter()
same = set()
if out.is_dir():
    stale_files(result.files, out, same)
write_atomic(result.files, out, same)
s = summary(result)
s["seconds"]["write"] = round(time.perf_counter() - t_write, 3)
s["wall"] = round(time.perf_counter() - t, 3)
s["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(s))
"""


def run_build(src: Path, out: Path, cache: Path) -> dict:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(src), str(out), str(cache), str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_wall"] = round(time.perf_counter() - started, 3)
    return result


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
    env = {**os.environ, "PYTHONPATH": str(out)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its .pyc files
    subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True)  # compiles .pyc
    proc = subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SRC
    if not src.exists():
        raise SystemExit(f"no sources at {src}")
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp:
        tmp_path = Path(tmp)
        copy = tmp_path / "src" / src.name
        shutil.copytree(src, copy)
        out, cache = tmp_path / "out", tmp_path / "cache"
        rows = {}
        rows["cold"] = run_build(copy, out, cache)
        times = startup(out)
        rows["nothing changed"] = run_build(copy, out, cache)
        pages = sorted(p for p in copy.rglob("*.md") if p.name != "index.md" and "samples" not in p.parts)
        page = pages[len(pages) // 2]
        text = page.read_text(encoding="utf-8")
        # A doc edit that reaches every output: a new first paragraph of the description.
        page.write_text(text.replace("```\n\n", "```\n\nChanged for the benchmark.\n\n", 1), encoding="utf-8")
        rows["one page changed"] = run_build(copy, out, cache)
    print(
        f"sources: {src} ({rows['cold']['pages']} pages, {rows['cold']['operations']} operations, "
        f"{rows['cold']['schemas']} schemas)"
    )
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    stages = ["discover", "parse", "schema", "spec", "models", "client", "server", "format", "write"]
    print("| scenario | wall (s) | peak RSS (MB) | " + " | ".join(stages) + " |")
    print("|---|---|---|" + "---|" * len(stages))
    for name, r in rows.items():
        cells = [str(r["seconds"].get(s, 0.0)) for s in stages]
        print(f"| {name} | {r['process_wall']} | {r['peak_rss_mb']} | " + " | ".join(cells) + " |")
    print()
    print("| generated package | seconds |")
    print("|---|---|")
    for name, value in times.items():
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()

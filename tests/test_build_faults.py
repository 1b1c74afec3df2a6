"""docgen under faults: two builds into one OUT, SIGKILL, a full disk under the cache, hostile trees."""

# docgen under faults, tried as a tester would: concurrent builds into one OUT,
# builds killed with SIGKILL, a full disk under the cache. Each test is bounded in time and
# count, starts its own processes and stops them, and talks only to 127.0.0.1.

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BUNDLED, DOCGEN, ROOT, corpus_dir, reference_dir
from support.pages import page

TREES = [{"a.txt": f"tree {i}\n" * 50, "pkg/b.py": f"B = {i}\n", f"only{i}.txt": "x\n"} for i in (1, 2)]


def _swap_many(out: str, which: int, rounds: int, failures) -> None:
    from docgen.output import write_atomic

    for _ in range(rounds):
        try:
            write_atomic(TREES[which], Path(out))
        except Exception as e:  # noqa: BLE001 - counted and shown by the test
            failures.put(f"{type(e).__name__}: {e}")


def test_two_writers_of_one_out_follow_each_other(tmp_path):
    """The swap run from two processes in step: it failed 4 to 34 times in 300 and left
    .OUT.tmp-* and .OUT.old-* behind; now writers take a lock and wait for each other."""
    out = tmp_path / "site" / "OUT"
    failures = multiprocessing.Queue()
    writers = [multiprocessing.Process(target=_swap_many, args=(str(out), i, 150, failures)) for i in (0, 1)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(timeout=120)
        assert w.exitcode == 0
    seen = []
    while not failures.empty():
        seen.append(failures.get())
    assert seen == []
    assert sorted(p.name for p in out.parent.iterdir()) == ["OUT"], "no debris beside OUT"
    files = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*") if p.is_file()}
    assert files in TREES, "OUT is one whole tree, never a mix"


def test_two_builds_into_one_out_at_once(tmp_path):
    out = tmp_path / "OUT"
    for _ in range(3):
        builds = [
            subprocess.Popen(
                [*DOCGEN, "build", str(BUNDLED), "-o", str(out), "-q", "--no-cache"],
                cwd=ROOT,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for b in builds:
            _, err = b.communicate(timeout=300)
            assert b.returncode == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["OUT"]


def test_a_later_build_removes_what_a_killed_one_left(tmp_path):
    from docgen.output import write_atomic

    out = tmp_path / "OUT"
    write_atomic(TREES[0], out)
    dead = _dead_pid()
    (tmp_path / f".OUT.tmp-{dead}-abc").mkdir()
    (tmp_path / f".OUT.tmp-{dead}-abc" / "half.py").write_text("x = ")
    (tmp_path / f".OUT.old-{dead}-def").mkdir()
    (tmp_path / f".OUT.tmp-{os.getpid()}-live").mkdir()  # a writer still running: not touched
    (tmp_path / ".OTHER.tmp-1-x").mkdir()  # another OUT's: not touched
    write_atomic(TREES[1], out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".OTHER.tmp-1-x",
        f".OUT.tmp-{os.getpid()}-live",
        "OUT",
    ]
    # A kill between moving OUT aside and moving the new tree in: OUT comes back.
    os.replace(out, tmp_path / f".OUT.old-{dead}-zzz")
    from docgen.output import clean_debris, writer_lock

    with writer_lock(out):
        assert clean_debris(out) == [f".OUT.old-{dead}-zzz"]
    assert (out / "only2.txt").exists()


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _children(pid: int) -> set[int]:
    """Every process under `pid` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    tree, grew = {pid}, True
    while grew:
        more = {p for p, pp in parents.items() if pp in tree} - tree
        tree |= more
        grew = bool(more)
    return tree - {pid}


def _gone(pids: set[int]) -> bool:
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        with open(f"/proc/{pid}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                return False
    return True


def test_workers_die_with_a_killed_build(tmp_path):
    """SIGKILL of a build while its page workers read the corpus: the workers (reparented to
    init, 30-130 MB each) used to stay; now each exits within a second of its build."""
    sources = [corpus_dir("superoffice-2023"), reference_dir("superoffice-2023")]
    build = subprocess.Popen(
        [*DOCGEN, "build", *map(str, sources), "-o", str(tmp_path / "OUT"), "-q", "--no-cache"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline:
            workers = _children(build.pid)
            time.sleep(0.05)
        assert workers, "the build started no workers"
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=30)
    deadline = time.monotonic() + 10
    while not _gone(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = {p for p in workers if not _gone({p})}
    for pid in alive:  # clean up what the test started, whatever it found
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"{len(alive)} workers outlived their build"


def test_a_full_disk_under_the_cache_leaves_no_temporary_files(tmp_path, monkeypatch):
    from docgen import cache as cache_module
    from docgen.cache import Cache

    real_fdopen = os.fdopen

    class FullFile:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache_module.os, "fdopen", lambda fd, mode: FullFile(real_fdopen(fd, mode)))
    c = Cache(tmp_path / "cache")
    for i in range(20):
        c.put_bytes("page", f"{i:02d}" + "0" * 62, b"data")
    assert [p for p in (tmp_path / "cache").rglob("*") if p.is_file()] == []
    monkeypatch.undo()
    c.put_bytes("page", "ab" + "0" * 62, b"data")
    assert c.get_bytes("page", "ab" + "0" * 62) == b"data"


def _build_with_failing_writes(out: Path, error: str) -> subprocess.CompletedProcess:
    """`docgen build` into `out` whose every write under OUT's new tree fails with `error`."""
    code = (
        "import errno, os, sys, builtins\n"
        "real = builtins.open\n"
        "def failing(path, mode='r', *a, **k):\n"
        "    if 'w' in mode and '.OUT.tmp-' in str(path):\n"
        f"        raise OSError(errno.{error}, os.strerror(errno.{error}), str(path))\n"
        "    return real(path, mode, *a, **k)\n"
        "builtins.open = failing\n"
        "from docgen.cli import main\n"
        f"sys.exit(main(['build', {str(BUNDLED)!r}, '-o', {str(out)!r}, '-q', '--no-cache']))\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("how", ["full", "read-only"])
def test_an_unwritable_output_is_the_machine_not_a_bug(tmp_path, how):
    """Exit 3 as the design says for a failure to finish, worded as the environment's, with
    the path docgen could not write. A read-only folder is made one by its permissions; where
    they do not stop this user (root), the system's answer to a write there (EROFS) is given
    to docgen's writes instead."""
    out = tmp_path / "site" / "OUT"
    out.parent.mkdir()
    out.parent.chmod(0o500 if how == "read-only" else 0o700)
    try:
        if how == "read-only" and not os.access(out.parent, os.W_OK):
            r = subprocess.run(
                [*DOCGEN, "build", str(BUNDLED), "-o", str(out), "-q", "--no-cache"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=300,
            )
        else:
            r = _build_with_failing_writes(out, "EROFS" if how == "read-only" else "ENOSPC")
    finally:
        out.parent.chmod(0o700)
    assert r.returncode == 3, r.stderr
    assert "bug" not in r.stderr and "cannot read or write files" in r.stderr
    assert str(out.parent) in r.stderr, r.stderr
    assert not out.exists() and list(out.parent.iterdir()) == []


def _deep(depth: int) -> str:
    return '{"Inner": ' * depth + "1" + "}" * depth


def _tree_with(tmp_path: Path, sample_body: str) -> Path:
    """The bundled docs plus a page whose sample response nests as given, under a property
    no table lists."""
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(BUNDLED, docs)
    page = docs / "agent" / "Contact_Agent" / "v1ContactAgent_GetDeep.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        "---\ntitle: GET Deep\nuid: v1ContactAgent_GetDeep\n---\n\n# GET Deep\n\n```http\n"
        "GET /api/v1/Agents/Contact/GetDeep\n```\n\nDeep.\n\n## Response:\n\nOK\n\n"
        "| Response | Description |\n|----------------|-------------|\n| 200 | OK |\n\n"
        "## Sample response\n\n```http_\nHTTP/1.1 200 OK\nContent-Type: application/json; "
        f'charset=utf-8\n\n{{"Shallow": 1, "Unlisted": {sample_body}}}\n```\n'
    )
    return docs


@pytest.mark.parametrize("depth", [5000, 600, 100])
def test_a_sample_nested_too_deep_is_a_finding_and_the_pages_are_kept(tmp_path, depth):
    """5,000 deep dropped the page (DG900 RecursionError), 600 deep exited 3 (RecursionError
    while pickling), 100 deep under an unlisted property failed model generation (DG301) and
    lost the neighbouring page: now the sample is not read (DG107) and every page is kept."""
    import json

    docs = _tree_with(tmp_path, _deep(depth))
    out = tmp_path / "OUT"
    r = subprocess.run(
        [*DOCGEN, "build", str(docs), "-o", str(out), "--no-cache", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    findings = json.loads(r.stdout)
    deep = [f for f in findings if f["file"].endswith("v1ContactAgent_GetDeep.md")]
    assert [f["code"] for f in deep if f["level"] != "info"] == ["DG107"], deep
    assert "nested" in deep[0]["message"] and not [f for f in findings if f["code"] in ("DG900", "DG301")]
    spec = (out / "openapi.yaml").read_text()
    assert "v1ContactAgent_GetDeep" in spec and "v1ContactAgent_EnrichContactEntity" in spec


def test_a_sample_at_the_depth_bound_builds(tmp_path):
    from docgen.parser.samples import MAX_SAMPLE_DEPTH

    docs = _tree_with(tmp_path, _deep(MAX_SAMPLE_DEPTH - 1))
    r = subprocess.run(
        [*DOCGEN, "build", str(docs), "-o", str(tmp_path / "OUT"), "--no-cache", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]


def _page(uid: str, path: str) -> str:
    return page(uid, f"GET /api/v1/{path}")


def _build(docs: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*DOCGEN, "build", str(docs), "-o", str(out), "--no-cache", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_uid_past_yamls_key_limit_keeps_the_spec_valid(tmp_path):
    """A 5,000-character uid names a component (`<Op>Request`...): YAML's implicit keys stop at
    1,024 characters, so the key is written explicitly; the YAML reads back as the JSON."""
    import json

    import yaml

    docs = tmp_path / "docs" / "agent" / "Contact_Agent"
    docs.mkdir(parents=True)
    uid = "v1ContactAgent_" + "Long" * 1250
    body = (
        "\n## Request Body: request\n\n| Property Name | Type |  Description |\n"
        "|----------------|------|--------------|\n| Name | String | A name |\n"
    )
    (docs / "long.md").write_text(
        _page(uid, "Agents/Contact/Long").replace("Summary.\n", "Summary.\n" + body)
    )
    out = tmp_path / "OUT"
    r = _build(tmp_path / "docs", out, "-q")
    assert r.returncode == 0, r.stderr[-2000:]
    spec = yaml.load((out / "openapi.yaml").read_text(), Loader=yaml.CSafeLoader)
    assert spec == json.loads((out / "superoffice_webapi" / "server" / "openapi.json").read_text())
    assert any(len(name) > 1024 for name in spec["components"]["schemas"])
    d = subprocess.run(
        [*DOCGEN, "diff", str(out / "openapi.yaml"), str(out / "openapi.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert d.returncode == 0, d.stderr


def test_folders_that_would_share_a_module_are_told_apart_with_a_finding(tmp_path):
    """`Contact_Agent` and `ContactAgent` both wrote api/contact_agent.py and the client lost an
    operation, with no finding."""
    import json

    for folder, uid, path in [
        ("Contact_Agent", "v1ContactAgent_GetOne", "Agents/Contact/GetOne"),
        ("ContactAgent", "v1ContactAgentX_GetTwo", "Agents/ContactX/GetTwo"),
    ]:
        (tmp_path / "docs" / "agent" / folder).mkdir(parents=True)
        (tmp_path / "docs" / "agent" / folder / f"{uid}.md").write_text(_page(uid, path))
    out = tmp_path / "OUT"
    r = _build(tmp_path / "docs", out, "--format", "json")
    assert r.returncode == 0, r.stderr[-2000:]
    findings = [f for f in json.loads(r.stdout) if f["code"] == "DG209"]
    # Folders in name order: `ContactAgent` keeps the name, `Contact_Agent` is numbered.
    assert len(findings) == 1 and "'Contact_Agent' is api/contact_agent_2.py" in findings[0]["message"]
    probe = (
        "from superoffice_webapi import Client\n"
        "c = Client('http://127.0.0.1:9')\n"
        "print(callable(c.contact_agent.get_two), callable(c.contact_agent_2.get_one))\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.stdout.strip() == "True True", p.stderr[-2000:]


def test_operations_that_would_share_a_method_are_told_apart_with_a_finding(tmp_path):
    import json

    folder = tmp_path / "docs" / "agent" / "Contact_Agent"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text(_page("v1ContactAgent_GetThing", "Agents/Contact/GetThing"))
    (folder / "b.md").write_text(_page("v1ContactAgent_Get_Thing", "Agents/Contact/Get_Thing"))
    out = tmp_path / "OUT"
    r = _build(tmp_path / "docs", out, "--format", "json")
    assert r.returncode == 0, r.stderr[-2000:]
    findings = [f for f in json.loads(r.stdout) if f["code"] == "DG209"]
    assert [f["message"] for f in findings] == [
        "another operation of Contact_Agent is the method get_thing(); this one is get_thing_2()"
    ]
    module = (out / "superoffice_webapi" / "api" / "contact_agent.py").read_text()
    assert "def get_thing(" in module and "def get_thing_2(" in module


def _findings(r: subprocess.CompletedProcess) -> list[dict]:
    import json

    return json.loads(r.stdout)


def test_a_fifo_is_skipped_with_a_finding_not_waited_on(tmp_path):
    """A FIFO named y.md hung the build with no output."""
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(BUNDLED, docs)
    os.mkfifo(docs / "agent" / "Contact_Agent" / "y.md")
    r = _build(docs, tmp_path / "OUT", "--format", "json")
    assert r.returncode == 0, r.stderr[-2000:]
    found = [f for f in _findings(r) if f["code"] == "DG114"]
    assert len(found) == 1 and found[0]["file"].endswith("y.md") and "FIFO" in found[0]["message"]


def test_links_out_of_the_source_roots_are_not_read(tmp_path):
    """x.md -> /etc/passwd was read, and a link to a page outside the tree landed in the spec."""
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(BUNDLED, docs)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.md").write_text(_page("v1ContactAgent_Leaked", "Agents/Contact/LEAKED-PAGE"))
    folder = docs / "agent" / "Contact_Agent"
    (folder / "x.md").symlink_to("/etc/passwd")
    (folder / "leak.md").symlink_to(outside / "leak.md")
    (folder / "inside.md").symlink_to(next(folder.glob("v1ContactAgent_*.md")))  # inside: read
    out = tmp_path / "OUT"
    r = _build(docs, out, "--format", "json")
    assert r.returncode in (0, 1), r.stderr[-2000:]
    found = sorted(f["file"].rsplit("/", 1)[-1] for f in _findings(r) if f["code"] == "DG114")
    assert found == ["leak.md", "x.md"]
    spec = (out / "openapi.yaml").read_text()
    assert "LEAKED-PAGE" not in spec and "root:" not in spec


def test_an_include_outside_the_source_roots_is_a_located_finding(tmp_path):
    """[!include](../../outside/leak.md) read a file from outside the tree into openapi.yaml,
    server/openapi.json and server/samples.json."""
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(BUNDLED, docs)
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "leak.md").write_text(
        '```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{"Name": "TOP-SECRET"}\n```'
    )
    page = next((docs / "agent" / "Contact_Agent").glob("v1ContactAgent_*.md"))
    text = page.read_text()
    head, _, rest = text.partition("## Sample response")
    page.write_text(head + "## Sample response\n\n[!include[leak](../../../outside/leak.md)]\n")
    line = head.count("\n") + 3
    out = tmp_path / "OUT"
    r = _build(docs, out, "--format", "json")
    assert r.returncode == 0, r.stderr[-2000:]
    found = [f for f in _findings(r) if f["code"] == "DG115"]
    assert [(f["file"].endswith(page.name), f["line"]) for f in found] == [(True, line)], found
    assert "outside the source roots" in found[0]["message"]
    for f in out.rglob("*"):
        if f.is_file():
            assert "TOP-SECRET" not in f.read_text(errors="replace"), f


def test_serve_on_port_0_announces_the_port_it_listens_on():
    """`docgen serve --port 0` announced `Serving on http://127.0.0.1:0`."""
    import re
    import threading

    import httpx

    proc = subprocess.Popen(
        [*DOCGEN, "serve", str(BUNDLED), "--port", "0", "-q"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    timer = threading.Timer(120, proc.kill)  # a server that never prints its line must not hang
    timer.start()
    try:
        line = proc.stdout.readline().strip()
        m = re.fullmatch(r"Serving on http://127\.0\.0\.1:(\d+)", line)
        assert m and int(m.group(1)) > 0, line
        r = httpx.get(f"http://127.0.0.1:{m.group(1)}/openapi.json", timeout=30)
        assert r.status_code == 200 and r.json()["openapi"] == "3.1.0"
    finally:
        timer.cancel()
        proc.terminate()
        proc.wait(timeout=30)

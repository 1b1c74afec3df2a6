"""OUT on disk: swapped in whole (never half-written), one writer at a time, and compared with
a build (`--check`).

A build writes its tree into `.OUT.tmp-<pid>-*` beside OUT and exchanges it with OUT in one
step (Linux `renameat2(RENAME_EXCHANGE)`; elsewhere two renames, undone on failure). Writers
of one OUT take a lock on OUT's parent folder first, so two builds into one OUT follow each
other; the one that waits says so. Holding the lock, a build removes what a killed build left
(`.OUT.tmp-<pid>-*`, `.OUT.old-<pid>-*` of a process that no longer exists), and puts OUT
back from such an `.old` folder if a kill came between the two renames.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _load_renameat2() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.renameat2
    except (OSError, AttributeError):
        return None


_renameat2 = _load_renameat2() if sys.platform.startswith("linux") else None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step; False where the system cannot (then nothing moved)."""
    if _renameat2 is None:
        return False
    result = _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # this file system cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextlib.contextmanager
def writer_lock(out: Path, wait_message: bool = True) -> Iterator[None]:
    """The lock of OUT's writers: a flock on OUT's parent folder (no file is left behind)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if wait_message:
                print(f"docgen: waiting for another build writing {out}", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


_DEBRIS_RE = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<pid>\d+)-[^/]+$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def clean_debris(out: Path) -> list[str]:
    """What killed builds left beside OUT, removed (with the writers' lock held): the folders
    of processes that no longer exist. OUT comes back from an `.old` folder when a kill left
    none. Returns the names removed or restored."""
    done: list[str] = []
    if not out.parent.is_dir():
        return done
    for entry in sorted(out.parent.iterdir()):
        m = _DEBRIS_RE.match(entry.name)
        if not m or m["name"] != out.name or _alive(int(m["pid"])) or not entry.is_dir():
            continue
        if m["kind"] == "old" and not out.exists():
            os.replace(entry, out)  # killed between moving OUT aside and moving the new tree in
        else:
            shutil.rmtree(entry, ignore_errors=True)
        done.append(entry.name)
    return done


def _scratch(out: Path, kind: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.{kind}-{os.getpid()}-", dir=out.parent))


def write_atomic(files: dict[str, str], out: Path, unchanged: Collection[str] = frozenset()) -> None:
    """Build the whole tree beside `out`, then swap it in: `out` is never half-written.

    Files listed in `unchanged` (same bytes in `out` already) are hard-linked from `out`
    rather than written again: a rebuild after one page changes rewrites little. Takes the
    writers' lock unless the caller holds it (`write_tree`).
    """
    out = out.resolve()
    with writer_lock(out):
        clean_debris(out)
        _swap_in(files, out, unchanged)


def write_tree(files: dict[str, str], out: Path) -> bool:
    """OUT made to hold `files` under the writers' lock: compared, then swapped in whole if it
    differs. Returns whether anything was written."""
    out = out.resolve()
    with writer_lock(out):
        clean_debris(out)
        same: set[str] = set()
        if out.is_dir() and not stale_files(files, out, same):
            return False
        _swap_in(files, out, same)
        return True


def _swap_in(files: dict[str, str], out: Path, unchanged: Collection[str]) -> None:
    tmp = _scratch(out, "tmp")
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
        if out.exists() and _exchange(tmp, out):
            shutil.rmtree(tmp, ignore_errors=True)  # now the previous tree
            return
        _two_renames(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _two_renames(tmp: Path, out: Path) -> None:
    old: Path | None = None
    try:
        if out.exists():
            old = _scratch(out, "old")
            os.rmdir(old)
            os.replace(out, old)
        os.replace(tmp, out)
    except BaseException:
        if old is not None and not out.exists():
            os.replace(old, out)
            old = None
        raise
    finally:
        if old is not None and old.exists():
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

"""OUT on disk: swapped in whole (never half-written), and compared with a build (`--check`)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path


def write_atomic(files: dict[str, str], out: Path, unchanged: Collection[str] = frozenset()) -> None:
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

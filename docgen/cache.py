"""A content-addressed cache on disk: parsed pages, generated models, formatted files.

Keys are hashes of everything an entry depends on (input bytes, docgen and tool versions),
so an entry is never stale; a corrupt or missing entry is simply recomputed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from docgen import __version__


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """docgen's own source: a change to the code invalidates what the old code produced."""
    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.digest()


def key(*parts: str | bytes) -> str:
    h = hashlib.sha256(code_fingerprint())
    for p in parts:
        h.update(b"\0")
        h.update(p if isinstance(p, bytes) else p.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class Cache:
    def __init__(self, root: Path | None) -> None:
        self.root = root

    def _path(self, namespace: str, k: str) -> Path:
        assert self.root is not None
        return self.root / namespace / k[:2] / k

    def get_bytes(self, namespace: str, k: str) -> bytes | None:
        if self.root is None:
            return None
        try:
            return self._path(namespace, k).read_bytes()
        except OSError:
            return None

    def put_bytes(self, namespace: str, k: str, data: bytes) -> None:
        if self.root is None:
            return
        path = self._path(namespace, k)
        if namespace == "blob" and path.exists():
            return  # content-addressed: already there
        tmp = ""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except OSError:
            # A cache that cannot be written only costs time; what it began is removed (a
            # full disk must not fill the cache with empty files).
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def get_object(self, namespace: str, k: str) -> Any | None:
        data = self.get_bytes(namespace, k)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:
            return None

    def put_object(self, namespace: str, k: str, value: Any) -> None:
        self.put_bytes(namespace, k, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


class Layered:
    """A large dict a build reads whole and then changes a little (the fold of the last build,
    the pieces of its output), kept as a base and the entries changed since: the next build
    after a small change writes the change, not the whole. Both files carry the base's
    token; a change file that does not match its base (a build killed between the two
    writes) is not read, and neither is the base then: the dict is empty, never mixed."""

    def __init__(self, cache: Cache, namespace: str, slot: str) -> None:
        self.cache, self.namespace, self.slot = cache, namespace, slot
        self.base: dict[Any, Any] = {}
        self.token = ""
        self.changed: dict[Any, Any] = {}

    def read(self) -> dict[Any, Any]:
        base = self.cache.get_object(self.namespace, self.slot + ".base")
        layer = self.cache.get_object(self.namespace, self.slot)
        if not (isinstance(base, tuple) and isinstance(layer, tuple) and base[0] == layer[0]):
            return {}
        self.token, self.base = base
        self.changed = layer[1]
        return {**self.base, **self.changed}

    def write(self, entries: dict[Any, Any]) -> None:
        """Keep `entries`: as changes to the base when they are few, else as a new base."""
        changed = {k: v for k, v in entries.items() if self.base.get(k, _MISSING) is not v}
        unused = len(self.base.keys() - entries.keys())
        if self.token and len(changed) + unused <= max(64, len(entries) // 8):
            self.cache.put_object(self.namespace, self.slot, (self.token, changed))
            return
        self.token = os.urandom(8).hex()
        self.cache.put_object(self.namespace, self.slot + ".base", (self.token, entries))
        self.cache.put_object(self.namespace, self.slot, (self.token, {}))


_MISSING = object()

"""black over the generated Python, each file cached by the hash of its text."""

from __future__ import annotations

import functools
from importlib.metadata import version
from typing import TYPE_CHECKING

from docgen.cache import Cache, key
from docgen.diagnostics import Diagnostic, Found, diag

if TYPE_CHECKING:  # imported where it is needed: black takes ~0.3 s to import
    import black

LINE_LENGTH = 88


def _mode() -> black.Mode:
    import black

    return black.Mode(target_versions={black.TargetVersion.PY311}, line_length=LINE_LENGTH)


def format_python(text: str) -> str:
    import black

    return black.format_str(text, mode=_mode())


@functools.cache
def _black_version() -> str:
    """black's version from its metadata: the cache key needs it, and importing black for it
    would cost every rebuild whose files are all cached ~0.1 s."""
    return version("black")


def format_files(files: dict[str, str], cache: Cache) -> Found[dict[str, str]]:
    out: dict[str, str] = {}
    diags: list[Diagnostic] = []
    for path, text in files.items():
        if not path.endswith(".py"):
            out[path] = text
            continue
        k = key("black", _black_version(), str(LINE_LENGTH), text)
        cached = cache.get_bytes("format", k)
        if cached is not None:
            out[path] = cached.decode("utf-8")
            continue
        try:
            formatted = format_python(text)
        except Exception as e:  # black's parse errors mean a template produced bad code
            diags.append(
                diag(
                    "DG302",
                    path,
                    getattr(e, "lineno", 1) or 1,
                    f"black could not format the generated file: {str(e).splitlines()[0][:200]}",
                )
            )
            continue
        cache.put_bytes("format", k, formatted.encode("utf-8"))
        out[path] = formatted
    return Found(out, tuple(diags))

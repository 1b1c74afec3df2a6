"""Black-stable output, made one way: by construction. black runs only over what a user's
templates make.

Every Python module docgen writes is laid out as black (at 88 columns) leaves it, so that no
black run is needed: black takes about 1 s per 1,000 lines, and the package of the whole
reference has over 200,000. How each kind of module gets there:
- the templates are written as black formats them, and every line whose length depends on
  the input or the configuration (an import of the package, a call with the page's values,
  a list of names) is laid out by `emit/pysrc.py` (`import_from`, `render`), which puts what
  fits on one line and explodes what does not, one item per line with black's trailing comma;
- the runtime is copied verbatim, formatted where it lives at black's width
  (`docgen/runtime/ruff.toml`), in constructs ruff and black lay out alike;
- the models come from datamodel-code-generator, which formats them with black itself.
`tests/test_golden.py` holds this: every module black-stable, for a short, the default and a
long package name, and the whole reference's package.

A user's templates (`template-dir`) may shape any module: then black formats every one
(`black_formatted`), each file cached by the hash of its text.
"""

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


def black_formatted(files: dict[str, str], cache: Cache) -> Found[dict[str, str]]:
    """The Python modules of `files` as black formats them (a DG302 finding for a module
    black cannot parse, which is left out)."""
    out: dict[str, str] = {}
    diags: list[Diagnostic] = []
    for path, text in sorted(files.items()):
        if not path.endswith(".py"):
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

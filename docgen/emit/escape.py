"""The one path by which doc text reaches an output: YAML scalars and blocks, Python
string literals and docstrings, Markdown text (the package's api.md and models.md).

Doc text is data. Nothing here evaluates it; templates never see it unescaped, because
every doc-derived value passes through one of these functions as a Jinja filter.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import yaml

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# Characters a YAML reader rejects or folds (C1 controls, line/paragraph separators, BOM,
# surrogates, non-characters): strings holding them go through PyYAML's own escaping.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_WIDTH = 2**31 - 1
# Strings that need no escape inside YAML double quotes (no quote, backslash or control).
_YAML_PLAIN_STRING = re.compile(r'[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]*')


def yaml_scalar(value: Any) -> str:
    """A scalar as YAML text that reads back as the same value (strings always quoted)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return _dump(value).strip()
        text = repr(value)
        mantissa, e, exponent = text.partition("e")
        if "." not in mantissa:  # YAML 1.1 floats need a dot: 1e-05 would read as a string
            text = mantissa + ".0" + e + exponent
        return text
    if isinstance(value, str):
        if _YAML_PLAIN_STRING.fullmatch(value):
            return '"' + value + '"'  # nothing to escape: the common case, 10x faster
        if not _YAML_UNSAFE.search(value):
            # JSON's double-quoted strings are valid YAML double-quoted scalars: escapes
            # for quotes, backslashes and control characters, everything else verbatim.
            return json.dumps(value, ensure_ascii=False)
        return _dump(value, default_style='"').strip()
    raise TypeError(f"not a YAML scalar: {type(value).__name__}")


def yaml_key(key: str, indent: int = 0) -> str:
    """`key:` opening a mapping entry; past YAML's 1,024-character limit on implicit keys (a
    5,000-character uid names a component), an explicit `? key` entry, whose `:` follows on
    the next line at `indent`."""
    text = yaml_scalar(key)
    if len(text) <= _LONGEST_KEY:
        return text + ":"
    return f"? {text}\n{' ' * indent}:"


def _dump(value: Any, **kw: Any) -> str:
    text = yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_WIDTH, **kw)
    if text.endswith("\n...\n"):
        text = text[: -len("\n...\n")]
    return text


def yaml_value(value: Any, indent: int = 0) -> str:
    """Text to put right after `key:`: ` scalar`, ` {}`/` []`, or a newline and an indented
    block-style YAML container that reads back as the same value."""
    if isinstance(value, (dict, list, tuple)):
        if not value:
            return " {}" if isinstance(value, dict) else " []"
        lines: list[str] = []
        try:
            _block(value, indent, lines)
        except _LongKey:  # YAML limits implicit keys to 1024 characters: PyYAML writes those
            block = _dump(_plain(value), default_flow_style=False).rstrip("\n")
            pad = " " * indent
            return "\n" + "\n".join(pad + line if line else line for line in block.split("\n"))
        return "\n" + "\n".join(lines)
    return " " + yaml_scalar(value)


# Keys that read back as strings when written plain (no quoting needed).
_PLAIN_KEY = re.compile(r"[A-Za-z_$/][A-Za-z0-9_$./{}+-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


class _LongKey(Exception):
    pass


_LONGEST_KEY = 1000  # under YAML's 1,024 characters, quotes and escapes included


@lru_cache(maxsize=65536)
def _key(k: str) -> str:
    if len(k) > _LONGEST_KEY:
        raise _LongKey
    if _PLAIN_KEY.fullmatch(k) and k.lower() not in _YAML_WORDS:
        return k
    return yaml_scalar(k)


def _block(value: Any, indent: int, out: list[str]) -> None:
    """Block-style YAML, written directly: PyYAML's emitter is ~10x slower on specs this size."""
    pad = " " * indent
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list, tuple)) and v:
                out.append(f"{pad}{_key(str(k))}:")
                _block(v, indent + 2, out)
            else:
                out.append(f"{pad}{_key(str(k))}: {_inline(v)}")
    else:
        for item in value:
            if isinstance(item, (dict, list, tuple)) and item:
                start = len(out)
                _block(item, indent + 2, out)
                # the first line of the item sits after the dash
                out[start] = f"{pad}- {out[start][indent + 2 :]}"
            else:
                out.append(f"{pad}- {_inline(item)}")


def _inline(v: Any) -> str:
    if isinstance(v, dict):
        return "{}"
    if isinstance(v, (list, tuple)):
        return "[]"
    return yaml_scalar(v)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def py_str(value: str) -> str:
    """A Python string literal, quoted the way black leaves it (so the output is black-stable).

    repr() is exact for every str (surrogates included); black prefers double quotes unless
    they would need more escapes than single quotes.
    """
    body = repr(value)[1:-1]  # escapes as repr makes them, with its own quote choice undone
    # A repr in double quotes escaped no double quote; one in single quotes escaped those.
    body = body.replace('\\"', '"') if repr(value)[0] == '"' else body.replace("\\'", "'")
    if value.count('"') > value.count("'"):
        return "'" + body.replace("'", "\\'") + "'"
    return '"' + body.replace('"', '\\"') + '"'


_DOCSTRING_PLAIN = re.compile(r"[^\\\t\x00-\x09\x0b-\x1f\x7f-\xa0\xad\u2028\u2029]*")


def py_docstring(text: str) -> str:
    """Text safe inside a triple-double-quoted docstring; reads back as the same text."""
    if (
        _DOCSTRING_PLAIN.fullmatch(text)
        and '""' not in text
        and not text.endswith('"')
        and text.replace("\n", "").isprintable()
    ):
        return text  # the common case: nothing to escape (single quotes inside cannot close it)
    out = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"' and (i == last or text[i + 1] == '"' or (i > 0 and text[i - 1] == '"')):
            out.append('\\"')  # a run of quotes, or one at the end, would close the docstring
        elif ch == "\n":
            out.append("\n")
        elif ch == "\t":
            out.append("    ")
        elif not ch.isprintable():
            code = ord(ch)
            out.append(
                f"\\x{code:02x}"
                if code < 0x100
                else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
            )
        else:
            out.append(ch)
    return "".join(out)


# Characters Markdown (CommonMark, and GitHub's tables) may read as markup; each is escaped
# with a backslash, which CommonMark allows before any ASCII punctuation.
_MD_SPECIAL = re.compile(r"([\\*_\[\]<>&|~!])")
_MD_CODE = re.compile(r"(`+)(.+?)\1")
# What opens a block at the start of a line: a heading, a list item, a numbered item.
_MD_BLOCK_START = re.compile(r"^(#|[-+=]|\d+(?=[.)]))")


def md_inline(text: str, *, table: bool = False) -> str:
    """Doc text as one line of Markdown that shows the same text: whitespace folded, markup
    characters escaped, code spans (`Name`, as docgen writes `<see cref>`) kept as code
    (in a table cell, with their pipes escaped, as `md_code` does)."""
    text = " ".join(text.split())
    out: list[str] = []
    last = 0
    for m in _MD_CODE.finditer(text):
        out.append(_md_escape(text[last : m.start()]))
        out.append(m.group(0).replace("|", "\\|") if table else m.group(0))
        last = m.end()
    out.append(_md_escape(text[last:]))
    line = "".join(out)
    match = _MD_BLOCK_START.match(line)
    if match is None:
        return line
    if match.group(1)[0].isdigit():  # `1. ` opens a numbered item: escape its dot
        return line[: match.end()] + "\\" + line[match.end() :]
    return "\\" + line


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("`", "\\`")


def md_code(text: str, *, table: bool = False) -> str:
    """`text` as a Markdown code span (backticks included) that shows it as it is: fenced
    with more backticks than it holds in a run; in a table cell, a pipe escaped (GitHub's
    tables take `\\|` inside code as the pipe, which would otherwise end the cell)."""
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    if table:
        text = text.replace("|", "\\|")
    return f"{fence}{pad}{text}{pad}{fence}"

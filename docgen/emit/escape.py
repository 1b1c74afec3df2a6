"""The one path by which doc text reaches an output: YAML scalars and blocks, Python
string literals and docstrings.

Doc text is data. Nothing here evaluates it; templates never see it unescaped, because
every doc-derived value passes through one of these functions as a Jinja filter.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# Characters a YAML reader rejects or folds (C1 controls, line/paragraph separators, BOM,
# surrogates, non-characters): strings holding them go through PyYAML's own escaping.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_WIDTH = 2**31 - 1


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
        return json.dumps(value) if value == value and value not in (float("inf"), float("-inf")) else _dump(value).strip()
    if isinstance(value, str):
        if not _YAML_UNSAFE.search(value):
            # JSON's double-quoted strings are valid YAML double-quoted scalars: escapes
            # for quotes, backslashes and control characters, everything else verbatim.
            return json.dumps(value, ensure_ascii=False)
        return _dump(value, default_style='"').strip()
    raise TypeError(f"not a YAML scalar: {type(value).__name__}")


def _dump(value: Any, **kw: Any) -> str:
    text = yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_WIDTH, **kw)
    if text.endswith("\n...\n"):
        text = text[: -len("\n...\n")]
    return text


def yaml_value(value: Any, indent: int = 0) -> str:
    """Text to put right after `key:`: ` scalar`, ` {}`/` []`, or a newline and an indented block."""
    if isinstance(value, (dict, list, tuple)):
        if not value:
            return " {}" if isinstance(value, dict) else " []"
        block = _dump(_plain(value), default_flow_style=False).rstrip("\n")
        pad = " " * indent
        return "\n" + "\n".join(pad + line if line else line for line in block.split("\n"))
    return " " + yaml_scalar(value)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def py_str(value: str) -> str:
    """A Python string literal (repr is exact for every str, surrogates included)."""
    return repr(value)


def py_docstring(text: str) -> str:
    """Text safe inside a triple-double-quoted docstring; reads back as the same text."""
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
            out.append(f"\\x{code:02x}" if code < 0x100 else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"))
        else:
            out.append(ch)
    return "".join(out)


def py_comment(text: str) -> str:
    """One line safe after `#`."""
    return re.sub(r"\s+", " ", "".join(ch if ch.isprintable() else " " for ch in text)).strip()

"""The line of each value in a JSON text, by its path (`("Emails", 0, "Value")`): what a
finding about one value of a sample points at. Python's JSON reader keeps no positions, so
the text is walked once more with a tokenizer (only when a finding needs a line)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

Path = tuple[str | int, ...]

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+|\n')


def _tokens(text: str) -> Iterator[tuple[str, int]]:
    """(token, 0-based line) for every token but newlines."""
    line = 0
    for m in _TOKEN.finditer(text):
        token = m.group()
        if token == "\n":
            line += 1
        else:
            yield token, line + token.count("\n")


def value_lines(text: str) -> dict[Path, int]:
    """Each value's path -> its 0-based line in `text` (an object member's, its key's line);
    the whole value's path is `()`. Malformed text gives what it can."""
    out: dict[Path, int] = {}
    tokens = list(_tokens(text))
    _value(tokens, 0, (), out)
    return out


def _value(tokens: list[tuple[str, int]], i: int, path: Path, out: dict[Path, int]) -> int:
    """Reads the value at `tokens[i]`, noting lines; returns the index after it."""
    if i >= len(tokens):
        return i
    token, line = tokens[i]
    out.setdefault(path, line)
    if token == "{":
        return _object(tokens, i + 1, path, out)
    if token == "[":
        return _array(tokens, i + 1, path, out)
    return i + 1


def _object(tokens: list[tuple[str, int]], i: int, path: Path, out: dict[Path, int]) -> int:
    while i < len(tokens) and tokens[i][0] != "}":
        key, line = tokens[i]
        name = _key(key)
        out[(*path, name)] = line
        i += 2 if i + 1 < len(tokens) and tokens[i + 1][0] == ":" else 1
        i = _value(tokens, i, (*path, name), out)
        if i < len(tokens) and tokens[i][0] == ",":
            i += 1
    return i + 1


def _key(token: str) -> str:
    if token.startswith('"'):
        try:
            return str(json.loads(token))
        except ValueError:
            return token[1:-1]
    return token


def _array(tokens: list[tuple[str, int]], i: int, path: Path, out: dict[Path, int]) -> int:
    index = 0
    while i < len(tokens) and tokens[i][0] != "]":
        i = _value(tokens, i, (*path, index), out)
        index += 1
        if i < len(tokens) and tokens[i][0] == ",":
            i += 1
    return i + 1


def line_of(text: str, path: Path) -> int:
    """The 0-based line of the value at `path` (or of its nearest enclosing value)."""
    lines = value_lines(text)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path, 0)

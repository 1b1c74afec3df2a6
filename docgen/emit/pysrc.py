"""Python source for calls and lists, laid out the way black leaves them.

A construct that fits on its line is written on one line; one that does not is exploded, one
item per line, with a trailing comma, which black keeps ("magic trailing comma"). It is how
every line whose length depends on the input is black-stable as made (docgen/emit/format.py
says why docgen does not run black). (One-element tuples are avoided: their trailing comma is
not magic.)
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from docgen.emit.escape import py_str

WIDTH = 88


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class List:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Kw:
    """`name=value` as a call argument."""

    name: str
    value: Node


@dataclass(frozen=True)
class Dict:
    """`{key: value, ...}`; keys are Python source (string literals)."""

    items: tuple[Pair, ...]


@dataclass(frozen=True)
class Pair:
    """`key: value` in a dictionary."""

    key: str
    value: Node


@dataclass(frozen=True)
class Str:
    """A string literal that may be split at spaces into an implicit concatenation in
    parentheses, when it does not fit its line."""

    value: str


Node = Call | List | Dict | Kw | Pair | Str | str
_BRACKETS = {List: ("[", "]"), Dict: ("{", "}")}


def flat(node: Node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, Str):
        return py_str(node.value)
    if isinstance(node, Kw):
        return f"{node.name}={flat(node.value)}"
    if isinstance(node, Pair):
        return f"{node.key}: {flat(node.value)}"
    opener, closer = _brackets(node)
    return f"{opener}{', '.join(flat(a) for a in _children(node))}{closer}"


def render(node: Node, indent: int, prefix: str = "", suffix: str = "", width: int = WIDTH) -> list[str]:
    """Lines for `prefix + node + suffix` at `indent` spaces, at most `width` columns where
    the items allow (a long string literal stays whole, as black leaves it)."""
    if isinstance(node, Kw):
        return render(node.value, indent, f"{prefix}{node.name}=", suffix, width)
    if isinstance(node, Pair):
        return render(node.value, indent, f"{prefix}{node.key}: ", suffix, width)
    pad = " " * indent
    one = f"{pad}{prefix}{flat(node)}{suffix}"
    if isinstance(node, Str):
        return [one] if len(one) <= width else _split_string(node.value, indent, prefix, suffix, width)
    if isinstance(node, str) or len(one) <= width or not _children(node):
        return [one]
    return exploded(node, indent, prefix, suffix, width)


def _split_string(value: str, indent: int, prefix: str, suffix: str, width: int) -> list[str]:
    """A long string as `(` + pieces that end at a space, each a literal of its own + `)`
    (one piece alone where it fits on a line of its own); one that would not fit either
    way stays whole."""
    pieces = _pieces(value, max(width - indent - 4 - 2, 1))  # less the indentation and quotes
    pad = " " * indent
    lines = [f"{pad}    {py_str(p)}" for p in pieces]
    if len(pieces) < 2 and len(lines[0]) > width:  # parentheses would not make it fit
        return [f"{pad}{prefix}{py_str(value)}{suffix}"]
    return [f"{pad}{prefix}(", *lines, f"{pad}){suffix}"]


def _pieces(value: str, budget: int) -> list[str]:
    """`value` cut after spaces into pieces of at most `budget` characters where it can be
    (a piece with no space within the budget runs to the next space)."""
    pieces, start = [], 0
    while len(value) - start > budget:
        cut = value.rfind(" ", start, start + budget) + 1
        if cut <= start:
            cut = value.find(" ", start + budget) + 1 or len(value)
        pieces.append(value[start:cut])
        start = cut
    if start < len(value):
        pieces.append(value[start:])
    return pieces


def exploded(
    node: Call | List | Dict, indent: int, prefix: str = "", suffix: str = "", width: int = WIDTH
) -> list[str]:
    """Always one item per line (with the magic trailing comma), however short."""
    pad = " " * indent
    opener, closer = _brackets(node)
    if not _children(node):
        return [f"{pad}{prefix}{opener}{closer}{suffix}"]
    lines = [f"{pad}{prefix}{opener}"]
    for child in _children(node):
        lines += render(child, indent + 4, "", ",", width)
    lines.append(f"{pad}{closer}{suffix}")
    return lines


def _brackets(node: Call | List | Dict) -> tuple[str, str]:
    return (f"{node.name}(", ")") if isinstance(node, Call) else _BRACKETS[type(node)]


def _children(node: Call | List | Dict) -> tuple[Node, ...]:
    if isinstance(node, Call):
        return node.args
    return node.items


def parameter(name: str, annotation: str, default: str, indent: int) -> list[str]:
    """`name: annotation = default,` as black lays out a parameter line.

    When the line is too long black wraps the annotation in parentheses, on its own line;
    a union still too long goes one member per line (`| member`), and a member still too long
    is split inside its brackets.
    """
    pad = " " * indent
    tail = f" = {default}," if default else ","
    one = f"{pad}{name}: {annotation}{tail}"
    if len(one) <= WIDTH:
        return [one]
    inner = indent + 4
    lines = [f"{pad}{name}: ("]
    if len(" " * inner + annotation) <= WIDTH:
        lines.append(" " * inner + annotation)
    else:
        for i, part in enumerate(union_parts(annotation)):
            lines += _member(part, inner, "" if i == 0 else "| ")
    lines.append(f"{pad}){tail}")
    return lines


def _member(part: str, indent: int, lead: str) -> list[str]:
    pad = " " * indent
    line = f"{pad}{lead}{part}"
    if len(line) <= WIDTH or "[" not in part or not part.endswith("]"):
        return [line]
    head, _, rest = part.partition("[")
    return [f"{pad}{lead}{head}[", f"{pad}    {rest[:-1]}", f"{pad}]"]


def union_parts(annotation: str) -> list[str]:
    """The members of `A | list[B | None] | None`, split at the top level only."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(annotation):
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(annotation[start:i].strip())
            start = i + 1
    parts.append(annotation[start:].strip())
    return parts


def _isort_key(name: str) -> tuple[int, str]:
    """isort's order within an import (ruff's default): constants, classes, then the rest,
    each case-insensitively."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def import_from(module: str, names: list[str], indent: int = 0) -> str:
    """`from module import a, b` on one line if it fits, else parenthesized, one per line."""
    pad = " " * indent
    names = sorted(names, key=_isort_key)
    one = f"{pad}from {module} import {', '.join(names)}"
    if len(one) <= WIDTH:
        return one
    inner = "".join(f"\n{pad}    {n}," for n in names)
    return f"{pad}from {module} import ({inner}\n{pad})"


def wrapped(text: str, width: int, hang: int = 0) -> str:
    """`text` with each line longer than `width` broken at spaces, keeping its indentation
    (plus `hang` spaces on the lines it continues onto). Lines inside ``` fences stay as they
    are (code samples), and so do words longer than the width (URLs)."""
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        fence = line.lstrip().startswith("```")
        if fence:
            fenced = not fenced
        if fence or fenced or len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out += textwrap.wrap(
            line.strip(),
            width,
            initial_indent=indent,
            subsequent_indent=indent + " " * hang,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [line]
    return "\n".join(out)


def doc_wrap(text: str, indent: int = 0) -> str:
    """A docstring's text laid out for `indent` spaces: lines of at most WIDTH characters,
    counting the quotes that open and close it."""
    lines = wrapped('"""' + text + '"""', WIDTH - indent).split("\n")
    lines[0] = lines[0][3:]
    lines[-1] = lines[-1][:-3]
    pad = " " * indent
    return "\n".join(pad + line if i and line else line for i, line in enumerate(lines))

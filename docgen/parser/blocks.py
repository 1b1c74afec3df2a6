"""Markdown text to a flat list of blocks (headings, fences, tables, paragraphs) with lines.

markdown-it-py finds the block structure; this module only records what it found in the
page's own terms, mapping every block back to its line in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from docgen.diagnostics import Diagnostic, Found, diag
from docgen.parser.page import Row, Table
from docgen.parser.source import SourceText


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass(frozen=True)
class Fence:
    info: str
    content: str
    line: int


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int


Block = Heading | Fence | Table | Paragraph


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Blocks only: every reading of a page takes a block's text (`content`), never the inline
    # tokens markdown-it would parse it into (a quarter of the parse's time).
    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


def _cells(line: str) -> int:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return len(re.split(r"(?<!\\)\|", body))


def _line(src: SourceText, tok: Token) -> int:
    """The page line a token starts on (markdown-it maps every block token; 1 if not)."""
    return src.file_line(tok.map[0]) if tok.map else 1


def to_blocks(src: SourceText, file: str) -> Found[list[Block]]:
    tokens = _markdown().parse(src.text)
    lines = src.text.split("\n")
    blocks: list[Block] = []
    diags: list[Diagnostic] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            blocks.append(Heading(int(tok.tag[1:]), inline.content.strip(), _line(src, tok)))
            i += 3
            continue
        if tok.type in ("fence", "code_block"):
            blocks.append(Fence(tok.info.strip(), tok.content, _line(src, tok)))
        elif tok.type == "paragraph_open":
            text = tokens[i + 1].content
            line = _line(src, tok)
            if text.lstrip().startswith("|") and text.count("|") >= 2:
                diags.append(
                    diag(
                        "DG106",
                        file,
                        line,
                        "lines look like a table row but have no header and delimiter row (| --- |); skipped",
                    )
                )
            blocks.append(Paragraph(text, line))
            i += 3
            continue
        elif tok.type == "table_open":
            read = _table(tokens, i, src, lines, file)
            i, table = read.value
            blocks.append(table)
            diags += read.findings
            continue
        i += 1
    return Found(blocks, tuple(diags))


def _table(
    tokens: list[Token], start: int, src: SourceText, lines: list[str], file: str
) -> Found[tuple[int, Table]]:
    header: list[str] = []
    rows: list[Row] = []
    diags: list[Diagnostic] = []
    cells: list[str] = []
    row_index = 0
    in_head = False
    i = start
    while i < len(tokens):
        t = tokens[i]
        if t.type == "thead_open":
            in_head = True
        elif t.type == "thead_close":
            in_head = False
        elif t.type == "tr_open":
            cells = []
            row_index = t.map[0] if t.map else row_index
        elif t.type == "inline":
            cells.append(t.content.strip())
        elif t.type == "tr_close":
            if in_head:
                header = cells
            else:
                line = src.file_line(row_index)
                raw = lines[row_index] if row_index < len(lines) else ""
                if header and _cells(raw) != len(header):
                    diags.append(
                        diag(
                            "DG106",
                            file,
                            line,
                            f"table row has {_cells(raw)} cells where the header has {len(header)}; read as "
                            f"{len(header)}",
                        )
                    )
                rows.append(Row(tuple(cells), line))
        elif t.type == "table_close":
            i += 1
            break
        i += 1
    table_line = _line(src, tokens[start])
    return Found((i, Table(tuple(header), tuple(rows), table_line)), tuple(diags))

"""Raw bytes to normalised text, and the line bookkeeping the rest of the parser relies on."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.diagnostics import Found, diag


@dataclass(frozen=True)
class SourceText:
    """Page text after normalisation, and for each of its lines the line in the file."""

    text: str
    line_map: tuple[int, ...]  # index: 0-based line in `text`; value: 1-based line in the file

    def file_line(self, index: int) -> int:
        if not self.line_map:
            return 1
        return self.line_map[min(max(index, 0), len(self.line_map) - 1)]


def decode(data: bytes, file: str) -> Found[str | None]:
    """UTF-8 (with or without BOM), CRLF or LF. Anything else is a diagnostic, not a crash."""
    if b"\x00" in data:
        return Found(None, (diag("DG100", file, 1, "file contains NUL bytes: binary, not a markdown page"),))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return Found(
            None, (diag("DG100", file, line, f"not valid UTF-8 at byte {e.start}: expected UTF-8 text"),)
        )
    return Found(text.replace("\r\n", "\n").replace("\r", "\n"))


def join_continued_rows(lines: list[str], first_line: int) -> SourceText:
    """Join table rows the docs generator broke over several lines.

    Inside a table (the previous line is a row), a row that starts with `|` but does not end
    with one continues on the following non-blank lines that do not start with `|`, up to one
    that ends with `|` (as on the Ticket agent's MergeTickets page, whose description cell holds
    line breaks). Joining before markdown-it sees the text keeps those rows in their table.
    """
    out: list[str] = []
    line_map: list[int] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        stripped = line.strip()
        origin = first_line + i
        if (
            stripped.startswith("|")
            and not stripped.endswith("|")
            and out
            and out[-1].lstrip().startswith("|")
        ):
            parts = [line.rstrip()]
            j = i + 1
            while j < n and lines[j].strip() and not lines[j].lstrip().startswith("|"):
                parts.append(lines[j].strip())
                if lines[j].rstrip().endswith("|"):
                    j += 1
                    break
                j += 1
            out.append(" ".join(parts))
            line_map.append(origin)
            i = j
            continue
        out.append(line)
        line_map.append(origin)
        i += 1
    return SourceText("\n".join(out) + "\n", tuple(line_map))

"""One page's text to a `Page`, or diagnostics saying why it cannot be one.

Never raises on bad input: every problem becomes a `Diagnostic` with file and line.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from docgen.diagnostics import Diagnostic, Found, Level, diag, findings_of
from docgen.parser.blocks import Block, Fence, Heading, Paragraph, to_blocks
from docgen.parser.frontmatter import split_front_matter
from docgen.parser.page import (
    HeaderRow,
    Include,
    Notice,
    Page,
    RequestBodySection,
    ResponseSection,
    Sample,
    SampleKind,
    Section,
    StatusRow,
    Table,
)
from docgen.parser.samples import INCLUDE_RE, parse_http_message, parse_include_file
from docgen.parser.source import decode, join_continued_rows

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
TITLE_METHODS = {"DEL": "DELETE"}
_REQUEST_LINE_RE = re.compile(r"^\s*([A-Za-z]+)\s+(/\S*)\s*$")
_NOTICE_RE = re.compile(r"^(Online Restricted|Experimental)\s*:\s*(.*)$", re.I)
_NSAPI_RE = re.compile(r"^\s*NsApiSlow threshold:\s*(.+?)\s*$", re.M)
_BACKTICKS_RE = re.compile(r"`([^`]+)`")


ParseResult = Found[Page | None]  # the page, or None when it cannot be one; with the findings


def parse_page(data: bytes, file: str, folder: str) -> ParseResult:
    text, decoded = decode(data, file)
    if text is None:
        return Found(None, tuple(decoded))
    head = split_front_matter(text, file)
    front, body_lines, first_line = head.value
    blocks = to_blocks(join_continued_rows(body_lines, first_line), file)
    page = _interpret(blocks.value, front, file, folder, front_matter_reported=bool(head.findings))
    return Found(page.value, findings_of(decoded, head, blocks, page))


def _interpret(
    blocks: list[Block], front: dict | None, file: str, folder: str, front_matter_reported: bool = False
) -> ParseResult:
    """The page's parts in the order the format gives them: front matter, the preamble (request
    line, summary, path table) and the `##` sections."""
    head = _front(front, file, front_matter_reported)
    front, uid, title = head.value
    preamble, sections = _split_sections(blocks)
    line = _request_line(preamble, file, title)
    parts = _Sections(file, path_params=line.value.path_params)
    summary, description = _prose(line.value.paragraphs, parts.notices)
    diags = findings_of(head, line, *(parts.read(heading, content) for heading, content in sections))
    if any(d.level is Level.ERROR for d in diags):
        return Found(None, diags)
    line_ = line.value
    page = Page(
        file=file,
        uid=uid,
        title=title,
        folder=folder,
        front_matter={k: v for k, v in front.items() if isinstance(k, str)},
        method=line_.method,
        path=line_.path,
        request_line=line_.line + 1,
        summary=summary,
        description=description,
        notices=tuple(parts.notices),
        path_params=parts.path_params,
        query_params=parts.query,
        query_example=parts.query_example,
        query_example_line=parts.query_example_line,
        headers=tuple(parts.headers),
        request_body=parts.body,
        response=parts.response,
        sample_request=parts.samples.get("request"),
        sample_response=parts.samples.get("response"),
        extra_sections=tuple(parts.extra),
        includes=tuple(parts.includes),
    )
    return Found(page, diags)


def _front(front: dict | None, file: str, reported: bool) -> Found[tuple[dict, str, str]]:
    """The front matter (empty when missing), the uid and the title."""
    diags: list[Diagnostic] = []
    if front is None:
        if not reported:
            diags.append(diag("DG101", file, 1, "no front matter: expected '---' then title and uid"))
        front = {}
    uid = front.get("uid")
    if not uid or not isinstance(uid, (str, int)):
        message = "front matter has no 'uid': expected the operation id, e.g. v1ContactAgent_GetContact"
        diags.append(diag("DG102", file, 1, message))
    return Found((front, str(uid or ""), str(front.get("title") or "")), tuple(diags))


def _split_sections(blocks: list[Block]) -> tuple[list[Block], list[tuple[Heading, list[Block]]]]:
    """The preamble (before the first `##`) and the `##` sections with their blocks."""
    preamble: list[Block] = []
    sections: list[tuple[Heading, list[Block]]] = []
    for b in blocks:
        if isinstance(b, Heading) and b.level == 2:
            sections.append((b, []))
        elif sections:
            sections[-1][1].append(b)
        else:
            preamble.append(b)
    return preamble, sections


@dataclass
class _RequestLine:
    method: str = ""
    path: str = ""
    line: int = 0  # the fence's line; 0 when the page has none
    paragraphs: list[Paragraph] = field(default_factory=list)
    path_params: Table | None = None


def _request_line(preamble: list[Block], file: str, title: str) -> Found[_RequestLine]:
    """The ```http request line, the paragraphs after it and the path table."""
    diags: list[Diagnostic] = []
    out = _RequestLine()
    for b in preamble:
        if isinstance(b, Fence) and b.info.startswith("http") and not out.line:
            m = _REQUEST_LINE_RE.match(b.content.strip().split("\n")[0])
            out.line = b.line
            if not m:
                message = f"request line {b.content.strip()[:60]!r} is not 'METHOD /path'"
                diags.append(diag("DG103", file, b.line + 1, message))
                continue
            out.method, out.path = m.group(1).upper(), m.group(2)
        elif isinstance(b, Paragraph) and out.line:
            out.paragraphs.append(b)
        elif isinstance(b, Table) and _header_is(b, "path part"):
            out.path_params = b
    if not out.line:
        message = "no request line: expected a ```http block holding 'METHOD /api/v1/...'"
        diags.append(diag("DG103", file, 1, message))
    elif out.method and out.method not in METHODS:
        message = f"unknown HTTP method {out.method!r}: expected one of {', '.join(METHODS)}"
        diags.append(diag("DG104", file, out.line + 1, message))
    if out.method and title:
        said = title.split(" ", 1)[0].upper()
        said = TITLE_METHODS.get(said, said)
        if said in METHODS and said != out.method:
            message = f"title says {said} but the request line says {out.method}; the request line wins"
            diags.append(diag("DG110", file, 1, message))
    return Found(out, tuple(diags))


def _prose(paragraphs: list[Paragraph], notices: list[Notice]) -> tuple[str, str]:
    """The summary and description; `NsApiSlow threshold:` lines become notices."""
    parts: list[str] = []
    for p in paragraphs:
        for m in _NSAPI_RE.finditer(p.text):
            notices.append(Notice("NsApiSlow", m.group(1), p.line + p.text[: m.start()].count("\n")))
        text = _NSAPI_RE.sub("", p.text).strip()
        if text:
            parts.append(text)
    return (parts[0] if parts else ""), "\n\n".join(parts)


@dataclass
class _Sections:
    """What the `##` sections say, read one section at a time."""

    file: str
    path_params: Table | None = None
    query: Table | None = None
    query_example: str = ""
    query_example_line: int = 0
    headers: list[HeaderRow] = field(default_factory=list)
    body: RequestBodySection | None = None
    response: ResponseSection | None = None
    notices: list[Notice] = field(default_factory=list)
    extra: list[Section] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    samples: dict[str, Sample] = field(default_factory=dict)

    def _query(self, content: list[Block]) -> None:
        """The query table, and the block of request lines that shows values for it."""
        self.query = _first_table(content)
        fence = next((b for b in content if isinstance(b, Fence)), None)
        if fence is not None:
            self.query_example, self.query_example_line = fence.content.strip(), fence.line

    def read(self, heading: Heading, content: list[Block]) -> tuple[Diagnostic, ...]:
        """Take one section in; its findings come back."""
        low = heading.text.lower()
        if self.path_params is None:  # the path table can follow a notice heading
            self.path_params = next(
                (b for b in content if isinstance(b, Table) and _header_is(b, "path part")), None
            )
        notice = _NOTICE_RE.match(heading.text)
        if notice:
            self._notice(notice, heading, content)
        elif low.startswith("query string parameters"):
            self._query(content)
        elif low.startswith("request headers"):
            self.headers = _header_rows(_first_table(content))
        elif low.startswith("request body"):
            rest = heading.text.split(":", 1)[1].strip() if ":" in heading.text else ""
            name, _, kind = rest.partition(" ")
            text = next((b.text.strip() for b in content if isinstance(b, Paragraph)), "")
            self.body = RequestBodySection(
                name.strip(), kind.strip(), heading.line, _first_table(content), text
            )
        elif low.startswith("response:") or low == "response":
            response = _response(heading, content, self.file)
            self.response = response.value
            return response.findings
        elif low.startswith(("sample request", "sample response")):
            return self._sample("request" if "request" in low else "response", content)
        else:
            text = "\n\n".join(_block_text(b) for b in content if not isinstance(b, Heading))
            self.extra.append(Section(heading.text, text, heading.line))
        return ()

    def _notice(self, notice: re.Match[str], heading: Heading, content: list[Block]) -> None:
        text = notice.group(2).strip().strip("#").strip()
        more = " ".join([text, *(b.text for b in content if isinstance(b, Paragraph))]).strip()
        if notice.group(1).lower().startswith("online"):
            self.notices.append(Notice("Online Restricted", more, heading.line))
        else:
            self.notices.append(Notice("Experimental", more, heading.line))

    def _sample(self, kind: SampleKind, content: list[Block]) -> tuple[Diagnostic, ...]:
        """An inline sample, or the `[!include]` the build resolves where the files are."""
        fence = next((b for b in content if isinstance(b, Fence)), None)
        if fence is not None:
            sample, sample_diags = parse_http_message(fence.content, self.file, fence.line)
            self.samples[kind] = sample
            return tuple(sample_diags)
        for b in content:
            m = INCLUDE_RE.search(b.text) if isinstance(b, Paragraph) else None
            if m:
                self.includes.append(Include(kind, m.group("target").strip(), b.line))
                break
        return ()


def _header_rows(table: Table | None) -> list[HeaderRow]:
    if table is None:
        return []
    rows = []
    for r in table.rows:
        if r.cells and r.cells[0]:
            text = r.cell(1)
            rows.append(HeaderRow(r.cells[0], text, tuple(_BACKTICKS_RE.findall(text)), r.line))
    return rows


def _header_is(table: Table, first: str) -> bool:
    return bool(table.header) and table.header[0].strip().lower() == first


def _first_table(content: list[Block]) -> Table | None:
    return next((b for b in content if isinstance(b, Table)), None)


def _block_text(b: Block) -> str:
    if isinstance(b, Paragraph):
        return b.text
    if isinstance(b, Fence):
        return f"```{b.info}\n{b.content}```"
    if isinstance(b, Table):
        return "\n".join("| " + " | ".join(cells) + " |" for cells in [b.header, *(r.cells for r in b.rows)])
    return ""


def _response(heading: Heading, content: list[Block], file: str) -> Found[ResponseSection]:
    diags: list[Diagnostic] = []
    kind = heading.text.split(":", 1)[1].strip() if ":" in heading.text else ""
    description = ""
    statuses: list[StatusRow] = []
    body_type = ""
    body_line = 0
    body_table: Table | None = None
    in_body = False
    for b in content:
        if isinstance(b, Heading) and b.level >= 3 and b.text.lower().startswith("response body"):
            in_body = True
            body_type = b.text.split(":", 1)[1].strip() if ":" in b.text else ""
            body_line = b.line
        elif isinstance(b, Paragraph) and not in_body and not description:
            description = b.text.strip()
        elif isinstance(b, Table) and not in_body and _header_is(b, "response"):
            for r in b.rows:
                code = r.cells[0].strip() if r.cells else ""
                if not code.isdigit():
                    diags.append(
                        diag(
                            "DG112",
                            file,
                            r.line,
                            f"status {code!r} is not a number: expected an HTTP status code such as 200",
                        )
                    )
                    continue
                statuses.append(StatusRow(int(code), r.cell(1).strip(), r.line))
        elif isinstance(b, Table) and in_body and body_table is None:
            body_table = b
    section = ResponseSection(
        kind=kind,
        description=description,
        line=heading.line,
        statuses=tuple(statuses),
        body_type=body_type,
        body_line=body_line,
        body_table=body_table,
    )
    return Found(section, tuple(diags))


class IncludeRefused(Exception):
    """An include target that is not read: outside the source roots, or not a regular file."""


def resolve_includes(page: Page, read: Callable[[str], bytes | None]) -> Found[Page]:
    """Replace `[!include]` samples by the target's content; `read` takes a path relative to
    the page, and answers None for a missing target or raises IncludeRefused."""
    diags: list[Diagnostic] = []
    updates: dict[str, object] = {}
    for inc in page.includes:
        try:
            data = read(inc.target)
        except IncludeRefused as e:
            message = (
                f"sample {inc.kind} include {inc.target!r} is {e}: not read; the operation has no "
                f"sample {inc.kind}"
            )
            diags.append(diag("DG115", page.file, inc.line, message))
            continue
        if data is None:
            diags.append(
                diag(
                    "DG108",
                    page.file,
                    inc.line,
                    f"sample {inc.kind} include {inc.target!r} not found; the operation has no sample "
                    f"{inc.kind}",
                )
            )
            continue
        text, dec_diags = decode(data, inc.target)
        if text is None:
            diags.extend(dec_diags)
            continue
        sample, sample_diags = parse_include_file(text, _target_name(page.file, inc.target), inc.line)
        diags.extend(sample_diags)
        if sample is not None:
            updates["sample_" + inc.kind] = sample
    return Found(replace(page, **updates) if updates else page, tuple(diags))  # type: ignore[arg-type]


def _target_name(page_file: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_file), target))

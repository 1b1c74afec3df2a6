"""One page's text to a `Page`, or diagnostics saying why it cannot be one.

Never raises on bad input: every problem becomes a `Diagnostic` with file and line.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace
from typing import Callable

from docgen.diagnostics import Diagnostic, diag
from docgen.parser.blocks import Block, Fence, Heading, Paragraph, to_blocks
from docgen.parser.frontmatter import split_front_matter
from docgen.parser.page import (
    HeaderRow,
    Include,
    Notice,
    Page,
    RequestBodySection,
    ResponseSection,
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


@dataclass(frozen=True)
class ParseResult:
    page: Page | None
    diagnostics: tuple[Diagnostic, ...]


def parse_page(data: bytes, file: str, folder: str) -> ParseResult:
    text, diags = decode(data, file)
    if text is None:
        return ParseResult(None, tuple(diags))
    front, body_lines, first_line, fm_diags = split_front_matter(text, file)
    diags += fm_diags
    src = join_continued_rows(body_lines, first_line)
    blocks, block_diags = to_blocks(src, file)
    diags += block_diags
    page, page_diags = _interpret(blocks, front, file, folder, front_matter_reported=bool(fm_diags))
    diags += page_diags
    return ParseResult(page, tuple(diags))


def _interpret(blocks: list[Block], front: dict | None, file: str, folder: str, front_matter_reported: bool = False) -> tuple[Page | None, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    if front is None:
        if not front_matter_reported:
            diags.append(diag("DG101", file, 1, "no front matter: expected '---' then title and uid"))
        front = {}
    uid = front.get("uid")
    title = str(front.get("title") or "")
    if not uid or not isinstance(uid, (str, int)):
        diags.append(diag("DG102", file, 1, "front matter has no 'uid': expected the operation id, e.g. v1ContactAgent_GetContact"))
    uid = str(uid or "")

    # Split into the preamble (before the first `##`) and the `##` sections.
    preamble: list[Block] = []
    sections: list[tuple[Heading, list[Block]]] = []
    for b in blocks:
        if isinstance(b, Heading) and b.level == 2:
            sections.append((b, []))
        elif sections:
            sections[-1][1].append(b)
        else:
            preamble.append(b)

    method = path = ""
    request_line = 0
    paragraphs: list[Paragraph] = []
    path_params: Table | None = None
    for b in preamble:
        if isinstance(b, Fence) and b.info.startswith("http") and not request_line:
            m = _REQUEST_LINE_RE.match(b.content.strip().split("\n")[0])
            request_line = b.line
            if not m:
                diags.append(diag("DG103", file, b.line + 1, f"request line {b.content.strip()[:60]!r} is not 'METHOD /path'"))
                continue
            method, path = m.group(1).upper(), m.group(2)
        elif isinstance(b, Paragraph) and request_line:
            paragraphs.append(b)
        elif isinstance(b, Table) and _header_is(b, "path part"):
            path_params = b
    if not request_line:
        diags.append(diag("DG103", file, 1, "no request line: expected a ```http block holding 'METHOD /api/v1/...'"))
    elif method and method not in METHODS:
        diags.append(diag("DG104", file, request_line + 1, f"unknown HTTP method {method!r}: expected one of {', '.join(METHODS)}"))
    if method and title:
        title_method = title.split(" ", 1)[0].upper()
        title_method = TITLE_METHODS.get(title_method, title_method)
        if title_method in METHODS and title_method != method:
            diags.append(diag("DG110", file, 1, f"title says {title_method} but the request line says {method}; the request line wins"))

    notices: list[Notice] = []
    desc_parts: list[str] = []
    for p in paragraphs:
        for m in _NSAPI_RE.finditer(p.text):
            notices.append(Notice("NsApiSlow", m.group(1), p.line + p.text[: m.start()].count("\n")))
        text = _NSAPI_RE.sub("", p.text).strip()
        if text:
            desc_parts.append(text)
    summary = desc_parts[0] if desc_parts else ""
    description = "\n\n".join(desc_parts)

    query: Table | None = None
    query_example = ""
    headers: list[HeaderRow] = []
    body: RequestBodySection | None = None
    response: ResponseSection | None = None
    extra: list[Section] = []
    includes: list[Include] = []
    samples: dict[str, object] = {}

    for heading, content in sections:
        title_text = heading.text
        low = title_text.lower()
        notice = _NOTICE_RE.match(title_text)
        for b in content:  # the path table can follow a notice heading
            if isinstance(b, Table) and _header_is(b, "path part") and path_params is None:
                path_params = b
        if notice:
            kind = "Online Restricted" if notice.group(1).lower().startswith("online") else "Experimental"
            text = notice.group(2).strip().strip("#").strip()
            more = [b.text for b in content if isinstance(b, Paragraph)]
            notices.append(Notice(kind, " ".join([text, *more]).strip(), heading.line))
        elif low.startswith("query string parameters"):
            query = _first_table(content)
            query_example = next((b.content.strip() for b in content if isinstance(b, Fence)), "")
        elif low.startswith("request headers"):
            table = _first_table(content)
            if table is not None:
                headers = [
                    HeaderRow(r.cells[0], r.cells[1] if len(r.cells) > 1 else "", tuple(_BACKTICKS_RE.findall(r.cells[1] if len(r.cells) > 1 else "")), r.line)
                    for r in table.rows
                    if r.cells and r.cells[0]
                ]
        elif low.startswith("request body"):
            rest = title_text.split(":", 1)[1].strip() if ":" in title_text else ""
            name, _, kind = rest.partition(" ")
            text = next((b.text.strip() for b in content if isinstance(b, Paragraph)), "")
            body = RequestBodySection(name.strip(), kind.strip(), heading.line, _first_table(content), text)
        elif low.startswith("response:") or low == "response":
            response = _response(heading, content, file, diags)
        elif low.startswith("sample request") or low.startswith("sample response"):
            kind = "request" if "request" in low else "response"
            fence = next((b for b in content if isinstance(b, Fence)), None)
            if fence is not None:
                sample, sample_diags = parse_http_message(fence.content, file, fence.line)
                diags.extend(sample_diags)
                samples[kind] = sample
            else:
                for b in content:
                    if isinstance(b, Paragraph):
                        m = INCLUDE_RE.search(b.text)
                        if m:
                            includes.append(Include(kind, m.group("target").strip(), b.line))
                            break
        else:
            text = "\n\n".join(_block_text(b) for b in content if not isinstance(b, Heading))
            extra.append(Section(title_text, text, heading.line))

    if any(d.level.value == "error" for d in diags):
        return None, diags
    page = Page(
        file=file,
        uid=uid,
        title=title,
        folder=folder,
        front_matter={k: v for k, v in front.items() if isinstance(k, str)},
        method=method,
        path=path,
        request_line=request_line + 1,
        summary=summary,
        description=description,
        notices=tuple(notices),
        path_params=path_params,
        query_params=query,
        query_example=query_example,
        headers=tuple(headers),
        request_body=body,
        response=response,
        sample_request=samples.get("request"),  # type: ignore[arg-type]
        sample_response=samples.get("response"),  # type: ignore[arg-type]
        extra_sections=tuple(extra),
        includes=tuple(includes),
    )
    return page, diags


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


def _response(heading: Heading, content: list[Block], file: str, diags: list[Diagnostic]) -> ResponseSection:
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
                    diags.append(diag("DG112", file, r.line, f"status {code!r} is not a number: expected an HTTP status code such as 200"))
                    continue
                statuses.append(StatusRow(int(code), r.cells[1].strip() if len(r.cells) > 1 else "", r.line))
        elif isinstance(b, Table) and in_body and body_table is None:
            body_table = b
    return ResponseSection(kind, description, heading.line, tuple(statuses), body_type, body_line, body_table)


def resolve_includes(page: Page, read: Callable[[str], bytes | None]) -> tuple[Page, list[Diagnostic]]:
    """Replace `[!include]` samples by the target's content; `read` takes a path relative to the page."""
    diags: list[Diagnostic] = []
    updates: dict[str, object] = {}
    for inc in page.includes:
        data = read(inc.target)
        if data is None:
            diags.append(diag("DG108", page.file, inc.line, f"sample {inc.kind} include {inc.target!r} not found; the operation has no sample {inc.kind}"))
            continue
        text, dec_diags = decode(data, inc.target)
        if text is None:
            diags.extend(dec_diags)
            continue
        sample, sample_diags = parse_include_file(text, _target_name(page.file, inc.target), inc.line)
        diags.extend(sample_diags)
        if sample is not None:
            updates["sample_" + inc.kind] = sample
    return (replace(page, **updates) if updates else page), diags  # type: ignore[arg-type]


def _target_name(page_file: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_file), target))

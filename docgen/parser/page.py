"""What a reference page says, section by section, each item with its 1-based source line.

These are plain, immutable records of the text: no type mapping or schema logic lives here
(that is the model's job), so the parser stays a faithful reader of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    line: int

    def cell(self, i: int, default: str = "") -> str:
        """The i-th cell; ragged rows (DG106) are read to the header's width."""
        return self.cells[i] if len(self.cells) > i else default


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    line: int


@dataclass(frozen=True)
class Notice:
    """`## Online Restricted: ## ...`, `## Experimental: ## ...`, `NsApiSlow threshold`."""

    kind: Literal["Online Restricted", "Experimental", "NsApiSlow"]
    text: str
    line: int


@dataclass(frozen=True)
class HeaderRow:
    name: str
    description: str
    media_types: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class RequestBodySection:
    name: str  # `request`, `entity`, `changes`...
    kind: str  # the word after the name (`string`, `binary`) or "" when a table follows
    line: int
    table: Table | None
    description: str = ""  # the line under the heading (a property list, or prose)


@dataclass(frozen=True)
class StatusRow:
    code: int
    description: str
    line: int


@dataclass(frozen=True, kw_only=True)
class ResponseSection:
    kind: str  # text after `## Response:` (`array`, `string`...), "" when absent
    description: str
    line: int
    statuses: tuple[StatusRow, ...]
    body_type: str  # name after `### Response body:`, "" when absent
    body_line: int
    body_table: Table | None


@dataclass(frozen=True, kw_only=True)
class Sample:
    """A sample request or response: the http text and, when present, its JSON body."""

    start_line: str  # `POST /api/...` or `HTTP/1.1 200 OK`
    status: int | None  # a response's status code (`HTTP/1.1 200 OK`): None for requests
    headers: tuple[tuple[str, str], ...]
    body_text: str
    has_json: bool
    json: Any
    line: int  # line of the block (or of the include directive)
    source: str  # file the sample text came from (the page, or an include target)
    body_line: int = 0  # line of `source` where the JSON body starts


SampleKind = Literal["request", "response"]


@dataclass(frozen=True)
class Include:
    """A `[!include[label](target)]` standing where a sample would be; resolved after parsing."""

    kind: SampleKind
    target: str  # as written, relative to the page
    line: int


@dataclass(frozen=True)
class Section:
    """A section docgen keeps as text (`## Filter Operators` and the like)."""

    title: str
    text: str
    line: int


@dataclass(frozen=True)
class Page:
    file: str
    uid: str
    title: str
    folder: str  # the agent or entity folder: the tag
    front_matter: dict[str, Any]
    method: str
    path: str
    request_line: int
    summary: str
    description: str
    notices: tuple[Notice, ...] = ()
    path_params: Table | None = None
    query_params: Table | None = None
    query_example: str = ""
    query_example_line: int = 0
    headers: tuple[HeaderRow, ...] = ()
    request_body: RequestBodySection | None = None
    response: ResponseSection | None = None
    sample_request: Sample | None = None
    sample_response: Sample | None = None
    extra_sections: tuple[Section, ...] = field(default=())
    includes: tuple[Include, ...] = ()


@dataclass(frozen=True)
class IndexPage:
    """A folder's `index.md`: names the agent or entity and lists its pages."""

    file: str
    folder: str
    title: str
    description: str

"""Reference pages as the real ones are laid out, built from their sections, and the API of a
few pages (with reference-file models) built the way the model stage builds it."""

from __future__ import annotations

import json
import textwrap

from docgen.model import build_api
from docgen.parser import parse_page

# A property table's header, as the pages write it.
TABLE = "| Property Name | Type |  Description |\n|----------------|------|--------------|\n"
RESPONSE_200 = (
    "## Response:{kind}\n\nOK\n\n| Response | Description |\n|----------------|-------------|\n| "
    "200 | OK |\n\n{body}"
)


def head(uid: str, method: str, path: str) -> str:
    """A page's front matter, heading, request line and summary."""
    return (
        f"---\ntitle: {method} {path}\nuid: {uid}\n---\n\n# {method} {path}\n\n```http\n{method} "
        f"{path}\n```\n\nSummary.\n"
    )


def page(
    uid: str, request_line: str, body: str = "", response: str = "", sample_request=None, sample_response=None
) -> str:
    """A page in the reference's layout, with the given sections."""
    parts = [head(uid, *request_line.split(" ", 1))]
    if body:
        parts.append(textwrap.dedent(body))
    parts.append(
        textwrap.dedent(response) if response else RESPONSE_200.format(kind="", body="").rstrip("\n") + "\n"
    )
    if sample_request is not None:
        parts.append(
            f"## Sample request\n\n```http!\n{request_line}\nContent-Type: application/json; "
            f"charset=utf-8\n\n{json.dumps(sample_request, indent=2)}\n```\n"
        )
    if sample_response is not None:
        parts.append(
            "## Sample response\n\n```http_\nHTTP/1.1 200 OK\nContent-Type: application/json; "
            f"charset=utf-8\n\n{json.dumps(sample_response, indent=2)}\n```\n"
        )
    return "\n".join(parts)


def build(*pages: tuple[str, str]):
    return build_with(list(pages), [])


def build_with(pages: list[tuple[str, str]], references: list):
    """The API of page excerpts and reference-file models together."""
    parsed = []
    for file, text in pages:
        result = parse_page(text.encode(), file, file.split("/")[-2])
        assert result.value is not None, result.findings
        parsed.append(result.value)
    return build_api(parsed, [], "T", "1", references)


def endpoint(api, uid):
    return next(e for e in api.endpoints if e.operation_id == uid)


def component(api, name):
    c = api.component(name)
    assert c is not None, f"{name} not among {[c.name for c in api.components]}"
    return c.schema

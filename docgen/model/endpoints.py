"""The model's page reader: one parsed page to its endpoint (parameters, body, responses) and
the evidence it gives the schema fold.

The page-level rules live here: a PATCH body is a JSON Patch document, an agent's `request`
body is a wrapper whose properties are keyword arguments, a lone body that says "stream" is
bytes, a description that starts with "deprecated" deprecates the operation, and a primitive
response's sample of another JSON kind is filler left out of the examples.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from docgen.diagnostics import Diagnostic, Found, Place, diag, findings_of
from docgen.model.api import (
    STANDARD_HEADERS,
    BodyField,
    Endpoint,
    Parameter,
    RequestBody,
    Response,
    SampleAt,
    Schema,
)
from docgen.model.evidence import Evidence, PageEvidence, PropertyRow
from docgen.model.infer import plain_schema, shape_of
from docgen.model.page_checks import page_checks
from docgen.model.parameter_examples import with_examples
from docgen.model.typemap import PRIMITIVES, DocType, array_of, classify_type
from docgen.parser.page import Page, RequestBodySection, Sample, Table
from docgen.text import clean_doc, param_name, pascal, snake, split_required

_STREAM_RE = re.compile(r"\bstream\b", re.I)
PATH_PARAM_RE = re.compile(r"\{([^}]+)\}")
_JSON = ("application/json",)
_BINARY = {"type": "string", "format": "binary"}


@dataclass(frozen=True)
class PageModel:
    """What one page contributes: its endpoint and what it tells the schema fold.

    A function of the page alone, so the build caches it by the page's content; `assemble`
    folds the evidence of every page (in file order) and links the endpoints.
    """

    file: str
    endpoint: Endpoint | None
    evidence: tuple[Evidence, ...]
    diagnostics: tuple[Diagnostic, ...]


def page_model(page: Page, extra: tuple[Diagnostic, ...] = ()) -> PageModel:
    evidence = PageEvidence(page.file, page.folder)
    ep = _endpoint(page, evidence)
    return PageModel(page.file, ep.value, tuple(evidence.records), (*extra, *ep.findings))


def operation_name(uid: str) -> str:
    """`v1ContactAgent_EnrichContactEntity` -> `EnrichContactEntity`."""
    return uid.split("_", 1)[1] if "_" in uid else uid


def _endpoint(page: Page, evidence: PageEvidence) -> Found[Endpoint]:
    op = operation_name(page.uid)
    taken: set[str] = set()  # Python names of the parameters so far
    path = _path_params(page, taken)
    query = _query_params(page, taken)
    shown = with_examples(page, (*path.value, *query.value))
    content_types = _header_media(page, "Content-Type") or _JSON
    body = _request_body(page, op, evidence, content_types, frozenset(taken))
    if body is not None and body.has_example and page.sample_request is not None:
        body = replace(body, example_at=sample_at(page.sample_request))
    responses = _responses(page, op, evidence, _header_media(page, "Accept") or _JSON)
    description = clean_doc(page.description)
    ep = Endpoint(
        operation_id=page.uid,
        method=page.method,
        path=page.path,
        tag=page.folder,
        python_name=snake(op),  # made unique within its folder by `assemble`
        summary=clean_doc(page.summary),
        description=description,
        file=page.file,
        line=page.request_line,
        parameters=(*shown.value, *_header_params(page)),
        body=body,
        responses=responses.value,
        deprecated="deprecated" in description.lower()[:40],
        extensions=_extensions(page),
        notices=tuple((n.kind, clean_doc(n.text)) for n in page.notices),
    )
    return Found(ep, findings_of(path, query, shown, responses, page_checks(page)))


def sample_at(sample: Sample) -> SampleAt:
    return SampleAt(sample.source, sample.body_line, sample.body_text)


def _extensions(page: Page) -> tuple[tuple[str, Any], ...]:
    """The page's notices as `x-superoffice-*` extensions, and its extra sections as notes."""
    out: list[tuple[str, Any]] = []
    for notice in page.notices:
        if notice.kind == "Online Restricted":
            out.append(("x-superoffice-online-restricted", clean_doc(notice.text)))
        elif notice.kind == "Experimental":
            out.append(("x-superoffice-experimental", clean_doc(notice.text) or True))
        elif notice.kind == "NsApiSlow":
            ms = re.match(r"(\d+)", notice.text)
            out.append(("x-superoffice-nsapi-slow-threshold-ms", int(ms.group(1)) if ms else notice.text))
    if page.extra_sections:  # `## Filter Operators` and other OData help kept for readers
        out.append(("x-superoffice-notes", [{"title": s.title, "text": s.text} for s in page.extra_sections]))
    return tuple(out)


def _param_schema(type_cell: str, place: Place) -> Found[Schema]:
    t = classify_type(type_cell)
    if t.kind in ("primitive", "enum"):
        return Found(t.schema)
    if t.kind == "array":
        return Found({"type": "array", "items": {"type": "string"}})
    finding: tuple[Diagnostic, ...] = ()
    if t.kind == "unknown":
        message = (
            f"parameter type {type_cell.strip()!r} is not understood: expected a primitive (string, "
            "int32, bool...), array or Enum:; sent as a string"
        )
        finding = (diag("DG109", place.file, place.line, message),)
    # Objects and named types in a query string travel as text.
    return Found({"type": "string"}, finding)


def _path_params(page: Page, taken: set[str]) -> Found[tuple[Parameter, ...]]:
    rows = {r.cells[0]: r for r in (page.path_params.rows if page.path_params else ()) if r.cells}
    out = []
    schemas: list[Found[Schema]] = []
    for name in PATH_PARAM_RE.findall(page.path):
        row = rows.get(name)
        if row is not None:
            _, desc = split_required(row.cell(2))
            schema = _param_schema(row.cell(1, "string"), Place(page.file, row.line))
            schemas.append(schema)
            value, line = schema.value, row.line
        else:
            value, desc, line = {"type": "string"}, "", page.request_line
        python_name = param_name(name, taken)
        out.append(
            Parameter(name, "path", python_name, value, required=True, description=clean_doc(desc), line=line)
        )
    return Found(tuple(out), findings_of(*schemas))


def _query_params(page: Page, taken: set[str]) -> Found[tuple[Parameter, ...]]:
    out = []
    schemas: list[Found[Schema]] = []
    for row in page.query_params.rows if page.query_params else ():
        if not row.cells or not row.cells[0]:
            continue
        name = row.cells[0]
        required, desc = split_required(row.cell(2))
        schema = _param_schema(row.cell(1, "string"), Place(page.file, row.line))
        schemas.append(schema)
        style = "form" if schema.value.get("type") == "array" else ""
        python_name = param_name(name, taken)
        description = clean_doc(desc)
        out.append(
            Parameter(
                name,
                "query",
                python_name,
                schema.value,
                required=required,
                description=description,
                line=row.line,
                style=style,
            )
        )
    return Found(tuple(out), findings_of(*schemas))


def _header_params(page: Page) -> list[Parameter]:
    return [
        Parameter(
            h.name,
            "header",
            snake(h.name),
            {"type": "string"},
            required=False,
            description=clean_doc(h.description),
            line=h.line,
        )
        for h in page.headers
        if h.name in STANDARD_HEADERS
    ]


def _header_media(page: Page, name: str) -> tuple[str, ...]:
    for h in page.headers:
        if h.name.lower() == name.lower():
            return h.media_types
    return ()


def _rows(table: Table | None, file: str) -> list[PropertyRow]:
    return [
        PropertyRow(r.cells[0], classify_type(r.cell(1)), r.cell(2), Place(file, r.line))
        for r in (table.rows if table else ())
        if r.cells and r.cells[0]
    ]


@dataclass(frozen=True)
class _BodyPage:
    """What every kind of request body reads of its page."""

    page: Page
    section: RequestBodySection
    op: str
    evidence: PageEvidence
    media: tuple[str, ...]
    example: Any
    has_example: bool

    @property
    def place(self) -> Place:
        return Place(self.page.file, self.section.line)

    def rows(self) -> list[PropertyRow]:
        return _rows(self.section.table, self.page.file)


def _request_body(
    page: Page, op: str, evidence: PageEvidence, media: tuple[str, ...], taken: frozenset[str]
) -> RequestBody | None:
    section = page.request_body
    if section is None:
        return None
    sample = page.sample_request
    has_example = bool(sample and sample.has_json)
    example = sample.json if sample is not None and has_example else None
    body = _BodyPage(page, section, op, evidence, media, example, has_example)
    kind = section.kind.lower()
    if kind == "binary":
        return RequestBody(
            name=section.name, media_types=("application/octet-stream",), schema=_BINARY, kind="binary"
        )
    if kind in PRIMITIVES:
        if page.method == "PATCH" and kind == "string":
            return _json_patch_body(body)
        return RequestBody(
            name=section.name,
            media_types=media,
            schema=dict(PRIMITIVES[kind]),
            example=example,
            has_example=has_example,
        )
    rows = body.rows()
    if not rows and not has_example:
        return _lone_body(body)
    if section.name == "request":
        return _wrapper_body(body, rows, taken)
    return _entity_body(body, rows)


def _json_patch_body(body: _BodyPage) -> RequestBody:
    """`changes string` on a PATCH page: a JSON Patch (RFC 6902) document, whose operation the
    table describes (op, path, value); all PATCH pages share the one component. An operation's
    `value` is any JSON value (RFC 6902, 4.1): the pages' `Object` cell (C#'s `object`, "New/
    Replaced value - string or object") is not a JSON object there."""
    rows = [
        replace(r, type=DocType("any", {}, raw=r.type.raw)) if r.name.lower() == "value" else r
        for r in body.rows()
    ]
    example = body.example
    items = (
        body.evidence.table(
            "JsonPatchOperation",
            rows,
            body.place,
            kind="body",
            op=body.op,
            sample=example if isinstance(example, list) else None,
        )
        if rows
        else {"type": "object"}
    )
    return RequestBody(
        name=body.section.name,
        media_types=("application/json-patch+json",),
        schema=array_of(items),
        description=clean_doc(body.section.description) or "JSON Patch operations (RFC 6902).",
        example=example,
        has_example=body.has_example,
        kind="json-patch",
    )


def _wrapper_body(body: _BodyPage, rows: list[PropertyRow], taken: frozenset[str]) -> RequestBody:
    """SuperOffice's agent convention: a wrapper object named <Operation>Request, whose
    properties the client takes as keyword arguments (unless one has the name of a path or
    query parameter, as on 41 pages: `id`; then it takes the model whole)."""
    example = body.example
    sample = example if isinstance(example, dict) else None
    schema = body.evidence.table(
        f"{pascal(body.op)}Request", rows, body.place, kind="request", op=body.op, sample=sample
    )
    clash = any(param_name(r.name, set()) in taken for r in rows)
    local: set[str] = set(taken)
    # Each field's schema comes from the merged component, once every page is read.
    fields = (
        ()
        if clash
        else tuple(BodyField(r.name, param_name(r.name, local), {}, clean_doc(r.description)) for r in rows)
    )
    return RequestBody(
        name=body.section.name,
        media_types=body.media,
        schema=schema,
        example=example,
        has_example=body.has_example,
        fields=fields,
        named=True,
    )


def _entity_body(body: _BodyPage, rows: list[PropertyRow]) -> RequestBody:
    """An entity (`entity`, `newEntity`...) or a list of them (`listItems`, `entities`): the
    sample's JSON kind says which; the table describes the entity."""
    is_list = isinstance(body.example, list)
    schema = body.evidence.table(
        f"{pascal(body.op)}{('RequestItem' if is_list else 'Request')}",
        rows,
        body.place,
        kind="body",
        op=body.op,
        sample=body.example,
    )
    return RequestBody(
        name=body.section.name,
        media_types=body.media,
        schema=array_of(schema) if is_list else schema,
        description=clean_doc(body.section.description),
        example=body.example,
        has_example=body.has_example,
        named=not is_list,
    )


def _lone_body(body: _BodyPage) -> RequestBody:
    """A body that is only a heading and a sentence (`## Request Body: contactIds` / "The primary
    keys."): its name and sentence are all the evidence on the page. A stream is bytes (raw,
    or base64 in JSON); anything else the fold settles with what other pages say of a
    property of that name (see `LoneBodySeen`)."""
    section = body.section
    sentence = clean_doc(section.description)
    if _STREAM_RE.search(sentence):
        raw = ("application/octet-stream", *(m for m in body.media if m != "application/octet-stream"))
        return RequestBody(
            name=section.name, media_types=raw, schema=_BINARY, description=sentence, kind="binary"
        )
    schema = body.evidence.lone_body(section.name, sentence, body.op, body.place)
    return RequestBody(name=section.name, media_types=body.media, schema=schema, description=sentence)


def _json_kind_fits(schema: dict, value: Any) -> bool:
    """Whether a sample value has the JSON kind of a primitive schema (objects: not checked here)."""
    t = schema.get("type")
    if value is None or t not in ("integer", "number", "boolean", "string"):
        return True
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "boolean":
        return isinstance(value, bool)
    return isinstance(value, str)


def _responses(
    page: Page, op: str, evidence: PageEvidence, accept: tuple[str, ...]
) -> Found[tuple[Response, ...]]:
    section = page.response
    if section is None:
        return Found((Response(status=200, description="OK", schema=None, media_types=()),))
    sample = page.sample_response
    accept = _sent_media(sample, accept)
    statuses = section.statuses or ()
    codes = {s.code for s in statuses}
    schema = _response_schema(page, op, evidence) if (200 in codes or not codes) else None
    misfit = _misfit_sample(page, schema, sample)
    out = tuple(
        _response(st.code, st.description, schema, accept, None if misfit else sample) for st in statuses
    )
    if not out:
        out = (
            Response(
                status=200,
                description=clean_doc(section.description) or "OK",
                schema=schema,
                media_types=accept if schema is not None else (),
            ),
        )
    return Found(out, misfit)


def _sent_media(sample: Sample | None, accept: tuple[str, ...]) -> tuple[str, ...]:
    """The sample shows what the API really sends (byte responses: a JSON string as
    application/json, whatever image types the Accept row lists)."""
    if sample is None:
        return accept
    sent = next((v.split(";")[0].strip() for k, v in sample.headers if k.lower() == "content-type"), "")
    return (sent, *accept) if sent and sent not in accept else accept


def _misfit_sample(page: Page, schema: Schema | None, sample: Sample | None) -> tuple[Diagnostic, ...]:
    """A primitive response whose sample has another JSON kind (int64 pages show 99.99): the
    declared type is the API's; the sample is filler, and an example must validate."""
    if schema is None or sample is None or not sample.has_json or _json_kind_fits(schema, sample.json):
        return ()
    kind = page.response.kind if page.response is not None else ""
    message = (
        f"sample response {json.dumps(sample.json)[:40]} does not fit the declared "
        f"{kind or 'response'} type; the sample is left out"
    )
    return (diag("DG204", page.file, sample.line, message),)


def _response(
    status: int, description: str, schema: Schema | None, accept: tuple[str, ...], sample: Sample | None
) -> Response:
    """One status of a response; the sample is its example when the sample shows that status."""
    has_body = 200 <= status < 300 and status != 204 and schema is not None
    example_ok = has_body and sample is not None and sample.has_json and sample.status == status
    return Response(
        status=status,
        description=clean_doc(description) or "OK",
        schema=schema if has_body else None,
        media_types=accept if has_body else (),
        example=sample.json if sample is not None and example_ok else None,
        has_example=example_ok,
        example_at=sample_at(sample) if sample is not None and example_ok else None,
    )


def _response_schema(page: Page, op: str, evidence: PageEvidence) -> Schema | None:
    section = page.response
    assert section is not None
    kind = section.kind.strip().lower()
    sample = page.sample_response
    sample_json = sample.json if sample is not None and sample.has_json else None
    body_type = section.body_type.strip()
    place = Place(page.file, section.body_line)
    if kind in PRIMITIVES:
        return dict(PRIMITIVES[kind])
    if kind == "array":
        return _array_response(page, op, evidence, sample_json)
    if kind == "object":
        return _sampled(sample_json, "object") or {"type": "object"}
    if not body_type:
        return None
    if body_type in PRIMITIVES:
        return dict(PRIMITIVES[body_type])
    rows = _rows(section.body_table, page.file)
    if rows:
        sample_object = sample_json if isinstance(sample_json, dict) else None
        return evidence.table(body_type, rows, place, kind="response", op=op, sample=sample_object)
    if isinstance(sample_json, dict):
        evidence.sample(body_type, sample_json)
    return evidence.named(body_type, place)


def _array_response(page: Page, op: str, evidence: PageEvidence, sample_json: Any) -> Schema:
    section = page.response
    assert section is not None
    rows = _rows(section.body_table, page.file)
    if not rows:
        return _sampled(sample_json, "array") or array_of({})
    elements = [v for v in sample_json if isinstance(v, dict)] if isinstance(sample_json, list) else None
    place = Place(page.file, section.body_line)
    return array_of(
        evidence.table(f"{pascal(op)}Item", rows, place, kind="element", op=op, sample=elements or None)
    )


def _sampled(value: Any, kind: str) -> Schema | None:
    """What a table-less `Response: array` or `object` holds, when its sample shows only
    primitives and dictionaries (`["sed", "earum"]`, `{"1": "inventore"}`): the sample is the
    only evidence there is, and its JSON kinds are trustworthy even where its values are filler."""
    if value is None:
        return None
    schema = plain_schema(shape_of(value))
    return schema if schema is not None and schema.get("type") == kind else None

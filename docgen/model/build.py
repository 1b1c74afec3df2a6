"""Pages to the endpoint model: parameters, bodies, responses and one schema registry."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from docgen.diagnostics import Diagnostic, Place, diag
from docgen.model.api import Api, BodyField, Component, Endpoint, Parameter, RequestBody, Response, Stats, Tag
from docgen.model.evidence import Evidence, PageEvidence, PropertyRow
from docgen.model.infer import plain_schema, shape_of
from docgen.model.schemas import fold
from docgen.model.typemap import PRIMITIVES, array_of, classify_type
from docgen.parser.page import IndexPage, Page, RequestBodySection, Table
from docgen.text import clean_doc, param_name, pascal, snake, split_required, unique

ERROR_SCHEMA = "ErrorBody"
# The fields of SuperOffice's error body, by role: the spec's component, the server stub's
# error answers and the client's ApiError all come from this one table.
ERROR_FIELDS = {"error": "Error", "type": "ErrorType", "message": "ErrorMessage", "source": "ErrorSource"}
# Request headers the client sets from its own configuration; the spec lists them as header
# parameters (components/parameters) so other tools see them too.
STANDARD_HEADERS: dict[str, str] = {
    "Accept-Language": "AcceptLanguage",
    "SO-Language": "SoLanguage",
    "SO-Culture": "SoCulture",
    "SO-TimeZone": "SoTimeZone",
    "SO-AppToken": "SoAppToken",
}
_STREAM_RE = re.compile(r"\bstream\b", re.I)
_STATUS_RE = re.compile(r"^HTTP/\S+\s+(\d{3})")
_PATH_PARAM_RE = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class PageModel:
    """What one page contributes: its endpoint and what it tells the schema registry.

    A function of the page alone, so the build caches it by the page's content; `assemble`
    folds the evidence of every page (in file order) into one registry and links the endpoints.
    """

    file: str
    endpoint: Endpoint | None
    evidence: tuple[Evidence, ...]
    diagnostics: tuple[Diagnostic, ...]


def page_model(page: Page, extra: tuple[Diagnostic, ...] = ()) -> PageModel:
    evidence = PageEvidence(page.file, page.folder)
    ep, diags = _endpoint(page, evidence)
    return PageModel(page.file, ep, tuple(evidence.records), (*extra, *diags))


def build_api(
    pages: list[Page], indexes: list[IndexPage], title: str, version: str
) -> tuple[Api, list[Diagnostic]]:
    return assemble([page_model(p) for p in pages], indexes, title, version)


def assemble(
    models: list[PageModel], indexes: list[IndexPage], title: str, version: str
) -> tuple[Api, list[Diagnostic]]:
    """Every page's model into one API: one registry, unique uids and method names."""
    diags: list[Diagnostic] = []
    evidence: list[Evidence] = []
    endpoints: list[Endpoint] = []
    seen_uids: dict[str, str] = {}
    names_in_tag: dict[str, set[str]] = defaultdict(set)
    pages = 0
    for m in sorted(models, key=lambda m: m.file):
        diags.extend(m.diagnostics)
        ep = m.endpoint
        if ep is None:
            continue
        pages += 1
        if ep.operation_id in seen_uids:
            first = seen_uids[ep.operation_id]
            message = f"uid {ep.operation_id!r} is already defined by {first}; this page is skipped"
            diags.append(diag("DG105", ep.file, 1, message))
            continue
        seen_uids[ep.operation_id] = ep.file
        evidence += m.evidence
        endpoints.append(replace(ep, python_name=unique(ep.python_name, names_in_tag[ep.tag], "_")))
    diags.extend(_route_conflicts(endpoints))

    schemas = fold(evidence)
    diags.extend(schemas.diagnostics)
    by_name = {c.name: c for c in schemas.components}
    endpoints = [_relinked(e, schemas.resolve, by_name) for e in endpoints]
    components = sorted(
        [*schemas.components, Component(ERROR_SCHEMA, _error_schema(), "error")], key=lambda c: c.name
    )

    index_by_folder = {i.folder: i for i in indexes}
    tags = []
    for folder in sorted({e.tag for e in endpoints}):
        idx = index_by_folder.get(folder)
        tags.append(Tag(folder, clean_doc(idx.description) if idx else "", snake(folder), pascal(folder)))
    opaque = tuple(c.name for c in components if c.origin == "opaque")
    stats = Stats(
        pages=pages,
        operations=len(endpoints),
        schemas=len(components),
        opaque=opaque,
        unknown_arrays=schemas.unknown_arrays,
        conflicts=schemas.conflicts,
    )
    endpoints.sort(key=lambda e: (e.path, e.method, e.operation_id))
    api = Api(title, version, tuple(endpoints), tuple(components), tuple(tags), stats=stats)
    return api, diags


def _relinked(ep: Endpoint, resolve: Callable[[Any], Any], components: dict[str, Component]) -> Endpoint:
    """The endpoint with the pending references of its body and responses resolved, and the
    schema of each keyword argument of its body taken from the body's component."""
    body = ep.body
    if body is not None:
        body = replace(body, schema=resolve(body.schema))
        if body.fields:
            props = components[body.model].schema.get("properties") or {}
            fields = tuple(replace(f, schema=props.get(f.name, {})) for f in body.fields)
            body = replace(body, fields=fields)
    responses = tuple(
        replace(r, schema=resolve(r.schema)) if r.schema is not None else r for r in ep.responses
    )
    return replace(ep, body=body, responses=responses)


def _error_schema() -> dict:
    s = {"type": ["string", "null"]}
    return {
        "type": "object",
        "description": "SuperOffice's error body, sent with any error status.",
        "properties": {name: s for name in ERROR_FIELDS.values()},
    }


def operation_name(uid: str) -> str:
    """`v1ContactAgent_EnrichContactEntity` -> `EnrichContactEntity`."""
    return uid.split("_", 1)[1] if "_" in uid else uid


def _endpoint(page: Page, evidence: PageEvidence) -> tuple[Endpoint, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    op = operation_name(page.uid)
    taken: set[str] = set()
    params = _path_params(page, taken, diags) + _query_params(page, taken, diags) + _header_params(page)

    content_types = _header_media(page, "Content-Type") or ("application/json",)
    accept = _header_media(page, "Accept") or ("application/json",)
    body = _request_body(page, op, evidence, content_types, taken)

    responses = _responses(page, op, evidence, accept, diags)
    python_name = snake(op)  # made unique within its folder by `assemble`

    extensions: list[tuple[str, Any]] = []
    notices: list[tuple[str, str]] = []
    for notice in page.notices:
        if notice.kind == "Online Restricted":
            extensions.append(("x-superoffice-online-restricted", clean_doc(notice.text)))
        elif notice.kind == "Experimental":
            extensions.append(("x-superoffice-experimental", clean_doc(notice.text) or True))
        elif notice.kind == "NsApiSlow":
            ms = re.match(r"(\d+)", notice.text)
            extensions.append(
                ("x-superoffice-nsapi-slow-threshold-ms", int(ms.group(1)) if ms else notice.text)
            )
        notices.append((notice.kind, clean_doc(notice.text)))
    if page.extra_sections:  # `## Filter Operators` and other OData help kept for readers
        extensions.append(
            ("x-superoffice-notes", [{"title": s.title, "text": s.text} for s in page.extra_sections])
        )
    description = clean_doc(page.description)
    deprecated = "deprecated" in description.lower()[:40]
    ep = Endpoint(
        operation_id=page.uid,
        method=page.method,
        path=page.path,
        tag=page.folder,
        python_name=python_name,
        summary=clean_doc(page.summary),
        description=description,
        file=page.file,
        line=page.request_line,
        parameters=tuple(params),
        body=body,
        responses=tuple(responses),
        deprecated=deprecated,
        extensions=tuple(extensions),
        notices=tuple(notices),
    )
    return ep, diags


def _param_schema(
    type_cell: str, file: str = "", line: int = 0, diags: list[Diagnostic] | None = None
) -> dict:
    t = classify_type(type_cell)
    if t.kind in ("primitive", "enum"):
        return t.schema
    if t.kind == "array":
        return {"type": "array", "items": {"type": "string"}}
    if t.kind == "unknown" and diags is not None:
        diags.append(
            diag(
                "DG109",
                file,
                line,
                f"parameter type {type_cell.strip()!r} is not understood: expected a primitive (string, "
                "int32, bool...), array or Enum:; sent as a string",
            )
        )
    # Objects and named types in a query string travel as text.
    return {"type": "string"}


def _path_params(page: Page, taken: set[str], diags: list[Diagnostic]) -> list[Parameter]:
    rows = {r.cells[0]: r for r in (page.path_params.rows if page.path_params else ()) if r.cells}
    out = []
    for name in _PATH_PARAM_RE.findall(page.path):
        row = rows.get(name)
        if row is not None:
            _, desc = split_required(row.cell(2))
            schema, line = (
                _param_schema(row.cell(1, "string"), page.file, row.line, diags),
                row.line,
            )
        else:
            schema, desc, line = {"type": "string"}, "", page.request_line
        python_name = param_name(name, taken)
        out.append(
            Parameter(
                name, "path", python_name, schema, required=True, description=clean_doc(desc), line=line
            )
        )
    return out


def _query_params(page: Page, taken: set[str], diags: list[Diagnostic]) -> list[Parameter]:
    out = []
    for row in page.query_params.rows if page.query_params else ():
        if not row.cells or not row.cells[0]:
            continue
        name = row.cells[0]
        required, desc = split_required(row.cell(2))
        schema = _param_schema(row.cell(1, "string"), page.file, row.line, diags)
        style = "form" if schema.get("type") == "array" else ""
        python_name = param_name(name, taken)
        description = clean_doc(desc)
        out.append(
            Parameter(
                name,
                "query",
                python_name,
                schema,
                required=required,
                description=description,
                line=row.line,
                style=style,
            )
        )
    return out


def _header_params(page: Page) -> list[Parameter]:
    out = []
    for h in page.headers:
        if h.name in STANDARD_HEADERS:
            out.append(
                Parameter(
                    h.name,
                    "header",
                    snake(h.name),
                    {"type": "string"},
                    required=False,
                    description=clean_doc(h.description),
                    line=h.line,
                )
            )
    return out


def _header_media(page: Page, name: str) -> tuple[str, ...]:
    for h in page.headers:
        if h.name.lower() == name.lower():
            return h.media_types
    return ()


def _rows(table: Table | None, file: str) -> list[PropertyRow]:
    rows = []
    for r in table.rows if table else ():
        if not r.cells or not r.cells[0]:
            continue
        rows.append(
            PropertyRow(
                r.cells[0],
                classify_type(r.cell(1)),
                r.cell(2),
                Place(file, r.line),
            )
        )
    return rows


def _request_body(
    page: Page, op: str, evidence: PageEvidence, media: tuple[str, ...], taken: set[str]
) -> RequestBody | None:
    section = page.request_body
    if section is None:
        return None
    sample = page.sample_request
    has_example = bool(sample and sample.has_json)
    example = sample.json if sample is not None and has_example else None
    kind = section.kind.lower()
    if kind == "binary":
        return RequestBody(
            name=section.name,
            media_types=("application/octet-stream",),
            schema={"type": "string", "format": "binary"},
            kind="binary",
        )
    if kind in PRIMITIVES:
        schema = dict(PRIMITIVES[kind])
        if page.method == "PATCH" and kind == "string":
            # `changes string`: a JSON Patch (RFC 6902) document, whose operation the table
            # describes (op, path, value); all PATCH pages share the one component.
            rows = _rows(section.table, page.file)
            items = (
                evidence.table(
                    "JsonPatchOperation",
                    rows,
                    Place(page.file, section.line),
                    kind="body",
                    op=op,
                    sample=example if isinstance(example, list) else None,
                )
                if rows
                else {"type": "object"}
            )
            description = clean_doc(section.description) or "JSON Patch operations (RFC 6902)."
            return RequestBody(
                name=section.name,
                media_types=("application/json-patch+json",),
                schema=array_of(items),
                description=description,
                example=example,
                has_example=has_example,
                kind="json-patch",
            )
        return RequestBody(
            name=section.name, media_types=media, schema=schema, example=example, has_example=has_example
        )
    rows = _rows(section.table, page.file)
    place = Place(page.file, section.line)
    if not rows and not has_example:
        return _lone_body(section, op, evidence, media, place)
    if section.name == "request":
        # SuperOffice's agent convention: a wrapper object named <Operation>Request, whose
        # properties the client takes as keyword arguments (unless one has the name of a
        # path or query parameter, as on 41 pages: `id`; then it takes the model whole).
        name = f"{pascal(op)}Request"
        ref = evidence.table(
            name, rows, place, kind="request", op=op, sample=example if isinstance(example, dict) else None
        )
        clash = any(param_name(r.name, set()) in taken for r in rows)
        local: set[str] = set(taken)
        fields = (
            ()
            if clash
            else tuple(
                # The schema comes from the merged component, once every page is read.
                BodyField(r.name, param_name(r.name, local), {}, clean_doc(r.description))
                for r in rows
            )
        )
        return RequestBody(
            name=section.name,
            media_types=media,
            schema=ref,
            example=example,
            has_example=has_example,
            fields=fields,
            named=True,
        )
    # An entity (`entity`, `newEntity`...) or a list of them (`listItems`, `entities`): the
    # sample's JSON kind says which; the table describes the entity.
    is_list = isinstance(example, list)
    ref = evidence.table(
        f"{pascal(op)}{('RequestItem' if is_list else 'Request')}",
        rows,
        place,
        kind="body",
        op=op,
        sample=example,
    )
    schema = array_of(ref) if is_list else ref
    return RequestBody(
        name=section.name,
        media_types=media,
        schema=schema,
        description=clean_doc(section.description),
        example=example,
        has_example=has_example,
        named=not is_list,
    )


def _lone_body(
    section: RequestBodySection, op: str, evidence: PageEvidence, media: tuple[str, ...], place: Place
) -> RequestBody:
    """A body that is only a heading and a sentence (`## Request Body: contactIds` / "The primary
    keys."): its name and sentence are all the evidence on the page. A stream is bytes (raw,
    or base64 in JSON); anything else the registry settles with what other pages say of a
    property of that name (see `LoneBodySeen`)."""
    sentence = clean_doc(section.description)
    if _STREAM_RE.search(sentence):
        raw = ("application/octet-stream", *(m for m in media if m != "application/octet-stream"))
        binary = {"type": "string", "format": "binary"}
        return RequestBody(
            name=section.name, media_types=raw, schema=binary, description=sentence, kind="binary"
        )
    schema = evidence.lone_body(section.name, sentence, op, place)
    return RequestBody(name=section.name, media_types=media, schema=schema, description=sentence)


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
    page: Page, op: str, evidence: PageEvidence, accept: tuple[str, ...], diags: list[Diagnostic]
) -> list[Response]:
    section = page.response
    sample = page.sample_response
    sample_status = None
    if sample is not None:
        m = _STATUS_RE.match(sample.start_line)
        sample_status = int(m.group(1)) if m else None
    if section is None:
        return [Response(status=200, description="OK", schema=None, media_types=())]
    if sample is not None:
        # The sample shows what the API really sends (byte responses: a JSON string as
        # application/json, whatever image types the Accept row lists).
        sent = next((v.split(";")[0].strip() for k, v in sample.headers if k.lower() == "content-type"), "")
        if sent and sent not in accept:
            accept = (sent, *accept)
    out = []
    statuses = section.statuses or ()
    codes = {s.code for s in statuses}
    schema = _response_schema(page, op, evidence) if (200 in codes or not codes) else None
    sample_fits = True
    if (
        schema is not None
        and sample is not None
        and sample.has_json
        and not _json_kind_fits(schema, sample.json)
    ):
        # A primitive response whose sample has another JSON kind (int64 pages show 99.99):
        # the declared type is the API's; the sample is filler, and an example must validate.
        sample_fits = False
        diags.append(
            diag(
                "DG204",
                page.file,
                sample.line,
                f"sample response {json.dumps(sample.json)[:40]} does not fit the declared "
                f"{section.kind or 'response'} type; the sample is left out",
            )
        )
    for st in statuses:
        has_body = 200 <= st.code < 300 and st.code != 204 and schema is not None
        example_ok = (
            has_body and sample_fits and sample is not None and sample.has_json and sample_status == st.code
        )
        out.append(
            Response(
                status=st.code,
                description=clean_doc(st.description) or "OK",
                schema=schema if has_body else None,
                media_types=accept if has_body else (),
                example=sample.json if sample is not None and example_ok else None,
                has_example=example_ok,
            )
        )
    if not out:
        out.append(
            Response(
                status=200,
                description=clean_doc(section.description) or "OK",
                schema=schema,
                media_types=accept if schema is not None else (),
            )
        )
    return out


def _response_schema(page: Page, op: str, evidence: PageEvidence) -> dict | None:
    section = page.response
    assert section is not None
    kind = section.kind.strip().lower()
    sample = page.sample_response
    sample_json = sample.json if sample is not None and sample.has_json else None
    body_type = section.body_type.strip()
    if kind in PRIMITIVES:
        return dict(PRIMITIVES[kind])
    if kind == "array":
        rows = _rows(section.body_table, page.file)
        if rows:
            elements = (
                [v for v in sample_json if isinstance(v, dict)] if isinstance(sample_json, list) else None
            )
            ref = evidence.table(
                f"{pascal(op)}Item",
                rows,
                Place(page.file, section.body_line),
                kind="element",
                op=op,
                sample=elements or None,
            )
            return array_of(ref)
        return _sampled(sample_json, "array") or array_of({})
    if kind == "object":
        return _sampled(sample_json, "object") or {"type": "object"}
    if not body_type:
        return None
    if body_type in PRIMITIVES:
        return dict(PRIMITIVES[body_type])
    rows = _rows(section.body_table, page.file)
    if rows:
        return evidence.table(
            body_type,
            rows,
            Place(page.file, section.body_line),
            kind="response",
            op=op,
            sample=sample_json if isinstance(sample_json, dict) else None,
        )
    if isinstance(sample_json, dict):
        evidence.sample(body_type, sample_json)
    return evidence.named(body_type, Place(page.file, section.body_line))


def _sampled(value: Any, kind: str) -> dict | None:
    """What a table-less `Response: array` or `object` holds, when its sample shows only
    primitives and dictionaries (`["sed", "earum"]`, `{"1": "inventore"}`): the sample is the
    only evidence there is, and its JSON kinds are trustworthy even where its values are filler."""
    if value is None:
        return None
    schema = plain_schema(shape_of(value))
    return schema if schema is not None and schema.get("type") == kind else None


def _route_conflicts(endpoints: list[Endpoint]) -> list[Diagnostic]:
    shapes: dict[tuple[str, str], list[Endpoint]] = defaultdict(list)
    for e in endpoints:
        shapes[(e.method, _PATH_PARAM_RE.sub("{}", e.path))].append(e)
    out = []
    for (_method, _shape), group in sorted(shapes.items()):
        paths = sorted({e.path for e in group})
        if len(paths) > 1:
            for e in group:
                others = ", ".join(p for p in paths if p != e.path)
                out.append(
                    diag(
                        "DG203",
                        e.file,
                        e.line,
                        f"{e.method} {e.path} differs from {others} only in a parameter name; OpenAPI "
                        "forbids it, the server routes them by type",
                    )
                )
    return out

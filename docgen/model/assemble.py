"""Every page's model into one API: the schema fold, unique uids and method names, tags."""

from __future__ import annotations

import hashlib
import io
import pickle
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from docgen.diagnostics import Diagnostic, Found, Place, diag, findings_of
from docgen.model.api import ERROR_FIELDS, ERROR_SCHEMA, Api, Component, Endpoint, Schema, Stats, Tag
from docgen.model.checks import declared_places, sample_checks
from docgen.model.docfx import ReferenceModel
from docgen.model.endpoints import PATH_PARAM_RE, PageModel, page_model
from docgen.model.examples import fitted
from docgen.model.fold import Schemas, fold
from docgen.parser.page import IndexPage, Page
from docgen.text import CLIENT_ATTRIBUTES, clean_doc, pascal, snake, unique


def build_api(
    pages: list[Page],
    indexes: list[IndexPage],
    title: str,
    version: str,
    references: Sequence[ReferenceModel] = (),
) -> Found[Api]:
    return assemble([page_model(p) for p in pages], indexes, title, version, references)


def assemble(
    models: list[PageModel],
    indexes: list[IndexPage],
    title: str,
    version: str,
    references: Sequence[ReferenceModel] = (),
) -> Found[Api]:
    """Every page's model (and every reference file's) into one API: one fold, unique uids and
    method names."""
    return finish(fold_pages(models, references), indexes, title, version)


@dataclass(frozen=True)
class Folded:
    """Every page folded with the reference, page by page: what `finish` makes the API of, and
    what a rebuild after an edit changes for the pages edited (`docgen.incremental`). The
    mappings are the fold's own and never changed after it (dicts, so that they pickle)."""

    files: tuple[str, ...]  # the page files, sorted
    endpoints: dict[str, Endpoint]  # file -> its endpoint linked and fitted, its page's method name
    page_findings: dict[str, tuple[Diagnostic, ...]]  # file -> what reading the page found
    checks: dict[str, tuple[Diagnostic, ...]]  # file -> what its samples say against the types
    duplicates: tuple[Diagnostic, ...]  # pages skipped: their uid is an earlier page's
    reference_findings: tuple[Diagnostic, ...]
    schemas: Schemas
    declared: dict[tuple[str, str], Place]  # where each (type, property) is declared
    pages: int  # pages with an endpoint
    fingerprints: dict[str, str]  # file -> the content key of its endpoint (what outputs are keyed by)


def fold_pages(models: list[PageModel], references: Sequence[ReferenceModel] = ()) -> Folded:
    """The pages whose uid no earlier page (by file) defines, their evidence and the
    reference's folded into the components, and each endpoint linked to them."""
    models = sorted(models, key=lambda m: m.file)
    references = sorted(references, key=lambda r: r.file)
    kept, duplicates = _kept_pages(models)
    evidence = [*(e for m in kept for e in m.evidence), *(e for r in references for e in r.evidence)]
    schemas = fold(evidence)
    declared = declared_places(evidence)
    endpoints: dict[str, Endpoint] = {}
    checks: dict[str, tuple[Diagnostic, ...]] = {}
    for m in kept:
        endpoints[m.file], checks[m.file] = linked_endpoint(m, schemas, declared)
    return Folded(
        files=tuple(m.file for m in models),
        endpoints=endpoints,
        page_findings={m.file: m.diagnostics for m in models},
        checks=checks,
        duplicates=duplicates,
        reference_findings=tuple(d for r in references for d in r.diagnostics),
        schemas=schemas,
        declared=declared,
        pages=sum(m.endpoint is not None for m in models),
        fingerprints={f: fingerprint(ep) for f, ep in endpoints.items()},
    )


def fingerprint(value: object) -> str:
    """A content key of a record: its pickle without the memo (which would write an object met
    twice as a reference to the first, so that equal records, one fresh and one read back from
    the cache, would pickle apart by which of their strings are the same object)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: the bytes are the structure alone (records hold no cycles)
    pickler.dump(value)
    return hashlib.sha1(out.getvalue()).hexdigest()


def linked_endpoint(
    model: PageModel, schemas: Schemas, declared: Mapping[tuple[str, str], Place]
) -> tuple[Endpoint, tuple[Diagnostic, ...]]:
    """A kept page's endpoint linked to the fold's components, its samples checked against
    them (as the page shows them), then fitted to them as examples."""
    assert model.endpoint is not None
    by_name = {c.name: c for c in schemas.components}
    ep = _relinked(model.endpoint, schemas.resolve, by_name)
    checked = sample_checks([ep], by_name, declared)
    return _with_fitted_examples(ep, {c.name: c.schema for c in schemas.components}), checked


def finish(folded: Folded, indexes: list[IndexPage], title: str, version: str) -> Found[Api]:
    """The API of the folded pages: unique method names, routes, tags, statistics."""
    schemas = folded.schemas
    named = _method_names([folded.endpoints[f] for f in folded.files if f in folded.endpoints])
    conflicts = _route_conflicts(named.value)
    endpoints = sorted(named.value, key=lambda e: (e.path, e.method, e.operation_id))
    components = sorted(
        [*schemas.components, Component(ERROR_SCHEMA, _error_schema(), "error")], key=lambda c: c.name
    )
    stats = Stats(
        pages=folded.pages,
        operations=len(endpoints),
        schemas=len(components),
        opaque=tuple(c.name for c in components if c.origin == "opaque"),
        unknown_arrays=schemas.unknown_arrays,
        conflicts=schemas.conflicts,
    )
    tags = _tags(endpoints, indexes)
    api = Api(title, version, tuple(endpoints), tuple(components), tags.value, stats=stats)
    findings = findings_of(
        (d for f in folded.files for d in folded.page_findings[f]),
        folded.reference_findings,
        folded.duplicates,
        named,
        conflicts,
        schemas.diagnostics,
        (d for f in folded.files for d in folded.checks.get(f, ())),
        tags,
    )
    return Found(api, findings)


def _kept_pages(models: list[PageModel]) -> tuple[list[PageModel], tuple[Diagnostic, ...]]:
    """The pages with an endpoint whose uid no earlier page (by file) defines."""
    seen_uids: dict[str, str] = {}
    kept: list[PageModel] = []
    findings: list[Diagnostic] = []
    for m in models:
        ep = m.endpoint
        if ep is None:
            continue
        if ep.operation_id in seen_uids:
            first = seen_uids[ep.operation_id]
            message = f"uid {ep.operation_id!r} is already defined by {first}; this page is skipped"
            findings.append(diag("DG105", ep.file, 1, message))
            continue
        seen_uids[ep.operation_id] = ep.file
        kept.append(m)
    return kept, tuple(findings)


def _method_names(endpoints: list[Endpoint]) -> Found[list[Endpoint]]:
    """Each endpoint with a method name unique in its tag (the first page, by file, keeps its
    own)."""
    names_in_tag: dict[str, set[str]] = defaultdict(set)
    out: list[Endpoint] = []
    findings: list[Diagnostic] = []
    for ep in endpoints:
        name = unique(ep.python_name, names_in_tag[ep.tag], "_")
        if name != ep.python_name:
            message = f"another operation of {ep.tag} is the method {ep.python_name}(); this one is {name}()"
            findings.append(diag("DG209", ep.file, 1, message))
        out.append(replace(ep, python_name=name) if name != ep.python_name else ep)
    return Found(out, tuple(findings))


def _tags(endpoints: list[Endpoint], indexes: list[IndexPage]) -> Found[tuple[Tag, ...]]:
    """One tag per folder, described by the folder's index page where there is one. Folders
    whose names give one module and namespace (`Contact_Agent`, `ContactAgent`: both
    `api/contact_agent.py`) are told apart by a number, with a finding: no operation is lost."""
    index_by_folder = {i.folder: i for i in indexes}
    first_page: dict[str, str] = {}
    for e in sorted(endpoints, key=lambda e: e.file):
        first_page.setdefault(e.tag, e.file)
    tags = []
    modules: set[str] = set()
    classes: set[str] = set()
    owner: dict[str, str] = {}
    findings: list[Diagnostic] = []
    for folder in sorted({e.tag for e in endpoints}):
        idx = index_by_folder.get(folder)
        wanted = snake(folder) + ("_" if snake(folder) in CLIENT_ATTRIBUTES else "")  # client.request_
        module = unique(wanted, modules, "_")
        if module != wanted:
            message = (
                f"folders {owner[wanted]!r} and {folder!r} would both be api/{wanted}.py; "
                f"{folder!r} is api/{module}.py (client.{module})"
            )
            findings.append(diag("DG209", first_page[folder], 1, message))
        owner.setdefault(wanted, folder)
        description = clean_doc(idx.description) if idx else ""
        tags.append(Tag(folder, description, module, unique(pascal(folder), classes)))
    return Found(tuple(tags), tuple(findings))


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


def _with_fitted_examples(ep: Endpoint, schemas: dict[str, Schema]) -> Endpoint:
    """The page's samples as examples that fit their schemas (see `examples.fitted`)."""
    body = ep.body
    if body is not None and body.has_example:
        body = replace(body, example=fitted(body.schema, body.example, schemas))
    responses = tuple(
        replace(r, example=fitted(r.schema, r.example, schemas)) if r.has_example else r for r in ep.responses
    )
    return replace(ep, body=body, responses=responses)


def _error_schema() -> dict:
    s = {"type": ["string", "null"]}
    return {
        "type": "object",
        "description": "SuperOffice's error body, sent with any error status.",
        "properties": {name: s for name in ERROR_FIELDS.values()},
    }


def _route_conflicts(endpoints: list[Endpoint]) -> list[Diagnostic]:
    shapes: dict[tuple[str, str], list[Endpoint]] = defaultdict(list)
    for e in endpoints:
        shapes[(e.method, PATH_PARAM_RE.sub("{}", e.path))].append(e)
    out = []
    for group in (g for _, g in sorted(shapes.items())):
        paths = sorted({e.path for e in group})
        if len(paths) > 1:
            for e in group:
                others = ", ".join(p for p in paths if p != e.path)
                message = (
                    f"{e.method} {e.path} differs from {others} only in a parameter name; OpenAPI "
                    "forbids it, the server routes them by type"
                )
                out.append(diag("DG203", e.file, e.line, message))
    return out

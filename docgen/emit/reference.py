"""The package's reference for people: `api.md` (every method by folder: its signature, route,
operationId, what it does, the notes users must see, and an example that calls it with its
page's values) and `models.md` (every model: its fields with their Python types and JSON
names, and the methods that take or return it).

The examples are the ones the methods' docstrings show (emit/examples.py). The models'
fields are read from the generated models module itself (datamodel-code-generator names
them), so the reference says what users import. Doc text reaches Markdown through
`escape.md_inline` only.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from docgen.emit.client import Operations, OperationView
from docgen.emit.environment import environment
from docgen.emit.escape import md_code, md_inline
from docgen.emit.examples import Example
from docgen.emit.memo import Keys, Memo
from docgen.emit.pysrc import WIDTH, parameter
from docgen.emit.settings import Settings
from docgen.model.api import Api, Endpoint, Schema, Tag, ref_name


@dataclass(frozen=True)
class Entry:
    """One method in api.md; every text already Markdown or Python source."""

    name: str  # `client.contact.get_contact_entity`
    anchor: str
    signature: str
    route: str
    operation_id: str
    summary: str
    notes: tuple[str, ...]
    example: str


@dataclass(frozen=True)
class Section:
    namespace: str  # `client.contact`
    anchor: str
    title: str
    description: str
    entries: tuple[Entry, ...]


def anchor(heading: str) -> str:
    """The id GitHub (and most Markdown renderers) give a heading: lower case, spaces to
    hyphens, punctuation but `-` and `_` dropped."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def signature(prefix: str, view: OperationView) -> str:
    """`client.ns.method(arg: type, *, kw: type = default) -> Answer`, on one line where it
    fits, else one parameter a line (the per-call options left out: every method has them)."""
    args = [f"{a.name}: {a.annotation}" + (f" = {a.default}" if a.default else "") for a in view.positional]
    keywords = [f"{a.name}: {a.annotation}" + (f" = {a.default}" if a.default else "") for a in view.keyword]
    one = f"{prefix}({', '.join([*args, *(['*', *keywords] if keywords else [])])}) -> {view.response_type}"
    if len(one) <= WIDTH:
        return one
    lines = [f"{prefix}("]
    lines += [line for a in view.positional for line in parameter(a.name, a.annotation, a.default, 4)]
    if view.keyword:
        lines.append("    *,")
        lines += [line for a in view.keyword for line in parameter(a.name, a.annotation, a.default, 4)]
    lines.append(f") -> {view.response_type}")
    return "\n".join(lines)


def _first_paragraph(ep: Endpoint) -> str:
    text = ep.description or ep.summary or f"{ep.method} {ep.path}"
    return md_inline(text.split("\n\n", 1)[0])


def _notes(ep: Endpoint) -> tuple[str, ...]:
    notes = [f"**{md_inline(kind)}**" + (f": {md_inline(text)}" if text else "") for kind, text in ep.notices]
    if ep.deprecated:
        notes.append("**Deprecated.**")
    return tuple(notes)


def entry(ep: Endpoint, tag: Tag, view: OperationView, example: Example | None) -> Entry:
    name = f"client.{tag.python_name}.{ep.python_name}"
    return Entry(
        name=name,
        anchor=anchor(name),
        signature=signature(name, view),
        route=md_code(f"{ep.method} {ep.path}"),
        operation_id=md_code(ep.operation_id),
        summary=_first_paragraph(ep),
        notes=_notes(ep),
        example=example.source() if example is not None else "",
    )


def section(tag: Tag, endpoints: list[Endpoint], operations: Operations) -> Section:
    """A folder's section: its namespace, title, description and methods, alphabetical."""
    namespace = f"client.{tag.python_name}"
    entries = tuple(
        entry(ep, tag, operations.view(ep), operations.example(ep))
        for ep in sorted(endpoints, key=lambda e: e.python_name)
    )
    description = md_inline(tag.description.split("\n\n", 1)[0]) if tag.description else ""
    return Section(namespace, anchor(namespace), md_inline(tag.name), description, entries)


@dataclass(frozen=True)
class _Rendered:
    """A folder's section of api.md, rendered: what the contents list needs of it, and its text."""

    namespace: str
    anchor: str
    methods: int
    text: str


def render_api_reference(
    api: Api, settings: Settings, operations: Operations, memo: Memo | None = None, keys: Keys | None = None
) -> dict[str, str]:
    """api.md: each folder's section rendered by `package/api_section.md.jinja` (from the last
    build where its operations, the components and the templates are as they were), laid out
    by `package/api.md.jinja`."""
    memo, keys = memo or Memo(), keys or Keys()
    env = environment(*settings.templates)
    section_template = env.get_template("package/api_section.md.jinja")
    rendered = []
    # One section per folder, alphabetical by namespace.
    for tag, endpoints in sorted(api.by_tag(), key=lambda te: te[0].python_name):
        namespace = f"client.{tag.python_name}"

        def render(tag: Tag = tag, endpoints: list[Endpoint] = endpoints) -> str:
            return section_template.render(s=section(tag, endpoints, operations))

        text = memo("api-section", keys.of_folder(tag, endpoints), render)
        rendered.append(_Rendered(namespace, anchor(namespace), len(endpoints), text))
    text = env.get_template("package/api.md.jinja").render(
        title=api.title,
        package=settings.package,
        base_url=settings.example_base_url,
        operations=len(api.endpoints),
        sections=rendered,
    )
    return {"api.md": text}


# models.md ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """A model's field; every text Markdown (the first three code spans)."""

    name: str
    annotation: str  # Python source
    wire: str  # the JSON name
    description: str


@dataclass(frozen=True)
class ModelDoc:
    name: str
    anchor: str
    kind: str  # "model", "enum", "root"
    description: str
    fields: tuple[Field, ...]
    members: tuple[tuple[str, str], ...]  # an enum's (member, value)
    root: str  # a root model's type
    taken_by: tuple[str, ...]  # methods (`client.ns.method`) whose request holds it
    returned_by: tuple[str, ...]


def model_docs(models_source: str, api: Api) -> list[ModelDoc]:
    """Every class of the generated models module, in its order, with its uses."""
    uses = model_uses(api)
    taken, returned = uses["taken"], uses["returned"]
    out = []
    for node in ast.parse(models_source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [ast.unparse(b) for b in node.bases]
        kind = (
            "enum"
            if "OpenStrEnum" in bases
            else "root"
            if any(b.startswith("RootModel") for b in bases)
            else "model"
        )
        root = bases[0].removeprefix("RootModel[").removesuffix("]") if kind == "root" else ""
        out.append(
            ModelDoc(
                name=node.name,
                anchor=anchor(node.name),
                kind=kind,
                description=md_inline((ast.get_docstring(node) or "").split("\n\n", 1)[0]),
                fields=tuple(_fields(node)) if kind == "model" else (),
                members=tuple(_members(node)) if kind == "enum" else (),
                root=root,
                taken_by=tuple(taken.get(node.name, ())),
                returned_by=tuple(returned.get(node.name, ())),
            )
        )
    return out


def _kind_of(bases: list[str]) -> str:
    if "OpenStrEnum" in bases:
        return "enum"
    return "root" if any(b.startswith("RootModel") for b in bases) else "model"


def _fields(cls: ast.ClassDef) -> Iterator[Field]:
    body = cls.body
    for i, node in enumerate(body):
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        annotation, wire = _annotated(node.annotation, node.target.id)
        following = body[i + 1] if i + 1 < len(body) else None
        doc = ""
        if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
            doc = str(following.value.value)
        name, python_type, json_name = (md_code(t, table=True) for t in (node.target.id, annotation, wire))
        yield Field(name, python_type, json_name, md_inline(doc, table=True))


def _annotated(annotation: ast.expr, name: str) -> tuple[str, str]:
    """(the Python type, the JSON name) of `Annotated[T, Field(alias="X")]` or of `T`."""
    if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) == "Annotated":
        parts = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
        alias = next(
            (
                kw.value.value
                for call in parts[1:]
                if isinstance(call, ast.Call)
                for kw in call.keywords
                if kw.arg == "alias" and isinstance(kw.value, ast.Constant)
            ),
            name,
        )
        return ast.unparse(parts[0]), str(alias)
    return ast.unparse(annotation), name


def _members(cls: ast.ClassDef) -> Iterator[tuple[str, str]]:
    for node in cls.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            target = node.targets[0]
            if isinstance(target, ast.Name):
                yield md_code(target.id, table=True), md_code(str(node.value.value), table=True)


def _refs(schema: Schema | None) -> Iterator[str]:
    """The components a schema names directly, or through array items and map values."""
    if not schema:
        return
    if "$ref" in schema:
        yield ref_name(schema)
    for alternative in schema.get("anyOf", ()):
        yield from _refs(alternative)
    items = schema.get("items")
    if isinstance(items, dict):
        yield from _refs(items)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        yield from _refs(extra)


def model_uses(api: Api) -> dict[str, dict[str, list[str]]]:
    """{"taken": component -> the methods whose request holds it, "returned": ... whose
    answer is it}, each list sorted."""
    namespaces = {t.name: t.python_name for t in api.tags}
    taken: dict[str, set[str]] = defaultdict(set)
    returned: dict[str, set[str]] = defaultdict(set)
    for ep in api.endpoints:
        method = f"client.{namespaces.get(ep.tag, ep.tag)}.{ep.python_name}"
        if ep.body is not None:
            for name in [*_refs(ep.body.schema), *(r for f in ep.body.fields for r in _refs(f.schema))]:
                taken[name].add(method)
        ok = ep.success
        for name in _refs(ok.schema if ok is not None else None):
            returned[name].add(method)
    return {
        "taken": {k: sorted(v) for k, v in sorted(taken.items())},
        "returned": {k: sorted(v) for k, v in sorted(returned.items())},
    }


def render_models_reference(api: Api, models_source: str, settings: Settings) -> dict[str, str]:
    env = environment(*settings.templates)
    text = env.get_template("package/models.md.jinja").render(
        title=api.title, package=settings.package, models=model_docs(models_source, api)
    )
    return {"models.md": text}

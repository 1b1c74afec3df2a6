"""The httpx client: `client.py` and one `api/<folder>.py` per agent or entity, over the
runtime docgen copies in (docgen/runtime)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docgen.emit.environment import environment
from docgen.emit.escape import py_docstring
from docgen.emit.examples import Example, operation_example
from docgen.emit.memo import Keys, Memo
from docgen.emit.pysrc import WIDTH, parameter, wrapped
from docgen.emit.pytypes import annotation, response_type
from docgen.emit.settings import Settings
from docgen.model.api import SELECT, Api, Endpoint, Parameter, Schema, Tag
from docgen.text import param_name, snake


@dataclass(frozen=True)
class Arg:
    name: str
    annotation: str
    default: str
    doc: str
    async_annotation: str = ""  # where the async method takes more (async iterators)

    @property
    def source(self) -> str:
        """The parameter's lines in a signature, black-stable."""
        return "\n".join(parameter(self.name, self.annotation, self.default, 8))

    @property
    def async_source(self) -> str:
        """The same, in an `AsyncClient` method."""
        ann = self.async_annotation or self.annotation
        return "\n".join(parameter(self.name, ann, self.default, 8))


@dataclass(frozen=True)
class OperationView:
    """An endpoint as the client template needs it: every string already Python source."""

    ep: Endpoint
    const: str
    positional: tuple[Arg, ...]
    keyword: tuple[Arg, ...]
    path_items: tuple[tuple[str, str], ...]
    query_items: tuple[tuple[str, str], ...]
    body_model: str  # `models.X` when the body is built from a model
    body_fields: tuple[tuple[str, str], ...]
    body_expr: str
    body_media: str
    response_type: str  # the Python type the operation answers
    docstring: str
    async_docstring: str  # the same, its example awaited


SELECT_ANNOTATION = "Sequence[str] | str | None"
# A binary body: bytes, or sent in chunks from a file object or an iterator of bytes.
BINARY = "bytes | BinaryIO | Iterable[bytes]"
# What every method's docstring ends with: the per-call options, and what it raises.
PER_CALL = (
    "`extra_headers`, `extra_query`, `extra_body` (by wire names) and `timeout` add to "
    "or override the client's settings for this call."
)
RAISES = (
    "ApiError: an answer outside 2xx, as its status's subclass (`NotFoundError`, "
    "`RateLimitError`...); `UnexpectedResponse` for a success that does not parse.",
    "ApiConnectionError: no answer (`ApiTimeout` past the client's deadline).",
)
DOC_WIDTH = WIDTH - 8  # a method's docstring lines


@dataclass(frozen=True)
class _BodyArgs:
    """How the client takes an operation's body: its arguments and how they become the body."""

    positional: tuple[Arg, ...] = ()
    keyword: tuple[Arg, ...] = ()
    model: str = ""  # `models.X` when the body is built from a model
    fields: tuple[tuple[str, str], ...] = ()  # (JSON name, Python name) of keyword fields
    expr: str = ""  # the argument that is the body as it is
    media: str = "application/json"


def operation_view(ep: Endpoint, example: Example | None = None) -> OperationView:
    positional: list[Arg] = []
    keyword: list[Arg] = []
    for p in ep.parameters:
        if p.location == "header":
            continue  # set once on the client (accept_language=..., so_language=...)
        arg = _param_arg(p)
        (positional if p.location == "path" or p.required else keyword).append(arg)
    body = _body_args(ep, {a.name for a in positional + keyword}) if ep.body is not None else _BodyArgs()
    positional += body.positional
    keyword += body.keyword
    return OperationView(
        ep=ep,
        const=ep.python_name.upper(),
        positional=tuple(positional),
        keyword=tuple(keyword),
        path_items=tuple((p.name, p.python_name) for p in ep.parameters if p.location == "path"),
        query_items=tuple((p.name, p.python_name) for p in ep.parameters if p.location == "query"),
        body_model=body.model,
        body_fields=body.fields,
        body_expr=body.expr,
        body_media=body.media,
        response_type=response_type(ep),
        docstring=_docstring(head := _doc_lines(ep, positional + keyword), example, awaited=False),
        async_docstring=_docstring(head, example, awaited=True),
    )


def _body_args(ep: Endpoint, taken: set[str]) -> _BodyArgs:
    body = ep.body
    assert body is not None
    media = body.media_types[0] if body.kind in ("binary", "json-patch") else "application/json"
    if body.fields:
        model = "models." + body.model
        fields = tuple(
            Arg(
                f.python_name,
                _or_unset(annotation(f.schema)),
                "UNSET",
                f.description or f"`{f.name}` in the request body.",
            )
            for f in body.fields
        )
        whole = Arg(
            "body",
            f"{model} | dict[str, Any] | None",
            "None",
            "The whole request body, instead of the keyword arguments.",
        )
        names = tuple((f.name, f.python_name) for f in body.fields)
        return _BodyArgs(keyword=(*fields, whole), model=model, fields=names, media=media)
    if body.model:
        model = "models." + body.model
        return _BodyArgs(
            positional=(Arg("body", f"{model} | dict[str, Any]", "", "The request body."),),
            model=model,
            media=media,
        )
    # A list, a dictionary, text or bytes: one argument of that type, named as the page
    # names the body (`associate_ids`, `content`), after the path parameters.
    ann = {"binary": BINARY, "json-patch": "list[dict[str, Any]]"}.get(body.kind) or annotation(body.schema)
    name = param_name(body.name, set(taken)) if body.name and snake(body.name) not in taken else "body"
    doc = body.description or f"The request body ({body.name or 'JSON'})."
    if body.kind == "binary":
        doc += " Sent in chunks from a file object or an iterator of bytes."
    async_ann = f"{BINARY} | AsyncIterable[bytes]" if body.kind == "binary" else ""
    arg = Arg(name, ann, "", doc, async_ann)
    return _BodyArgs(positional=(arg,), expr=name, media=media)


def _param_arg(p: Parameter) -> Arg:
    # Where the page says nothing, the docstring still says what goes on the wire.
    doc = p.description or f"The `{p.name}` {p.location} parameter."
    if p.name == SELECT:
        return Arg(p.python_name, SELECT_ANNOTATION, "None", doc)
    ann = annotation(p.schema)
    if p.schema.get("type") == "array":
        item = annotation(p.schema.get("items") or {})
        ann = f"Sequence[{item}] | str"
    if p.location == "path" or p.required:
        return Arg(p.python_name, ann, "", doc)
    return Arg(p.python_name, f"{ann} | None", "None", doc)


def _or_unset(ann: str) -> str:
    return "Any" if ann == "Any" else f"{ann} | Unset"


def _doc_lines(ep: Endpoint, args: list[Arg]) -> list[str]:
    """A method's docstring up to its example, wrapped: lines of at most 88 characters in
    the method (8 spaces in; the first after `\"\"\"`)."""
    lines: list[str] = [wrapped(ep.summary or f"{ep.method} {ep.path}", DOC_WIDTH - 3)]
    rest = ep.description
    if rest.startswith(ep.summary):
        rest = rest[len(ep.summary) :].strip()
    if rest:
        lines += ["", wrapped(rest, DOC_WIDTH)]
    for kind, text in ep.notices:
        lines += ["", wrapped(f"{kind}: {text}" if text else kind, DOC_WIDTH)]
    if ep.deprecated:
        lines += ["", "Deprecated."]
    lines += ["", wrapped(f"`{ep.method} {ep.path}` (operation `{ep.operation_id}`).", DOC_WIDTH)]
    documented = [a for a in args if a.doc]
    if documented:
        lines += ["", "Args:"]
        for a in documented:
            doc = " ".join(a.doc.split())
            lines.append(wrapped(f"    {a.name}: {doc}", DOC_WIDTH, hang=4))
    lines += ["", wrapped(PER_CALL, DOC_WIDTH), "", "Raises:"]
    lines += [wrapped(f"    {r}", DOC_WIDTH, hang=4) for r in RAISES]
    return lines


def _docstring(head: list[str], example: Example | None, *, awaited: bool) -> str:
    """The docstring's text, its example (for the sync or the async method) last, escaped
    and indented to the method's body."""
    lines = list(head)
    if example is not None:  # laid out for its place: 12 columns in, lines of at most 88
        code = example.source(width=DOC_WIDTH - 4, awaited=awaited)
        lines += ["", "Example:", *(f"    {line}" if line else "" for line in code.split("\n"))]
    text = "\n".join(line.rstrip() for line in "\n".join(lines).split("\n"))
    body = py_docstring(text)
    # Indent continuation lines to the method body; keep blank lines empty (black-stable).
    return (
        "\n".join(("        " + line if line and i else line) for i, line in enumerate(body.split("\n")))
        + "\n        "
    )


def module_imports(views: list[OperationView]) -> dict[str, Any]:
    """What an api module imports: only the names its operations use (module -> names)."""
    code = " ".join(
        part
        for v in views
        for part in (
            *(f"{a.annotation} {a.async_annotation} {a.default}" for a in (*v.positional, *v.keyword)),
            v.response_type,
            v.body_model,
        )
    )
    words = set(re.findall(r"[\w.]+", code))
    typing = [n for n in ("Any", "BinaryIO") if n in words]
    return {
        "datetime": ["datetime"] if any(w.startswith("datetime.") for w in words) else [],
        "collections.abc": [n for n in ("AsyncIterable", "Iterable", "Sequence") if n in words],
        "typing": typing,
        "models": ["models"] if any(w.startswith("models.") for w in words) else [],
        "build_body": any(v.body_model for v in views),
        # Every method takes the per-call options: these are always used.
        "_types": [
            "UNSET",
            "Body",
            "Headers",
            "Namespace",
            "Operation",
            "Query",
            "RequestOptions",
            "Timeout",
            "Unset",
        ],
    }


class Operations:
    """Each operation's example and client view, made when first asked for: a rebuild asks
    only for the folders whose pieces of output changed."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self._examples: dict[str, Example] = {}
        self._views: dict[str, OperationView] = {}
        self._components: dict[str, Schema] | None = None
        self._namespaces = {t.name: t.python_name for t in api.tags}

    def example(self, ep: Endpoint) -> Example:
        if ep.operation_id not in self._examples:
            if self._components is None:
                self._components = {c.name: c.schema for c in self.api.components}
            namespace = self._namespaces.get(ep.tag, ep.tag)
            self._examples[ep.operation_id] = operation_example(ep, namespace, self._components)
        return self._examples[ep.operation_id]

    def view(self, ep: Endpoint) -> OperationView:
        if ep.operation_id not in self._views:
            self._views[ep.operation_id] = operation_view(ep, self.example(ep))
        return self._views[ep.operation_id]


def render_client(
    api: Api, settings: Settings, operations: Operations, memo: Memo | None = None, keys: Keys | None = None
) -> dict[str, str]:
    """`client.py`, and one module per folder (from the last build where its operations, the
    components and the templates are as they were)."""
    memo, keys = memo or Memo(), keys or Keys()
    package = settings.package
    env = environment(*settings.templates)
    files: dict[str, str] = {}
    files[f"{package}/client.py"] = env.get_template("client/client.py.jinja").render(
        package=package, tags=api.tags, title=api.title, base_url=settings.example_base_url
    )
    files[f"{package}/api/__init__.py"] = (
        '"""One module per agent or entity folder; reach them through `Client`."""\n'
    )
    module = env.get_template("client/api_module.py.jinja")

    for tag, eps in api.by_tag():

        def render(tag: Tag = tag, eps: list[Endpoint] = eps) -> str:
            tag_views = [operations.view(ep) for ep in eps]
            return module.render(
                package=package, tag=tag, endpoints=eps, views=tag_views, imports=module_imports(tag_views)
            )

        files[f"{package}/api/{tag.python_name}.py"] = memo("api-module", keys.of_folder(tag, eps), render)
    return files

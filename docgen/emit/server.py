"""The FastAPI server stub: an operations table, Protocols, the sample implementation."""

from __future__ import annotations

import json
from dataclasses import dataclass

from docgen.emit.environment import environment
from docgen.emit.escape import py_docstring, py_str
from docgen.emit.memo import Keys, Memo
from docgen.emit.pysrc import Call, Kw, List, Node, doc_wrap, exploded, parameter, wrapped
from docgen.emit.pytypes import annotation, response_type
from docgen.emit.settings import Settings
from docgen.model.api import SELECT, Api, Endpoint, Parameter, Tag


@dataclass(frozen=True)
class ServerOpView:
    ep: Endpoint
    source: str  # the `Op(...)` entry, black-stable


@dataclass(frozen=True)
class ProtocolView:
    ep: Endpoint
    args: tuple[str, ...]
    returns: str
    summary: str

    @property
    def parts(self) -> tuple[tuple[str, ...], str, str]:
        """What the view says beside its endpoint (what the memo keeps)."""
        return self.args, self.returns, self.summary


def _wire_kind(p: Parameter) -> str:
    s = p.schema
    if "enum" in s:
        return "enum"
    t = s.get("type")
    if s.get("format") == "date-time":
        return "date-time"
    return t if t in ("integer", "number", "boolean", "array") else "string"


def _param_node(p: Parameter) -> Call:
    args: list[Node] = [py_str(p.name), py_str(p.location), py_str(p.python_name), py_str(_wire_kind(p))]
    if p.required:
        args.append("required=True")
    if "enum" in p.schema:
        args.append(Kw("values", List(tuple(py_str(str(v)) for v in p.schema["enum"] if v is not None))))
    for bound in ("minimum", "maximum"):
        if isinstance(p.schema.get(bound), int):
            args.append(Kw(bound, str(p.schema[bound])))
    return Call("Param", tuple(args))


def _server_op(ep: Endpoint, tag: Tag) -> ServerOpView:
    ok = ep.success
    params = List(tuple(_param_node(p) for p in ep.parameters if p.location in ("path", "query")))
    args: list[Node] = [
        py_str(ep.operation_id),
        py_str(tag.python_name),
        py_str(ep.python_name),
        py_str(ep.method),
        py_str(ep.path),
    ]
    args.append(params)
    if ep.body is not None:
        if ep.body.model:
            args += ["models." + ep.body.model, py_str("model")]
        elif ep.body.kind == "binary":
            args += ["None", py_str("binary")]
        else:  # a list, a dictionary or a primitive: validated as its type
            args += [annotation(ep.body.schema, bounded=True), py_str("typed")]
    status = ok.status if ok is not None else 200
    returns = ok is not None and ok.schema is not None and status != 204
    if status != 200 or not returns:
        args.append(f"status={status}")
    if not returns:
        args.append("returns=False")
    lines = exploded(Call("Op", tuple(args)), 4, "", ",")
    return ServerOpView(ep, "\n".join(lines))


def _protocol_view(ep: Endpoint) -> ProtocolView:
    lines: list[str] = []
    keyword = False
    for p in ep.parameters:
        if p.location == "header":
            continue
        ann = "str" if p.name == SELECT else _server_annotation(p)
        if p.location == "path" or p.required:
            lines += parameter(p.python_name, ann, "", 8)
        else:
            if not keyword:
                lines.append("        *,")
                keyword = True
            lines += parameter(p.python_name, f"{ann} | None", "None", 8)
    if ep.body is not None:
        if ep.body.model:
            ann = "models." + ep.body.model
        elif ep.body.kind == "binary":
            ann = "bytes"
        else:
            ann = "Any"
        lines += parameter("body", ann, "", 8)
    doc = doc_wrap(py_docstring(" ".join((ep.summary or f"{ep.method} {ep.path}").split())), 8)
    returns = response_type(ep)
    if returns != "None":
        # Multi-line: closing quotes on their own line, where black keeps them.
        returned = wrapped(f"Returns {returns}, or the same as JSON-compatible data.", 80)
        doc += "\n\n        " + returned.replace("\n", "\n        ") + "\n        "
    return ProtocolView(ep, tuple(lines), "None" if returns == "None" else "Any", doc)


def _server_annotation(p: Parameter) -> str:
    kind = _wire_kind(p)
    return {"integer": "int", "number": "float", "boolean": "bool", "array": "list[str]"}.get(kind, "str")


def render_server(
    api: Api, settings: Settings, memo: Memo | None = None, keys: Keys | None = None
) -> dict[str, str]:
    """The server package; each operation's entry, Protocol method and sample answer rendered
    once (or taken from the last build, by what they are made of)."""
    memo, keys = memo or Memo(), keys or Keys()
    package = settings.package
    env = environment(*settings.templates)
    tags = {t.name: t for t in api.tags}

    def op_source(ep: Endpoint) -> str:
        parts = keys.of(ep.operation_id)
        tag = tags[ep.tag]
        return memo("server-op", parts and (tag.python_name, *parts), lambda: _server_op(ep, tag).source)

    def protocol(ep: Endpoint) -> ProtocolView:
        view = memo("server-protocol", keys.of(ep.operation_id), lambda: _protocol_view(ep).parts)
        return ProtocolView(ep, *view)

    ops = [ServerOpView(ep, op_source(ep)) for ep in sorted(api.endpoints, key=lambda e: e.operation_id)]
    groups = [(t, [protocol(ep) for ep in eps]) for t, eps in api.by_tag()]
    ctx = {"package": package, "title": api.title, "version": api.version}
    files = {
        f"{package}/server/__init__.py": env.get_template("server/__init__.py.jinja").render(**ctx),
        f"{package}/server/__main__.py": env.get_template("server/__main__.py.jinja").render(**ctx),
        f"{package}/server/app.py": env.get_template("server/app.py.jinja").render(**ctx),
        f"{package}/server/operations.py": env.get_template("server/operations.py.jinja").render(
            ops=ops,
            uses_any=any("Any" in o.source for o in ops),
            uses_annotated=any("Annotated[" in o.source for o in ops),
            uses_datetime=any("datetime." in o.source for o in ops),
            **ctx,
        ),
        f"{package}/server/protocols.py": env.get_template("server/protocols.py.jinja").render(
            groups=groups,
            uses_datetime=any("datetime." in line for _, views in groups for v in views for line in v.args),
            uses_models=any("models." in line for _, views in groups for v in views for line in v.args),
            **ctx,
        ),
        f"{package}/server/samples.py": env.get_template("server/samples.py.jinja").render(**ctx),
    }
    # Data files: not Python, so never formatted; JSON keeps doc text as data. Compact: with
    # an indent json.dumps falls back to its pure-Python encoder (10x slower). Each operation's
    # entry is its own piece; joined in the order `sort_keys` would give them.
    entries = []
    for ep in sorted(api.endpoints, key=lambda e: e.operation_id):
        entry = memo("server-sample", keys.of(ep.operation_id), lambda ep=ep: _sample_json(ep))  # type: ignore[misc]
        if entry:
            entries.append(f"{_compact(ep.operation_id)}:{entry}")
    files[f"{package}/server/samples.json"] = "{" + ",".join(entries) + "}\n"
    return files


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sample_json(ep: Endpoint) -> str:
    """The operation's entry of samples.json, as JSON (empty when it has none)."""
    entry = sample_entry(ep)
    return _compact(entry) if entry is not None else ""


def sample_entry(ep: Endpoint) -> dict | None:
    """What the mock answers: the page's sample response; with none usable, the zero value of
    the declared type (marked `synthesized`), so every operation answers something valid."""
    sample = next((r for r in ep.responses if r.has_example), None)
    if sample is not None:
        # The example already fits its schema (model/examples.py): filler made valid.
        return {"status": sample.status, "body": sample.example}
    if ep.responses and all(r.status >= 400 for r in ep.responses):
        return {"status": ep.responses[0].status, "body": None}
    if ep.success is not None and (ep.success.schema is None or ep.success.status == 204):
        return {"status": ep.success.status, "body": None}
    if ep.success is not None:
        return {"status": ep.success.status, "body": _zero(ep.success.schema), "synthesized": True}
    return None


def _zero(schema: dict | None) -> object:
    if not schema or "$ref" in schema:
        return {}  # components are objects with no required properties
    t = schema.get("type")
    t = next((x for x in t if x != "null"), None) if isinstance(t, list) else t
    return {"array": [], "string": "", "integer": 0, "number": 0, "boolean": False}.get(t or "", {})

"""Package scaffolding: pyproject, README, a changelog to start from, `__init__`, `py.typed`,
and the runtime modules docgen copies in (docgen/runtime)."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
from docgen.emit.environment import environment
from docgen.emit.settings import Settings
from docgen.model.api import SELECT, SKIP, TOP, Api, Endpoint, RequestBody
from docgen.runtime import runtime_files

# The package's changelog: a build starts one; OUT keeps it, `docgen release` adds to it.
CHANGELOG = "CHANGELOG.md"


@dataclass(frozen=True)
class Example:
    """One real call of the reference, for the package README: `client.<folder>.<op>(<args>)`."""

    kind: str  # "entity", "keywords", "paging", "array", "bytes"
    tag: str
    name: str
    args: str
    summary: str


def render_package(api: Api, settings: Settings) -> dict[str, str]:
    package = settings.package
    env = environment(*settings.templates)
    ctx = {
        "package": package,
        "distribution": settings.distribution,
        "version": settings.version,
        "title": api.title,
        "base_url": settings.example_base_url,
        "tags": api.tags,
        "operations": len(api.endpoints),
        "schemas": len(api.components),
        "examples": {e.kind: e for e in examples(api)},
    }
    return {
        "pyproject.toml": env.get_template("package/pyproject.toml.jinja").render(**ctx),
        "README.md": env.get_template("package/README.md.jinja").render(**ctx),
        CHANGELOG: changelog_start(settings, api.title, env),
        f"{package}/__init__.py": env.get_template("package/__init__.py.jinja").render(**ctx),
        f"{package}/py.typed": "",
        **runtime_files(package),
    }


def changelog_start(settings: Settings, title: str, env: jinja2.Environment | None = None) -> str:
    """The changelog a package starts with: its heading and the version it starts from."""
    env = env or environment(*settings.templates)
    template = env.get_template("package/CHANGELOG.md.jinja")
    return template.render(distribution=settings.distribution, version=settings.version, title=title)


def examples(api: Api) -> list[Example]:
    """The first operation (by path) of each kind of call the reference it was built from has."""
    tags = {t.name: t.python_name for t in api.tags}
    chosen: dict[str, Example] = {}
    for ep in sorted(api.endpoints, key=lambda e: (e.path, e.method)):
        kind = _example_kind(ep)
        if kind is None or kind in chosen:
            continue
        path_args = ["1" for p in ep.parameters if p.location == "path"]
        if kind == "array":
            path_args.append("[1, 2, 3]")
        elif kind == "keywords" and ep.body is not None:
            path_args.append(_text_keyword(api, ep))
        if kind == "entity" and any(p.name == SELECT for p in ep.parameters):
            path_args.append('select=["name"]')
        chosen[kind] = Example(
            kind, tags.get(ep.tag, ep.tag), ep.python_name, ", ".join(path_args), ep.summary
        )
    return list(chosen.values())


def _text_keyword(api: Api, ep: Endpoint) -> str:
    """`name="..."`: the first text property of the body, as a keyword argument."""
    assert ep.body is not None
    component = api.component(ep.body.model)
    props = (component.schema.get("properties") or {}) if component else {}
    for f in ep.body.fields:
        t = (props.get(f.name) or {}).get("type")
        if (t == "string" or (isinstance(t, list) and "string" in t)) and "format" not in (
            props.get(f.name) or {}
        ):
            return f'{f.python_name}="..."'
    return f"{ep.body.fields[0].python_name}=..."


def _example_kind(ep: Endpoint) -> str | None:
    """Which kind of call the package README may show with this operation, if any."""
    ok = ep.success
    schema = (ok.schema if ok is not None else None) or {}
    paths = [p for p in ep.parameters if p.location == "path"]
    integer_ids = all(p.schema.get("type") == "integer" for p in paths)
    if schema.get("contentEncoding") == "base64" and integer_ids:
        return "bytes"
    if {TOP, SKIP} <= {p.name for p in ep.parameters} and not paths:
        return "paging"
    body = ep.body
    if body is not None:
        return _body_kind(ep, body)
    if ep.method == "GET" and len(paths) == 1 and integer_ids and "$ref" in schema:
        return "entity"
    return None


def _body_kind(ep: Endpoint, body: RequestBody) -> str | None:
    if body.kind == "json" and not body.model and (body.schema.get("items") or {}).get("format") == "int32":
        return "array"
    if body.fields and not [p for p in ep.parameters if p.required or p.location == "path"]:
        return "keywords"
    return None

"""Package scaffolding: pyproject, README, `__init__`, `py.typed`."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.config import EXAMPLE_BASE_URL
from docgen.emit.environment import environment
from docgen.model.api import SELECT, SKIP, TOP, Api, Endpoint


@dataclass(frozen=True)
class Example:
    """One real call of the reference, for the package README: `client.<folder>.<op>(<args>)`."""

    kind: str  # "entity", "keywords", "paging", "array", "bytes"
    tag: str
    name: str
    args: str
    summary: str


def render_package(
    api: Api,
    package: str,
    *,
    distribution: str,
    version: str,
    template_dir: str | None = None,
    base_url: str = "",
) -> dict[str, str]:
    env = environment(template_dir)
    ctx = {
        "package": package,
        "distribution": distribution,
        "version": version,
        "title": api.title,
        "base_url": base_url or EXAMPLE_BASE_URL,
        "tags": api.tags,
        "operations": len(api.endpoints),
        "schemas": len(api.components),
        "examples": {e.kind: e for e in examples(api)},
    }
    return {
        "pyproject.toml": env.get_template("package/pyproject.toml.jinja").render(**ctx),
        "README.md": env.get_template("package/README.md.jinja").render(**ctx),
        f"{package}/__init__.py": env.get_template("package/__init__.py.jinja").render(**ctx),
        f"{package}/py.typed": "",
        f"{package}/_base.py": env.get_template("package/_base.py.jinja").render(**ctx),
    }


def examples(api: Api) -> list[Example]:
    """The first operation (by path) of each kind of call the reference it was built from has."""
    tags = {t.name: t.python_name for t in api.tags}
    found: dict[str, Example] = {}
    for ep in sorted(api.endpoints, key=lambda e: (e.path, e.method)):
        kind = _kind(ep)
        if kind is None or kind in found:
            continue
        path_args = ["1" for p in ep.parameters if p.location == "path"]
        if kind == "array":
            path_args.append("[1, 2, 3]")
        elif kind == "keywords" and ep.body is not None:
            path_args.append(_text_keyword(api, ep))
        if kind == "entity" and any(p.name == SELECT for p in ep.parameters):
            path_args.append('select=["name"]')
        found[kind] = Example(
            kind, tags.get(ep.tag, ep.tag), ep.python_name, ", ".join(path_args), ep.summary
        )
    return list(found.values())


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


def _kind(ep: Endpoint) -> str | None:
    ok = ep.success
    schema = ok.schema if ok is not None else None
    paths = [p for p in ep.parameters if p.location == "path"]
    names = {p.name for p in ep.parameters}
    if (
        schema
        and schema.get("contentEncoding") == "base64"
        and all(p.schema.get("type") == "integer" for p in paths)
    ):
        return "bytes"
    if {TOP, SKIP} <= names and not paths:
        return "paging"
    body = ep.body
    if (
        body is not None
        and body.kind == "json"
        and not body.model
        and (body.schema.get("items") or {}).get("format") == "int32"
    ):
        return "array"
    if (
        body is not None
        and body.fields
        and not [p for p in ep.parameters if p.required or p.location == "path"]
    ):
        return "keywords"
    if (
        ep.method == "GET"
        and body is None
        and len(paths) == 1
        and paths[0].schema.get("type") == "integer"
        and schema
        and "$ref" in schema
    ):
        return "entity"
    return None

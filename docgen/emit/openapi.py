"""The OpenAPI 3.1 document: built as data from the model, laid out by
`templates/openapi.yaml.jinja`.

The document is data first so that the JSON the server serves and the input of
datamodel-code-generator are the same document as the YAML, without re-reading 400k lines
of YAML; a test checks that the rendered YAML reads back equal to it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from docgen.config import EXAMPLE_BASE_URL
from docgen.emit.environment import environment
from docgen.emit.memo import Keys, Memo
from docgen.model.api import ERROR_SCHEMA, STANDARD_HEADERS, Api, Endpoint, Parameter, RequestBody
from docgen.text import pascal, unique

OPENAPI_VERSION = "3.1.0"
_METHOD_ORDER = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH"]

SECURITY_SCHEMES: dict[str, Any] = {
    "basic": {
        "type": "http",
        "scheme": "basic",
        "description": "Authorization: Basic <base64 user:password> (on-site installations).",
    },
    "soTicket": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "Authorization: SOTicket <ticket>; the ticket comes from a login or partner app.",
    },
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "Authorization: Bearer <access token> (SuperOffice Online).",
    },
    "xsrfToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-XSRF-TOKEN",
        "description": (
            "The XSRF value from the cookie or hidden input field, when not sending Authorization."
        ),
    },
}


def spec_document(api: Api, base_url: str, refuse: bool = True, with_paths: bool = True) -> dict[str, Any]:
    """The spec as data. `refuse=False` leaves the check for empty enums, and
    `with_paths=False` the paths (empty here), to `spec_texts` (which makes and checks only
    the paths it renders anew)."""
    doc: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": spec_info(api),
        "servers": [
            {
                "url": "{base_url}",
                "description": f"Your SuperOffice tenant, e.g. {base_url or EXAMPLE_BASE_URL}",
                "variables": {
                    "base_url": {
                        "default": base_url,
                        "description": "The tenant's base URL, without the /api/v1 prefix.",
                    }
                },
            }
        ],
        "security": [{name: []} for name in SECURITY_SCHEMES],
        "tags": [
            {"name": t.name, **({"description": t.description} if t.description else {})} for t in api.tags
        ],
        "paths": {},
        "components": {
            "securitySchemes": SECURITY_SCHEMES,
            "parameters": {
                ref: {"name": header, "in": "header", "required": False, "schema": {"type": "string"}}
                for header, ref in sorted(STANDARD_HEADERS.items(), key=lambda kv: kv[1])
            },
            "schemas": component_schemas(api),
        },
    }
    if with_paths:
        doc["paths"] = {path: make() for path, (_, make) in path_items(api).items()}
    if refuse:
        refuse_empty_enums(doc)
    return doc


# A path of the spec: what it is made of (the content keys of its operations, and the names
# of the components their inline bodies get, which depend on the other operations; None
# where there are no keys), and how to make its item (its operations by method).
PathItem = tuple[tuple[str, ...] | None, Callable[[], dict[str, Any]]]


def path_items(api: Api, keys: Keys | None = None) -> dict[str, PathItem]:
    """Each path of the spec, in order: what it is made of, and how to make its item."""
    keys = keys or Keys()
    paths: dict[str, list[Endpoint]] = defaultdict(list)
    for ep in api.endpoints:
        paths[ep.path].append(ep)
    bodies = inline_body_components(api)

    def item(path: str, eps: list[Endpoint]) -> PathItem:
        parts = keys.of(*(ep.operation_id for ep in eps))
        made_of = None if parts is None else (path, *parts, *(bodies.get(ep.operation_id, "") for ep in eps))
        return made_of, lambda: {ep.method.lower(): operation(ep, bodies.get(ep.operation_id)) for ep in eps}

    return {path: item(path, sorted(paths[path], key=_method_order)) for path in sorted(paths)}


def _method_order(e: Endpoint) -> tuple[int, str]:
    return (_METHOD_ORDER.index(e.method) if e.method in _METHOD_ORDER else 99, e.operation_id)


def schemas_parts(api: Api, keys: Keys) -> tuple[str, ...] | None:
    """What `components.schemas` is made of: the components, and the inline bodies."""
    bodies = inline_body_components(api)
    parts = keys.of(*sorted(bodies), components=True)
    return None if parts is None else (*parts, *(bodies[o] for o in sorted(bodies)))


def spec_texts(
    spec: dict[str, Any],
    template_dir: str | None = None,
    bytecode_dir: str | None = None,
    memo: Memo | None = None,
    items: Mapping[str, PathItem] | None = None,
    schemas: tuple[str, ...] | None = None,
) -> tuple[str, str]:
    """The spec as YAML (`openapi.yaml`) and as compact JSON (what the server reads), each
    path (`items`, else the spec's own paths) and the components' schemas (made of
    `schemas`) rendered once, or taken from the last build by what they are made of, and
    checked for empty enums as they are rendered."""
    memo = memo or Memo()
    env = environment(template_dir, bytecode_dir)
    path_template = env.get_template("openapi_path.yaml.jinja")
    schemas_template = env.get_template("openapi_schemas.yaml.jinja")
    yaml_paths: list[str] = []
    json_paths: list[str] = []
    if items is None:
        items = {path: (None, _given(item)) for path, item in spec["paths"].items()}
    for path, (made_of, make) in items.items():

        def texts(path: str = path, make: Callable[[], dict[str, Any]] = make) -> tuple[str, str]:
            item = make()
            refuse_empty_enums(item, f"#/paths/{_pointer(path)}")
            return path_template.render(path=path, item=item), _json(item)

        yaml_text, json_text = memo("spec-path", made_of, texts)
        yaml_paths.append(yaml_text)
        json_paths.append(f"{_json(path)}:{json_text}")

    def schema_texts() -> tuple[str, str]:
        refuse_empty_enums(spec["components"]["schemas"], "#/components/schemas")
        return schemas_template.render(schemas=spec["components"]["schemas"]), _json(
            spec["components"]["schemas"]
        )

    yaml_schemas, json_schemas = memo("spec-schemas", schemas, schema_texts)
    yaml_text = env.get_template("openapi.yaml.jinja").render(
        spec=spec, paths_yaml=yaml_paths, schemas_yaml=yaml_schemas
    )
    paths_json = "{" + ",".join(json_paths) + "}"
    json_text = _json_with(spec, {("paths",): paths_json, ("components", "schemas"): json_schemas})
    return yaml_text, json_text + "\n"


def _given(item: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    return lambda: item


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_with(value: dict[str, Any], texts: Mapping[tuple[str, ...], str], at: tuple[str, ...] = ()) -> str:
    """`value` as compact JSON, with the values at the key paths of `texts` already JSON."""
    items = []
    for k, v in value.items():
        here = (*at, k)
        if here in texts:
            text = texts[here]
        elif isinstance(v, dict) and any(t[: len(here)] == here for t in texts):
            text = _json_with(v, texts, here)
        else:
            text = _json(v)
        items.append(f"{_json(k)}:{text}")
    return "{" + ",".join(items) + "}"


def _pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def spec_info(api: Api) -> dict[str, Any]:
    return {
        "title": api.title,
        "version": api.version,
        "description": f"Generated by docgen from the {api.title} reference pages.",
    }


def component_schemas(api: Api) -> dict[str, Any]:
    """`components.schemas`: the model's components and the inline bodies' (what the models
    module is generated from)."""
    schemas = {c.name: c.schema for c in api.components}
    bodies = inline_body_components(api)
    for ep in api.endpoints:
        if ep.operation_id in bodies and ep.body is not None:
            schemas[bodies[ep.operation_id]] = ep.body.schema
    return dict(sorted(schemas.items()))


def inline_body_components(api: Api) -> dict[str, str]:
    """A request body that is an object with no component of its own (a dictionary:
    CRMScript's `Execute`, `Table/{tableName}`) would be the same inline schema under each of
    its media types, which generators read as several models of one name: it gets a
    component (`<Operation>Body`), as every other body has. Operation id -> component name."""
    taken = {c.name for c in api.components}
    names: dict[str, str] = {}
    for ep in api.endpoints:
        body = ep.body
        if body is None or "$ref" in body.schema or body.schema.get("type") != "object":
            continue
        names[ep.operation_id] = unique(pascal(ep.python_name) + "Body", taken)
    return names


def operation(ep: Endpoint, body_component: str | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": ep.operation_id, "tags": [ep.tag]}
    if ep.summary:
        op["summary"] = ep.summary
    if ep.description:
        op["description"] = ep.description
    if ep.deprecated:
        op["deprecated"] = True
    for key, value in ep.extensions:
        op[key] = value
    params = [_parameter(p) for p in ep.parameters]
    if params:
        op["parameters"] = params
    if ep.body is not None:
        op["requestBody"] = _request_body(ep, ep.body, body_component)
    op["responses"] = _responses(ep)
    return op


def _parameter(p: Parameter) -> dict[str, Any]:
    if p.location == "header" and p.name in STANDARD_HEADERS:
        return {"$ref": f"#/components/parameters/{STANDARD_HEADERS[p.name]}"}
    param: dict[str, Any] = {"name": p.name, "in": p.location, "required": p.required}
    if p.description:
        param["description"] = p.description
    param["schema"] = p.schema
    if p.style:
        param["style"] = p.style
        param["explode"] = False
    if p.has_example:  # the value the page shows (`?$select=name,department`)
        param["example"] = p.example
    return param


def _request_body(ep: Endpoint, request: RequestBody, component: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"required": True}
    if request.description:
        body["description"] = request.description
    body["content"] = {}
    for i, media in enumerate(request.media_types):
        schema = _body_schema(ep, media)
        if component is not None and schema == request.schema:
            schema = {"$ref": f"#/components/schemas/{component}"}
        content: dict[str, Any] = {"schema": schema}
        if i == 0 and request.has_example:
            content["examples"] = {
                "sample": {"summary": "Sample request from the reference page", "value": request.example}
            }
        body["content"][media] = content
    return body


def _responses(ep: Endpoint) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for r in ep.responses:
        resp: dict[str, Any] = {"description": r.description}
        if r.schema is not None:
            resp["content"] = {}
            for i, media in enumerate(r.media_types):
                content = {"schema": r.schema}
                if i == 0 and r.has_example:
                    content["examples"] = {
                        "sample": {"summary": "Sample response from the reference page", "value": r.example}
                    }
                resp["content"][media] = content
        responses[str(r.status)] = resp
    responses["default"] = {
        "description": "Error, with SuperOffice's error body.",
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}},
    }
    return responses


def _body_schema(ep: Endpoint, media: str) -> dict[str, Any]:
    """Bytes travel raw, or as base64 text where the page lists a JSON media type for them."""
    assert ep.body is not None
    if ep.body.kind == "binary" and "json" in media:
        return {"type": "string", "contentEncoding": "base64"}
    return ep.body.schema


# Keys whose values are data (samples), not schemas: an `enum` key there is a sample's.
_DATA = frozenset({"example", "examples", "default", "const", "x-superoffice-notes"})


class EmptyEnum(ValueError):
    """A schema with `enum: []` reached the spec: a bug in docgen (no value satisfies it)."""


def refuse_empty_enums(doc: Any, where: str = "#") -> None:
    """Raise EmptyEnum, naming where (`doc` standing at `where`), if any schema of `doc` lists
    no enum value at all."""
    if _has_empty_enum(doc):
        raise EmptyEnum(f"{_empty_enum_at(doc, where)} has enum: [] (no value satisfies it)")


def _has_empty_enum(doc: Any) -> bool:
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("enum") == []:
                return True
            stack += [v for k, v in node.items() if isinstance(v, (dict, list)) and k not in _DATA]
        elif isinstance(node, list):
            stack += [v for v in node if isinstance(v, (dict, list))]
    return False


def _empty_enum_at(node: Any, where: str) -> str:
    """The JSON pointer of the first empty enum under `node` (once one is known to be)."""
    if isinstance(node, dict) and node.get("enum") == []:
        return where
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        if key in _DATA:
            continue
        if _has_empty_enum(child):
            return _empty_enum_at(child, f"{where}/{key}")
    return where

"""The OpenAPI 3.1 document, rendered from `templates/openapi.yaml.jinja`."""

from __future__ import annotations

from collections import defaultdict

from docgen.emit.environment import environment
from docgen.model.api import Api, Endpoint
from docgen.model.build import ERROR_SCHEMA, STANDARD_HEADERS

# The media types a JSON schema applies to; the pages list more (xml, form), which the real
# API accepts too, so they stay in the spec with the same schema.
JSON_MEDIA = "application/json"


def render_openapi(api: Api, base_url: str, template_dir: str | None = None) -> str:
    paths: dict[str, list[Endpoint]] = defaultdict(list)
    for ep in api.endpoints:
        paths[ep.path].append(ep)
    ordered = [(p, sorted(paths[p], key=lambda e: _METHOD_ORDER.index(e.method) if e.method in _METHOD_ORDER else 99)) for p in sorted(paths)]
    template = environment(template_dir).get_template("openapi.yaml.jinja")
    return template.render(
        api=api,
        paths=ordered,
        base_url=base_url,
        error_schema=ERROR_SCHEMA,
        standard_headers=STANDARD_HEADERS,
        json_media=JSON_MEDIA,
    )


_METHOD_ORDER = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH"]

"""The intermediate endpoint model: what every output is rendered from.

Schemas are JSON Schema dictionaries (OpenAPI 3.1 dialect) so the spec template can emit
them as they are; everything else is a plain frozen record.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from typing import Any, Literal

from docgen.diagnostics import Place

Schema = dict[str, Any]
# OData query parameters with a meaning of their own: columns of the rows, and paging.
SELECT, TOP, SKIP = "$select", "$top", "$skip"
COMPONENTS = "#/components/schemas/"

# What every operation shares on the wire, read by the spec, the client and the server alike.
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


def ref(name: str) -> Schema:
    return {"$ref": COMPONENTS + name}


def ref_name(schema: Schema) -> str:
    """The component a reference schema points at (`{"$ref": ".../ContactEntity"}`)."""
    return str(schema["$ref"]).removeprefix(COMPONENTS)


@dataclass(frozen=True)
class Parameter:
    name: str  # on the wire: `$select`, `id`, `SO-Language`
    location: Literal["path", "query", "header"]
    python_name: str
    schema: Schema
    _: KW_ONLY
    required: bool
    description: str
    line: int
    style: str = ""  # "form" with explode false for comma-separated arrays
    example: Any = None  # the value the page shows, of the parameter's type
    has_example: bool = False


@dataclass(frozen=True)
class BodyField:
    """One property of an object request body, for the client's keyword arguments."""

    name: str
    python_name: str
    schema: Schema
    description: str


@dataclass(frozen=True)
class SampleAt:
    """Where a sample's JSON stands: its file (a page or an included file), the line of its
    first character, and its text (to find the line of any value in it)."""

    file: str
    line: int
    text: str


@dataclass(frozen=True, kw_only=True)
class RequestBody:
    name: str  # the page's name for it: `request`, `entity`...
    media_types: tuple[str, ...]
    schema: Schema
    description: str = ""
    example: Any = None
    has_example: bool = False
    fields: tuple[BodyField, ...] = ()  # set when the client can flatten it into keywords
    named: bool = False  # the body is one object type: the client and server take its model
    kind: Literal["json", "json-patch", "binary"] = "json"
    example_at: SampleAt | None = None

    @property
    def model(self) -> str:
        """The component the body is, when it is one named object type; else empty."""
        return ref_name(self.schema) if self.named else ""


@dataclass(frozen=True, kw_only=True)
class Response:
    status: int
    description: str
    schema: Schema | None
    media_types: tuple[str, ...]
    example: Any = None
    has_example: bool = False
    example_at: SampleAt | None = None


@dataclass(frozen=True)
class Endpoint:
    operation_id: str
    method: str
    path: str
    tag: str
    python_name: str
    summary: str
    description: str
    file: str
    line: int
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    responses: tuple[Response, ...]
    deprecated: bool = False
    extensions: tuple[tuple[str, Any], ...] = ()
    notices: tuple[tuple[str, str], ...] = ()  # (kind, text) for docstrings

    @property
    def success(self) -> Response | None:
        ok = [r for r in self.responses if 200 <= r.status < 300]
        return ok[0] if ok else None


@dataclass(frozen=True)
class Component:
    name: str
    schema: Schema
    # "described" by tables, "sampled" only, "opaque" (named, never described), "inferred"
    # from samples, or docgen's own "error" body.
    origin: Literal["described", "sampled", "reference", "opaque", "inferred", "error"]
    sources: tuple[Place, ...] = ()  # the tables that describe it
    aliases: tuple[str, ...] = ()  # other context names of an inferred structure
    # Properties only the pages' samples show (no table, no .NET reference type lists them).
    sample_only: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tag:
    name: str
    description: str
    python_name: str  # the client namespace: `contact_agent`
    class_name: str  # `ContactAgent`


@dataclass(frozen=True, kw_only=True)
class Stats:
    pages: int = 0
    operations: int = 0
    schemas: int = 0
    opaque: tuple[str, ...] = ()
    unknown_arrays: int = 0
    conflicts: int = 0


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    endpoints: tuple[Endpoint, ...]
    components: tuple[Component, ...]
    tags: tuple[Tag, ...]
    stats: Stats = field(default_factory=Stats)

    def component(self, name: str) -> Component | None:
        return next((c for c in self.components if c.name == name), None)

    def by_tag(self) -> list[tuple[Tag, list[Endpoint]]]:
        """Each tag with its operations, by Python name (one client namespace, one Protocol)."""
        grouped: dict[str, list[Endpoint]] = {t.name: [] for t in self.tags}
        for ep in self.endpoints:
            grouped[ep.tag].append(ep)
        return [(t, sorted(grouped[t.name], key=lambda e: e.python_name)) for t in self.tags]

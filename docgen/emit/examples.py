"""Each operation called with its page's own sample values, as Python: for the package's
`api.md` and the `Example:` section of each method's docstring.

Values come from the page where it shows them: the query values under its query table
(`?$select=name,department,category/id`) and its sample request's body (fitted to their
schemas by model/examples.py). Elsewhere a value of the declared type stands in (`0`,
`"string"`, an enum's first value), as other SDK generators show. Each value is written
the way the method's annotation asks, so examples type-check under `mypy --strict`: an
object by `models.X.model_validate({...})` (JSON names, as the page shows it), an enum by
`models.E("Value")`, a date by `datetime.datetime.fromisoformat(...)`, bytes as a bytes
literal. Every string goes through the one escaping path (`escape.py_str`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from docgen.emit.escape import py_str
from docgen.emit.pysrc import WIDTH, Call, Dict, Kw, List, Node, Pair, Str, render
from docgen.model.api import SELECT, Endpoint, Parameter, Schema, ref_name

_SAMPLE_DATE = "2023-01-01T00:00:00+00:00"
_SAMPLE_BYTES = 'b"bytes"'
_JSON_KINDS: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "array": list,
    "object": dict,
    "boolean": bool,
    "integer": int,
    "number": (int, float),
}


@dataclass(frozen=True)
class Example:
    """One call of an operation: `result = client.<namespace>.<method>(<args>)`."""

    namespace: str
    method: str
    args: tuple[Node, ...]
    returns: bool  # whether the call answers something to keep
    needs_datetime: bool

    def source(self, *, width: int = WIDTH, awaited: bool = False) -> str:
        """The example's lines, laid out as black would within `width` columns. Where even
        the call's first line does not fit (a long method name), the call goes in
        parentheses on lines of its own, so that a line too long is one word."""
        call = Call(f"client.{self.namespace}.{self.method}", self.args)
        lead = ("result = " if self.returns else "") + ("await " if awaited else "")
        lines = ["import datetime", ""] if self.needs_datetime else []
        body = render(call, 0, lead, "", width)
        if len(body[0]) > width and lead:
            body = [f"{lead}(", *render(call, 4, "", "", width), ")"]
        return "\n".join(lines + body)


@dataclass
class _Values:
    """Python source for values of a schema, noting what the example must import."""

    components: Mapping[str, Schema]
    needs_datetime: bool = field(default=False)

    def of(self, schema: Schema | None, value: Any) -> Node:
        """`value` (JSON, as the page shows it) as the annotation of `schema` takes it."""
        if value is None:
            return "None"
        if not schema:
            return json_literal(value)
        if "$ref" in schema:
            return self._component(ref_name(schema), value)
        alternatives = [a for a in schema.get("anyOf", ()) if a.get("type") != "null"]
        if alternatives:
            return self.of(next((a for a in alternatives if _fits(a, value)), alternatives[0]), value)
        kind = _kind(schema)
        if kind == "string" and isinstance(value, str):
            return self._string(schema, value)
        if kind == "array" and isinstance(value, list):
            return List(tuple(self.of(schema.get("items"), v) for v in value))
        extra = schema.get("additionalProperties")
        if kind == "object" and isinstance(value, dict) and isinstance(extra, dict) and extra:
            return Dict(tuple(Pair(py_str(str(k)), self.of(extra, v)) for k, v in value.items()))
        return json_literal(value)

    def fitting(self, schema: Schema | None) -> Node:
        """A value of `schema`'s type where the page shows none."""
        if not schema:
            return '"string"'
        if "$ref" in schema:
            name = ref_name(schema)
            values = self.components.get(name, {}).get("enum")
            return Call(f"models.{name}", (Str(str(values[0])),) if values else ())
        alternatives = [a for a in schema.get("anyOf", ()) if a.get("type") != "null"]
        if alternatives:
            return self.fitting(alternatives[0])
        if schema.get("enum"):
            return json_literal(schema["enum"][0])
        kind = _kind(schema)
        if kind == "string":
            return self._string(schema, _SAMPLE_DATE) if "format" in schema else Str("string")
        if kind == "array":
            return List((self.fitting(schema.get("items")),))
        return {"integer": "0", "number": "0.0", "boolean": "True", "object": "{}"}.get(kind, Str("string"))

    def _component(self, name: str, value: Any) -> Node:
        if self.components.get(name, {}).get("enum"):
            return Call(f"models.{name}", (json_literal(value),))
        return Call(f"models.{name}.model_validate", (json_literal(value),))

    def _string(self, schema: Schema, value: str) -> Node:
        fmt = schema.get("format")
        if fmt in ("date-time", "date"):
            self.needs_datetime = True
            kind = "datetime" if fmt == "date-time" else "date"
            return Call(f"datetime.{kind}.fromisoformat", (Str(value),))
        if fmt == "binary":
            return _bytes_literal(value)
        return Str(value)  # base64 text too: the client takes it as the text it is


def json_literal(value: Any) -> Node:
    """A JSON value as a Python literal (`true` -> `True`, objects as dicts)."""
    if isinstance(value, dict):
        return Dict(tuple(Pair(py_str(str(k)), json_literal(v)) for k, v in value.items()))
    if isinstance(value, list):
        return List(tuple(json_literal(v) for v in value))
    if isinstance(value, str):
        return Str(value)
    return repr(value)  # True, False, None, numbers


def _bytes_literal(value: str) -> str:
    """The page's text as a bytes literal (UTF-8)."""
    data = value.encode("utf-8")
    return repr(data) if data else _SAMPLE_BYTES


def _kind(schema: Schema) -> str:
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    return t if isinstance(t, str) else ""


def _fits(schema: Schema, value: Any) -> bool:
    """Whether a JSON value is of the schema's JSON kind (to pick an `anyOf` alternative)."""
    if "$ref" in schema:
        return isinstance(value, (dict, str))
    expected = _JSON_KINDS.get(_kind(schema))
    return expected is None or isinstance(value, expected)


def operation_example(ep: Endpoint, namespace: str, components: Mapping[str, Schema]) -> Example:
    """The example of one operation, its arguments in the method's order: the path and the
    required query parameters, a body taken whole; then, by keyword, the optional query
    parameters the page shows a value for and the body fields its sample sets."""
    values = _Values(components)
    positional: list[Node] = []
    keywords: list[Node] = []
    for p in ep.parameters:
        if p.location == "path" or (p.location == "query" and p.required):
            positional.append(_parameter_value(values, p))
        elif p.location == "query" and p.has_example:
            keywords.append(Kw(p.python_name, _parameter_value(values, p)))
    body = _body_args(ep, values, components)
    positional += [a for a in body if not isinstance(a, Kw)]
    keywords += [a for a in body if isinstance(a, Kw)]
    returns = ep.success is not None and ep.success.schema is not None
    return Example(namespace, ep.python_name, (*positional, *keywords), returns, values.needs_datetime)


def _parameter_value(values: _Values, p: Parameter) -> Node:
    if not p.has_example:
        return values.fitting(p.schema)
    if p.name == SELECT and isinstance(p.example, str):  # the client takes a list of names
        return List(tuple(Str(part.strip()) for part in p.example.split(",") if part.strip()))
    return values.of(p.schema, p.example)


def _body_args(ep: Endpoint, values: _Values, components: Mapping[str, Schema]) -> list[Node]:
    body = ep.body
    if body is None:
        return []
    sample = body.example if body.has_example else None
    if body.fields:  # keyword arguments, in the table's order, for what the sample sets
        props = (components.get(body.model) or {}).get("properties") or {}
        given = sample if isinstance(sample, dict) else {}
        return [
            Kw(f.python_name, values.of(f.schema or props.get(f.name), given[f.name]))
            for f in body.fields
            if f.name in given
        ]
    if body.model:
        model = f"models.{body.model}"
        if isinstance(sample, dict):
            return [Call(f"{model}.model_validate", (json_literal(sample),))]
        return [Call(model, ())]
    if body.kind == "binary":
        return [_SAMPLE_BYTES]
    if body.kind == "json-patch":  # the client takes the operations as plain JSON objects
        return [json_literal(sample if isinstance(sample, list) else [])]
    if sample is None:
        return [values.fitting(body.schema)]
    return [values.of(body.schema, sample)]

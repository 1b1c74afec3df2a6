"""`docgen diff OLD NEW`: what changed between two doc trees or two specs, per operation, and
what it means for a client of the generated package.

Operations are matched by operationId (the page uid). Removals, type changes, a parameter or
request property becoming required, removed enum values and enum values added to an answer are
breaking; other additions are not (the client keeps unknown fields). Changed descriptions, and
any other change of an operation or a schema that changes no API (an example, a summary), are
documentation: a patch. The report says which version bump the generated package needs.
"""

from __future__ import annotations

import json
from dataclasses import KW_ONLY, asdict, dataclass, field
from pathlib import Path

BREAKING, NON_BREAKING, INFO = "breaking", "non-breaking", "info"


@dataclass(frozen=True)
class Change:
    operation: str  # operationId, or `schema:<Name>` for a component
    kind: str  # e.g. "operation removed", "parameter added", "property type changed"
    where: str  # `query $select`, `response 200 ContactEntity.Name`...
    _: KW_ONLY
    old: str = ""
    new: str = ""
    severity: str = NON_BREAKING


@dataclass
class DiffReport:
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.severity == BREAKING]

    @property
    def bump(self) -> str:
        if self.breaking:
            return "major"
        if any(c.severity == NON_BREAKING for c in self.changes):
            return "minor"
        return "patch" if self.changes else "none"

    def as_json(self) -> dict:
        return {
            "bump": self.bump,
            "breaking": len(self.breaking),
            "changes": [asdict(c) for c in self.changes],
        }

    def as_markdown(self) -> str:
        lines = ["## docgen diff", ""]
        if not self.changes:
            return "\n".join(lines + ["No changes to the API.", ""])
        lines.append(
            f"**Version bump needed: {self.bump}** ({len(self.breaking)} breaking of {len(self.changes)} "
            "changes)"
        )
        lines.append("")
        by_op: dict[str, list[Change]] = {}
        for c in self.changes:
            by_op.setdefault(c.operation, []).append(c)
        for op in sorted(by_op):
            lines.append(f"### `{op}`")
            lines.append("")
            lines.append("| change | where | old | new | impact |")
            lines.append("| --- | --- | --- | --- | --- |")
            for c in by_op[op]:
                mark = "**breaking**" if c.severity == BREAKING else c.severity
                lines.append(f"| {c.kind} | {_md(c.where)} | {_md(c.old)} | {_md(c.new)} | {mark} |")
            lines.append("")
        return "\n".join(lines)


def _md(text: str) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return f"`{text}`" if text else ""


SPEC_SUFFIXES = (".json", ".yaml", ".yml")


def is_spec_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SPEC_SUFFIXES


def load_spec(path: Path) -> dict:
    """A spec file (.json, .yaml)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        return json.loads(text)
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def operations(spec: dict) -> dict[str, tuple[str, str, dict]]:
    out = {}
    for path, item in (spec.get("paths") or {}).items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                out[op["operationId"]] = (method.upper(), path, op)
    return out


def diff_specs(old: dict, new: dict) -> DiffReport:
    report = DiffReport()
    old_ops, new_ops = operations(old), operations(new)
    ctx = (old.get("components", {}).get("schemas", {}), new.get("components", {}).get("schemas", {}))
    for oid in sorted(old_ops.keys() - new_ops.keys()):
        m, p, _ = old_ops[oid]
        report.changes.append(Change(oid, "operation removed", f"{m} {p}", severity=BREAKING))
    for oid in sorted(new_ops.keys() - old_ops.keys()):
        m, p, _ = new_ops[oid]
        report.changes.append(Change(oid, "operation added", f"{m} {p}"))
    for oid in sorted(old_ops.keys() & new_ops.keys()):
        found = _diff_operation(oid, old_ops[oid], new_ops[oid], ctx)
        report.changes += found or _documentation(oid, "operation", old_ops[oid][2], new_ops[oid][2])
    # Types nested deeper than an operation's body and response show here, by schema.
    old_s, new_s = ctx
    for name in sorted(old_s.keys() - new_s.keys()):
        report.changes.append(Change(f"schema:{name}", "schema removed", name, severity=BREAKING))
    for name in sorted(new_s.keys() - old_s.keys()):
        report.changes.append(Change(f"schema:{name}", "schema added", name))
    # A schema's change is classified as its uses make it: breaking for the role in which it is
    # breaking (a request body's or a response's), whichever spec uses it so.
    roles = {
        role: _reachable(old, role, old_s) | _reachable(new, role, new_s) for role in ("request", "response")
    }
    for name in sorted(old_s.keys() & new_s.keys()):
        ref = {"$ref": f"#/components/schemas/{name}"}
        uses = [role for role in ("request", "response") if name in roles[role]] or ["response"]
        found = _strictest(
            [_diff_schema(f"schema:{name}", "schema", ref, ref, ctx=ctx, role=role) for role in uses]
        )
        report.changes += found or _documentation(f"schema:{name}", name, old_s[name], new_s[name])
    return report


def _documentation(oid: str, where: str, old: dict, new: dict) -> list[Change]:
    """What changed in an operation or a schema that no rule above names (a description, an
    example, a summary): the docs changed, the API did not."""
    if old == new:
        return []
    if {k: v for k, v in old.items() if k != "description"} == {
        k: v for k, v in new.items() if k != "description"
    }:
        return [Change(oid, "description changed", where, severity=INFO)]
    return [Change(oid, "documentation changed", where, severity=INFO)]


def _diff_enum(oid: str, where: str, a: dict, b: dict, role: str) -> list[Change]:
    """Removed values break every client; added ones break clients reading them (the generated
    models validate enum values), not those sending them."""
    ea, eb = (
        {str(v) for v in a.get("enum") or [] if v is not None},
        {str(v) for v in b.get("enum") or [] if v is not None},
    )
    changes = []
    if ea - eb:
        changes.append(
            Change(
                oid, "enum values removed", where, old=", ".join(sorted(ea - eb)), new="", severity=BREAKING
            )
        )
    if eb - ea:
        changes.append(
            Change(
                oid,
                "enum values added",
                where,
                old="",
                new=", ".join(sorted(eb - ea)),
                severity=BREAKING if role == "response" else NON_BREAKING,
            )
        )
    return changes


def _reachable(spec: dict, role: str, components: dict) -> set[str]:
    """Component names that request bodies (role "request") or responses reach."""
    roots: list = []
    for _, _, op in operations(spec).values():
        if role == "request":
            roots.append(_json_schema(op.get("requestBody") or {}))
        else:
            roots += [_json_schema(r) for r in (op.get("responses") or {}).values() if isinstance(r, dict)]
    seen: set[str] = set()
    stack = [r for r in roots if r]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in seen:
                    seen.add(name)
                    stack.append(components.get(name, {}))
            stack += [v for k, v in node.items() if k != "$ref"]
        elif isinstance(node, list):
            stack += node
    return seen


def _strictest(views: list[list[Change]]) -> list[Change]:
    """The same changes found in several roles, each once, breaking if any role says so."""
    out: dict[tuple[str, str], Change] = {}
    for changes in views:
        for c in changes:
            seen = out.get((c.kind, c.where))
            if seen is None or (c.severity == BREAKING and seen.severity != BREAKING):
                out[(c.kind, c.where)] = c
    return list(out.values())


def _diff_operation(oid: str, old: tuple, new: tuple, ctx: tuple[dict, dict]) -> list[Change]:
    changes: list[Change] = []
    (old_method, old_path, before), (new_method, new_path, after) = old, new
    if (old_method, old_path) != (new_method, new_path):
        changes.append(
            Change(
                oid,
                "route changed",
                "request line",
                old=f"{old_method} {old_path}",
                new=f"{new_method} {new_path}",
                severity=BREAKING,
            )
        )
    for key in ("summary", "description"):
        if before.get(key, "") != after.get(key, ""):
            changes.append(Change(oid, f"{key} changed", key, severity=INFO))
    if before.get("deprecated", False) != after.get("deprecated", False) and after.get("deprecated"):
        changes.append(Change(oid, "deprecated", "operation"))
    changes += _diff_parameters(oid, before, after)
    changes += _diff_body(oid, before, after, ctx)
    changes += _diff_responses(oid, before, after, ctx)
    return changes


def _params(op: dict) -> dict[tuple[str, str], dict]:
    return {(p.get("in", ""), p.get("name", "")): p for p in op.get("parameters", []) if "name" in p}


def _diff_parameters(oid: str, before: dict, after: dict) -> list[Change]:
    changes = []
    old, new = _params(before), _params(after)
    for key in sorted(old.keys() - new.keys()):
        changes.append(Change(oid, "parameter removed", f"{key[0]} {key[1]}", severity=BREAKING))
    for key in sorted(new.keys() - old.keys()):
        required = new[key].get("required", False)
        changes.append(
            Change(
                oid,
                "parameter added",
                f"{key[0]} {key[1]}",
                old="",
                new="required" if required else "optional",
                severity=BREAKING if required else NON_BREAKING,
            )
        )
    for key in sorted(old.keys() & new.keys()):
        where = f"{key[0]} {key[1]}"
        was, now = old[key], new[key]
        if not was.get("required", False) and now.get("required", False):
            changes.append(
                Change(
                    oid, "parameter now required", where, old="optional", new="required", severity=BREAKING
                )
            )
        elif was.get("required", False) and not now.get("required", False):
            changes.append(Change(oid, "parameter now optional", where, old="required", new="optional"))
        changes += _diff_schema(
            oid, where, was.get("schema", {}), now.get("schema", {}), ctx=({}, {}), role="parameter"
        )
        changes += _described(oid, where, was, now)
    return changes


def _described(oid: str, where: str, was: dict, now: dict) -> list[Change]:
    """A parameter's, a property's or a status code's description, when that is what changed."""
    if was.get("description", "") == now.get("description", ""):
        return []
    return [Change(oid, "description changed", where, severity=INFO)]


def _diff_body(oid: str, before: dict, after: dict, ctx: tuple[dict, dict]) -> list[Change]:
    was, now = before.get("requestBody"), after.get("requestBody")
    if was is None and now is None:
        return []
    if was is None:
        return [Change(oid, "request body added", "request body", severity=BREAKING)]
    if now is None:
        return [Change(oid, "request body removed", "request body", severity=BREAKING)]
    return _diff_schema(
        oid, "request body", _json_schema(was) or {}, _json_schema(now) or {}, ctx=ctx, role="request"
    )


def _diff_responses(oid: str, before: dict, after: dict, ctx: tuple[dict, dict]) -> list[Change]:
    changes = []
    old, new = before.get("responses", {}), after.get("responses", {})
    for status in sorted(old.keys() - new.keys()):
        changes.append(Change(oid, "status code removed", f"response {status}", severity=BREAKING))
    for status in sorted(new.keys() - old.keys()):
        changes.append(Change(oid, "status code added", f"response {status}"))
    for status in sorted(old.keys() & new.keys()):
        changes += _described(oid, f"response {status}", old[status], new[status])
        if status == "default":
            continue
        was, now = _json_schema(old[status]), _json_schema(new[status])
        if was is None and now is None:
            continue
        if was is None or now is None:
            changes.append(
                Change(
                    oid,
                    "response body " + ("added" if was is None else "removed"),
                    f"response {status}",
                    severity=BREAKING,
                )
            )
            continue
        changes += _diff_schema(oid, f"response {status}", was, now, ctx=ctx, role="response")
    return changes


def _json_schema(holder: dict) -> dict | None:
    content = holder.get("content") or {}
    media = content.get("application/json") or next(iter(content.values()), None)
    return media.get("schema") if isinstance(media, dict) else None


def _resolve(schema: dict, components: dict) -> tuple[str, dict]:
    """(name, schema) with one level of `$ref`, nullable wrappers removed."""
    schema = _strip_null(schema or {})
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return name, _strip_null(components.get(name, {}))
    return "", schema


def _strip_null(schema: dict) -> dict:
    if "anyOf" in schema:
        rest = [s for s in schema["anyOf"] if s.get("type") != "null"]
        if len(rest) == 1:
            return {**rest[0], **{k: v for k, v in schema.items() if k not in ("anyOf",)}}
    t = schema.get("type")
    if isinstance(t, list):
        rest = [x for x in t if x != "null"]
        out = dict(schema)
        out["type"] = rest[0] if len(rest) == 1 else rest
        if "enum" in out:
            out["enum"] = [v for v in out["enum"] if v is not None]
        return out
    return schema


def type_name(schema: dict) -> str:
    schema = _strip_null(schema or {})
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    t = schema.get("type", "any")
    if t == "array":
        return f"array of {type_name(schema.get('items') or {})}"
    if t == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"map of {type_name(schema['additionalProperties'])}"
    fmt = schema.get("format") or schema.get("contentEncoding")
    return f"{t} ({fmt})" if fmt else str(t)


def _diff_schema(
    oid: str, where: str, was: dict, now: dict, *, ctx: tuple[dict, dict], role: str
) -> list[Change]:
    old_components, new_components = ctx
    old_name, old_schema = _resolve(was, old_components)
    new_name, new_schema = _resolve(now, new_components)
    if old_schema.get("type") == "array" and new_schema.get("type") == "array":
        items = (old_schema.get("items") or {}, new_schema.get("items") or {})
        return _diff_schema(oid, f"{where}[]", *items, ctx=ctx, role=role)
    kinds_differ = (old_schema.get("type"), old_schema.get("format")) != (
        new_schema.get("type"),
        new_schema.get("format"),
    ) or (old_name and new_name and old_name != new_name)
    if kinds_differ:
        return [Change(oid, "type changed", where, old=type_name(was), new=type_name(now), severity=BREAKING)]
    label = new_name or old_name
    prefix = f"{where} {label}." if label else f"{where} "
    return [
        *_diff_enum(oid, where, old_schema, new_schema, role),
        *_diff_properties(oid, prefix, old_schema, new_schema, role),
    ]


def _diff_properties(oid: str, prefix: str, was: dict, now: dict, role: str) -> list[Change]:
    """The properties of one object schema: removed, added, retyped, enum values, now required."""
    changes: list[Change] = []
    old_props, new_props = was.get("properties") or {}, now.get("properties") or {}
    for prop in sorted(old_props.keys() - new_props.keys()):
        old = type_name(old_props[prop])
        changes.append(Change(oid, "property removed", prefix + prop, old=old, new="", severity=BREAKING))
    for prop in sorted(new_props.keys() - old_props.keys()):
        changes.append(Change(oid, "property added", prefix + prop, old="", new=type_name(new_props[prop])))
    for prop in sorted(old_props.keys() & new_props.keys()):
        old, new = type_name(old_props[prop]), type_name(new_props[prop])
        if old != new:
            changes.append(
                Change(oid, "property type changed", prefix + prop, old=old, new=new, severity=BREAKING)
            )
        else:  # an inline enum's values (a referenced type shows by itself, per schema)
            inline = (_strip_null(old_props[prop]), _strip_null(new_props[prop]))
            changes += _diff_enum(oid, prefix + prop, *inline, role)
            changes += _described(oid, prefix + prop, old_props[prop], new_props[prop])
    required = set(now.get("required") or []) - set(was.get("required") or [])
    severity = BREAKING if role == "request" else NON_BREAKING
    for prop in sorted(required):
        changes.append(
            Change(
                oid, "property now required", prefix + prop, old="optional", new="required", severity=severity
            )
        )
    return changes

"""A .NET library reference file (docfx `### YamlMime:ManagedReference`) to frozen records.

docfx writes one file per type: the type first under `items:`, then one item per member
(`Property`, `Field`, `Method`, `Constructor`), then `references:`. docgen reads carriers (classes
with properties), enums and agents (classes whose methods are the operations). Types are uids
with .NET's braces for generics: `System.Nullable{SuperOffice.WebApi.Data.InterRestrictionOperator}`.

Two generations of docfx write these files (FORMAT.md). The 2023 one writes an enum as
`type: Class` with `public sealed class X : Enum` and one `public const X Value` field per
value; the newer one as `type: Enum` with `[EnumMember]` / `Value = N` fields. Both give each
value's field `syntax.return.type` = the enum's own uid, so that structured field, not the C#
text, says what a value is (the 2023 files' `value__` field returns its underlying integer).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote_plus

import yaml

from docgen.diagnostics import Found, diag

MAGIC = b"### YamlMime:ManagedReference"
_ITEM_RE = re.compile(r"^- uid: (\S+)", re.M)
_FIRST_UID_RE = re.compile(rb"^- uid: (\S+)", re.M)
# Every type a file names where a type goes (`type:` of a property, parameter or return, and the
# base classes under `inheritance:`): how the build finds the files reached before parsing any.
_TYPE_LINE_RE = re.compile(rb"^ *type: (\S+)$", re.M)
_BASES_RE = re.compile(rb"^  inheritance:\n((?:  - \S+\n)+)", re.M)
# A type declared over a generic base (`class StringDictionary : Dictionary<string, string>`).
_DECLARED_BASE_RE = re.compile(rb"^    content: '?public (?:sealed )?class \w+ : ([^'\n]*)", re.M)
_UID_NAME_RE = re.compile(rb"[A-Za-z_][\w.]*")

RefKind = Literal["class", "enum", "agent"]


@dataclass(frozen=True)
class RefMember:
    name: str
    kind: Literal["property", "value", "method"]
    type: str  # a property's type, a method's return type (uids); empty for enum values
    summary: str
    line: int
    parameters: tuple[tuple[str, str], ...] = ()  # a method's (name, type uid)


@dataclass(frozen=True)
class RefType:
    uid: str  # `SuperOffice.WebApi.Data.StructuredAddress`
    name: str  # `StructuredAddress`
    kind: RefKind
    summary: str
    file: str
    line: int
    bases: tuple[str, ...]  # base classes, nearest last (`System.Object`, `...Data.Carrier`)
    declaration: str  # `public class StringDictionary : Dictionary<string, string>`
    members: tuple[RefMember, ...]


def is_reference(data: bytes) -> bool:
    return data.lstrip()[: len(MAGIC)] == MAGIC


def named_types(data: bytes) -> set[str]:
    """The uids a file names where types go, read without parsing it (a cheap over-estimate of
    what the type's members reach: generics are split into their parts)."""
    out: set[str] = set()
    for m in _TYPE_LINE_RE.finditer(data):
        out.update(part.decode() for part in _UID_NAME_RE.findall(m.group(1)))
    for m in [*_BASES_RE.finditer(data), *_DECLARED_BASE_RE.finditer(data)]:
        out.update(part.decode() for part in _UID_NAME_RE.findall(m.group(1)))
    return out


def declared_uid(data: bytes) -> str:
    """The uid of the type a file declares (its first item), read without parsing it."""
    m = _FIRST_UID_RE.search(data)
    return m.group(1).decode() if m else ""


def read_reference(data: bytes, file: str) -> Found[RefType | None]:
    """The file's type with its members, or a finding saying why there is none."""
    try:
        text = data.decode("utf-8")
        # The `references:` section that ends a file is docfx's table of links (a third of the
        # bytes); nothing in it is read, so it is not parsed.
        end = text.find("\nreferences:")
        doc = yaml.load(
            text[: end + 1] if end >= 0 else text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )
    except (UnicodeDecodeError, yaml.YAMLError) as e:
        message = (
            f"reference file is not valid YAML ({type(e).__name__}): expected docfx ManagedReference YAML"
        )
        return Found(None, (diag("DG113", file, _error_line(e), message),))
    items = doc.get("items") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        return Found(
            None, (diag("DG113", file, 1, "reference file has no items: expected 'items:' with a type"),)
        )
    lines = _item_lines(text)
    head = items[0]
    uid = str(head.get("uid", ""))
    declaration = str(_mapping(head.get("syntax")).get("content", ""))
    kind = _kind(head, declaration)
    members: list[RefMember] = []
    for item in items[1:]:
        if not isinstance(item, dict) or item.get("parent") != uid:
            continue
        member = _member(item, kind, uid, lines.get(str(item.get("uid")), 1))
        if member is not None:
            members.append(member)
    bases = tuple(str(b) for b in head.get("inheritance") or ())
    ref = RefType(
        uid=uid,
        name=str(head.get("name") or uid.rsplit(".", 1)[-1]),
        kind=kind,
        summary=clean_summary(head.get("summary")),
        file=file,
        line=lines.get(uid, 1),
        bases=bases,
        declaration=declaration,
        members=tuple(members),
    )
    return Found(ref)


def _kind(head: dict[str, Any], declaration: str) -> RefKind:
    # The newer docfx says `type: Enum`; the 2023 one only the declaration does.
    if head.get("type") == "Enum" or re.search(r"\bsealed class \w+ : Enum\b", declaration):
        return "enum"
    if str(head.get("uid", "")).endswith("Agent") and ".Agents." in str(head.get("uid", "")):
        return "agent"
    return "class"


def _member(item: dict[str, Any], owner: RefKind, owner_uid: str, line: int) -> RefMember | None:
    kind = item.get("type")
    syntax = _mapping(item.get("syntax"))
    returns = _mapping(syntax.get("return"))
    name = str(item.get("name") or item.get("id") or "")
    summary = clean_summary(item.get("summary"))
    if kind == "Property" and owner != "enum":
        return RefMember(name, "property", str(returns.get("type", "")), summary, line)
    if kind == "Field" and owner == "enum" and returns.get("type") == owner_uid:
        return RefMember(name, "value", "", summary, line)
    if kind == "Method" and owner == "agent":
        params = tuple(
            (str(p.get("id", "")), str(p.get("type", "")))
            for p in syntax.get("parameters") or ()
            if isinstance(p, dict)
        )
        method = str(item.get("id") or name).split("(", 1)[0]
        return RefMember(method, "method", str(returns.get("type", "")), summary, line, params)
    return None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _item_lines(text: str) -> dict[str, int]:
    """Each item's uid and the 1-based line where the item starts (the YAML loader keeps none)."""
    out: dict[str, int] = {}
    line, last = 1, 0
    for m in _ITEM_RE.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        out.setdefault(m.group(1), line)
    return out


def _error_line(e: Exception) -> int:
    mark = getattr(e, "problem_mark", None)
    return (mark.line + 1) if mark is not None else 1


_TAG_RE = re.compile(r"<see (?:cref|langword)=\"(?:[A-Z]:)?([^\"]+)\"\s*/>")
# The newer docfx's cross-references: `<xref href="A.B.Name?text=Label" ...></xref>` (or `/>`).
_XREF_RE = re.compile(r"<xref href=\"([^\"?]+)(?:\?text=([^\"]*))?\"[^>]*?(?:/>|>\s*</xref>)")
_MARKUP_RE = re.compile(r"</?(?:p|para|c|code|b|i|em|strong|br|summary|remarks)\s*/?>")


def clean_summary(value: Any) -> str:
    """A summary's text: docfx's .NET doc markup (`<p>`, `<see cref=...>`, `<xref href=...>`)
    to plain words; plain, quoted and folded YAML scalars alike (the loader reads them)."""
    if not isinstance(value, str):
        return ""
    text = _TAG_RE.sub(lambda m: m.group(1).rsplit(".", 1)[-1], value)
    text = _XREF_RE.sub(_xref_label, text)
    return " ".join(html.unescape(_MARKUP_RE.sub(" ", text)).split())


def _xref_label(m: re.Match[str]) -> str:
    """`?text=Archive+agent` where the link has one, else the last part of its uid."""
    return unquote_plus(m.group(2)) if m.group(2) else m.group(1).rsplit(".", 1)[-1]

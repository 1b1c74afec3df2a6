""".NET type uids of the library reference (`System.Nullable{System.Int32}`,
`SuperOffice.WebApi.Data.Associate[]`) to the JSON the wire carries.

docfx writes generics with braces in uids: `System.Nullable{X}`, `System.Collections.Generic.
List{X}`, `Dictionary{K,V}`. Named carriers and enums are referred to by their last name part.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from docgen.model.api import Schema
from docgen.model.typemap import INT32, INT64, PRIMITIVES, array_of, map_of

# The System types a carrier holds, as the wire carries them. `short` is an integer that fits
# int32's schema; `uint` needs int64's range; a TimeSpan and a char travel as text.
_SYSTEM: dict[str, Schema] = {
    "String": {"type": "string"},
    "Char": {"type": "string"},
    "Guid": {"type": "string"},
    "TimeSpan": {"type": "string"},
    "Int16": INT32,
    "Int32": INT32,
    "UInt16": INT32,
    "Byte": INT32,
    "SByte": INT32,
    "Int64": INT64,
    "UInt32": INT64,
    "UInt64": INT64,
    "Boolean": {"type": "boolean"},
    "Double": PRIMITIVES["double"],
    "Single": PRIMITIVES["float"],
    "Decimal": PRIMITIVES["decimal"],
    "DateTime": PRIMITIVES["datetime"],
    "DateTimeOffset": PRIMITIVES["datetime"],
}
_LISTS = {"List", "IList", "IEnumerable", "ICollection", "IReadOnlyList", "IReadOnlyCollection", "HashSet"}
_MAPS = {"Dictionary", "IDictionary", "IReadOnlyDictionary", "SortedDictionary"}
_WRAPPERS = {"Nullable", "Task"}
_GENERIC_RE = re.compile(r"^([\w.]+)\{(.*)\}$")
# `class StringDictionary : Dictionary<string, string>`: a named dictionary type (JSON keys are
# text whatever the key type: `TimeZoneRuleDictionary : Dictionary<DateTime, TimeZoneRule>`).
DICTIONARY_BASE_RE = re.compile(
    r":\s*(?:System\.Collections\.Generic\.)?Dictionary<\s*[\w.]+\s*,\s*([\w.]+)\s*>"
)

CsKind = Literal["primitive", "array", "map", "named", "any", "none"]


@dataclass(frozen=True)
class CsType:
    """A .NET type as the wire sees it: a primitive schema, an array or string-keyed map of a
    type, a named type (a carrier or an enum, by name), anything, or no value (`void`)."""

    kind: CsKind
    schema: Schema | None = None  # primitives
    item: CsType | None = None  # arrays and maps
    name: str = ""  # named types

    def names(self) -> set[str]:
        """The named types this type holds, at any depth."""
        if self.kind == "named":
            return {self.name}
        return self.item.names() if self.item is not None else set()


@lru_cache(maxsize=8192)
def cs_type(uid: str) -> CsType:
    uid = uid.strip()
    if not uid or uid in ("System.Void", "System.Threading.Tasks.Task"):
        return CsType("none")
    if uid.endswith("[]"):
        inner = cs_type(uid[:-2])
        if inner.kind == "primitive" and inner.schema == INT32 and uid[:-2].endswith("Byte"):
            return CsType("primitive", PRIMITIVES["byte"])  # byte[]: base64 text
        return CsType("array", item=inner)
    m = _GENERIC_RE.match(uid)
    if m:
        return _generic(m.group(1).rsplit(".", 1)[-1], _split_arguments(m.group(2)))
    last = uid.rsplit(".", 1)[-1]
    if uid.startswith("System.") and last in _SYSTEM:
        return CsType("primitive", _SYSTEM[last])
    if uid in ("System.Object", "System.Object[]"):
        return CsType("any")
    if uid.startswith("System."):
        return CsType("any")  # a framework type the wire carries as some JSON value
    return CsType("named", name=last)


def _generic(name: str, args: list[str]) -> CsType:
    if name in _WRAPPERS and len(args) == 1:
        return cs_type(args[0])
    if name in _LISTS and len(args) == 1:
        return CsType("array", item=cs_type(args[0]))
    if name in _MAPS and len(args) == 2:
        return CsType("map", item=cs_type(args[1]))
    return CsType("any")


def _split_arguments(text: str) -> list[str]:
    """`A,B{C,D}` -> [`A`, `B{C,D}`]: commas at the top level only."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [a.strip() for a in out if a.strip()]


# C# keywords in declarations (`Dictionary<string, int>`) and the System types they stand for.
_KEYWORDS = {
    "string": "String",
    "int": "Int32",
    "long": "Int64",
    "short": "Int16",
    "bool": "Boolean",
    "double": "Double",
    "float": "Single",
    "decimal": "Decimal",
    "object": "Object",
}


def dictionary_values(declaration: str) -> CsType | None:
    """What a named dictionary class holds (`StringDictionary : Dictionary<string, string>`)."""
    m = DICTIONARY_BASE_RE.search(declaration)
    if m is None:
        return None
    value = m.group(1)
    return cs_type(f"System.{_KEYWORDS[value]}" if value in _KEYWORDS else value)


def cs_schema(t: CsType, ref_of: Callable[[str], Schema]) -> Schema:
    """The JSON Schema of a type; `ref_of` gives a named type's reference."""
    if t.kind == "primitive":
        return dict(t.schema or {})
    if t.kind == "array" and t.item is not None:
        return array_of(cs_schema(t.item, ref_of))
    if t.kind == "map" and t.item is not None:
        return map_of(cs_schema(t.item, ref_of))
    if t.kind == "named":
        return ref_of(t.name)
    return {}

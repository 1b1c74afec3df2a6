"""Names for what the pages leave unnamed: shared structures, plurals, Python class names.

Pure functions of names and descriptions; the fold (`model/fold/`) decides when to ask.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from typing import Any

from docgen.model.api import Component
from docgen.text import RESERVED_CLASS_NAMES, pascal, unique

TYPE_NAME_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
# "Array of ColumnInfo column specifications": a description naming its elements' type.
_ARRAY_OF_RE = re.compile(r"\b(?:[Aa]rray|[Ll]ist|[Cc]ollection) of ([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)\b")
_CAMEL_WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")
# A structure shared by properties with no word in common is named by joining their final
# words (`PhoneEmailFaxUrl`) up to this many; beyond, that name would not say what it is.
_MAX_JOINED_WORDS = 4


def python_class_names(names: set[str]) -> dict[str, str]:
    """Renames for the names a generated models module cannot define as classes."""
    taken = set(names)
    return {n: unique(f"{n}Model", taken) for n in sorted(names) if n in RESERVED_CLASS_NAMES}


def fitting_names(uses: list[tuple[str, str]]) -> list[str]:
    """Names that fit every property using a shared structure, best first; none when only
    properties of one name use it (its context name then fits).

    `uses` are (property name, description) pairs. The pages' own word comes first ("Array of
    ArchiveRestrictionInfo ..."), then the words all property names end with (`Rows`,
    `ArchiveRows` -> `Row`) with the words they all start with (`TimeZoneDSTRules`,
    `TimeZoneSTDRules` -> `TimeZoneRule`), then, when all are plurals, their final words
    joined (`Emails`, `Phones`, `Urls` -> `EmailPhoneUrl`).
    """
    props = sorted({p for p, _ in uses})
    if len(props) < 2:
        return []
    out: list[str] = []
    said = Counter(m.group(1) for _, d in uses for m in [_ARRAY_OF_RE.search(d)] if m)
    out += sorted(said, key=lambda n: (-said[n], n))
    words = [_CAMEL_WORD_RE.findall(singular(p)) for p in props]
    suffix = _common_words([w[::-1] for w in words])[::-1]
    if suffix:
        prefix = _common_words([w[: len(w) - len(suffix)] for w in words])
        out.append(pascal("".join(prefix + suffix)))
    # Plurals name their elements (`Emails`, `Urls`): their singulars joined say what it is.
    finals = sorted({pascal(w[-1]) for w in words if w})
    if all(singular(p) != p for p in props) and 1 < len(finals) <= _MAX_JOINED_WORDS:
        out.append("".join(finals))
    return [n for n in out if TYPE_NAME_RE.match(n)]


def _common_words(words: list[list[str]]) -> list[str]:
    """The words all lists start with (case-blind), as the first list spells them."""
    n = 0
    while all(len(w) > n for w in words) and len({w[n].lower() for w in words}) == 1:
        n += 1
    return words[0][:n]


def property_uses(components: Iterable[Component]) -> dict[str, list[tuple[str, str]]]:
    """Each reference target with the (property, description) pairs that hold it, at any depth
    of the property's schema (list items, dictionary values)."""
    uses: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for c in components:
        for prop, schema in (c.schema.get("properties") or {}).items():
            for target in sorted(_refs_in(schema)):
                uses[target].append((prop, schema.get("description", "")))
    return uses


def _refs_in(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        refs = {schema["$ref"]} if isinstance(schema.get("$ref"), str) else set()
        for v in schema.values():
            refs |= _refs_in(v)
        return refs
    if isinstance(schema, list):
        return set().union(*(_refs_in(v) for v in schema)) if schema else set()
    return set()


def singular(plural: str) -> str:
    """`Categories` -> `Category`, `Faxes` -> `Fax`, `Phones` -> `Phone`; others unchanged."""
    if plural.endswith("ies") and len(plural) > 4:
        return plural[:-3] + "y"
    if re.search(r"(ss|x|z|ch|sh)es$", plural):
        return plural[:-2]
    if plural.endswith("s") and not plural.endswith("ss") and len(plural) > 2:
        return plural[:-1]
    return plural


def singulars(plural: str) -> list[str]:
    """`QuoteAlternatives` -> `QuoteAlternative`; `Categories` -> `Category`; `Boxes` -> `Box`."""
    out = []
    if plural.endswith("ies") and len(plural) > 4:
        out.append(plural[:-3] + "y")
    if plural.endswith("es") and len(plural) > 3:
        out.append(plural[:-2])
    if plural.endswith("s") and not plural.endswith("ss") and len(plural) > 2:
        out.append(plural[:-1])
    return out


# Where a new word of a PascalCase name starts.
_WORD_START_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def leading_names(name: str) -> list[str]:
    """The names its leading words make, shortest first: the types a name may extend
    (`AppointmentEntityWithLinks` -> `Appointment`, `AppointmentEntity`, `AppointmentEntityWith`)."""
    return [name[: m.start()] for m in _WORD_START_RE.finditer(name)]


def area_qualified(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Names qualified by an area (`BLOB_SaveImageStreamRequest`), by their unqualified name
    (`SaveImageStreamRequest`), each list sorted."""
    out: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        if "_" in name:
            out.setdefault(name.split("_", 1)[1], []).append(name)
    return {k: tuple(v) for k, v in out.items()}


def read_as(declared: Collection[str]) -> Callable[[str], set[str]]:
    """How else the fold may read a name, among the `declared` type names: its area-qualified
    forms (`X_Name`) and the types its leading words name (`AppointmentEntity` for
    `AppointmentEntityWithLinks`). What the reference's reach takes (`docgen/reach.py`)."""
    qualified = area_qualified(declared)
    return lambda name: {*qualified.get(name, ()), *leading_names(name)}

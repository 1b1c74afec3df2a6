"""What one reference file tells the fold: its type as a `ReferenceSeen` record.

The library has members that are not on the wire: beside a `Nullable<SomeEnum> X` it often has
`string X_String`, its own text view of the enum, which the pages never list; those are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docgen.diagnostics import Diagnostic, Place, diag_at
from docgen.model.cstypes import cs_type, dictionary_values
from docgen.model.evidence import ReferenceProperty, ReferenceSeen
from docgen.parser.docfx import RefType, read_reference

_FLAGS_RE = re.compile(r"\bflag values\b|\bcan be combined\b", re.I)
_TWIN_SUFFIX = "_String"


@dataclass(frozen=True)
class ReferenceModel:
    """A reference file's contribution, cached by the file's content like a page's model."""

    file: str
    evidence: tuple[ReferenceSeen, ...]
    diagnostics: tuple[Diagnostic, ...]


def reference_model(data: bytes, file: str) -> ReferenceModel:
    read = read_reference(data, file)
    seen = reference_seen(read.value) if read.value is not None else None
    findings = read.findings
    if seen is not None and seen.kind == "enum" and not seen.values:
        message = (
            f"enum {seen.name} lists no value docgen can read: expected its values as `Field` items "
            "returning the enum (`public const X Value`, or `[EnumMember]` / `Value = N`); its "
            "properties accept any string"
        )
        findings = (*findings, diag_at("DG116", seen.place, message))
    return ReferenceModel(file, (seen,) if seen is not None else (), findings)


def reference_seen(ref: RefType) -> ReferenceSeen | None:
    """The type of a reference file as evidence; agents and other classes the wire never
    carries (no properties, no values) give none."""
    place = Place(ref.file, ref.line)
    if ref.kind == "enum":
        values = tuple(m.name for m in ref.members if m.kind == "value")
        flags = bool(_FLAGS_RE.search(ref.summary))
        return ReferenceSeen(ref.name, "enum", ref.summary, place, values=values, flags=flags)
    if ref.kind != "class":
        return None
    holds = dictionary_values(ref.declaration)
    if holds is not None:
        return ReferenceSeen(ref.name, "dictionary", ref.summary, place, holds=holds)
    names = {m.name for m in ref.members if m.kind == "property"}
    properties = tuple(
        ReferenceProperty(m.name, cs_type(m.type), m.summary, Place(ref.file, m.line))
        for m in ref.members
        if m.kind == "property"
        and not (m.name.endswith(_TWIN_SUFFIX) and m.name[: -len(_TWIN_SUFFIX)] in names)
    )
    bases = tuple(b.rsplit(".", 1)[-1] for b in ref.bases if b.rsplit(".", 1)[0] == ref.uid.rsplit(".", 1)[0])
    return ReferenceSeen(ref.name, "class", ref.summary, place, properties=properties, bases=bases)

"""Evidence records and the fold: what a page tells the fold, and how it becomes components."""

from __future__ import annotations

import dataclasses

import pytest
from docgen.diagnostics import Place
from docgen.model.evidence import PENDING, PageEvidence, PropertyRow, TableSeen
from docgen.model.fold import fold
from docgen.model.typemap import classify_type


def rows(*cells: tuple[str, str], file: str = "a.md") -> list[PropertyRow]:
    return [PropertyRow(name, classify_type(t), "", Place(file, i + 10)) for i, (name, t) in enumerate(cells)]


def test_records_are_frozen_and_pending_references_are_unique_per_page():
    page = PageEvidence("restful/agent/X/a.md")
    first = page.table("ThingEntity", rows(("Id", "int32")), Place("a.md", 5), kind="response", op="GetThing")
    second = page.lone_body("thingIds", "The primary keys.", "GetThings", Place("a.md", 9))
    assert first["$ref"].startswith(PENDING) and second["$ref"].startswith(PENDING)
    assert first != second
    record = page.records[0]
    assert isinstance(record, TableSeen)
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.type_name = "Other"  # type: ignore[misc]


def test_fold_resolves_every_pending_reference_once():
    a = PageEvidence("a.md")
    table = a.table(
        "ThingEntity",
        rows(("Id", "int32"), ("Name", "string")),
        Place("a.md", 3),
        kind="response",
        op="GetThing",
    )
    lone = a.lone_body("thingIds", "The primary keys.", "GetThings", Place("a.md", 7))
    named = a.named("Unknown", Place("a.md", 12))
    schemas = fold(a.records)
    assert schemas.resolve(table) == {"$ref": "#/components/schemas/ThingEntity"}
    assert schemas.resolve(lone)["type"] == "array"  # `...Ids`: a list of integers
    assert schemas.resolve(named) == {"$ref": "#/components/schemas/Unknown"}
    assert {c.name for c in schemas.components} == {"ThingEntity", "Unknown"}
    assert not any(PENDING in str(c.schema) for c in schemas.components)


def test_a_name_is_placed_where_it_first_appears_by_file_then_line():
    # Lines compare as numbers: line 9 comes before line 10 of the same file.
    page = PageEvidence("b.md")
    page.named("Ghost", Place("b.md", 10))
    page.named("Ghost", Place("b.md", 9))
    (finding,) = [d for d in fold(page.records).diagnostics if d.code == "DG202"]
    assert (finding.file, finding.line) == ("b.md", 9)
    assert Place("b.md", 9) < Place("b.md", 10) < Place("c.md", 1)


def test_names_a_models_module_defines_itself_are_given_another_in_the_one_resolution():
    page = PageEvidence("a.md")
    ref = page.table("Field", rows(("Id", "int32")), Place("a.md", 3), kind="response", op="GetField")
    holder = page.table(
        "Holder", rows(("Shape", "Field"), ("Id", "int32")), Place("a.md", 9), kind="response", op="GetHolder"
    )
    schemas = fold(page.records)
    names = {c.name for c in schemas.components}
    assert "FieldModel" in names and "Field" not in names
    assert schemas.resolve(ref) == {"$ref": "#/components/schemas/FieldModel"}
    assert schemas.resolve(holder) == {"$ref": "#/components/schemas/Holder"}
    shape = next(c for c in schemas.components if c.name == "Holder").schema["properties"]["Shape"]
    assert shape["anyOf"][0] == {"$ref": "#/components/schemas/FieldModel"}

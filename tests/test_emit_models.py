"""The models module: datamodel-code-generator run over groups of schemas and the runs joined."""

from __future__ import annotations

import random
import re

import black
import pytest
from docgen import build
from docgen.emit.models import (
    finished_models,
    generated_models,
    joined_models,
    model_groups,
    render_models,
    schemas_spec,
    shared_class_names,
)

INT32_ITEMS = {"type": ["integer", "null"], "format": "int32", "minimum": -2147483648, "maximum": 2147483647}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(**props: dict) -> dict:
    return {"type": "object", "properties": props}


# Two families that never refer to each other, plus a schema whose constrained array items the
# generator makes a class of, named after the property: `Dashboards` claims `Dashboard`, the
# name of a schema it does not refer to.
SCHEMAS = {
    "Contact": obj(Name={"type": "string"}, Persons={"type": "array", "items": ref("Person")}),
    "Person": obj(
        Firstname={"type": "string"}, Contact=ref("Contact"), Born={"type": "string", "format": "date-time"}
    ),
    "Dashboard": obj(Title={"type": "string"}, Tiles={"type": "array", "items": ref("Tile")}),
    "Tile": obj(Caption={"type": "string"}, Kind={"type": "string", "enum": ["Chart", "List"]}),
    "GetDashListRequest": obj(Dashboards={"type": ["array", "null"], "items": INT32_ITEMS}),
    "Sale": obj(Amount={"type": "number"}, Probability={"type": "integer", "format": "int32"}),
}


def spec(schemas: dict) -> dict:
    info = {"title": "Test API", "version": "1"}
    return {"openapi": "3.1.0", "info": info, "paths": {}, "components": {"schemas": schemas}}


def blocks(module: str) -> tuple[str, list[str]]:
    """The module's header (docstring and imports) and its top-level blocks."""
    head, *rest = re.split(r"\n\n\n(?=\S)", module.rstrip("\n"))
    return head, rest


def test_groups_keep_references_and_claimed_names_together():
    groups = model_groups(SCHEMAS, 2)
    where = {name: i for i, group in enumerate(groups) for name in group}
    assert where["Contact"] == where["Person"]
    assert where["Dashboard"] == where["Tile"]
    # the generator would name the items' class `Dashboard`, which the other group would define
    assert where["GetDashListRequest"] == where["Dashboard"]
    assert len(groups) == 2 and sorted(n for g in groups for n in g) == sorted(SCHEMAS)


def test_groups_are_decided_by_the_schemas_alone():
    expected = model_groups(SCHEMAS, 2)
    names = list(SCHEMAS)
    for seed in range(5):
        random.Random(seed).shuffle(names)
        assert model_groups({n: SCHEMAS[n] for n in names}, 2) == expected
    assert model_groups(SCHEMAS, 1) == (tuple(sorted(SCHEMAS)),)
    assert len(model_groups({"Sale": SCHEMAS["Sale"]}, 2)) == 1


def test_groups_are_balanced_by_weight():
    many = {f"Lone{i:02}": obj(Value={"type": "string"}) for i in range(20)}
    sizes = sorted(len(g) for g in model_groups(many, 2))
    assert sizes == [10, 10]


def test_joined_runs_define_each_class_as_one_run_does():
    whole = render_models(spec(SCHEMAS), "pkg").value
    groups = model_groups(SCHEMAS, 2)
    parts = [generated_models(schemas_spec(spec(SCHEMAS), g), "pkg").value for g in groups]
    assert whole is not None and None not in parts
    assert shared_class_names(parts) == set()
    joined = finished_models(joined_models(parts), "pkg")
    whole_head, whole_blocks = blocks(whole)
    joined_head, joined_blocks = blocks(joined)
    assert joined_head == whole_head  # the imports of all runs, merged and sorted alike
    assert sorted(joined_blocks) == sorted(whole_blocks) and joined_blocks != whole_blocks
    assert black.format_str(joined, mode=black.Mode()) == joined


def test_a_split_the_generator_names_twice_is_found():
    apart = [("Contact", "Dashboard", "Person", "Tile"), ("GetDashListRequest", "Sale")]
    parts = [generated_models(schemas_spec(spec(SCHEMAS), g), "pkg").value for g in apart]
    assert shared_class_names(parts) == {"Dashboard"}


def test_a_build_whose_groups_collide_makes_the_models_in_one_run(monkeypatch):
    """The fallback: what the groups would define twice, one run over all names uniquely."""
    apart = (("Contact", "Dashboard", "Person", "Tile"), ("GetDashListRequest", "Sale"))
    monkeypatch.setattr(build, "PARALLEL_MODELS_THRESHOLD", 1)
    monkeypatch.setattr(build, "model_groups", lambda schemas, parts: apart)

    class Api:
        components = [type("C", (), {"name": n})() for n in SCHEMAS]

    settings = type("S", (), {"package": "pkg"})()
    timer = build._Timer()
    models = build._models(Api(), spec(SCHEMAS), settings, timer, lambda: None)  # type: ignore[arg-type]
    assert models.value == render_models(spec(SCHEMAS), "pkg").value
    assert "class Dashboard1(" in models.value


@pytest.mark.parametrize("groups", [1, 2, 3])
def test_the_finished_module_is_black_stable_however_grouped(groups):
    split = model_groups(SCHEMAS, groups)
    parts = [generated_models(schemas_spec(spec(SCHEMAS), g), "pkg").value for g in split]
    assert None not in parts
    text = finished_models(joined_models(parts), "pkg")
    assert black.format_str(text, mode=black.Mode()) == text
    assert "model_rebuild" not in text

"""Sample values made to fit their schemas (model/examples.py)."""

# Sample values made to fit their schemas: filler that does not fit becomes the simplest value
# that does; values that fit stay as the page has them.

from __future__ import annotations

import base64

from docgen.model.examples import fitted

COMPONENTS = {
    "Kind": {"type": "string", "enum": ["Unknown", "Person"]},
    "Thing": {
        "type": "object",
        "properties": {
            "Kind": {"anyOf": [{"$ref": "#/components/schemas/Kind"}, {"type": "null"}]},
            "When": {"type": ["string", "null"], "format": "date-time"},
            "Data": {"type": ["string", "null"], "contentEncoding": "base64"},
            "Count": {"type": ["integer", "null"]},
            "Tags": {"type": ["array", "null"], "items": {"type": ["string", "null"]}},
        },
    },
}
THING = {"$ref": "#/components/schemas/Thing"}


def test_values_that_fit_are_left_as_the_page_has_them():
    value = {"Kind": "Person", "When": "2003-11-08T03:46:54.5507645+01:00", "Data": "R0lG", "Count": 3}
    assert fitted(THING, value, COMPONENTS) == value
    assert fitted(THING, {"Extra": {"any": 1}, "Tags": None}, COMPONENTS) == {
        "Extra": {"any": 1},
        "Tags": None,
    }


def test_filler_becomes_the_simplest_value_that_fits():
    value = {
        "Kind": "qui",
        "When": "fuga",
        "Data": "File contents as raw bytes",
        "Count": "7",
        "Tags": [{}, "a"],
    }
    out = fitted(THING, value, COMPONENTS)
    assert out["Kind"] == "Unknown"
    assert out["When"] == "2023-01-01T00:00:00Z"
    assert base64.b64decode(out["Data"]) == b"File contents as raw bytes"
    assert out["Count"] == 0 and out["Tags"] == ["", "a"]
    assert fitted({"type": "array", "items": THING}, "not a list", COMPONENTS) == []
    assert fitted({"type": "boolean"}, 1, COMPONENTS) is False

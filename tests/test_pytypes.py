"""JSON Schema to the client's Python annotations."""

from __future__ import annotations

from docgen.emit.pytypes import annotation


def test_nullable_items_inside_nullable_arrays_keep_their_brackets():
    # `list[list[X | None] | None] | None`: a union inside brackets is not split at the top level.
    schema = {
        "anyOf": [
            {
                "type": "array",
                "items": {
                    "anyOf": [{"type": "array", "items": {"type": ["string", "null"]}}, {"type": "null"}]
                },
            },
            {"type": "null"},
        ]
    }
    assert annotation(schema) == "list[list[str | None] | None] | None"


def test_unions_are_flattened_and_none_goes_last():
    assert (
        annotation(
            {"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/A"}, {"type": ["string", "null"]}]}
        )
        == "models.A | str | None"
    )
    assert (
        annotation({"type": "object", "additionalProperties": {"type": ["integer", "null"]}})
        == "dict[str, int | None]"
    )

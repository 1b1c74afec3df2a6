"""The fold's `sample_types`: what the samples show of each type, nested objects included."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from docgen.model.fold.rows import MergedRows
from docgen.model.infer import Shape, numbered_keys


def sample_types(shown: list[tuple[str, Shape]], merged: MergedRows) -> Mapping[str, Shape]:
    """`sample_types`: the samples of each type merged; sample objects under a property typed as a
    named type are samples of that type."""
    samples: dict[str, Shape] = {}
    queue = list(shown)
    while queue:  # last first: the merge order is the order properties are shown in
        name, shape = queue.pop()
        if name in samples:
            samples[name].merge(Shape.clone(shape))
        else:
            samples[name] = Shape.clone(shape)
        for row in merged.rows.get(name, ()):
            if row.type.kind != "named" or not shape.props or row.name not in shape.props:
                continue
            sub = shape.props[row.name]
            if "object" in sub.kinds and sub.props and not numbered_keys(sub, row.name):
                queue.append((row.type.name, sub))
    return MappingProxyType(samples)

"""The emitters: every output but the models, each made by a function of one signature,
`(api, spec, settings, pieces) -> files`, registered in `EMITTERS` with the build stage it
belongs to, in the order the build runs them.

`pieces` is what makes a rebuild cheap: the last build's pieces by content key (`Memo`) and
the keys of this build's inputs (`Keys`); `Pieces()` renders everything anew. The models are
no emitter: datamodel-code-generator makes them from the spec, in groups and processes of
their own (`emit/models.py`), and their reference (models.md) waits for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from docgen.emit.client import Operations, render_client
from docgen.emit.memo import Keys, Memo
from docgen.emit.openapi import path_items, spec_texts
from docgen.emit.package import render_package
from docgen.emit.reference import render_api_reference
from docgen.emit.server import render_server
from docgen.emit.settings import Settings
from docgen.model.api import Api


@dataclass(frozen=True)
class Pieces:
    """The last build's pieces (`memo`, which also records the pieces this build uses), the
    content keys of this build's operations and components (`keys`), and what the spec's
    schemas are made of (`schemas`: `openapi.schemas_parts`, also the models' key)."""

    memo: Memo = field(default_factory=Memo)
    keys: Keys = field(default_factory=Keys)
    schemas: tuple[str, ...] | None = None


Emitter = Callable[[Api, dict[str, Any], Settings, Pieces], dict[str, str]]


def emit_spec(api: Api, spec: dict[str, Any], settings: Settings, pieces: Pieces) -> dict[str, str]:
    """`openapi.yaml`, and the same spec as the compact JSON the server reads."""
    items = path_items(api, pieces.keys)
    yaml_text, json_text = spec_texts(spec, *settings.templates, pieces.memo, items, pieces.schemas)
    return {"openapi.yaml": yaml_text, f"{settings.package}/server/openapi.json": json_text}


def emit_client(api: Api, spec: dict[str, Any], settings: Settings, pieces: Pieces) -> dict[str, str]:
    """The client (`client.py`, a module per folder) and its reference for people, api.md:
    both show each operation alike, so its view is made once for both."""
    operations = Operations(api)
    return {
        **render_client(api, settings, operations, pieces.memo, pieces.keys),
        **render_api_reference(api, settings, operations, pieces.memo, pieces.keys),
    }


def emit_server(api: Api, spec: dict[str, Any], settings: Settings, pieces: Pieces) -> dict[str, str]:
    """The FastAPI server stub: routes, the Protocol to implement, the sample answers."""
    return render_server(api, settings, pieces.memo, pieces.keys)


def emit_package(api: Api, spec: dict[str, Any], settings: Settings, pieces: Pieces) -> dict[str, str]:
    """pyproject.toml, README, the changelog a package starts with, `__init__`, the runtime."""
    return render_package(api, settings)


# (stage, emitter), in the order the build runs them. The spec's may run in a process of its
# own beside the others (`docgen.build`), so it hands back the pieces it used (`Pieces.memo`).
SPEC: tuple[str, Emitter] = ("spec", emit_spec)
EMITTERS: tuple[tuple[str, Emitter], ...] = (
    SPEC,
    ("client", emit_client),
    ("server", emit_server),
    ("package", emit_package),
)

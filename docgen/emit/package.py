"""Package scaffolding: pyproject, README, `__init__`, `py.typed`."""

from __future__ import annotations

from docgen.emit.environment import environment
from docgen.model.api import Api


def render_package(api: Api, package: str, distribution: str, version: str, template_dir: str | None = None) -> dict[str, str]:
    env = environment(template_dir)
    ctx = {
        "package": package,
        "distribution": distribution,
        "version": version,
        "tags": api.tags,
        "operations": len(api.endpoints),
        "schemas": len(api.components),
    }
    return {
        "pyproject.toml": env.get_template("package/pyproject.toml.jinja").render(**ctx),
        "README.md": env.get_template("package/README.md.jinja").render(**ctx),
        f"{package}/__init__.py": env.get_template("package/__init__.py.jinja").render(**ctx),
        f"{package}/py.typed": "",
        f"{package}/_base.py": env.get_template("package/_base.py.jinja").render(**ctx),
    }

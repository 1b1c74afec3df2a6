"""`[tool.docgen]` in pyproject.toml to a frozen Config; CLI flags override it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

# The tenant URL the generated docstrings and examples show when `base-url` is set empty.
EXAMPLE_BASE_URL = "https://example.invalid/Cust1"


@dataclass(frozen=True)
class Config:
    sources: tuple[Path, ...] = ()
    output: Path = Path("generated")
    package_name: str = "superoffice_webapi"
    distribution_name: str = "superoffice-webapi"
    package_version: str = "0.1.0"
    title: str = "SuperOffice WebAPI"
    base_url: str = "https://online.superoffice.com/Cust12345"  # shown in examples and docstrings
    template_dir: Path | None = None
    cache_dir: Path | None = Path(".docgen-cache")
    strict: bool = False
    root: Path = field(default=Path("."))  # where pyproject.toml was found: relative paths start here


class ConfigError(Exception):
    pass


_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Config) if f.name != "root"}


def find_pyproject(start: Path) -> Path | None:
    for d in [start, *start.parents]:
        p = d / "pyproject.toml"
        if p.is_file():
            try:
                if "docgen" in tomllib.loads(p.read_text(encoding="utf-8")).get("tool", {}):
                    return p
            except (tomllib.TOMLDecodeError, OSError):
                continue
    return None


def load_config(start: Path | None = None) -> Config:
    start = (start or Path.cwd()).resolve()
    pyproject = find_pyproject(start)
    if pyproject is None:
        return Config(root=start)
    data = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("docgen", {})
    root = pyproject.parent
    values: dict[str, Any] = {"root": root}
    for k, v in data.items():
        if k not in _KEYS:
            raise ConfigError(
                f"{pyproject}: unknown key [tool.docgen] {k!r}; known keys: {', '.join(sorted(_KEYS))}"
            )
        name = _KEYS[k]
        if name == "sources":
            if isinstance(v, str):
                v = [v]
            values[name] = tuple(root / s for s in v)
        elif name in ("output", "template_dir", "cache_dir"):
            values[name] = root / v if v else None
        elif name == "strict":
            if not isinstance(v, bool):
                raise ConfigError(f"{pyproject}: [tool.docgen] strict must be true or false")
            values[name] = v
        else:
            values[name] = str(v)
    return Config(**values)

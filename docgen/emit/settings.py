"""What every emitter reads of the configuration, as one record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen.config import EXAMPLE_BASE_URL, Config


@dataclass(frozen=True)
class Settings:
    package: str  # the import name: `superoffice_webapi`
    distribution: str  # the name pip knows: `superoffice-webapi`
    version: str
    base_url: str  # the tenant URL; may be empty
    template_dir: str | None = None  # templates that override the built-in ones
    bytecode_dir: str | None = None  # where compiled templates are kept (in the cache)

    @classmethod
    def of(cls, config: Config) -> Settings:
        template_dir = str(config.template_dir) if config.template_dir else None
        bytecode_dir = str(Path(config.cache_dir) / "templates") if config.cache_dir else None
        return cls(
            config.package_name,
            config.distribution_name,
            config.package_version,
            config.base_url,
            template_dir,
            bytecode_dir,
        )

    @property
    def templates(self) -> tuple[str | None, str | None]:
        """What `environment(...)` takes: the templates overriding the built-in ones, and where
        compiled templates are kept."""
        return self.template_dir, self.bytecode_dir

    @property
    def example_base_url(self) -> str:
        """The tenant URL docstrings and examples show."""
        return self.base_url or EXAMPLE_BASE_URL

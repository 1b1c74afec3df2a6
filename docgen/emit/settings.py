"""What every emitter reads of the configuration, as one record."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.config import EXAMPLE_BASE_URL, Config


@dataclass(frozen=True)
class Settings:
    package: str  # the import name: `superoffice_webapi`
    distribution: str  # the name pip knows: `superoffice-webapi`
    version: str
    base_url: str  # the tenant URL; may be empty
    template_dir: str | None = None  # templates that override the built-in ones

    @classmethod
    def of(cls, config: Config) -> Settings:
        template_dir = str(config.template_dir) if config.template_dir else None
        return cls(
            config.package_name,
            config.distribution_name,
            config.package_version,
            config.base_url,
            template_dir,
        )

    @property
    def example_base_url(self) -> str:
        """The tenant URL docstrings and examples show."""
        return self.base_url or EXAMPLE_BASE_URL

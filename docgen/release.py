"""`docgen release OLD`: the version a docs change asks for, and where it is written down.

The bump comes from the API change report (`docgen.diff`): breaking → major, additions →
minor, a change of the docs alone (a description, an example) → patch, nothing → no new
version. Below 1.0, as Python packages do: breaking → minor, anything else → patch.

The version goes into `[tool.docgen] package-version` (tomlkit: the rest of pyproject.toml,
its comments and its order, stay as they were); the report becomes the newest section of the
package's CHANGELOG.md, which OUT keeps from build to build (`carry_changelog`).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import tomlkit
from packaging.version import InvalidVersion, Version

from docgen.diff import BREAKING, INFO, NON_BREAKING, Change, DiffReport
from docgen.emit.environment import environment
from docgen.emit.escape import md_code
from docgen.emit.package import CHANGELOG
from docgen.emit.settings import Settings

# The changelog's sections, in the order a reader needs them.
SECTIONS = ((BREAKING, "Breaking changes"), (NON_BREAKING, "Changes"), (INFO, "Documentation"))
_SECTION_HEADING = re.compile(r"^## (\S+)", re.MULTILINE)


class ReleaseError(Exception):
    """What stops a release before anything is written: a version docgen cannot bump, a
    pyproject.toml without `[tool.docgen]`, a changelog that has the version already."""


def next_version(current: str, bump: str) -> str | None:
    """The version after `current` for a bump of "major", "minor", "patch" or "none"."""
    try:
        version = Version(current)
    except InvalidVersion as e:
        raise ReleaseError(f"package-version {current!r} is no version (PEP 440)") from e
    if version.is_prerelease or version.is_postrelease or version.epoch or len(version.release) > 3:
        raise ReleaseError(
            f"package-version {current} is not of the form X.Y.Z; docgen release bumps final versions"
        )
    if bump == "none":
        return None
    major, minor, patch = (*version.release, 0, 0)[:3]
    if major == 0:  # below 1.0 the API may still change: breaking is minor, the rest patch
        bump = "minor" if bump == "major" else "patch"
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def changelog_entry(change: Change) -> str:
    """One change as a line of the changelog: where, what, and the types it went between."""
    what = f"{md_code(change.operation)}: {change.kind}, {md_code(change.where)}"
    if change.old and change.new:
        return f"{what} ({md_code(change.old)} → {md_code(change.new)})"
    if change.old or change.new:
        return f"{what} ({md_code(change.old or change.new)})"
    return what


def changelog_section(version: str, report: DiffReport, settings: Settings) -> str:
    """The changelog's section for `version`: breaking changes, then the others, then the
    documentation's (`package/changelog_section.md.jinja`)."""
    groups = [
        (heading, [changelog_entry(c) for c in report.changes if c.severity == severity])
        for severity, heading in SECTIONS
    ]
    template = environment(*settings.templates).get_template("package/changelog_section.md.jinja")
    return template.render(version=version, groups=[(h, e) for h, e in groups if e])


def prepend_section(changelog: str, section: str) -> str:
    """`section` placed above the newest one (below the changelog's heading and preface)."""
    version = _SECTION_HEADING.search(section)
    if version and version[1] in versions(changelog):
        raise ReleaseError(f"{CHANGELOG} has a section for {version[1]} already")
    newest = _SECTION_HEADING.search(changelog)
    if newest is None:
        return changelog.rstrip("\n") + "\n\n" + section
    return changelog[: newest.start()] + section.rstrip("\n") + "\n\n" + changelog[newest.start() :]


def versions(changelog: str) -> list[str]:
    """The versions a changelog has sections for, newest first."""
    return _SECTION_HEADING.findall(changelog)


def carry_changelog(files: dict[str, str], out: Path) -> dict[str, str]:
    """The build's files with OUT's changelog in place of the one a build starts: the
    changelog is kept from build to build; only `docgen release` adds to it."""
    kept = out / CHANGELOG
    if CHANGELOG not in files or not kept.is_file():
        return files
    return {**files, CHANGELOG: kept.read_text(encoding="utf-8")}


def with_version(pyproject: str, version: str) -> str:
    """pyproject.toml's text with `[tool.docgen] package-version` set; nothing else changed."""
    document = tomlkit.parse(pyproject)
    tool = document.get("tool")
    if tool is None or "docgen" not in tool:
        raise ReleaseError("pyproject.toml has no [tool.docgen] table")
    tool["docgen"]["package-version"] = version
    return tomlkit.dumps(document)


def write_text_atomic(path: Path, text: str) -> None:
    """`path` replaced whole (a file beside it, renamed over it), its permissions kept."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

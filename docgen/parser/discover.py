"""Which files under the sources are pages, folder indexes, includes or samples."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docgen.parser.frontmatter import split_front_matter
from docgen.parser.page import IndexPage
from docgen.parser.source import decode


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    display: str  # as shown in diagnostics: relative to the source root's parent
    folder: str  # the page's folder name: its tag
    kind: str  # "page", "index", "include", "sample", "other"


def classify(rel_parts: tuple[str, ...], data: bytes) -> str:
    """A page has a uid in its front matter or a ```http block; index/includes/samples never are."""
    name = rel_parts[-1].lower()
    lowered = [p.lower() for p in rel_parts[:-1]]
    if "samples" in lowered:
        return "sample"
    if "includes" in lowered:
        return "include"
    if name == "index.md":
        return "index"
    if b"uid:" in data[:4096] or b"```http" in data or b"~~~http" in data:
        return "page"
    # A broken page may have neither: files that open with front matter, or are binary or not
    # UTF-8, are read as pages so they get diagnostics; other markdown (a README) is not a page.
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"---") or b"\x00" in head or _undecodable(head):
        return "page"
    return "other"


def _undecodable(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError as e:
        return e.end < len(data) - 4  # a cut multibyte char at the 4 KiB edge is fine


def discover(sources: list[Path]) -> list[tuple[SourceFile, bytes]]:
    """Every markdown file under the sources, sorted, with its bytes."""
    found: dict[Path, tuple[SourceFile, bytes]] = {}
    for root in sources:
        root = root.resolve()
        if root.is_file():
            files = [root]
            base = root.parent
        else:
            files = sorted(p for p in _walk(root) if p.suffix.lower() == ".md")
            base = root
        for f in files:
            rel = f.relative_to(base)
            parts = rel.parts
            data = f.read_bytes()
            folder = f.parent.name
            display = str(Path(base.name) / rel) if f != root else f.name
            found[f] = (SourceFile(f, display, folder, classify(parts, data)), data)
    return [found[k] for k in sorted(found)]


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(dirpath) / name


def read_index(src: SourceFile, data: bytes) -> IndexPage | None:
    text, _ = decode(data, src.display)
    if text is None:
        return None
    front, lines, _, _ = split_front_matter(text, src.display)
    title = str((front or {}).get("title") or src.folder)
    desc = [line for line in lines if line.strip() and not line.startswith(("*", "#", "```", "/api"))]
    return IndexPage(src.display, src.folder, title, " ".join(desc).strip())

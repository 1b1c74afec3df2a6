"""Which files under the sources are pages, folder indexes, includes, samples or reference files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from docgen.diagnostics import Diagnostic, Found, Level, diag
from docgen.parser.docfx import is_reference
from docgen.parser.frontmatter import split_front_matter
from docgen.parser.page import IndexPage
from docgen.parser.source import decode

SourceKind = Literal["page", "index", "include", "sample", "reference", "other"]
# Markdown pages, and the .NET library reference docfx writes as YAML.
SOURCE_SUFFIXES = (".md", ".yml", ".yaml")


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    display: str  # as shown in diagnostics: relative to the source root's parent
    folder: str  # the page's folder name: its tag
    kind: SourceKind


def classify(rel_parts: tuple[str, ...], data: bytes) -> SourceKind:
    """A page has a uid in its front matter or a ```http block; index/includes/samples never are.
    A YAML file is a reference file when docfx marked it as one (`### YamlMime:ManagedReference`)."""
    name = rel_parts[-1].lower()
    if not name.endswith(".md"):
        return "reference" if is_reference(data) else "other"
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


def discover(sources: list[Path]) -> Found[list[tuple[SourceFile, bytes]]]:
    """Every markdown file under the sources, sorted, with its bytes; a file that cannot be
    read is a DG100 finding and the others are read."""
    read: dict[tuple[str, ...], tuple[SourceFile, bytes]] = {}
    diags: list[Diagnostic] = []
    roots = source_roots(sources)
    for root in sources:
        root = root.resolve()
        found: list[tuple[str, tuple[str, ...], os.DirEntry[str] | None]]
        if root.is_file():
            found = [(str(root), (root.name,), None)]
            base = root.parent
        else:
            found = sorted(_walk(str(root)), key=lambda f: f[1])
            base = root
        for path, rel, entry in found:
            display = f"{base.name}/{'/'.join(rel)}" if entry is not None else rel[0]
            # A regular file (as the directory listing says: no system call) is read; links and
            # anything else are looked at first.
            refused = (
                ""
                if entry is not None and entry.is_file(follow_symlinks=False)
                else not_a_source_file(Path(path), roots)
            )
            if refused:
                diags.append(diag("DG114", display, 1, refused))
                continue
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError as e:
                message = f"file cannot be read ({e.strerror or e}): expected a readable file"
                diags.append(diag("DG100", display, 1, message))
                continue
            parent = rel[-2] if len(rel) > 1 else base.name
            source = SourceFile(Path(path), display, parent, classify(rel, data))
            read[tuple(path.split(os.sep))] = (source, data)
    return Found([read[k] for k in sorted(read)], tuple(diags))


def reread(
    discovered: list[tuple[SourceFile, bytes]], changed: set[Path]
) -> Found[list[tuple[SourceFile, bytes]]] | None:
    """`discovered` with the files in `changed` read again (what `discover` would give, when
    only those files changed and none came or went); None when one is gone or new."""
    known = {s.path: i for i, (s, _) in enumerate(discovered)}
    if not changed <= known.keys():
        return None
    out = list(discovered)
    for path in changed:
        i = known[path]
        src, _ = out[i]
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return None  # gone, or unreadable: listing again reports it
        rel = tuple(src.display.split("/")[1:]) or (src.display,)
        out[i] = (replace(src, kind=classify(rel, data)), data)
    return Found(out, ())


def source_roots(sources: list[Path]) -> tuple[Path, ...]:
    """The sources as the folders (or files) nothing outside of which is read."""
    return tuple(sorted({s.resolve() for s in sources}))


def inside(path: Path, roots: tuple[Path, ...]) -> bool:
    """Whether `path`, its links followed, is one of the roots or under one."""
    real = path.resolve()
    return any(real == r or real.is_relative_to(r) for r in roots)


_SPECIAL = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device"}


def not_a_source_file(path: Path, roots: tuple[Path, ...]) -> str:
    """Why `path` is not read (a link out of the source roots, a FIFO or a device, which would
    hang or leak the build), or "" for a regular file inside them."""
    try:
        if path.is_symlink() and not inside(path, roots):
            return f"a link to {path.resolve()}, outside the source roots: not read"
        mode = path.stat().st_mode
    except (OSError, RuntimeError):  # a dangling or looping link: reading it reports why
        return ""
    if not stat.S_ISREG(mode):
        kind = _SPECIAL.get(stat.S_IFMT(mode), "not a regular file")
        return f"{kind}, not a page or reference file: not read"
    return ""


def _walk(root: str, rel: tuple[str, ...] = ()) -> Iterator[tuple[str, tuple[str, ...], os.DirEntry[str]]]:
    """(path, path relative to the root as parts, directory entry) of every file of a source
    suffix under `root`, sorted by name in each folder (links to folders are not followed)."""
    with os.scandir(root) as listing:
        entries = sorted(listing, key=lambda e: e.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, (*rel, entry.name))
        elif entry.name.lower().endswith(SOURCE_SUFFIXES) and not (entry.is_symlink() and entry.is_dir()):
            yield entry.path, (*rel, entry.name), entry


def read_index(src: SourceFile, data: bytes) -> Found[IndexPage | None]:
    """A folder's `index.md`: its title and description name and describe the folder's tag."""
    text, diags = decode(data, src.display)
    if text is None:
        return Found(None, tuple(replace(d, level=Level.WARNING) for d in diags))
    head = split_front_matter(text, src.display)
    front, lines, _ = head.value
    title = str((front or {}).get("title") or src.folder)
    desc = [line for line in lines if line.strip() and not line.startswith(("*", "#", "```", "/api"))]
    # An index only describes its folder's tag, which keeps the folder's name without it:
    # what is wrong with one is worth a warning, not a failed build.
    findings = tuple(replace(d, level=Level.WARNING) if d.level is Level.ERROR else d for d in head.findings)
    return Found(IndexPage(src.display, src.folder, title, " ".join(desc).strip()), findings)

"""Which reference files the pages reach: the types the pages name, and what those types hold,
at any depth, found by a scan of the files' type lines (no file is parsed to find them).

A step of its own with its inputs explicit: the names the pages' evidence gives, the reference
files, and how else the fold may read a name (`read_as`: the model's naming rules, which the
caller passes in; this module knows none)."""

from __future__ import annotations

from collections.abc import Callable, Collection

from docgen.cache import Cache, key
from docgen.model.endpoints import PageModel
from docgen.model.evidence import SampleSeen, TableSeen, TypeNamed
from docgen.parser.discover import SourceFile
from docgen.parser.docfx import declared_uid, named_types

# The declared type names -> (a name -> the other names the fold may read it as).
ReadAs = Callable[[Collection[str]], Callable[[str], set[str]]]


def no_other_reading(declared: Collection[str]) -> Callable[[str], set[str]]:
    return lambda name: set()


def names_in(models: list[PageModel]) -> set[str]:
    """Every name a page's evidence gives a type or a table: what may name a type of the
    reference."""
    out: set[str] = set()
    for m in models:
        for e in m.evidence:
            if isinstance(e, TableSeen):
                out.add(e.type_name)
                out |= {r.type.name for r in e.rows if r.type.kind == "named"}
            elif isinstance(e, (SampleSeen, TypeNamed)):
                out.add(e.type_name)
    return out


def reached_files(
    files: list[tuple[SourceFile, bytes]],
    names: set[str],
    read_as: ReadAs = no_other_reading,
    cache: Cache | None = None,
) -> list[tuple[SourceFile, bytes]]:
    """The reference files of the types `names` name, and of the types those hold, at any depth.
    A name also reaches the types `read_as(declared)` says the fold may read it as."""
    index = _type_index(files, cache or Cache(None))
    other_readings = read_as(index.keys())
    start = set(names)
    for name in names:
        start |= other_readings(name)
    queue = sorted(start & index.keys())
    seen = set(queue)
    while queue:
        held = set(index[queue.pop()][1]) & index.keys()
        queue += sorted(held - seen)
        seen |= held
    return [files[index[n][0]] for n in sorted(seen)]


def _type_index(
    files: list[tuple[SourceFile, bytes]], cache: Cache
) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Each declared type's short name -> (its file's position in `files`, the short names its
    file names where types go), the first file winning a name. Scanning the whole reference
    takes longer than everything else an edit of one page costs, so the index is cached by
    the content of every reference file (an edit of a page leaves it as it was)."""
    k = key("reference-index", *(part for s, d in files for part in (s.display, d)))
    hit = cache.get_object("reference-index", k)
    if isinstance(hit, dict):
        return hit
    index: dict[str, tuple[int, tuple[str, ...]]] = {}
    for i, (_, data) in enumerate(files):
        uid = declared_uid(data)
        if uid and uid.rsplit(".", 1)[-1] not in index:
            held = sorted({u.rsplit(".", 1)[-1] for u in named_types(data)})
            index[uid.rsplit(".", 1)[-1]] = (i, tuple(held))
    cache.put_object("reference-index", k, index)
    return index

"""The rebuild after an edit (incremental.py): what the fold cannot see; equal to a full build."""

# The rebuild after an edit (`docgen.incremental`): which edits the fold cannot see, and that
# the API and findings it gives are the full build's, lines moved and all.

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from docgen.build import Held
from docgen.config import Config
from docgen.incremental import FrontState, moved_lines, refolded, state_entries, state_of
from docgen.model import page_model
from docgen.model.assemble import finish, fold_pages
from docgen.parser import parse_page

from conftest import BUNDLED, CORPUS, generate, require
from support.pages import RESPONSE_200, page

_TABLE = "| Property Name | Type |  Description |\n|----------------|------|--------------|\n"


def thing_page(uid: str, path: str, count_type: str, summary: str = "Summary.") -> str:
    """A page whose response is `Thing`, with a `Count` of the given type."""
    rows = f"| Count | {count_type} | How many. |\n| Name | string | Its name. |\n"
    text = page(
        uid,
        f"GET {path}",
        response=RESPONSE_200.format(kind="", body=f"### Response body: Thing\n\n{_TABLE}{rows}"),
    )
    return text.replace("Summary.", summary, 1)


def model(file: str, text: str):
    parsed = parse_page(text.encode(), file, file.split("/")[-2])
    assert parsed.value is not None, parsed.findings
    return page_model(parsed.value, parsed.findings)


A = "restful/rest/Thing/a.md"
B = "restful/rest/Thing/b.md"


def pages(a_summary: str = "Summary.", b_count: str = "string"):
    return {
        A: model(A, thing_page("v1Thing_GetA", "/api/v1/Thing/a", "int32", a_summary)),
        B: model(B, thing_page("v1Thing_GetB", "/api/v1/Thing/b", b_count)),
    }


def folded_state(models) -> FrontState:
    folded = fold_pages(list(models.values()))
    entries = state_entries(FrontState("inputs", {f: f"key of {f}" for f in models}, folded), {})
    state = state_of(entries)
    assert state is not None
    return state


def test_lines_moved_by_an_added_paragraph_are_all_the_fold_cannot_see():
    before, after = pages()[A], pages(a_summary="A new paragraph.\n\nSummary.")[A]
    lines = moved_lines(before, after)
    assert lines and all(new == old + 2 for old, new in lines.items())


@pytest.mark.parametrize(
    "edit",
    [
        lambda text: text.replace("| Count | int32 |", "| Count | int64 |"),  # a type
        lambda text: text.replace("How many.", "How many there are."),  # a row's description
        lambda text: text.replace("uid: v1Thing_GetA", "uid: v1Thing_GetA2"),  # the operation
    ],
)
def test_an_edit_the_fold_sees_is_no_moved_lines(edit):
    text = thing_page("v1Thing_GetA", "/api/v1/Thing/a", "int32")
    assert moved_lines(model(A, text), model(A, edit(text))) is None


def test_the_refold_gives_the_full_builds_api_and_findings_with_the_cited_lines_moved():
    old = pages()
    new = pages(a_summary="A new paragraph.\n\nAnd another.\n\nSummary.")
    full = finish(fold_pages(list(new.values())), [], "T", "1")
    # The two pages disagree about Thing.Count: the finding on one cites the other's row.
    cites = [d for d in full.findings if d.code == "DG201"]
    assert cites and any(A in d.message or d.file == A for d in cites)

    state = folded_state(old)
    keys = {A: "new key of A", B: f"key of {B}"}
    again = refolded(state, "inputs", keys, read=lambda files: {f: new[f] for f in files}, previous=old.get)
    assert again is not None, "a moved paragraph is no change the fold sees"
    assert finish(again, [], "T", "1") == full
    assert refolded(state, "other inputs", keys, lambda files: {}, old.get) is None
    assert refolded(state, "inputs", {**keys, "restful/rest/Thing/c.md": "k"}, lambda f: {}, old.get) is None


def test_a_rebuild_held_in_memory_is_the_cold_builds(tmp_path):
    """The bundled docs: a description edited under `Held` (as `serve --watch` rebuilds)."""
    docs = tmp_path / "restful"
    shutil.copytree(BUNDLED, docs)
    config = Config(root=tmp_path, cache_dir=tmp_path / "cache")
    held = Held()
    generate(config, [docs], held=held)
    seed = next(docs.rglob("v1ContactAgent_EnrichContactEntity.md"))
    seed.write_text(seed.read_text().replace("```\n\n", "```\n\nEdited.\n\n", 1))
    held.changed = {seed.resolve()}
    again = generate(config, [docs], held=held)
    assert again.refolded
    cold = generate(replace(config, cache_dir=None), [docs])
    assert not cold.refolded
    assert again.files == cold.files and again.diagnostics == cold.diagnostics


def test_the_corpus_rebuilt_after_an_edit_is_the_cold_builds(tmp_path):
    """The whole 2023 reference; an edit of a page whose rows other pages' findings cite."""
    corpus = require(
        CORPUS / "superoffice-2023", "the rebuild is compared with a cold build on the whole reference"
    )
    sources = [tmp_path / "restful", tmp_path / "webapi"]
    for src in sources:
        shutil.copytree(corpus / src.name, src)
    config = Config(root=tmp_path, cache_dir=tmp_path / "cache")
    first = generate(config, sources)
    cited = _cited_page(first, sources[0].parent)
    text = cited.read_text(encoding="utf-8")
    cited.write_text(
        text.replace("```\n\n", "```\n\nEdited for the test.\n\nAnd again.\n\n", 1), encoding="utf-8"
    )
    again = generate(config, sources)
    assert again.refolded, "the edit reaches no decision of the fold"
    cold = generate(replace(config, cache_dir=None), sources)
    assert again.files == cold.files
    assert again.diagnostics == cold.diagnostics


def _cited_page(result, root: Path) -> Path:
    """A page whose lines a finding on another page cites."""
    for d in result.diagnostics:
        for other in re.findall(r"(restful/\S+\.md):\d+", d.message):
            if other != d.file:
                return root / other
    raise AssertionError("no finding cites another page")


def test_the_cache_keeps_a_large_dict_as_a_base_and_the_entries_changed_since(tmp_path):
    from docgen.cache import Cache, Layered

    cache = Cache(tmp_path)
    first = Layered(cache, "state", "slot")
    assert first.read() == {}
    entries = {i: f"piece {i}" for i in range(1000)}
    first.write(entries)
    base = tmp_path / "state" / "sl" / "slot.base"
    written = base.stat().st_mtime_ns

    second = Layered(cache, "state", "slot")
    read = second.read()
    assert read == entries
    second.write({**read, 5: "piece five"})  # one entry changed: the base is not written again
    assert base.stat().st_mtime_ns == written
    assert Layered(cache, "state", "slot").read() == {**entries, 5: "piece five"}


def test_a_base_and_changes_that_do_not_match_are_not_read(tmp_path):
    """A kill between writing a new base and its (empty) changes leaves the old changes: they
    belong to another base, and neither is read (a mixed state would be a wrong rebuild)."""
    from docgen.cache import Cache, Layered

    cache = Cache(tmp_path)
    Layered(cache, "state", "slot").write({"a": 1})
    kept = Layered(cache, "state", "slot")
    kept.read()
    kept.write({"a": 1, "b": 2})  # changes on the first base
    stale_changes = (tmp_path / "state" / "sl" / "slot").read_bytes()
    Layered(cache, "state", "slot").write({f"new {i}": i for i in range(500)})  # a new base...
    (tmp_path / "state" / "sl" / "slot").write_bytes(stale_changes)  # ...its changes never written
    assert Layered(cache, "state", "slot").read() == {}


def test_the_sources_read_again_are_the_changed_files_or_none_when_files_came_or_went(tmp_path):
    from docgen.parser.discover import discover, reread

    docs = tmp_path / "restful"
    shutil.copytree(BUNDLED, docs)
    listed = discover([docs])
    seed = next(docs.rglob("v1ContactAgent_EnrichContactEntity.md"))
    seed.write_text(seed.read_text().replace("```\n\n", "```\n\nEdited.\n\n", 1))
    again = reread(listed.value, {seed.resolve()})
    assert again is not None and again.value == discover([docs]).value
    assert reread(listed.value, {(docs / "new.md").resolve()}) is None  # came
    seed.unlink()
    assert reread(listed.value, {seed.resolve()}) is None  # went

"""OUT on disk (output.py): a crashed, interrupted or disk-full build leaves OUT as it was."""

# A failed build never touches the previous output: crashes in any stage, Ctrl-C while
# writing, a full disk — OUT stays byte-identical and no temporary folder is left beside it.

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from docgen import cli

from conftest import BUNDLED, tree


@pytest.fixture
def previous(tmp_path) -> Path:
    """An OUT folder holding a previous build (of a slightly different page)."""
    docs = tmp_path / "docs"
    shutil.copytree(BUNDLED, docs)
    out = tmp_path / "site" / "out"
    assert cli.main(["build", str(docs), "-o", str(out), "-q", "--no-cache"]) == 0
    page = next(docs.rglob("v1ContactAgent_*.md"))
    page.write_text(page.read_text().replace("Contact name", "The contact's name"))
    return out


def run(previous: Path) -> int:
    return cli.main(["build", str(previous.parent.parent / "docs"), "-o", str(previous), "-q", "--no-cache"])


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


@pytest.mark.parametrize(
    "stage",
    [
        "docgen.emit.emitters.spec_texts",
        "docgen.emit.emitters.render_client",
        "docgen.emit.emitters.render_package",
        "docgen.emit.emitters.render_server",
        "docgen.build.generated_models",
        "docgen.build.render_models_reference",
    ],
)
def test_a_crash_in_any_stage_leaves_out_intact(previous, monkeypatch, stage):
    before = tree(previous)

    def boom(*args, **kwargs):
        raise RuntimeError(f"simulated crash in {stage}")

    monkeypatch.setattr(stage, boom)
    assert run(previous) == 3
    assert tree(previous) == before and leftovers(previous) == []


def test_ctrl_c_while_writing_leaves_out_intact(previous, monkeypatch):
    before = tree(previous)
    real_open = open
    calls = {"n": 0}

    def interrupting_open(path, mode="r", *args, **kwargs):
        if "w" in mode and ".out.tmp-" in str(path):
            calls["n"] += 1
            if calls["n"] == 2:
                raise KeyboardInterrupt
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", interrupting_open)
    assert run(previous) == 130
    assert calls["n"] == 2
    assert tree(previous) == before and leftovers(previous) == []


def test_a_full_disk_leaves_out_intact(previous, monkeypatch, capsys):
    before = tree(previous)
    real_open = open

    def full_disk_open(path, mode="r", *args, **kwargs):
        if "w" in mode and ".out.tmp-" in str(path) and str(path).endswith(".py"):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", full_disk_open)
    assert run(previous) == 3
    err = capsys.readouterr().err
    assert "No space left on device" in err and "bug" not in err
    assert tree(previous) == before and leftovers(previous) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_crash_during_the_swap_restores_out(previous, monkeypatch, exchange):
    """The swap is one exchange of two folders (Linux renameat2); where the file system cannot
    exchange, two renames, the first undone when the second fails."""
    from docgen import output

    before = tree(previous)
    if exchange:
        monkeypatch.setattr(output, "_exchange", _failing_exchange)
    else:
        monkeypatch.setattr(output, "_exchange", lambda a, b: False)
        real_replace = output.os.replace
        calls = {"n": 0}

        def failing_replace(src, dst):
            calls["n"] += 1
            if calls["n"] == 2:  # OUT has been moved aside; the new tree is about to move in
                raise OSError(errno.EIO, "simulated I/O error")
            return real_replace(src, dst)

        monkeypatch.setattr(output.os, "replace", failing_replace)
    assert run(previous) == 3
    assert tree(previous) == before and leftovers(previous) == []


def _failing_exchange(a, b):
    raise OSError(errno.EIO, "simulated I/O error", str(b))


def test_the_build_after_a_failure_succeeds(previous, monkeypatch):
    from docgen import output

    before = tree(previous)
    monkeypatch.setattr(output, "_exchange", _failing_exchange)
    assert run(previous) == 3 and tree(previous) == before
    monkeypatch.undo()
    assert run(previous) == 0
    assert "The contact's name" in (previous / "openapi.yaml").read_text()
    assert leftovers(previous) == []


def test_nothing_is_written_inside_out_while_building(previous, monkeypatch):
    """Every file is written in the folder beside OUT, which is then swapped in whole."""
    real_open = open
    written: list[str] = []

    def recording_open(path, mode="r", *args, **kwargs):
        if any(m in mode for m in "wax"):
            written.append(str(Path(path).resolve()))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", recording_open)
    assert run(previous) == 0
    out = str(previous.resolve())
    inside = [w for w in written if w.startswith(out + "/")]
    assert len(written) >= 3 and inside == []  # the changed files (the rest are hard-linked)


@pytest.mark.parametrize("nth", [1, 2, 3])
def test_an_interrupt_at_any_file_leaves_out_intact(previous, monkeypatch, nth):
    before = tree(previous)
    real_open = open
    calls = {"n": 0}

    def interrupting_open(path, mode="r", *args, **kwargs):
        if "w" in mode and str(previous.parent.resolve()) in str(Path(path).resolve()):
            calls["n"] += 1
            if calls["n"] == nth:
                raise KeyboardInterrupt
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", interrupting_open)
    assert run(previous) == 130 and calls["n"] == nth
    assert tree(previous) == before and leftovers(previous) == []


def _pid_and(value: int) -> tuple[int, int]:
    import os

    if value < 0:
        raise ValueError("negative")
    return os.getpid(), value


@pytest.mark.parametrize("beside", [True, False])
def test_work_beside_the_build_returns_or_raises_as_if_run_here(beside):
    import os

    from docgen.pool import Beside

    with Beside(beside) as b:  # one piece of work per Beside: it forks at the submit
        pid, value = b.submit(_pid_and, 5).result()
    with Beside(beside) as b:
        failed = b.submit(_pid_and, -1)
        with pytest.raises(ValueError, match="negative"):
            failed.result()
    assert value == 5
    assert (pid != os.getpid()) == (beside and (os.cpu_count() or 1) > 1)

"""`docgen serve --watch`: an edit served, a broken edit kept out, a clean stop on SIGINT/SIGTERM."""

# `docgen serve --watch`: an edit is served without a restart, a broken edit keeps the last
# good build, the server stops cleanly on SIGINT and SIGTERM; which modules are imported again.

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from docgen.watch import stale_modules

from conftest import BUNDLED, DOCGEN, ROOT, free_port

PACKAGE = "superoffice_webapi"
PAGE = Path("agent/Contact_Agent/v1ContactAgent_EnrichContactEntity.md")
LOADED = [
    PACKAGE,
    f"{PACKAGE}._base",
    f"{PACKAGE}._client",
    f"{PACKAGE}.api",
    f"{PACKAGE}.api.contact_agent",
    f"{PACKAGE}.models",
    f"{PACKAGE}.server",
    f"{PACKAGE}.server._runtime",
    f"{PACKAGE}.server.app",
    f"{PACKAGE}.server.operations",
    f"{PACKAGE}.server.protocols",
    f"{PACKAGE}.server.samples",
    "other.module",
]


def test_a_description_edit_imports_again_only_what_it_changed_and_the_server_app():
    changed = {"openapi.yaml", f"{PACKAGE}/server/openapi.json", f"{PACKAGE}/api/contact_agent.py", "api.md"}
    assert stale_modules(PACKAGE, changed, LOADED) == [
        f"{PACKAGE}.api.contact_agent",
        f"{PACKAGE}.server",
        f"{PACKAGE}.server.app",
        f"{PACKAGE}.server.protocols",
        f"{PACKAGE}.server.samples",
    ]


def test_a_change_to_the_models_or_the_runtime_imports_the_whole_package_again():
    every = sorted(m for m in LOADED if m.startswith(PACKAGE))
    assert stale_modules(PACKAGE, {f"{PACKAGE}/models/__init__.py"}, LOADED) == every
    assert stale_modules(PACKAGE, {f"{PACKAGE}/server/_runtime.py"}, LOADED) == every
    assert stale_modules(PACKAGE, None, LOADED) == every


def test_a_changed_operations_table_is_imported_again():
    assert f"{PACKAGE}.server.operations" in stale_modules(
        PACKAGE, {f"{PACKAGE}/server/operations.py"}, LOADED
    )


class Watched:
    """`docgen serve SRC --watch` in a subprocess, its stderr collected as it comes."""

    def __init__(self, docs: Path, scratch: Path) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [*DOCGEN, "serve", str(docs), "--watch", "--port", str(self.port)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "TMPDIR": str(scratch)},
        )
        self.err: list[str] = []
        assert self.proc.stderr is not None
        threading.Thread(target=lambda: self.err.extend(self.proc.stderr), daemon=True).start()
        # A server that never prints its line must not hang the suite.
        self.timer = threading.Timer(180, self.proc.kill)
        self.timer.start()
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == f"Serving on http://127.0.0.1:{self.port}"
        self.wait_for("watching")

    def description(self) -> str:
        spec = httpx.get(f"http://127.0.0.1:{self.port}/openapi.json").json()
        op = spec["paths"]["/api/v1/Agents/Contact/EnrichContactEntity"]["post"]
        return str(op.get("description", ""))

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            said = [line for line in self.err if text in line]
            if said:
                return said[-1]
            time.sleep(0.05)
        raise AssertionError(f"never said {text!r}: {''.join(self.err)}")

    def stop(self, sig: signal.Signals) -> int:
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=30)
        finally:
            self.timer.cancel()
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_edit_is_served_a_broken_edit_keeps_the_last_good_build_and_a_signal_stops_it(tmp_path, sig):
    docs = tmp_path / "docs" / "restful"
    shutil.copytree(BUNDLED, docs)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    page = docs / PAGE
    text = page.read_text(encoding="utf-8")
    # An error the docs had before (a page without its request line, DG103) blocks no edit.
    (page.parent / "broken.md").write_text(
        text.replace("```http", "```text", 1).replace(
            "uid: v1ContactAgent_EnrichContactEntity", "uid: v1ContactAgent_Broken"
        ),
        encoding="utf-8",
    )
    served = Watched(docs, scratch)
    try:
        assert "Edited while served" not in served.description()
        assert [p for p in scratch.iterdir() if p.name.startswith("docgen-serve-")], "its build folder"

        edited = text.replace("```\n\n", "```\n\nEdited while served.\n\n", 1)
        page.write_text(edited, encoding="utf-8")
        assert "now serving it" in served.wait_for("rebuilt in")
        assert served.description().startswith("Edited while served.")
        assert httpx.get(f"http://127.0.0.1:{served.port}/docs").status_code == 200

        # The page loses its request line (DG103, an error): the operation would vanish.
        page.write_text(edited.replace("```http", "```text", 1), encoding="utf-8")
        said = served.wait_for("still serving the last good build")
        assert "2 errors" in said and any("DG103" in line and PAGE.name in line for line in served.err)
        assert served.description().startswith("Edited while served.")

        page.write_text(text.replace("```\n\n", "```\n\nMended.\n\n", 1), encoding="utf-8")
        deadline = time.monotonic() + 60
        while not served.description().startswith("Mended.") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert served.description().startswith("Mended.")
    finally:
        code = served.stop(sig)
    assert code == 0, "".join(served.err)
    assert [p.name for p in scratch.iterdir() if p.name.startswith("docgen-serve-")] == []
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{served.port}/openapi.json")


def test_the_server_runs_its_own_modules_the_models_and_their_runtime_not_the_clients():
    from docgen.watch import server_modules

    description_edit = {f"{PACKAGE}/api/contact_agent.py", f"{PACKAGE}/server/protocols.py", "api.md"}
    assert server_modules(PACKAGE, description_edit) == set()
    assert server_modules(PACKAGE, {f"{PACKAGE}/server/operations.py"}) == {"server.operations"}
    assert server_modules(PACKAGE, {f"{PACKAGE}/models/__init__.py"}) == {"models"}


def test_the_spec_sent_names_this_server_first_as_if_written_again_from_the_document():
    import json

    from docgen.runtime.server._runtime import with_server_first
    from starlette.responses import JSONResponse

    from conftest import GENERATED

    text = (GENERATED / PACKAGE / "server" / "openapi.json").read_text(encoding="utf-8")
    document = json.loads(text)
    here = {"url": "http://127.0.0.1:8000", "description": "This server"}
    expected = JSONResponse({**document, "servers": [here, *document["servers"]]}).body
    assert with_server_first(text, "http://127.0.0.1:8000") == expected
    # Not docgen's layout (servers after the paths): the document is read and written again.
    moved = json.dumps({"openapi": "3.1.0", "paths": {}, "servers": [{"url": "x"}]}, separators=(",", ":"))
    assert json.loads(with_server_first(moved, "http://h")) == {
        "openapi": "3.1.0",
        "paths": {},
        "servers": [{"url": "http://h", "description": "This server"}, {"url": "x"}],
    }

"""The generated package installed in a fresh venv, its server on uvicorn, called by its client."""

# End to end: the generated package installed in a fresh venv, its server on uvicorn on a
# free 127.0.0.1 port, called with its own client (sync and async, every auth scheme).

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import GENERATED, free_port

HERE = Path(__file__).resolve().parent
SECRETS = ("Tje0-secret", "ticket-secret", "token-secret", "xsrf-secret")


def wait_for(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early: {proc.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"server on port {port} did not start")


@pytest.fixture(scope="module")
def venv_python(tmp_path_factory) -> Path:
    """A fresh venv with the generated package (and its [server] and [online] extras)
    installed by pip."""
    root = tmp_path_factory.mktemp("e2e")
    src = root / "src"
    shutil.copytree(GENERATED, src, ignore=shutil.ignore_patterns("__pycache__"))
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", f"{src}[server,online]"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The package must import from site-packages, not from a source checkout.
    where = subprocess.run(
        [str(python), "-c", "import superoffice_webapi, sys; print(superoffice_webapi.__file__)"],
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
    )
    assert "site-packages" in where.stdout
    return python


@pytest.fixture(scope="module")
def e2e_run(venv_python, tmp_path_factory):
    port = free_port()
    server = subprocess.Popen(
        [str(venv_python), str(HERE / "e2e" / "recording_server.py"), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(port, server)
        result = subprocess.run(
            [str(venv_python), str(HERE / "e2e" / "client_calls.py"), f"http://127.0.0.1:{port}"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_every_auth_scheme_sync_and_async(e2e_run):
    assert [(c["auth"], c["flavour"]) for c in e2e_run["calls"]] == [
        (a, f) for a in ("basic", "soticket", "bearer", "xsrf") for f in ("sync", "async")
    ]


def test_headers_that_arrive(e2e_run):
    reqs = e2e_run["requests"]
    first = [r["headers"] for r in reqs[:8]]
    basic, basic_async, ticket, _, bearer, _, xsrf, _ = first
    assert basic["authorization"] == "Basic " + base64.b64encode(b"tje0:Tje0-secret").decode()
    assert ticket["authorization"] == "SOTicket 7T:ticket-secret"
    assert bearer["authorization"] == "Bearer token-secret"
    assert xsrf["x-xsrf-token"] == "xsrf-secret" and "authorization" not in xsrf
    for h in first:
        assert h["accept-language"] == "en" and h["so-language"] == "no" and h["so-culture"] == "nb"
        assert h["so-timezone"] == "CET" and h["so-apptoken"] == "app-token"
        assert h["content-type"] == "application/json" and h["accept"] == "application/json"


def test_body_keywords_reach_the_server_by_alias(e2e_run):
    body = e2e_run["requests"][0]["body"]
    assert body == {"ContactEntity": {"Name": "Acme"}, "EnrichId": "e1"}
    assert e2e_run["requests"][1]["body"] == {"EnrichId": "e2"}  # unset keywords are left out


def test_select_nulls_other_fields(e2e_run):
    assert e2e_run["requests"][0]["select"] == "Name,Department"
    sync = e2e_run["calls"][0]["data"]
    assert sync["Name"] == "Brown-Conroy" and sync["Department"] == ""
    assert sync["ContactId"] is None and sync["Persons"] is None and sync["OrgNr"] is None
    async_ = e2e_run["calls"][1]["data"]
    assert async_["Name"] == "Brown-Conroy" and async_["Department"] is None
    full = e2e_run["full"]
    assert full["ContactId"] == 999 and full["Persons"][0]["Firstname"] == "Keaton"


def test_raw_response_and_whole_body(e2e_run):
    assert e2e_run["raw"] == {"status": 200, "content_type": "application/json", "parsed": "ContactEntity"}
    assert e2e_run["whole_body_type"] == "ContactEntity"


def test_api_error_from_a_real_404(e2e_run):
    sync, async_ = e2e_run["errors"]
    assert sync["status"] == 404 and sync["type"] == "NotFound" and sync["message"] == "Contact 42 not found"
    assert sync["source"] == "ContactAgent" and sync["error"] == "Contact 42 not found"
    assert "404" in sync["str"] and "Contact 42 not found" in sync["str"]
    assert async_["status"] == 404 and async_["type"] == "NotFound"


def test_credentials_never_in_reprs_or_errors(e2e_run):
    shown = json.dumps([e2e_run["repr"], e2e_run["errors"]])
    for secret in SECRETS:
        assert secret not in shown


def test_signing_in_with_the_installed_online_extra(venv_python):
    """Both sign-in flows from site-packages, against the package's own fake SuperOffice and
    mock server: the [online] extra brings what they need."""
    result = subprocess.run(
        [str(venv_python), str(HERE / "e2e" / "online_program.py")],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    got = json.loads(result.stdout.strip().splitlines()[-1])
    assert got == {
        "system_user": "Brown-Conroy",
        "exchanges": 1,
        "state_lookups": 1,
        "oidc": "Brown-Conroy",
        "ctx": "Cust00000",
    }

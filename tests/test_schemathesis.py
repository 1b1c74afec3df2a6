"""The generated server against schemathesis: no 5xx, every answer conforms to the spec."""

# The generated server against a real API tester: schemathesis, with the generated spec and
# a bounded number of examples, valid and invalid requests, all with credentials. No 5xx, every
# response conforms to the spec, invalid input is answered 4xx with the documented `default` error
# body, 204 answers carry no body.

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import GENERATED

HERE = Path(__file__).resolve().parent


def run_schemathesis(out: Path, pattern: str, examples: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(out)}
    r = subprocess.run(
        [sys.executable, str(HERE / "schemathesis_run.py"), pattern, str(examples)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_seed_server_conforms():
    report = run_schemathesis(GENERATED, "", 100)
    assert report["operations"] == 1 and report["failures"] == []
    # Every case carries credentials: all of them reach the operation, none stops at 401.
    assert report["positive"]["cases"] >= 100 and report["positive"]["reached"] == report["positive"]["cases"]
    # Requests the spec forbids: the ones schemathesis says must be rejected are 4xx with the
    # error body (a wrong type, a missing body); the rest (extra headers) may be accepted.
    negative = report["negative"]
    assert negative["cases"] >= 100 and negative["reached"] == negative["cases"]
    assert negative["rejected_with_error_body"] >= 40, negative


def test_corpus_agents_conform(corpus_build):
    _, out = corpus_build
    # A sample of agents and entities: contacts, persons, lists, documents (images, byte
    # answers), appointments (recurrence), and archives (OData-like query parameters).
    pattern = r"^v1(Contact|Person|List|Document|Appointment|Archive)(Agent|Entity)?_"
    report = run_schemathesis(out, pattern, 4)
    assert report["operations"] > 300
    assert report["failures"] == [], json.dumps(report["failures"][:5], indent=1)
    positive, negative = report["positive"], report["negative"]
    assert positive["reached"] == positive["cases"] >= 4 * 300
    assert negative["reached"] == negative["cases"] and negative["rejected_with_error_body"] >= 300, negative

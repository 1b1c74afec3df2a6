"""The generated server against a real API tester: schemathesis, with the generated spec and
a bounded number of examples. No 5xx, every response conforms to the spec, invalid input is
answered with the documented `default` error body, 204 answers carry no body."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from conftest import GENERATED, ROOT, corpus_dir

HERE = Path(__file__).resolve().parent


def run_schemathesis(out: Path, pattern: str, examples: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(out)}
    r = subprocess.run([sys.executable, str(HERE / "schemathesis_run.py"), pattern, str(examples)], env=env, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_seed_server_conforms():
    report = run_schemathesis(GENERATED, "", 100)
    assert report["operations"] == 1 and report["cases"] >= 100
    assert report["failures"] == []


def test_corpus_agents_conform(tmp_path):
    from docgen.build import generate, write_atomic
    from docgen.config import load_config

    config = replace(load_config(ROOT), cache_dir=tmp_path / "cache")
    result = generate(config, [corpus_dir("superoffice-2023")])
    write_atomic(result.files, tmp_path / "out")
    # A sample of agents and entities: contacts, persons, lists, documents (images, byte
    # answers), appointments (recurrence), and archives (OData-like query parameters).
    pattern = r"^v1(Contact|Person|List|Document|Appointment|Archive)(Agent|Entity)?_"
    report = run_schemathesis(tmp_path / "out", pattern, 4)
    assert report["operations"] > 300
    assert report["failures"] == [], json.dumps(report["failures"][:5], indent=1)

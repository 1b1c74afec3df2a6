"""Every finding code docgen can emit is documented, and produced by some test's build."""

from __future__ import annotations

from docgen.diagnostics import CODES

from conftest import ROOT
from support.findings_seen import SEEN


def test_every_finding_code_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for code, (level, meaning) in CODES.items():
        assert f"| {code} | {level.value} | {meaning} |" in readme, code


def test_every_finding_code_is_produced_by_some_test():
    """A finding no test makes can silently stop being reported. Runs last, in a whole run only
    (support/findings_seen.py): it asks which codes the session's builds produced."""
    assert sorted(set(CODES) - SEEN) == [], "finding codes no test produced"

"""docgen's own code stays readable: function size, complexity, the README's maps of the tree."""

# docgen's own code stays small enough to read: no function over 60 lines, and no function
# whose cyclomatic complexity (radon's count, which adds one per `and`/`or` as well as per
# branch) is over 20. ruff's C90 does not count boolean operators, so radon measures it here.

from __future__ import annotations

import ast
import re
from pathlib import Path

from radon.complexity import cc_visit

DOCGEN = Path(__file__).resolve().parent.parent / "docgen"
MAX_LINES = 60
MAX_COMPLEXITY = 20


def _sources() -> list[Path]:
    return sorted(DOCGEN.rglob("*.py"))


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def long_functions(source: str, file: str) -> list[str]:
    out = []
    for fn in _functions(ast.parse(source)):
        first = min([fn.lineno, *(d.lineno for d in fn.decorator_list)])
        length = (fn.end_lineno or fn.lineno) - first + 1
        if length > MAX_LINES:
            out.append(f"{file}:{fn.lineno} {fn.name} is {length} lines")
    return out


def complex_functions(source: str, file: str) -> list[str]:
    out = set()  # radon lists a method both alone and under its class
    for block in cc_visit(source):
        for b in [block, *getattr(block, "methods", [])]:
            if b.complexity > MAX_COMPLEXITY:
                out.add(f"{file}:{b.lineno} {b.name} has complexity {b.complexity}")
    return sorted(out)


def test_no_function_of_docgen_is_over_60_lines() -> None:
    found = [m for p in _sources() for m in long_functions(p.read_text(), str(p.relative_to(DOCGEN.parent)))]
    assert found == []


def test_no_function_of_docgen_is_over_complexity_20() -> None:
    found = [
        m for p in _sources() for m in complex_functions(p.read_text(), str(p.relative_to(DOCGEN.parent)))
    ]
    assert found == []


def test_the_checks_see_a_long_and_a_complex_function() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(61))
    assert long_functions(f"def f():\n{body}\n", "f.py") == ["f.py:1 f is 62 lines"]
    branches = " or ".join(f"a{i}" for i in range(20))
    assert complex_functions(f"def g(a):\n    if {branches}:\n        return 1\n", "g.py") == [
        "g.py:1 g has complexity 21"
    ]


def test_the_readmes_module_map_lists_every_module_of_docgen_and_nothing_else():
    """The map a newcomer reads first (README, "Module map") against the tree: a module added,
    moved or removed without the map saying so fails here."""
    import glob
    import re

    text = (DOCGEN.parent / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Module map") :]
    section = section[: section.index("\n\n", section.index("| --- |"))]
    listed: set[str] = set()
    absent: list[str] = []
    for row in section.splitlines()[3:]:
        base = ""
        for name in re.findall(r"`([^`]+)`", row.split("|")[1]):
            if "/" in name.rstrip("/"):
                base = name.rsplit("/", 1)[0] + "/"
            path = name if "/" in name or name.endswith("/") else base + name
            if path.startswith("templates/"):  # not docgen's code
                continue
            if path.endswith("/"):
                found = [p.relative_to(DOCGEN).as_posix() for p in (DOCGEN / path).rglob("*.py")]
            elif "*" in path:
                found = [Path(p).relative_to(DOCGEN).as_posix() for p in glob.glob(str(DOCGEN / path))]
            else:
                found = [path] if (DOCGEN / path).is_file() else []
            if not found:
                absent.append(path)
            listed |= set(found)
    tree = {p.relative_to(DOCGEN).as_posix() for p in DOCGEN.rglob("*.py")}
    # A package's __init__ that only gathers its modules' names needs no row of its own.
    quiet = {p for p in tree if p.endswith("__init__.py") and len((DOCGEN / p).read_text().splitlines()) < 40}
    assert absent == [], "the map lists modules that do not exist"
    assert sorted(tree - listed - quiet) == [], "modules the map does not list"


TESTS = DOCGEN.parent / "tests"
_ISSUE_OR_STEP = re.compile(r"\b(issue|step)s? ?#?\d", re.IGNORECASE)


def test_every_test_file_says_in_one_line_what_it_specifies_and_the_readme_lists_it():
    """Tests by module or stage: each file's one-line docstring, and the README's table of them
    ("Tests") the same, file for file."""
    text = (DOCGEN.parent / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Tests\n") : text.index("## Benchmarks\n")]
    listed = dict(re.findall(r"^\| `(test_\w+\.py)` \| (.+) \|$", section, re.MULTILINE))
    said = {}
    for path in sorted(TESTS.glob("test_*.py")):
        doc = (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")), clean=False) or "").strip()
        assert doc and "\n" not in doc, f"{path.name} has no one-line docstring"
        said[path.name] = doc
    assert listed == said


def test_no_module_or_test_names_an_issue_or_a_step_number():
    """Code says what it does, not when or in which order it was asked for."""
    files = [*DOCGEN.rglob("*.py"), *TESTS.rglob("*.py"), *(DOCGEN.parent / "templates").rglob("*.jinja")]
    named = [
        f"{path.relative_to(DOCGEN.parent)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _ISSUE_OR_STEP.search(line) or _ISSUE_OR_STEP.search(path.name)
    ]
    assert named == []

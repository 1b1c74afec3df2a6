"""The runtime copied into every package stays readable: module size, no cycles, no repeats."""

# The runtime docgen copies into every package (docgen/runtime) stays one a reader finds
# things in: no module over 400 lines, no import cycle between its modules (function-level
# imports included), no run of six or more lines of logic repeated alike but for a
# consistent renaming of names, strings and numbers (the sync and async paths are drivers
# of one I/O-free core, not copies; signatures and field declarations, which a sync and an
# async API share by design, are not logic), and the tables it copies by hand from docgen's
# model agree with their source.

from __future__ import annotations

import ast
import io
import keyword
import tokenize
from collections import defaultdict
from pathlib import Path

RUNTIME = Path(__file__).resolve().parent.parent / "docgen" / "runtime"
MAX_LINES = 400
RUN = 6


def modules() -> dict[str, Path]:
    """Dotted module name (`online.tenant`) -> file."""
    out = {}
    for path in sorted(RUNTIME.rglob("*.py")):
        parts = list(path.relative_to(RUNTIME).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def test_no_runtime_module_is_over_400_lines():
    sizes = {name: len(path.read_text().splitlines()) for name, path in modules().items()}
    assert {n: s for n, s in sizes.items() if s > MAX_LINES} == {}
    assert len(sizes) >= 20, "the runtime is split into modules"


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The runtime modules `name` imports, anywhere in the file (relative imports)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom) or node.level == 0:
            continue
        base = package[: len(package) - node.level + 1] if node.level > 1 else package
        target = [p for p in [*base, *(node.module or "").split(".")] if p]
        for alias in node.names:
            for candidate in (".".join([*target, alias.name]), ".".join(target)):
                if candidate in known:
                    found.add(candidate)
                    break
    found.discard(name)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every elementary cycle's first sighting, by depth-first search."""
    found, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods) | {""}
    graph = {name: imports_of(name, path, known) for name, path in mods.items()}
    return {k: {v for v in vs if v} for k, vs in graph.items()}


def test_no_import_cycle_between_runtime_modules():
    graph = import_graph()
    assert graph["_client"] >= {"_base_client", "_retry"} and "online.tenant" in graph["_base_client"]
    assert cycles(graph) == []


def test_the_cycle_check_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]


def lines_of(source: str) -> list[tuple[int, list[tuple[str, str]]]]:
    """Each line that counts, as its tokens (kind, text): blank lines, comments, imports
    and lines of nothing but values and punctuation (a docstring, an `__all__` entry)
    passed over."""
    by_line: dict[int, list[tuple[str, str]]] = defaultdict(list)
    statement: list[int] = []  # the lines of the logical line being read
    skipped: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME:
            kind = "keyword" if keyword.iskeyword(tok.string) else "name"
            by_line[tok.start[0]].append((kind, tok.string))
            statement.append(tok.start[0])
        elif tok.type in (tokenize.STRING, tokenize.NUMBER, tokenize.OP):
            by_line[tok.start[0]].append(("literal" if tok.type != tokenize.OP else "op", tok.string))
            statement.append(tok.start[0])
        if tok.type == tokenize.NEWLINE and statement:
            first = by_line.get(statement[0]) or [("", "")]
            words = [text for _, text in first[:2]]
            if words[0] in ("import", "from"):
                skipped.update(statement)
            elif "def" in words:  # a signature's parameters are declarations, not logic
                skipped.update(line for line in statement if line != statement[0])
            elif _declaration(first):
                skipped.update(statement)
            statement = []
    out = []
    for line, toks in sorted(by_line.items()):
        if line in skipped or all(kind in ("op", "literal") for kind, _ in toks):
            continue
        out.append((line, toks))
    return out


def _declaration(tokens: list[tuple[str, str]]) -> bool:
    """`name: type` or `name: type = value` (a field declared), or `self.name = name`
    (a parameter kept): not logic."""
    texts = [text for _, text in tokens]
    if len(tokens) > 2 and tokens[0][0] == "name" and texts[1] == ":":
        return True
    return (
        len(texts) == 5
        and texts[:2] == ["self", "."]
        and texts[3] == "="
        and texts[2].lstrip("_") == texts[4]
    )


def shape(window: list[list[tuple[str, str]]]) -> tuple[str, ...]:
    """The lines with each name replaced by the order of its first use in the window,
    strings and numbers by a mark: two runs alike but for a consistent renaming, and
    their values, have one shape."""
    names: dict[str, int] = {}
    out = []
    for toks in window:
        parts = []
        for kind, text in toks:
            if kind == "name":
                parts.append(f"n{names.setdefault(text, len(names))}")
            else:
                parts.append("v" if kind == "literal" else text)
        out.append(" ".join(parts))
    return tuple(out)


def repeated_runs(files: dict[str, str]) -> list[str]:
    """Places where RUN lines of one shape stand twice (within or across files)."""
    seen: dict[tuple[str, ...], tuple[str, int, int]] = {}
    found = []
    for name, source in sorted(files.items()):
        lines = lines_of(source)
        for i in range(len(lines) - RUN + 1):
            window = shape([toks for _, toks in lines[i : i + RUN]])
            first = seen.setdefault(window, (name, i, lines[i][0]))
            # Runs that overlap (a list of like items) are one run, not two.
            if first[0] != name or i - first[1] >= RUN:
                found.append(f"{first[0]}:{first[2]} ~ {name}:{lines[i][0]}")
    return found


def test_no_run_of_six_lines_is_written_twice_in_the_runtime():
    files = {str(p.relative_to(RUNTIME)): p.read_text() for p in modules().values()}
    assert repeated_runs(files) == []


def test_the_repetition_check_sees_a_copy_with_other_names():
    sync = (
        "def fetch(client, url, offset):\n"
        "    response = client.get(url, timeout=5)\n"
        "    if response.status_code == 404:\n"
        "        return None\n"
        "    data = response.json()\n"
        "    rows = [r for r in data['rows'] if r]\n"
        "    return rows[offset:]\n"
    )
    copied = sync.replace("fetch", "fetch_all").replace("client.get", "client.head").replace("rows", "items")
    assert repeated_runs({"a.py": sync, "b.py": copied}) == ["a.py:1 ~ b.py:1", "a.py:2 ~ b.py:2"]
    assert repeated_runs({"a.py": sync, "b.py": sync.replace("    data =", "    data = await")}) == []


# Tables copied by hand, checked against their source ------------------------------------------


def test_the_error_body_fields_agree_with_the_model():
    from docgen.model.api import ERROR_FIELDS

    source = (RUNTIME / "server" / "_answers.py").read_text()
    table = ast.literal_eval(source.split("ERROR_FIELDS = ", 1)[1].split("\n", 1)[0])
    assert table == tuple(ERROR_FIELDS.values())
    stub = (RUNTIME / "models.pyi").read_text()
    for name in ERROR_FIELDS.values():
        snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
        assert f"{snake}: str | None" in stub


def test_the_standard_headers_agree_with_the_model():
    from docgen.model.api import STANDARD_HEADERS

    source = (RUNTIME / "_base_client.py").read_text()
    block = source.split("STANDARD_HEADERS = ", 1)[1].split("}", 1)[0] + "}"
    assert set(ast.literal_eval(block).values()) == set(STANDARD_HEADERS)


def test_no_folder_namespace_can_take_a_client_attribute(seed_package):
    """docgen names a folder's namespace `request_` where its name is one of the client's
    own attributes (docgen/text.py CLIENT_ATTRIBUTES); that list must be the client's."""
    import superoffice_webapi._client as runtime
    from docgen.text import CLIENT_ATTRIBUTES

    public = {
        name
        for cls in (runtime.Client, runtime.AsyncClient)
        for name in [*dir(cls), *vars(cls(base_url="http://x.test"))]
        if not name.startswith("_")
    }
    assert public <= CLIENT_ATTRIBUTES, sorted(public - CLIENT_ATTRIBUTES)


def test_a_folder_named_like_a_client_attribute_gets_a_namespace_of_its_own():
    from types import SimpleNamespace

    from docgen.model.assemble import _tags

    pages = [SimpleNamespace(tag="Request", file="a.md"), SimpleNamespace(tag="Contact", file="b.md")]
    tags = _tags(pages, []).value  # type: ignore[arg-type]
    assert [t.python_name for t in tags] == ["contact", "request_"]

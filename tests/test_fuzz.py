"""Mutated real pages: the parser and the model return results or findings, never raise."""

# Mutated real pages: the parser and the model never raise, they return results or
# diagnostics (hypothesis picks the mutations).

from __future__ import annotations

import random

from docgen.model import build_api
from docgen.parser import parse_page
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, SEED_PAGE


def _pages() -> list[bytes]:
    pages = [SEED_PAGE.read_bytes()]
    root = CORPUS / "superoffice-2023" / "restful"
    if root.is_dir():  # a fixed, varied sample of real pages when the corpus is there
        files = sorted(p for p in root.rglob("*.md") if p.name != "index.md")
        pages += [files[i].read_bytes() for i in range(0, len(files), max(1, len(files) // 40))]
    return pages


PAGES = _pages()

MUTATIONS = ["delete", "duplicate", "swap", "cut_table", "corrupt_json", "insert", "truncate", "garble"]


def mutate(data: bytes, ops: list[tuple[str, int, int]]) -> bytes:
    lines = data.split(b"\n")
    for op, a, b in ops:
        if not lines:
            break
        i, j = a % len(lines), b % len(lines)
        if op == "delete":
            del lines[i : i + 1 + b % 5]
        elif op == "duplicate":
            lines[i:i] = lines[i : i + 1 + b % 5]
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut_table":
            table = [k for k, line in enumerate(lines) if line.startswith(b"|")]
            if table:
                k = table[a % len(table)]
                lines[k] = lines[k][: b % (len(lines[k]) + 1)]
        elif op == "corrupt_json":
            body = [k for k, line in enumerate(lines) if line.strip()[:1] in (b"{", b"[", b'"', b"}")]
            if body:
                k = body[a % len(body)]
                lines[k] = lines[k].replace(b":", b"", 1).replace(b'"', b"", 1)
        elif op == "insert":
            lines.insert(
                i,
                random.Random(b).choice(
                    [
                        b"---",
                        b"```",
                        b"```http",
                        b"| a | b |",
                        b"## Response:",
                        b"### Response body: X",
                        b"\x00",
                        b"\xff\xfe",
                        b"[!include[x](../nope.md)]",
                    ]
                ),
            )
        elif op == "truncate":
            lines = lines[: i + 1]
        elif op == "garble":
            lines[i] = bytes((c + b) % 256 for c in lines[i])
    return b"\n".join(lines)


mutation = st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 10_000), st.integers(0, 10_000))


@settings(
    max_examples=int(__import__("os").environ.get("DOCGEN_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.sampled_from(range(len(PAGES))), st.lists(mutation, min_size=1, max_size=6))
def test_mutated_pages_never_raise(index, ops):
    data = mutate(PAGES[index], ops)
    result = parse_page(data, "restful/agent/X_Agent/page.md", "X_Agent")
    assert result.value is not None or result.findings
    for d in result.findings:
        assert d.file and d.line >= 1 and d.code.startswith("DG")
    if result.value is not None:
        api, diags = build_api([result.value], [], "t", "1")
        assert len(api.endpoints) == 1
        assert all(d.code.startswith("DG") for d in diags)

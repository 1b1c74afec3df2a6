"""Doc text is data: the one escaping path, checked by example and by property."""

from __future__ import annotations

import ast

import yaml
from docgen.emit.escape import py_docstring, py_str, yaml_scalar, yaml_value
from hypothesis import given, settings
from hypothesis import strategies as st

HOSTILE = [
    '"""',
    "'''",
    "\\",
    "back\\slash\\",
    "{{ 7*7 }}",
    "{% for x in y %}",
    "</script>",
    ": ",
    "# not a comment",
    "&anchor",
    "*alias",
    "!tag",
    "| block",
    "> folded",
    "- item",
    "? key",
    "@at",
    "`tick`",
    "%percent",
    "null",
    "true",
    "1e3",
    "0x1F",
    "~",
    "",
    " leading",
    "trailing ",
    "tab\there",
    "new\nline",
    "cr\rhere",
    "\x00\x01\x1f\x7f",
    "\x85\u2028\u2029",
    "\ufeff",
    "é ß 日本 😀",
    'ends with quote"',
    "\\N",
]


def roundtrip_yaml(value):
    return yaml.safe_load("k:" + yaml_value(value, 2))["k"]


def test_hostile_strings_survive_yaml():
    for s in HOSTILE:
        assert roundtrip_yaml(s) == s, s
        assert yaml.safe_load(yaml_scalar(s)) == s, s


def test_containers_survive_yaml():
    value = {
        "a": HOSTILE,
        "b": {"nested": {"x": None, "y": 1.5, "z": True}},
        "c": [],
        **{k: k for k in HOSTILE},
        "key\n": 1,
    }
    assert roundtrip_yaml(value) == value


def test_hostile_strings_survive_python():
    for s in HOSTILE:
        assert ast.literal_eval(py_str(s)) == s
        code = f'def f():\n    """{py_docstring(s)}"""\n'
        tree = ast.parse(code)
        doc = ast.get_docstring(tree.body[0], clean=False)
        expected = s.replace("\t", "    ")
        assert doc == expected, s


text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(text)
def test_any_text_round_trips_through_yaml_and_python(s):
    assert roundtrip_yaml(s) == s
    assert ast.literal_eval(py_str(s)) == s
    tree = ast.parse(f'def f():\n    """{py_docstring(s)}"""\n')
    assert ast.get_docstring(tree.body[0], clean=False) == s.replace("\t", "    ")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_value_round_trips_through_the_yaml_filter(value):
    assert roundtrip_yaml(value) == value


@settings(max_examples=150, deadline=None)
@given(text)
def test_string_literals_are_black_stable(s):
    import black

    src = f"x = {py_str(s)}\n"
    assert black.format_str(src, mode=black.Mode()) == src


def test_keys_longer_than_yaml_allows_for_implicit_keys():
    value = {"k" * 1500: 1, "nested": {"x" * 1200: ["a", {"y" * 2000: None}]}}
    assert roundtrip_yaml(value) == value


# Markdown (api.md, models.md) ----------------------------------------------------------------


def _shown(markdown: str) -> str:
    """The text a reader sees: markdown-it's HTML, its tags dropped, entities read."""
    import html
    import re

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


def test_hostile_strings_show_as_they_are_in_markdown():
    from docgen.emit.escape import md_inline

    for s in [
        *HOSTILE,
        "# h",
        "1. x",
        "- y",
        "[a](b)",
        "<b>bold</b>",
        "*i* _u_",
        "a | b",
        "&amp;",
        "![x](y)",
    ]:
        shown = " ".join(s.split())
        if "`" in s or not shown or not shown.isprintable():
            continue
        assert _shown(md_inline(s)) == shown, s
        assert "<" not in md_inline(s).replace("\\<", ""), s  # no raw HTML survives


@settings(max_examples=int(__import__("os").environ.get("DOCGEN_TEXT_EXAMPLES", "200")))
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="`"))
)
def test_any_text_shows_as_it_is_in_markdown(s):
    from docgen.emit.escape import md_inline

    shown = " ".join(s.split())
    if shown and shown.isprintable():
        assert _shown(md_inline(s)) == shown


def _cells(markdown: str) -> list[str]:
    """The text of each body cell of a Markdown table."""
    import html
    import re

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    return [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", rendered)]


def test_code_spans_show_their_text_in_prose_and_in_table_cells():
    from docgen.emit.escape import md_code, md_inline

    for text in ["int | None", "a`b", "``x", "dict[str, str | None]", "plain"]:
        assert _shown(md_code(text)) == text, text
        table = f"| a | b |\n| --- | --- |\n| {md_code(text, table=True)} | x |\n"
        assert _cells(table) == [text, "x"], text
        row = f"| a | b |\n| --- | --- |\n| {md_inline('see `' + text + '`', table=True)} | x |\n"
        assert len(_cells(row)) == 2, text
    assert _shown(md_inline("see `Name | Other` here")) == "see Name | Other here"

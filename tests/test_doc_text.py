"""Doc text is data end to end: hostile text in a page comes out intact in the spec and code."""

# Doc text is data, end to end: hostile text in a page's summary, a property description, a
# query parameter description and a sample value comes out intact in the spec, compiles safely
# into the generated Python, and reads back as the same text (hypothesis writes the text).

from __future__ import annotations

import ast
import json
import re
from dataclasses import replace

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SEED_PAGE

SEED = SEED_PAGE.read_text(encoding="utf-8")
FIXED = [
    '"""',
    "'''",
    "\\",
    "{{ 7*7 }}",
    "{% if x %}",
    "</script>",
    ": ",
    " #",
    "&a",
    "*b",
    "!c",
    "| d",
    "\x01\x1f\x7f",
    "é 日本 😀 \u2028",
]

# Table cells cannot hold `|` or line breaks, and `<para>`/`<see>` are markup the docs use.
cell_text = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cs",),
        exclude_characters="|\n\r\x00\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029",
    ),
    min_size=1,
    max_size=40,
).map(lambda s: s.replace("`", "'")) | st.sampled_from(
    [f for f in FIXED if "|" not in f and "\u2028" not in f and "\x1f" not in f]
)


def normal(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()


def build_with(text: str, tmp_path):
    from docgen.config import load_config

    from conftest import generate

    page = SEED.replace("Enrich a contact with data from the AI Enrichment service.", f"Enrich {text} end.")
    page = page.replace("| Name | string | Contact name |", f"| Name | string | Contact {text} name |")
    page = page.replace('"Name": "Brown-Conroy"', f'"Name": {json.dumps("Brown " + text)}')
    docs = tmp_path / "docs" / "agent" / "Contact_Agent"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / SEED_PAGE.name).write_text(page, encoding="utf-8")
    config = replace(load_config(ROOT), cache_dir=tmp_path / "cache")
    return generate(config, [tmp_path / "docs"])


@settings(
    max_examples=int(__import__("os").environ.get("DOCGEN_TEXT_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=cell_text)
def test_hostile_text_survives_every_output(text, tmp_path):
    assume(not re.search(r"<\s*/?\s*(para|see|c)\b", text, re.I) and text.strip())
    result = build_with(text, tmp_path)
    assert not result.errors
    spec = yaml.safe_load(result.files["openapi.yaml"])
    op = spec["paths"]["/api/v1/Agents/Contact/EnrichContactEntity"]["post"]
    assert op["summary"] == normal(f"Enrich {text} end.")
    contact = spec["components"]["schemas"]["ContactEntity"]["properties"]["Name"]
    assert contact["description"] == normal(f"Contact {text} name")
    sample = op["responses"]["200"]["content"]["application/json"]["examples"]["sample"]["value"]
    assert sample["Name"] == "Brown " + text
    assert (
        json.loads(result.files["superoffice_webapi/server/samples.json"])[
            "v1ContactAgent_EnrichContactEntity"
        ]["body"]["Name"]
        == "Brown " + text
    )
    for path, source in result.files.items():
        if path.endswith(".py"):
            ast.parse(source, path)  # compiles: no doc text escaped into code
    api = ast.parse(result.files["superoffice_webapi/api/contact_agent.py"])
    methods = [
        n
        for n in ast.walk(api)
        if isinstance(n, ast.AsyncFunctionDef | ast.FunctionDef) and n.name == "enrich_contact_entity"
    ]
    docstring = ast.get_docstring(methods[0], clean=False)
    assert docstring.startswith(normal(f"Enrich {text} end.").replace("\t", "    "))

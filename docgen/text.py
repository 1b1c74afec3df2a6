"""Doc text clean-up and naming helpers shared by every stage.

Escaping for the outputs lives in `docgen.emit.escape`; this module only turns the pages'
XML-doc remnants into plain text and derives identifiers.
"""

from __future__ import annotations

import keyword
import re

_PARA_RE = re.compile(r"\s*<\s*/?\s*para\s*/?\s*>\s*", re.I)
_SEE_PAIR_RE = re.compile(r"<see\s+cref\s*=\s*\"[^\"]*\"\s*>(.*?)</see>", re.I | re.S)
_SEE_SELF_RE = re.compile(r"<see\s+cref\s*=\s*\"(?:[A-Z!]:)?([^\"]*)\"\s*/>", re.I)
_SEE_LANG_RE = re.compile(r"<see\s+langword\s*=\s*\"([^\"]*)\"\s*/>", re.I)
_CODE_RE = re.compile(r"</?c>", re.I)
_SPACES_RE = re.compile(r"[ \t]+")
_REQUIRED_RE = re.compile(r"\s*\*\*Required\*\*\s*", re.I)


def clean_doc(text: str) -> str:
    """`<para>` to paragraph breaks, `<see cref>` to its label or short name, tidy spaces."""
    if not text:
        return ""
    text = _SEE_PAIR_RE.sub(lambda m: m.group(1).strip(), text)
    text = _SEE_SELF_RE.sub(lambda m: "`" + m.group(1).rsplit(".", 1)[-1] + "`", text)
    text = _SEE_LANG_RE.sub(lambda m: "`" + m.group(1) + "`", text)
    text = _CODE_RE.sub("`", text)
    text = _PARA_RE.sub("\n\n", text)
    paragraphs = [_SPACES_RE.sub(" ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def split_required(description: str) -> tuple[bool, str]:
    """`**Required**` may open or close a description; returns (required, the rest)."""
    if _REQUIRED_RE.search(description):
        return True, _REQUIRED_RE.sub(" ", description).strip()
    return False, description


_CAMEL_1 = re.compile(r"(.)([A-Z][a-z]+)")
_CAMEL_2 = re.compile(r"([a-z0-9])([A-Z])")


def snake(name: str) -> str:
    """`EnrichContactEntity` -> `enrich_contact_entity`; `$select` -> `select`; `E-mail` -> `e_mail`."""
    s = re.sub(r"[^0-9A-Za-z_]+", "_", name).strip("_")
    # `cRMScriptId`: an acronym whose first letter was lowered (camelCase of `CRMScriptId`).
    s = re.sub(r"^([a-z])(?=[A-Z]{2})", lambda m: m.group(1).upper(), s)
    s = _CAMEL_1.sub(r"\1_\2", s)
    s = _CAMEL_2.sub(r"\1_\2", s).lower()
    s = re.sub(r"_+", "_", s) or "value"
    if s[0].isdigit():
        s = "n" + s
    if keyword.iskeyword(s) or keyword.issoftkeyword(s):
        s += "_"
    return s


def pascal(name: str) -> str:
    """A class name from any text: `Contact_Agent` -> `ContactAgent`, `1stLine` -> `N1stLine`."""
    parts = re.split(r"[^0-9A-Za-z]+", name)
    s = "".join(p[:1].upper() + p[1:] for p in parts if p) or "Model"
    if s[0].isdigit():
        s = "N" + s
    return s


# The base class of every generated model (`<package>._base.ApiModel`).
MODEL_BASE_CLASS = "ApiModel"
# Names a generated models module defines or imports itself: a component that took one would
# have its class renamed by datamodel-code-generator (`FieldModel`) behind the client's back.
RESERVED_CLASS_NAMES = frozenset(
    {
        "None",
        "True",
        "False",
        "Annotated",
        "Any",
        "AwareDatetime",
        "ConfigDict",
        "Field",
        "Literal",
        "RootModel",
    }
    | {MODEL_BASE_CLASS}
)

# Names the generated methods take or use themselves; a parameter must not take them.
RESERVED_PARAMS = {"self", "cls", "body", "headers", "timeout", "extra_headers", "extra_query", "extra_body"}
# The client's own attributes (docgen/runtime/_base_client.py, _client.py): a folder's
# namespace must not take one (a test checks this list against the runtime).
CLIENT_ATTRIBUTES = frozenset(
    {
        "aclose",
        "auth",
        "base_url",
        "call",
        "close",
        "deadline",
        "for_tenant",
        "paginate",
        "request",
        "retries",
        "timeout",
        "with_options",
        "with_raw_response",
        "with_streaming_response",
    }
)


def unique(base: str, taken: set[str], sep: str = "") -> str:
    """`base`, or `base` with the smallest number from 2 up that `taken` lacks; added to `taken`."""
    out, n = base, 2
    while out in taken:
        out = f"{base}{sep}{n}"
        n += 1
    taken.add(out)
    return out


def param_name(name: str, taken: set[str]) -> str:
    base = snake(name).rstrip("_") or "value"
    if keyword.iskeyword(base) or keyword.issoftkeyword(base) or base in RESERVED_PARAMS:
        base += "_"
    return unique(base, taken, "_")

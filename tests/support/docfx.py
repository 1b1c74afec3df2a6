"""docfx ManagedReference YAML as the reference files hold it, for tests: a type file, and the
items of its members (properties, enum values), each item's head written once."""

from __future__ import annotations

import textwrap

NS = "SuperOffice.WebApi.Data"


def member(owner: str, name: str, kind: str = "Field") -> str:
    """The lines every member item opens with (`P:` for a property, `F:` for a field)."""
    return f"""\
- uid: {NS}.{owner}.{name}
  commentId: {kind[0]}:{NS}.{owner}.{name}
  id: {name}
  parent: {NS}.{owner}
  name: {name}
  type: {kind}
"""


def type_head(name: str, kind: str = "Class") -> str:
    """A reference file's first lines: the marker, then its type item's head."""
    return f"""\
### YamlMime:ManagedReference
items:
- uid: {NS}.{name}
  commentId: T:{NS}.{name}
  id: {name}
  parent: {NS}
  name: {name}
  type: {kind}
"""


def type_file(name: str, declaration: str, members: str = "", *, summary: str = "", inheritance=()) -> bytes:
    """A reference file as docfx writes one: the type item, then its members."""
    bases = "".join(f"  - {b}\n" for b in ["System.Object", *inheritance])
    head = (
        type_head(name)
        + f"""\
  summary: "{summary}"
  syntax:
    content: '{declaration}'
  inheritance:
"""
    )
    return (head + bases + textwrap.dedent(members)).encode()


def prop(owner: str, name: str, returns: str, content: str, summary: str = "") -> str:
    """A property item."""
    return (
        member(owner, name, "Property")
        + f"""\
  summary: "{summary}"
  syntax:
    content: {content}
    parameters: []
    return:
      type: {returns}
"""
    )


def value(owner: str, name: str, summary: str = "") -> str:
    """An enum value as the 2023 docfx writes one: a const field of the enum's type."""
    return (
        member(owner, name)
        + f"""\
  summary: "{summary}"
  syntax:
    content: public const {owner} {name}
    return:
      type: {NS}.{owner}
"""
    )

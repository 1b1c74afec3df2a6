"""Markdown reference pages to `Page` records; results or diagnostics, never exceptions."""

from docgen.parser.discover import SourceFile, classify, discover
from docgen.parser.page import IndexPage, Page
from docgen.parser.read import ParseResult, parse_page, resolve_includes

__all__ = [
    "IndexPage",
    "Page",
    "ParseResult",
    "SourceFile",
    "classify",
    "discover",
    "parse_page",
    "resolve_includes",
]

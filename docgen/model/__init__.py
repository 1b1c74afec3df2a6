"""The endpoint model: each page's endpoint and evidence, and the schema fold across pages."""

from docgen.model.api import Api, Component, Endpoint, Parameter, RequestBody, Response, Tag
from docgen.model.assemble import assemble, build_api
from docgen.model.endpoints import PageModel, page_model

__all__ = [
    "Api",
    "Component",
    "Endpoint",
    "PageModel",
    "Parameter",
    "RequestBody",
    "Response",
    "Tag",
    "assemble",
    "build_api",
    "page_model",
]

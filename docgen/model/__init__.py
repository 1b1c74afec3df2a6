"""The endpoint model and the cross-page schema registry."""

from docgen.model.api import Api, Component, Endpoint, Parameter, RequestBody, Response, Tag
from docgen.model.build import build_api

__all__ = ["Api", "Component", "Endpoint", "Parameter", "RequestBody", "Response", "Tag", "build_api"]

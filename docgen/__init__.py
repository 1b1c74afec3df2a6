"""docgen: SuperOffice WebAPI reference pages to an OpenAPI 3.1 spec and a typed Python SDK."""

__version__ = "0.1.0"

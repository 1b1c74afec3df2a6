"""The server stub's runtime (`_runtime.py`, copied); the package's own
`server/__init__.py` is generated."""

"""The package's logger, and the switch that shows it: `<PACKAGE>_LOG=info` (or `debug`)
in the environment when a client is made adds a stderr handler.

At `info`, one line per attempt (method, path, status or failure, milliseconds, attempt
number) and one per wait before a retry; at `debug`, also each request's URL with its
query and its headers, credentials masked. No secret is ever logged.

Copied by docgen into every package it generates (from docgen/runtime/_logging.py); do
not edit.
"""

from __future__ import annotations

import logging
import os
import sys

import httpx

from ._exceptions import CREDENTIAL_HEADERS

PACKAGE = __name__.rpartition(".")[0]  # `superoffice_webapi`
logger = logging.getLogger(PACKAGE)
ENVIRONMENT_VARIABLE = f"{PACKAGE.upper()}_LOG"
LEVELS = {"info": logging.INFO, "debug": logging.DEBUG}
FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"


HANDLER_NAME = f"{PACKAGE} ({ENVIRONMENT_VARIABLE})"  # the handler it adds, once


def configure_from_environment() -> None:
    """Show the package's log on stderr at the level `<PACKAGE>_LOG` names, if any."""
    level = LEVELS.get(os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower())
    if level is None:
        return
    if not any(h.name == HANDLER_NAME for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(HANDLER_NAME)
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
    logger.setLevel(level)


# Query parameters whose values are never logged (a password in a query is possible).
SECRET_WORDS = ("password", "secret", "token", "ticket", "key")


def shown_headers(headers: httpx.Headers) -> str:
    """Request headers for a debug line, credentials masked."""
    return ", ".join(
        f"{k}: {'***' if k.lower() in CREDENTIAL_HEADERS else v}"
        for k, v in headers.items()
    )


def shown_url(url: httpx.URL) -> str:
    """The URL for a debug line, the values of secret-sounding query parameters
    masked."""
    query = [
        (k, "***" if any(w in k.lower() for w in SECRET_WORDS) else v)
        for k, v in url.params.multi_items()
    ]
    return str(url.copy_with(params=query)) if query else str(url)


def attempt(
    request: httpx.Request, outcome: object, milliseconds: float, attempt: int
) -> None:
    """One line for one attempt: its answer's status, or the failure's kind."""
    if not logger.isEnabledFor(logging.INFO):
        return
    path = request.url.path
    result = (
        str(outcome.status_code)
        if isinstance(outcome, httpx.Response)
        else type(outcome).__name__
    )
    logger.info(
        "%s %s %s %.0f ms (attempt %d)",
        request.method,
        path,
        result,
        milliseconds,
        attempt + 1,
    )
    if logger.isEnabledFor(logging.DEBUG):
        url, headers = shown_url(request.url), shown_headers(request.headers)
        logger.debug("%s %s [%s]", request.method, url, headers)


def waiting(request: httpx.Request, seconds: float, attempt: int, retries: int) -> None:
    logger.info(
        "%s %s: retrying in %.2f s (attempt %d of %d)",
        request.method,
        request.url.path,
        seconds,
        attempt + 2,
        retries + 1,
    )

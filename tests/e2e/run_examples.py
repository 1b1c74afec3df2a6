"""Runs the examples of api.md against the generated mock server, all in this one process
(usage: run_examples.py BASE_URL EXAMPLES_JSON [--async]; EXAMPLES_JSON maps operationId to
the example's source). An example runs when its call succeeds, or when it raises the
ApiError of the status the operation's page answers with (the mock answers each page's own
sample, 404 where the page shows a 404). Prints one JSON object: how many ran, the
failures (operationId, what was raised), the seconds taken."""

from __future__ import annotations

import asyncio
import json
import sys
import textwrap
import time
from importlib import resources
from typing import Any

from superoffice_webapi import ApiError, AsyncClient, BasicAuth, Client, models

BASE, EXAMPLES = sys.argv[1], sys.argv[2]
AWAITED = "--async" in sys.argv[3:]
NO_SAMPLE = 501  # what the mock answers for a page without a usable sample


def expected_status(operation_id: str, samples: dict[str, Any]) -> int:
    sample = samples.get(operation_id)
    return NO_SAMPLE if sample is None else int(sample["status"])


def verdict(operation_id: str, error: BaseException, samples: dict[str, Any]) -> str | None:
    """None when `error` is the page's own answer, else what went wrong."""
    if isinstance(error, ApiError) and error.status_code == expected_status(operation_id, samples):
        return None
    return f"{type(error).__name__}: {error}"[:500]


def run_sync(examples: dict[str, str], samples: dict[str, Any]) -> list[tuple[str, str]]:
    failures = []
    with Client(BASE, auth=BasicAuth("user", "password"), retries=0) as client:
        for operation_id, source in examples.items():
            try:
                exec(compile(source, operation_id, "exec"), {"client": client, "models": models})
            except Exception as error:
                problem = verdict(operation_id, error, samples)
                if problem:
                    failures.append((operation_id, problem))
    return failures


async def run_async(examples: dict[str, str], samples: dict[str, Any]) -> list[tuple[str, str]]:
    failures = []
    async with AsyncClient(BASE, auth=BasicAuth("user", "password"), retries=0) as client:
        for operation_id, source in examples.items():
            scope: dict[str, Any] = {"models": models}
            wrapped = "async def example(client):\n" + textwrap.indent(source, "    ")
            exec(compile(wrapped, operation_id, "exec"), scope)
            try:
                await scope["example"](client)
            except Exception as error:
                problem = verdict(operation_id, error, samples)
                if problem:
                    failures.append((operation_id, problem))
    return failures


def main() -> None:
    with open(EXAMPLES, encoding="utf-8") as f:
        examples: dict[str, str] = json.load(f)
    text = resources.files("superoffice_webapi.server").joinpath("samples.json").read_text("utf-8")
    samples = json.loads(text)
    started = time.perf_counter()
    failures = asyncio.run(run_async(examples, samples)) if AWAITED else run_sync(examples, samples)
    took = round(time.perf_counter() - started, 2)
    print(json.dumps({"ran": len(examples) - len(failures), "failures": failures, "seconds": took}))


main()

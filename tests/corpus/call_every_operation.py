"""Calls every operation of a built package through its generated client; prints a JSON report.

Usage: python call_every_operation.py BASE_URL (with the built output on PYTHONPATH). Arguments
come from the operations table (typed parameters) and the spec's sample requests; the client
validates every answer into its generated model, so a pass means: the server accepted the
request and the page's sample response validates into the response model.
"""

import inspect
import json
import sys
from importlib import resources

from superoffice_webapi import ApiError, BasicAuth, Client
from superoffice_webapi.server.operations import OPERATIONS

BASE = sys.argv[1]
spec = json.loads(resources.files("superoffice_webapi.server").joinpath("openapi.json").read_text())
examples = {}
for item in spec["paths"].values():
    for op in item.values():
        content = (op.get("requestBody") or {}).get("content") or {}
        for media_type, media in content.items():
            sample = media.get("examples", {}).get("sample")
            if sample is not None:
                examples[op["operationId"]] = sample["value"]
            elif "json" in media_type and op["operationId"] not in examples:
                # No sample (a body that is only a name and a sentence): the least value of its type.
                types = media.get("schema", {}).get("type")
                types = types if isinstance(types, list) else [types]
                examples[op["operationId"]] = [] if "array" in types else "" if "string" in types else {}


def value(param):
    if param.kind == "integer":
        return 1
    if param.kind == "number":
        return 1.5
    if param.kind == "boolean":
        return True
    if param.kind == "enum" and param.values:
        return param.values[0]
    if param.kind == "array":
        return ["1", "2"]
    if param.kind == "date-time":
        return "2024-01-02T03:04:05"
    return "x"


report = {"passed": [], "failed": []}
with Client(BASE, auth=BasicAuth("u", "p"), timeout=30) as client:
    for op in OPERATIONS:
        kwargs = {}
        for p in op.params:
            if p.location == "path" or p.required:
                kwargs[p.python_name] = value(p)
        method = getattr(getattr(client, op.tag), op.name)
        if op.body_kind != "none":
            # The body's argument: `body`, or the page's name for it (`associate_ids`, `content`).
            params = inspect.signature(method).parameters
            name = (
                "body"
                if "body" in params
                else next(
                    n for n, p in params.items() if n not in kwargs and p.default is inspect.Parameter.empty
                )
            )
            if op.body_kind == "binary":
                kwargs[name] = b"\x89PNG sample bytes"
            else:
                kwargs[name] = examples.get(op.operation_id, {} if op.body_kind == "model" else None)
        try:
            method(**kwargs)
            report["passed"].append(op.operation_id)
        except ApiError as e:
            report["failed"].append(
                {
                    "operation": op.operation_id,
                    "status": e.status_code,
                    "reason": (e.error_message or str(e))[:300],
                }
            )
        except Exception as e:  # validation of the answer, or a client-side error
            report["failed"].append(
                {
                    "operation": op.operation_id,
                    "status": None,
                    "reason": f"{type(e).__name__}: {str(e)[:300]}",
                }
            )
print(json.dumps(report))

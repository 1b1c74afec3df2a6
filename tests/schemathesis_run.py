"""Runs schemathesis against the generated server (in-process ASGI) for the operations whose
operationId matches a pattern; prints a JSON report. Usage, with the built output on
PYTHONPATH: python schemathesis_run.py PATTERN MAX_EXAMPLES

Every case carries credentials, so it reaches the operation rather than stopping at 401.
Positive cases (valid requests) get every default check: no 5xx, documented status codes,
content types and response schemas, valid data accepted. The check `ignored_auth` is left out:
the mock server requires credentials but cannot tell valid ones from invalid, which is the
implementation's job. Negative cases (requests the spec forbids) must be answered 4xx with
SuperOffice's error body.

The report counts cases per mode and how many reached the operation (any answer but 401).
"""

import collections
import json
import re
import sys

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection
from superoffice_webapi.server import create_app
from superoffice_webapi.server.app import spec as load_spec

AUTH = {"Authorization": "Basic dXNlcjpwdw=="}
ERROR_FIELDS = {"Error", "ErrorType", "ErrorMessage", "ErrorSource"}

# Negative cases hold enum values the spec does not list: the spec says they are refused.
app = create_app(strict_enums=True)
spec = json.loads(json.dumps(load_spec()))
spec["servers"] = [{"url": "/"}]  # the tenant URL variable points elsewhere; test the app itself
# The stub speaks JSON; the real API also takes XML and forms, which the spec keeps.
for item in spec["paths"].values():
    for op in item.values():
        content = op.get("requestBody", {}).get("content", {})
        for media in [m for m in content if "json" not in m and m != "application/octet-stream"]:
            del content[media]


# OpenAPI 3.1 says base64 with contentEncoding, which JSON Schema only annotates; schemathesis
# generates base64 for OpenAPI's `format: byte`.
def _base64_as_byte(node):
    if isinstance(node, dict):
        if node.get("contentEncoding") == "base64" and "format" not in node:
            node["format"] = "byte"
        for v in node.values():
            _base64_as_byte(v)
    elif isinstance(node, list):
        for v in node:
            _base64_as_byte(v)


_base64_as_byte(spec)
# Routes that differ only in a parameter's name (`List/{id}`, `List/{name}`) are routed by type,
# as the real API does: a string where one wants an integer is the other's valid request.
shapes = collections.Counter(
    (m, re.sub(r"\{[^}]+\}", "{}", p)) for p, item in spec["paths"].items() for m in item
)
TWINS = {
    (m.upper(), p)
    for p, item in spec["paths"].items()
    for m in item
    if shapes[(m, re.sub(r"\{[^}]+\}", "{}", p))] > 1
}
schema = schemathesis.openapi.from_dict(spec)
schema.app = app
pattern = re.compile(sys.argv[1]) if len(sys.argv) > 1 else None
max_examples = int(sys.argv[2]) if len(sys.argv) > 2 else 10
results = {
    "operations": 0,
    "failures": [],
    "positive": {"cases": 0, "reached": 0},
    "negative": {"cases": 0, "reached": 0, "rejected_with_error_body": 0},
}


def is_error_body(response) -> bool:
    try:
        return set(response.json()) == ERROR_FIELDS
    except ValueError:
        return False


def make_check(op, mode, counts):
    @settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=op.as_strategy(generation_mode=mode))
    def check(case):
        counts["cases"] += 1
        response = case.call(app=app, headers=AUTH)
        if response.status_code != 401:
            counts["reached"] += 1
        # Negative cases: schemathesis's own negative_data_rejection knows which of its
        # mutations a server must reject (extra headers or properties need not be).
        excluded = [ignored_auth]
        if mode is GenerationMode.NEGATIVE and (op.method.upper(), op.path) in TWINS:
            excluded.append(negative_data_rejection)
        case.validate_response(response, excluded_checks=excluded)
        if mode is GenerationMode.NEGATIVE and 400 <= response.status_code < 500:
            assert is_error_body(response), f"rejected without the error body: {response.text[:300]}"
            counts["rejected_with_error_body"] += 1

    return check


for result in schema.get_all_operations():
    op = result.ok()
    if pattern and not pattern.search(op.definition.raw.get("operationId", "")):
        continue
    results["operations"] += 1
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        check = make_check(op, mode, results[mode.value])
        try:
            check()
        except BaseException as e:
            if isinstance(e, KeyboardInterrupt):
                raise
            results["failures"].append(
                {"operation": op.label, "mode": mode.value, "error": f"{type(e).__name__}: {str(e)[:800]}"}
            )
print(json.dumps(results))

"""What the server answers: SuperOffice's error body, and a result shaped as the query
asks (`$select`, `$top`, `$skip`).

Copied by docgen into every package it generates (from docgen/runtime/server/); do not
edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ._ops import Op

# SuperOffice's error body, in its order (docgen/model/api.py ERROR_FIELDS: a test
# checks the two agree).
ERROR_FIELDS = ("Error", "ErrorType", "ErrorMessage", "ErrorSource")


class ApiProblem(Exception):
    """Raise from an implementation to answer with SuperOffice's error body."""

    def __init__(
        self, status: int, message: str, error_type: str = "", source: str = ""
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type or REASONS.get(status, "Error")
        self.source = source


REASONS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    412: "PreconditionFailed",
    500: "InternalServerError",
    501: "NotImplemented",
}


def error_response(
    status: int, message: str, error_type: str = "", source: str = ""
) -> JSONResponse:
    values = (message, error_type or REASONS.get(status, "Error"), message, source)
    return JSONResponse(
        dict(zip(ERROR_FIELDS, values, strict=True)), status_code=status
    )


def _is_odata(data: Any) -> bool:
    """`{"odata.metadata": ..., "odata.nextLink": ..., "value": [rows]}`: an OData
    answer."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("value"), list)
        and all(k == "value" or k.startswith("odata.") for k in data)
    )


def shaped(op: Op, data: Any, query: Mapping[str, str]) -> Any:
    """The answer as the query asks for it: `$select` picks fields (of the rows of an
    OData answer, whose envelope stays), `$skip` and `$top` page through those rows."""
    names = {p.name for p in op.params}
    select = query.get("$select") if "$select" in names else None
    if not _is_odata(data):
        return select_fields(data, select) if select else data
    rows = data["value"]
    skip = _count(query.get("$skip")) if "$skip" in names else 0
    top = _count(query.get("$top")) if "$top" in names and query.get("$top") else None
    page = rows[skip:] if top is None else rows[skip : skip + top]
    out = {
        **data,
        "value": [select_fields(r, select) for r in page] if select else page,
    }
    if "odata.nextLink" in out and (top is None or skip + top >= len(rows)):
        out["odata.nextLink"] = None  # the last page
    return out


def _count(raw: str | None) -> int:
    return max(0, int(raw)) if raw and raw.lstrip("-").isdigit() else 0


def select_fields(data: Any, select: str) -> Any:
    """`$select=Name,category/id`: every other top-level field is nulled, as the API
    does."""
    keep = {
        part.strip().split("/", 1)[0].split(".", 1)[0].lower()
        for part in select.split(",")
        if part.strip()
    }
    if not keep:
        return data
    if isinstance(data, list):
        return [select_fields(item, select) for item in data]
    if isinstance(data, dict):
        return {k: (v if k.lower() in keep else None) for k, v in data.items()}
    return data


def answer(op: Op, result: Any, request: Request) -> Response:
    """An implementation's result as the answer: its JSON, shaped by the query; a
    starlette `Response` it returns (a stream, its own headers) as it is."""
    if isinstance(result, Response):
        return result
    if not op.returns or op.status == 204:
        return Response(status_code=op.status)
    if isinstance(result, BaseModel):
        data = result.model_dump(mode="json", by_alias=True)
    else:
        data = to_jsonable_python(result, by_alias=True)
    return JSONResponse(shaped(op, data, request.query_params), status_code=op.status)

"""The single mapping from failures to HTTP responses (application/problem+json)."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import psycopg
from eventsourcing.persistence import OperationalError, PersistenceError
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.shared.errors import DomainError
from services.api.models.common import FieldError
from services.api.models.common import Problem as ProblemModel
from services.errors import INPUT_FAILURES, PART_FAILURES, RETRY_AFTER_SECONDS, Problem, problem_for

HANDLED = (*PART_FAILURES, *INPUT_FAILURES, psycopg.Error, PersistenceError)

PROBLEM = "application/problem+json"
_REF = {"$ref": "#/components/schemas/Problem"}
_MEANING = {
    400: "Malformed request",
    404: "No such record (or not in your jurisdiction)",
    409: "Refused by a rule, or a lost race",
    412: "The record's version is not the one expected",
    413: "The request is too large",
    415: "Unsupported content type",
    422: "Invalid request: a parameter or field is wrong, or unknown",
    503: "A part (event store, database, broker) is unavailable; retry after Retry-After seconds",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for the problems an endpoint can answer (application/problem+json)."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        out[status] = {"description": _MEANING[status], "content": {PROBLEM: {"schema": _REF}}}
        if status == 503:
            out[status]["headers"] = {
                "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
            }
    return out


def _answerable(operation: dict[str, Any]) -> list[int]:
    """Problems any operation of its shape can answer, whatever its router declares: a body
    can be malformed (400), too large (413) or of another type (415); a path can name nothing
    (404); a part can fail anywhere (503)."""
    statuses = [503]
    if "requestBody" in operation:
        statuses += [400, 413, 415, 422]
    if any(p.get("in") == "path" for p in operation.get("parameters", ())):
        statuses += [404, 422]
    return statuses


def _document(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The app's OpenAPI with errors as they really are: problem+json, never FastAPI's shape."""
    default = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = default()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = ProblemModel.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem.pop("$defs", {}))
        components["Problem"] = problem
        components.setdefault(
            "FieldError", FieldError.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.get("responses", {})
                if "422" in responses and PROBLEM not in responses["422"].get("content", {}):
                    responses["422"] = problem_responses(422)[422]
                for status, problem in problem_responses(*_answerable(operation)).items():
                    responses.setdefault(str(status), problem)
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        app.openapi_schema = schema
        return schema

    return openapi


def problem_response(problem: Problem) -> JSONResponse:
    """A problem as a response; 503 says when to retry."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if problem.status == 503 else None
    return JSONResponse(problem.as_json(), problem.status, headers=headers, media_type=PROBLEM)


def install(app: FastAPI) -> None:
    """Register the exception handlers."""

    async def on_problem(_: Request, error: Exception) -> JSONResponse:
        return problem_response(problem_for(error))

    async def on_validation(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]), "reason": e["msg"]}
            for e in error.errors()
        ]
        first = errors[0] if errors else {"field": "request", "reason": "invalid"}
        return problem_response(
            Problem(422, "Invalid request", f"{first['field']}: {first['reason']}", errors)
        )

    async def on_http(_: Request, error: Exception) -> Response:
        # FastAPI's own refusals (a body that is not JSON: 400; 404, 405) as problems too.
        assert isinstance(error, StarletteHTTPException)
        if error.status_code < 400 or error.status_code == 405:
            return await http_exception_handler(_, error)
        title = HTTPStatus(error.status_code).phrase.capitalize()
        return problem_response(Problem(error.status_code, title, str(error.detail)))

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(DomainError, on_problem)
    app.add_exception_handler(OperationalError, on_problem)
    # Failures of the parts (503) and values no store could hold (422), wherever raised; only
    # other exceptions (bugs) are left to the server's 500.
    for kind in HANDLED:
        app.add_exception_handler(kind, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.openapi = _document(app)  # type: ignore[method-assign]

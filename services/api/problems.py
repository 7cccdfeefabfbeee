"""The single mapping from failures to HTTP responses (application/problem+json)."""

from __future__ import annotations

import psycopg
from eventsourcing.persistence import OperationalError, PersistenceError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from domain.shared.errors import DomainError
from services.errors import INPUT_FAILURES, PART_FAILURES, RETRY_AFTER_SECONDS, Problem, problem_for

HANDLED = (*PART_FAILURES, *INPUT_FAILURES, psycopg.Error, PersistenceError)

PROBLEM = "application/problem+json"


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

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(DomainError, on_problem)
    app.add_exception_handler(OperationalError, on_problem)
    # Failures of the parts (503) and values no store could hold (422), wherever raised; only
    # other exceptions (bugs) are left to the server's 500.
    for kind in HANDLED:
        app.add_exception_handler(kind, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)

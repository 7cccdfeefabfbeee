"""The single mapping from failures to HTTP responses (application/problem+json)."""

from __future__ import annotations

from eventsourcing.persistence import OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from domain.shared.errors import DomainError
from services.errors import RETRY_AFTER_SECONDS, Problem, problem_for

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
    # Anything else a route raises: PostgreSQL, pool and broker failures become 503.
    app.add_exception_handler(Exception, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)

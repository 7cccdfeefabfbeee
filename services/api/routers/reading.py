"""What every read router shares: unknown parameters refused, problems documented."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from services.api.deps import reject_unknown_query
from services.api.problems import problem_responses

NOT_FOUND = problem_responses(404)


def read_router(tag: str, prefix: str = "/v1", **kwargs: Any) -> APIRouter:
    """A router of read endpoints: 422 for an unknown parameter, 503 when a part is down."""
    return APIRouter(
        prefix=prefix,
        tags=[tag],
        dependencies=[Depends(reject_unknown_query)],
        responses=problem_responses(422, 503),
        **kwargs,
    )

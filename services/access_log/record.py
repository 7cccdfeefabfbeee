"""The one function routers call when they read a household's file or export a list.

`record_read` writes the row and commits it before the route answers, in the route's worker
thread (the read routes are plain `def`: FastAPI runs them off the event loop); async routes
call `record_read_async`, which does the same in the thread pool. When the row cannot be
written the read is refused with 503: a file is never shown without its access being kept.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from services.access_log.store import Access
from services.auth.principal import principal_of
from services.errors import Problem

log = logging.getLogger(__name__)
ANONYMOUS = "anonymous"  # a caller no credential names (before authentication is enforced)
MAX_PURPOSE = 200

Purpose = Annotated[
    str | None,
    Query(
        max_length=MAX_PURPOSE,
        description="Why the file is read (kept in the access log auditors search)",
    ),
]


def endpoint_of(request: Request) -> str:
    """The route as declared (method and path template), else the path asked."""
    route = request.scope.get("route")
    path = route.path if isinstance(route, APIRoute) else request.url.path
    return f"{request.method} {path}"


def access_of(
    request: Request,
    *,
    household: str | None = None,
    listing: str | None = None,
    rows: int | None = None,
    endpoint: str | None = None,
) -> Access:
    """The row for this request: who (from the principal), when, what, through which route."""
    principal = principal_of(request)
    container: Any = request.app.state.container
    purpose = request.query_params.get("purpose") or None
    query = request.url.query
    return Access(
        at=datetime.now(UTC) if container is None else container.clock(),
        subject=principal.subject if principal is not None else ANONYMOUS,
        role=principal.role.value if principal is not None else None,
        household=household,
        listing=listing,
        filter=(query or None) if household is None else None,
        endpoint=endpoint or endpoint_of(request),
        path=request.url.path,
        purpose=purpose[:MAX_PURPOSE] if purpose else None,
        rows=rows,
    )


def write(request: Request, access: Access) -> None:
    """Commit one row; 503 (the caller retries) when the access log cannot take it."""
    try:
        request.app.state.container.access_log.record(access)
    except Exception as error:
        log.error("the access log refused a row: %r", error)
        raise Problem(
            503,
            "Access log unavailable",
            "the access log could not record this read, so the file is not shown; retry later",
        ) from error


def record_read(
    request: Request,
    *,
    household: str | None = None,
    listing: str | None = None,
    endpoint: str | None = None,
) -> None:
    """Record a read of one household's file (or of a list of files) before answering."""
    write(request, access_of(request, household=household, listing=listing, endpoint=endpoint))


async def record_read_async(
    request: Request, *, household: str | None = None, listing: str | None = None
) -> None:
    """`record_read` for async routes: the write runs in the thread pool."""
    access = access_of(request, household=household, listing=listing)
    await run_in_threadpool(write, request, access)


def record_export(request: Request, what: str, rows: int) -> None:
    """Record an export: which list, with which filter, how many rows."""
    write(request, access_of(request, listing=what, rows=rows))

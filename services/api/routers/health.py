"""Health: the log head, how far behind each view is, and anything that stops the service.

503 (with Retry-After) names what is wrong: a view stopped at an event it cannot apply, or an
event store that refuses writes (the log went backwards). A part that cannot be reached
(PostgreSQL, the broker) answers 503 through the common problem mapping.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.api.deps import ContainerDep
from services.errors import RETRY_AFTER_SECONDS, store_halt

router = APIRouter(prefix="/v1", tags=["operations"])


@router.get("/health", summary="Service health and projection lag")
def health(container: ContainerDep) -> JSONResponse:
    """Profile, log head, each view's positions and lag; 503 naming any stopped view or store."""
    head = container.runner.head()
    now = container.clock()
    stops = container.store.stopped()
    stopped = {s.view: s for s in stops}
    views: dict[str, Any] = {}
    for view in container.views:
        lag = container.runner.lag(view, now)
        halt = stopped.get(view.name)
        views[view.name] = {
            "positions": container.store.positions(view),
            "behind": lag.events,
            "lag_seconds": round(lag.seconds, 3),
            "stopped": halt.as_json() if halt else None,
        }
    problems = [
        f"view {s.view} stopped at position {s.position} (stream {s.stream}, {s.event_type}"
        f" {s.event_id}): {s.error}"
        for s in stops
    ]
    halted = store_halt(container.app)
    if halted:
        problems.append(halted)
    body = {
        "status": "ok" if not problems else "unavailable",
        "profile": container.settings.profile,
        "log_head": head,
        "problems": problems,
        "views": views,
    }
    if not problems:
        return JSONResponse(body)
    return JSONResponse(body, 503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

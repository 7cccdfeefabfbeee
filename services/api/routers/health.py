"""Health: the log head and how far behind each view is."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.api.deps import ContainerDep

router = APIRouter(prefix="/v1", tags=["operations"])


@router.get("/health", summary="Service health and projection lag")
def health(container: ContainerDep) -> dict[str, Any]:
    """Profile, log head, and each view's positions and lag (events and seconds)."""
    head = container.runner.head()
    now = container.clock()
    stopped = {s.view: s for s in container.store.stopped()}
    views = {}
    for view in container.views:
        lag = container.runner.lag(view, now)
        halt = stopped.get(view.name)
        views[view.name] = {
            "positions": container.store.positions(view),
            "behind": lag.events,
            "lag_seconds": round(lag.seconds, 3),
            "stopped": {"position": halt.position, "error": halt.error} if halt else None,
        }
    healthy = not stopped
    return {
        "status": "ok" if healthy else "degraded",
        "profile": container.settings.profile,
        "log_head": head,
        "views": views,
    }

"""Health: the log head and how far behind each view is."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.api.deps import ContainerDep

router = APIRouter(prefix="/v1", tags=["operations"])


@router.get("/health", summary="Service health and projection lag")
def health(container: ContainerDep) -> dict[str, Any]:
    """Profile, log head, and each view's position and lag in events."""
    head = container.runner.head()
    views = {}
    for view in container.views:
        position = container.store.position(view)
        stopped = container.runner.stopped.get(view.name)
        views[view.name] = {
            "position": position,
            "behind": max(head - position, 0),
            "stopped": str(stopped) if stopped else None,
        }
    healthy = not container.runner.stopped
    return {
        "status": "ok" if healthy else "degraded",
        "profile": container.settings.profile,
        "log_head": head,
        "views": views,
    }

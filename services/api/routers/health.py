"""Health: alive (/healthz), ready (/readyz), and the detailed /v1/health; 503 when not ready."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services import divisions
from services.api.deps import ContainerDep
from services.api.models.operations import Health
from services.errors import RETRY_AFTER_SECONDS
from services.observability.readiness import Readiness, Report

router = APIRouter(tags=["operations"])


def _readiness(request: Request) -> Readiness:
    readiness: Readiness = request.app.state.readiness
    return readiness


def _answer(body: dict[str, Any], report: Report) -> JSONResponse:
    if report.ready:
        return JSONResponse(body)
    return JSONResponse(body, 503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


# The probes stay out of the OpenAPI document (operators' endpoints, see deploy/README.md).
@router.get("/healthz", summary="Liveness: the process answers", include_in_schema=False)
def healthz() -> dict[str, str]:
    """200 while the process can answer at all (restart it when this fails)."""
    return {"status": "alive"}


@router.get("/readyz", summary="Readiness: writes and views work now", include_in_schema=False)
def readyz(request: Request) -> JSONResponse:
    """200 when the broker, the database, the index and every view are usable; else 503."""
    report = _readiness(request).report()
    return _answer(report.as_json(), report)


_RETRY = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}


@router.get(
    "/v1/health",
    summary="Service health and projection lag",
    responses={
        200: {"model": Health, "description": "Ready: writes and every view work"},
        503: {"model": Health, "description": "Not ready: the checks say why", "headers": _RETRY},
    },
)
def health(request: Request, container: ContainerDep) -> JSONResponse:
    """Profile, log head, each view's positions and lag, and the checks; 503 if not ready."""
    report = _readiness(request).report()
    body: dict[str, Any] = {
        "status": "ok" if report.ready else "degraded",
        "profile": container.settings.profile,
        "checks": report.checks,
        "divisions": divisions.edition(),
    }
    if report.checks.get("database", {}).get("ok", False):
        body.update(_views(container))
    return _answer(body, report)


def _views(container: Any) -> dict[str, Any]:
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
    return {"log_head": container.runner.head(), "views": views}

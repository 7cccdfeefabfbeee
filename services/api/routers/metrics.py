"""Prometheus metrics in the text exposition format (see services.observability.metrics)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.api.deps import ContainerDep
from services.observability.metrics import CONTENT_TYPE, exposition

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    responses={200: {"content": {CONTENT_TYPE: {"schema": {"type": "string"}}}}},
    response_class=Response,
)
def metrics(request: Request, container: ContainerDep) -> Response:
    """Requests, ingest outcomes, Kafka produce latency, index and view lag, process metrics."""
    return Response(exposition(request.app.state.readiness, container), media_type=CONTENT_TYPE)

"""ASGI middleware: a request id for every request, its metrics, and one log line per request."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.observability.logs import REQUEST_ID, request_id_from
from services.observability.metrics import HTTP_REQUESTS, HTTP_SECONDS

log = logging.getLogger("zhulian.http")
HEADER = b"x-request-id"
_QUIET = {"/healthz", "/readyz", "/metrics"}  # probes and scrapes: counted, not logged


class RequestContext:
    """Takes X-Request-ID (or makes one), echoes it, times and counts the request, logs it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw = headers.get(HEADER)
        request_id = request_id_from(raw.decode("latin-1") if raw else None)
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message.setdefault("headers", [])
                message["headers"] = [
                    *[(k, v) for k, v in message["headers"] if k.lower() != HEADER],
                    (HEADER, request_id.encode("latin-1")),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route(scope)
            method = scope.get("method", "")
            HTTP_REQUESTS.labels(method, route, str(status)).inc()
            HTTP_SECONDS.labels(method, route).observe(elapsed)
            if scope.get("path") not in _QUIET or status >= 500:
                log.log(
                    logging.WARNING if status >= 500 else logging.INFO,
                    "%s %s %s",
                    method,
                    scope.get("path"),
                    status,
                    extra={
                        "request_id": request_id,
                        "status": status,
                        "route": route,
                        "duration_ms": round(elapsed * 1000, 2),
                    },
                )
            REQUEST_ID.reset(token)


def _route(scope: Scope) -> str:
    """The route's template (bounded label values), not the raw path."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"

"""A small HTTP server for the workers: /healthz, /readyz and /metrics on ZHULIAN_HEALTH_PORT."""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson

from services.errors import RETRY_AFTER_SECONDS
from services.observability.metrics import CONTENT_TYPE, exposition
from services.observability.readiness import Readiness

log = logging.getLogger(__name__)


class HealthPortError(RuntimeError):
    """The health port cannot be bound (in use, or not allowed)."""


class HealthServer:
    """Serves a worker's health and metrics in a daemon thread."""

    def __init__(
        self, readiness: Readiness, container: Any | None, host: str, port: int, role: str
    ) -> None:
        parent = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parent._answer(self)

            def log_message(self, format: str, *args: Any) -> None:
                return  # probes are not worth a log line each

        self.readiness = readiness
        self.container = container
        self.role = role
        try:
            self.httpd = ThreadingHTTPServer((host, port), Handler)
        except OSError as error:
            raise HealthPortError(
                f"ZHULIAN_HEALTH_PORT={port} on {host}: {error.strerror or error}"
            ) from None
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, name="health-server", daemon=True
        )

    @property
    def port(self) -> int:
        """The port actually bound (useful with port 0)."""
        return int(self.httpd.server_address[1])

    def start(self) -> HealthServer:
        """Start serving; returns self."""
        self._thread.start()
        log.info("health and metrics on port %s", self.port)
        return self

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?")[0]
        kind = "application/json"
        try:
            if path == "/healthz":
                status, body = 200, orjson.dumps({"status": "alive", "role": self.role})
            elif path == "/readyz":
                report = self.readiness.report()
                status = 200 if report.ready else 503
                body = orjson.dumps({"role": self.role, **report.as_json()})
            elif path == "/metrics":
                status, body, kind = 200, exposition(self.readiness, self.container), CONTENT_TYPE
            else:
                status, body = 404, orjson.dumps({"status": 404, "title": "Not found"})
        except Exception as error:  # a part failed while answering: not ready, never a 500
            log.warning("health check failed: %s", error)
            status, kind = 503, "application/json"
            body = orjson.dumps({"status": "not ready", "error": type(error).__name__})
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        if status == 503:
            handler.send_header("Retry-After", str(RETRY_AFTER_SECONDS))
        handler.end_headers()
        handler.wfile.write(body)

    def stop(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()


def serve_health(
    readiness: Readiness, container: Any | None, host: str, port: int | None, role: str
) -> HealthServer | None:
    """Start a worker's health server when a port is configured; None when not."""
    if port is None:
        log.info("no ZHULIAN_HEALTH_PORT: %s serves no health endpoints", role)
        return None
    return HealthServer(readiness, container, host, port, role).start()

"""Readiness: can this process take writes and serve current views right now?

Each check is bounded in time (a short connect timeout, a short broker request), so a probe
answers within a few seconds even when a part hangs. A report is cached for a second: the
readiness probe, /v1/health and /metrics share it instead of hammering the parts.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg
from kafka import KafkaConsumer, TopicPartition

log = logging.getLogger(__name__)
CHECK_TIMEOUT_S = 2.0
CACHE_S = 1.0


@dataclass(frozen=True)
class Bounds:
    """How far behind the index (records) and the views (seconds) may be while still ready."""

    index_records: int = 1000
    view_seconds: float = 60.0


@dataclass
class Report:
    """The outcome of every check: ready only when all passed."""

    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    log_ends: dict[int, int] = field(default_factory=dict)  # next offset per partition
    index_lag: dict[int, int] = field(default_factory=dict)  # acknowledged, not yet indexed

    @property
    def ready(self) -> bool:
        """True when every check passed."""
        return all(c["ok"] for c in self.checks.values())

    def failed(self) -> list[str]:
        """Names of the checks that failed."""
        return [name for name, c in self.checks.items() if not c["ok"]]

    def as_json(self) -> dict[str, Any]:
        """The report as the readiness endpoints answer it."""
        return {"status": "ready" if self.ready else "not ready", "checks": self.checks}


class Readiness:
    """Checks the broker, the database, the index and the views this process depends on."""

    def __init__(
        self,
        *,
        database_url: str | None,
        kafka_store: Any | None = None,
        container: Any | None = None,
        bounds: Bounds | None = None,
    ) -> None:
        self.database_url = database_url
        self.kafka_store = kafka_store  # services.store.kafka KafkaStore, production only
        self.container = container  # views, runner and clock; None in the index worker
        self.bounds = bounds or Bounds()
        self._lock = threading.Lock()
        self._consumer: KafkaConsumer | None = None
        self._cached: tuple[float, Report] | None = None

    def report(self) -> Report:
        """The current report (at most a second old)."""
        with self._lock:
            now = time.monotonic()
            if self._cached is not None and now - self._cached[0] < CACHE_S:
                return self._cached[1]
            report = Report()
            broker_ok = self._check_broker(report) if self.kafka_store is not None else True
            database_ok = self._check_database(report)
            if self.kafka_store is not None and broker_ok and database_ok:
                self._check_index(report)
                self._check_log(report)
            if self.container is not None and database_ok:
                self._check_views(report)
            self._cached = (time.monotonic(), report)
            return report

    def _check_broker(self, report: Report) -> bool:
        store: Any = self.kafka_store
        partitions = [
            TopicPartition(store.settings.topic, p) for p in range(store.settings.partitions)
        ]
        try:
            consumer = self._consumer_for(store.settings.bootstrap_servers)
            ends = consumer.end_offsets(partitions, timeout_ms=int(CHECK_TIMEOUT_S * 1000))
        except Exception as error:
            self._close_consumer()
            report.checks["broker"] = {"ok": False, "detail": _short(error)}
            return False
        report.log_ends = {tp.partition: int(end) for tp, end in ends.items()}
        report.checks["broker"] = {"ok": True, "detail": store.settings.bootstrap_servers}
        return True

    def _check_database(self, report: Report) -> bool:
        if not self.database_url:
            report.checks["database"] = {"ok": True, "detail": "embedded (SQLite)"}
            return True
        try:
            with psycopg.connect(
                self.database_url, connect_timeout=int(CHECK_TIMEOUT_S), autocommit=True
            ) as conn:
                conn.execute("SET statement_timeout = 2000")
                conn.execute("SELECT 1")
        except psycopg.Error as error:
            report.checks["database"] = {"ok": False, "detail": _short(error)}
            return False
        report.checks["database"] = {"ok": True, "detail": "reachable"}
        return True

    def _check_index(self, report: Report) -> None:
        ends = report.log_ends
        try:
            store: Any = self.kafka_store
            positions = store.writer.positions()
        except Exception as error:
            report.checks["index"] = {"ok": False, "detail": _short(error)}
            return
        lag = {p: max(end - positions.get(p, 0), 0) for p, end in ends.items()}
        report.index_lag = lag
        worst = max(lag.values(), default=0)
        report.checks["index"] = {
            "ok": worst <= self.bounds.index_records,
            "detail": f"{worst} record(s) acknowledged but not indexed at most"
            f" (bound {self.bounds.index_records})",
        }

    def _check_log(self, report: Report) -> None:
        """The log never silently goes backwards (G9): a halted store fails readiness."""
        store: Any = self.kafka_store
        guard = getattr(store, "lineage", None)
        reason = guard.halt_reason() if guard is not None else None
        report.checks["log"] = (
            {"ok": False, "detail": f"{reason} (see `zhulian index check` / `accept-reset`)"}
            if reason
            else {"ok": True, "detail": "the broker holds what the index read"}
        )

    def _check_views(self, report: Report) -> None:
        container: Any = self.container
        try:
            stopped = container.store.stopped()
            now: datetime = container.clock()
            lags = {view.name: container.runner.lag(view, now) for view in container.views}
        except Exception as error:
            report.checks["views"] = {"ok": False, "detail": _short(error)}
            return
        worker = getattr(container, "view_worker", None)
        if worker is not None and not worker.alive():
            report.checks["views"] = {
                "ok": False,
                "detail": "the view worker process is not running (being restarted)",
            }
            return
        if stopped:
            first = stopped[0]
            report.checks["views"] = {
                "ok": False,
                "detail": f"view {first.view} stopped at stream {first.stream} position "
                f"{first.position}: {first.error} (fix, then `zhulian resume --view {first.view}`)",
            }
            return
        slow = {n: lag for n, lag in lags.items() if lag.seconds > self.bounds.view_seconds}
        report.checks["views"] = {
            "ok": not slow,
            "detail": (
                "; ".join(
                    f"{n} {lag.events} event(s), {lag.seconds:.1f}s behind"
                    for n, lag in slow.items()
                )
                + f" (bound {self.bounds.view_seconds:g}s)"
                if slow
                else f"{len(lags)} view(s) within {self.bounds.view_seconds:g}s"
            ),
        }

    def _consumer_for(self, bootstrap: str) -> KafkaConsumer:
        if self._consumer is None:
            timeout_ms = int(CHECK_TIMEOUT_S * 1000)
            self._consumer = KafkaConsumer(
                bootstrap_servers=bootstrap,
                group_id=None,
                enable_auto_commit=False,
                request_timeout_ms=timeout_ms + 1000,
                bootstrap_timeout_ms=timeout_ms,
                reconnect_backoff_max_ms=1000,
            )
        return self._consumer

    def _close_consumer(self) -> None:
        if self._consumer is not None:
            try:
                self._consumer.close()
            except Exception:  # a broken consumer is dropped either way
                log.debug("closing the readiness consumer failed", exc_info=True)
            self._consumer = None

    def close(self) -> None:
        """Release the broker connection."""
        with self._lock:
            self._close_consumer()


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}"[:300]

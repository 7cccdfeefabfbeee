"""Prometheus metrics (prometheus-client): requests, ingest outcomes, Kafka, index and views.

Counters and histograms live in the process's default registry (with prometheus-client's
process and garbage-collector metrics); the view and index gauges are read from the parts at
scrape time, so they are never stale.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from projections.alerts.queries import feed_report
from projections.pairings.queries import overdue_counts
from projections.referral_board.queries import deadline_counts
from services.observability.readiness import Readiness

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

HTTP_REQUESTS = Counter(
    "zhulian_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
HTTP_SECONDS = Histogram(
    "zhulian_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
INGEST = Counter(
    "zhulian_ingest_events_total",
    "Department events taken: stored, duplicate, or refused (by reason)",
    ["outcome", "reason"],
)
KAFKA_PRODUCE_SECONDS = Histogram(
    "zhulian_kafka_produce_seconds",
    "Time from producing records to the broker's acks=all acknowledgement",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
KAFKA_PRODUCE_FAILURES = Counter(
    "zhulian_kafka_produce_failures_total", "Produce calls the broker did not acknowledge"
)


class TimedProducer:
    """Wraps the store's record producer to time every acknowledged send."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def send_all(self, records: Sequence[Any]) -> list[int]:
        """Send through the wrapped producer, observing the time to the acknowledgement."""
        return self.send(records).offsets()

    def send(self, records: Sequence[Any]) -> _TimedAcks:
        """Hand the records over; the returned acks observe the time until they all came."""
        started = time.perf_counter()
        try:
            return _TimedAcks(self._inner.send(records), started)
        except Exception:
            KAFKA_PRODUCE_FAILURES.inc()
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _TimedAcks:
    def __init__(self, inner: Any, started: float) -> None:
        self._inner = inner
        self._started = started

    def offsets(self) -> list[int]:
        try:
            offsets: list[int] = self._inner.offsets()
        except Exception:
            KAFKA_PRODUCE_FAILURES.inc()
            raise
        KAFKA_PRODUCE_SECONDS.observe(time.perf_counter() - self._started)
        return offsets


def time_produce(kafka_store: Any | None) -> None:
    """Time the Kafka store's produce calls (no-op on the embedded profile)."""
    if kafka_store is not None and not isinstance(kafka_store.producer, TimedProducer):
        kafka_store.producer = TimedProducer(kafka_store.producer)


class _LiveGauges(Collector):
    """The index and view gauges, read when scraped."""

    def __init__(self, readiness: Readiness, container: Any | None) -> None:
        self.readiness = readiness
        self.container = container

    def collect(self) -> Iterator[Metric]:
        report = self.readiness.report()
        ready = GaugeMetricFamily("zhulian_ready", "1 when every readiness check passes")
        ready.add_metric([], int(report.ready))
        yield ready
        index = GaugeMetricFamily(
            "zhulian_index_lag_records",
            "Records Kafka acknowledged that the index has not decided yet",
            labels=["partition"],
        )
        for partition, lag in sorted(report.index_lag.items()):
            index.add_metric([str(partition)], lag)
        yield index
        halted = GaugeMetricFamily(
            "zhulian_store_halted", "1 when the event store refuses writes (the log went back)"
        )
        halted.add_metric([], int(not report.checks.get("log", {}).get("ok", True)))
        yield halted
        if self.container is not None and report.checks.get("database", {}).get("ok", False):
            yield from _view_gauges(self.container)
            yield from _deadline_gauges(self.container)


def _view_gauges(container: Any) -> Iterable[Metric]:
    now: datetime = container.clock()
    stops = container.store.stopped()
    stopped = {s.view for s in stops}
    stopped_at = GaugeMetricFamily(
        "zhulian_view_stopped_position",
        "Log position of the event a view stopped at, per stream, with the event's type",
        labels=["view", "stream", "event_type"],
    )
    for s in stops:
        stopped_at.add_metric([s.view, str(s.stream), str(s.event_type)], s.position)
    head = GaugeMetricFamily("zhulian_log_head", "Newest notification id in the event log")
    head.add_metric([], container.runner.head())
    position = GaugeMetricFamily(
        "zhulian_view_position",
        "Last notification id a view applied, per stream",
        labels=["view", "stream"],
    )
    events = GaugeMetricFamily(
        "zhulian_view_lag_events", "Events recorded but not yet applied to a view", labels=["view"]
    )
    seconds = GaugeMetricFamily(
        "zhulian_view_lag_seconds",
        "Age of the oldest event a view has not applied",
        labels=["view"],
    )
    halted = GaugeMetricFamily(
        "zhulian_view_stopped", "1 when a view is stopped at a poison event", labels=["view"]
    )
    silent = GaugeMetricFamily(
        "zhulian_feed_silent",
        "1 when a department list is overdue for its cadence",
        labels=["alliance", "department", "list_name"],
    )
    skipped = GaugeMetricFamily(
        "zhulian_feed_skipped_editions",
        "Editions a department list skipped",
        labels=["alliance", "department", "list_name"],
    )
    for feed in feed_report(container.store, now=now):
        labels = [str(feed[k]) for k in ("alliance", "department", "list_name")]
        silent.add_metric(labels, int(feed["silent"]))
        skipped.add_metric(labels, len(feed["skipped_editions"]))
    for view in container.views:
        for stream, at in sorted(container.store.positions(view).items()):
            position.add_metric([view.name, str(stream)], at)
        lag = container.runner.lag(view, now)
        events.add_metric([view.name], lag.events)
        seconds.add_metric([view.name], round(lag.seconds, 3))
        halted.add_metric([view.name], int(view.name in stopped))
    return [head, position, events, seconds, halted, stopped_at, silent, skipped]


def _deadline_gauges(container: Any) -> Iterable[Metric]:
    """Answers owed past their deadline now, and the breaches the clock recorded, per county."""
    now = container.clock()
    referrals = deadline_counts(container.store, now=now)
    pairings = overdue_counts(container.store, now=now)
    overdue = GaugeMetricFamily(
        "zhulian_overdue", "Answers owed past their deadline now", labels=["alliance", "kind"]
    )
    breaches = GaugeMetricFamily(
        "zhulian_deadline_breaches",
        "Missed deadlines the clock recorded on open referrals",
        labels=["alliance"],
    )
    for alliance, (late, missed) in sorted(referrals.items()):
        overdue.add_metric([alliance, "referral"], late)
        breaches.add_metric([alliance], missed)
    for alliance, late in sorted(pairings.items()):
        overdue.add_metric([alliance, "pairing"], late)
    return [overdue, breaches]


def exposition(readiness: Readiness, container: Any | None) -> bytes:
    """The process's metrics in the Prometheus text format."""
    live = CollectorRegistry(auto_describe=False)
    live.register(_LiveGauges(readiness, container))
    return generate_latest(REGISTRY) + generate_latest(live)

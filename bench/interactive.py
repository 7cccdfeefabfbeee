"""Interactive commands: one aggregate (two events) per command through an eventsourcing
Application, on the Kafka store vs on eventsourcing's PostgreSQL recorder, same server, same run.

Reports single-client commands/s and p50/p99 latency at a paced 100 commands/s.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from kafka import KafkaProducer

from bench.common import kafka_store_env, percentile, postgres_recorder_env
from harness.servers import unique_topic

SINGLE_CLIENT_COMMANDS = 1500
PACED_COMMANDS = 1000
PACED_RATE = 100.0


class Case(Aggregate):
    """A stand-in aggregate: opened, then noted, in one command."""

    @event("Opened")
    def __init__(self, region: str, summary: str) -> None:
        self.region = region
        self.summary = summary
        self.notes: list[str] = []

    @event("Noted")
    def note(self, text: str) -> None:
        self.notes.append(text)


class Cases(Application):
    """One command per call: open a case and note it, saved together."""

    def open_case(self, region: str, **save_kwargs: Any) -> None:
        case = Case(region=region, summary="household reported by grid worker, elderly alone")
        case.note("visit scheduled")
        self.save(case, **save_kwargs)


def _single_client(app: Cases, kwargs: dict[str, Any]) -> float:
    for _ in range(100):
        app.open_case("110101", **kwargs)
    started = time.perf_counter()
    for _ in range(SINGLE_CLIENT_COMMANDS):
        app.open_case("110101", **kwargs)
    return SINGLE_CLIENT_COMMANDS / (time.perf_counter() - started)


def _paced(app: Cases, kwargs: dict[str, Any]) -> tuple[float, float]:
    latencies = []
    interval = 1.0 / PACED_RATE
    next_at = time.perf_counter()
    for _ in range(PACED_COMMANDS):
        now = time.perf_counter()
        if next_at > now:
            time.sleep(next_at - now)
        started = time.perf_counter()
        app.open_case("110101", **kwargs)
        latencies.append(time.perf_counter() - started)
        next_at += interval
    return percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000


def _breakdown(app: Cases, kwargs: dict[str, Any], commands: int = 500) -> dict[str, float]:
    """Where a Kafka-store command's time goes: produce and wait for the ack, the index
    transaction, and everything else (Python: the aggregate, encoding, the recorder)."""
    store = app.recorder.store  # type: ignore[attr-defined]
    spent = {"ack": 0.0, "index": 0.0}
    caller = threading.get_ident()  # the store's own index builder thread calls apply too

    def timed(name: str, call: Any) -> Any:
        def wrapper(*args: Any, **kw: Any) -> Any:
            started = time.perf_counter()
            try:
                return call(*args, **kw)
            finally:
                if threading.get_ident() == caller:
                    spent[name] += time.perf_counter() - started

        return wrapper

    send_all, apply = store.producer.send_all, store.writer.apply
    store.producer.send_all = timed("ack", send_all)
    store.writer.apply = timed("index", apply)
    try:
        started = time.perf_counter()
        for _ in range(commands):
            app.open_case("110101", **kwargs)
        total = time.perf_counter() - started
    finally:
        store.producer.send_all, store.writer.apply = send_all, apply
    ms = {name: seconds * 1000 / commands for name, seconds in spent.items()}
    ms["python"] = total * 1000 / commands - ms["ack"] - ms["index"]
    return ms


def _raw_ack_ms(bootstrap: str, topic: str) -> float:
    """Median time for a bare kafka-python producer to get one record acked (acks=all)."""
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=0
    )
    try:
        value = b"x" * 600
        for _ in range(50):
            producer.send(topic, value, partition=0).get(timeout=10)
        samples = []
        for _ in range(500):
            started = time.perf_counter()
            producer.send(topic, value, partition=0).get(timeout=10)
            samples.append(time.perf_counter() - started)
        return percentile(samples, 50) * 1000
    finally:
        producer.close()


def run(bootstrap: str, database_url: str) -> dict[str, float]:
    """Measure both stores; print and return the numbers."""
    results: dict[str, float] = {}
    for name, env, kwargs in (
        ("postgres", postgres_recorder_env(database_url), {}),
        ("kafka", kafka_store_env(bootstrap, database_url), {"partition_key": "110101"}),
    ):
        app = Cases(env=env)
        try:
            results[f"{name}_cps"] = _single_client(app, kwargs)
            results[f"{name}_p50_ms"], results[f"{name}_p99_ms"] = _paced(app, kwargs)
            if name == "kafka":
                for part, ms in _breakdown(app, kwargs).items():
                    results[f"kafka_{part}_ms"] = ms
        finally:
            app.factory.close()
    results["raw_ack_ms"] = _raw_ack_ms(bootstrap, unique_topic("bench-ack"))
    k, p = results, results
    print("interactive commands (one aggregate, two events, per command)")
    print(
        f"  single client: kafka store {k['kafka_cps']:.0f} commands/s, "
        f"PostgreSQL recorder {p['postgres_cps']:.0f} commands/s "
        f"-> ratio {k['kafka_cps'] / p['postgres_cps']:.2f}"
    )
    print(
        f"  paced {PACED_RATE:.0f}/s: kafka store p50 {k['kafka_p50_ms']:.1f} ms "
        f"p99 {k['kafka_p99_ms']:.1f} ms; PostgreSQL recorder p50 {p['postgres_p50_ms']:.1f} ms "
        f"p99 {p['postgres_p99_ms']:.1f} ms (target p99 <= 50 ms)"
    )
    print(
        f"  floor: a bare kafka-python produce with acks=all takes {k['raw_ack_ms']:.2f} ms "
        f"(median) here, vs {1000 / p['postgres_cps']:.2f} ms for a whole PostgreSQL-recorder "
        "command"
    )
    print(
        f"  where a Kafka-store command's time goes (mean of 500): produce and wait for the ack "
        f"{k['kafka_ack_ms']:.2f} ms, index transaction {k['kafka_index_ms']:.2f} ms, the rest "
        f"(Python) {k['kafka_python_ms']:.2f} ms"
    )
    return results

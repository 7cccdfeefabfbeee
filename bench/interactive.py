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
    """Where a Kafka-store command's time goes, on the writer's own thread: before handing the
    record to the producer (Python: the aggregate, encoding), waiting for the ack, and after the
    ack until the command returns; beside them, the index statement's own time (which runs
    during the ack's wait when staged, after it otherwise)."""
    store = app.recorder.store  # type: ignore[attr-defined]
    spent = {"before": 0.0, "ack": 0.0, "after": 0.0, "index": 0.0}
    caller = threading.get_ident()  # the store's own index builder thread calls apply too
    marks: dict[str, float] = {}

    def timed_index(call: Any) -> Any:
        def wrapper(*args: Any, **kw: Any) -> Any:
            started = time.perf_counter()
            try:
                return call(*args, **kw)
            finally:
                if threading.get_ident() == caller:
                    spent["index"] += time.perf_counter() - started

        return wrapper

    class _MarkedAcks:
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def offsets(self) -> list[int]:
            try:
                return self._inner.offsets()  # type: ignore[no-any-return]
            finally:
                marks["ack"] = time.perf_counter()

    def send(records: Any) -> Any:
        marks["send"] = time.perf_counter()
        return _MarkedAcks(send_real(records))

    send_real = store.producer.send
    apply, stage = store.writer.apply, store.writer.stage_guessed
    store.producer.send = send
    store.writer.apply, store.writer.stage_guessed = timed_index(apply), timed_index(stage)
    try:
        for _ in range(commands):
            started = time.perf_counter()
            app.open_case("110101", **kwargs)
            ended = time.perf_counter()
            spent["before"] += marks["send"] - started
            spent["ack"] += marks["ack"] - marks["send"]
            spent["after"] += ended - marks["ack"]
    finally:
        del store.producer.send
        store.writer.apply, store.writer.stage_guessed = apply, stage
    return {name: seconds * 1000 / commands for name, seconds in spent.items()}


def _raw_ack_ms(bootstrap: str, topic: str) -> tuple[float, float]:
    """Median time for a bare kafka-python producer to get one record acked (acks=all), and
    the CPU this process spent per send meanwhile (the caller and the producer's sender
    thread: the client's own share of the round trip)."""
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=0
    )
    try:
        value = b"x" * 600
        for _ in range(50):
            producer.send(topic, value, partition=0).get(timeout=10)
        samples = []
        cpu_started = time.process_time()
        for _ in range(500):
            started = time.perf_counter()
            producer.send(topic, value, partition=0).get(timeout=10)
            samples.append(time.perf_counter() - started)
        cpu_ms = (time.process_time() - cpu_started) * 1000 / len(samples)
        return percentile(samples, 50) * 1000, cpu_ms
    finally:
        producer.close()


def run(bootstrap: str, database_url: str) -> dict[str, float]:
    """Measure both stores (the Kafka store with and without staging); print and return."""
    results: dict[str, float] = {}
    kafka_kwargs = {"partition_key": "110101"}
    for name, env, kwargs in (
        ("postgres", postgres_recorder_env(database_url), {}),
        ("kafka", kafka_store_env(bootstrap, database_url), kafka_kwargs),
        (
            "serial",
            kafka_store_env(bootstrap, database_url, KAFKA_STAGE_INDEX_DURING_ACK="no"),
            kafka_kwargs,
        ),
    ):
        app = Cases(env=env)
        try:
            results[f"{name}_cps"] = _single_client(app, kwargs)
            results[f"{name}_p50_ms"], results[f"{name}_p99_ms"] = _paced(app, kwargs)
            if name != "postgres":
                for part, ms in _breakdown(app, kwargs).items():
                    results[f"{name}_{part}_ms"] = ms
        finally:
            app.factory.close()
    results["raw_ack_ms"], results["raw_ack_cpu_ms"] = _raw_ack_ms(
        bootstrap, unique_topic("bench-ack")
    )
    r = results
    print("interactive commands (one aggregate, two events, per command)")
    print(
        f"  single client: kafka store {r['kafka_cps']:.0f} commands/s, "
        f"PostgreSQL recorder {r['postgres_cps']:.0f} commands/s "
        f"-> ratio {r['kafka_cps'] / r['postgres_cps']:.2f}; the Kafka store indexing after "
        f"the ack (KAFKA_STAGE_INDEX_DURING_ACK=no) {r['serial_cps']:.0f}/s "
        f"-> ratio {r['serial_cps'] / r['postgres_cps']:.2f}"
    )
    print(
        f"  paced {PACED_RATE:.0f}/s: kafka store p50 {r['kafka_p50_ms']:.1f} ms "
        f"p99 {r['kafka_p99_ms']:.1f} ms (indexing after the ack: p50 {r['serial_p50_ms']:.1f} "
        f"ms, p99 {r['serial_p99_ms']:.1f} ms); PostgreSQL recorder p50 "
        f"{r['postgres_p50_ms']:.1f} ms p99 {r['postgres_p99_ms']:.1f} ms "
        "(target p99 <= 50 ms)"
    )
    print(
        f"  floor: a bare kafka-python produce with acks=all takes {r['raw_ack_ms']:.2f} ms "
        f"(median) here, {r['raw_ack_cpu_ms']:.2f} ms of it the client's own CPU, vs "
        f"{1000 / r['postgres_cps']:.2f} ms for a whole PostgreSQL-recorder command"
    )
    for name, label in (("kafka", "staged during the ack"), ("serial", "after the ack")):
        print(
            f"  a Kafka-store command, index {label} (mean of 500, the writer's thread): "
            f"before the produce {r[name + '_before_ms']:.2f} ms, waiting for the ack "
            f"{r[name + '_ack_ms']:.2f} ms, after the ack {r[name + '_after_ms']:.2f} ms; "
            f"the index statement itself {r[name + '_index_ms']:.2f} ms"
        )
    return results

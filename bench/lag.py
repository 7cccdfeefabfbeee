"""Lag benchmark: views follow a steady stream of 1,000 events/s; how old is an event when applied?

    python -m bench.lag [--rate 1000] [--seconds 30]

A writer thread records real domain events at a steady rate into eventsourcing's PostgreSQL
recorder; the projection runner keeps the three casework views in PostgreSQL current. A probe
view, last in the runner's list, notes each event's recording time; after each committed batch
the age of those events is sampled. The baseline is the same run's writer cadence (100 ms ticks).
"""

from __future__ import annotations

import argparse
import random
import resource
import threading
import time
from datetime import UTC, datetime
from typing import Any

from eventsourcing.domain import Aggregate

from bench.casework_log import EVENTS_PER_HOUSEHOLD, household_events
from bench.common import percentile, postgres_recorder_env
from domain.alliance import Alliance
from harness.postgres import fresh_database
from harness.servers import postgres_server
from projections.runtime.postgres_store import PostgresViewStore
from projections.runtime.runner import Runner
from projections.runtime.view import Handler, Tx, View
from services.container import all_views

TICK_S = 0.1


class LagProbe(View):
    """A view without tables that remembers when each event it saw was recorded."""

    name = "lag_probe"
    tables = ()

    def __init__(self) -> None:
        self.seen: list[datetime] = []

    def handlers(self) -> dict[type, Handler]:
        """Every event class of every aggregate."""
        classes = {c for c in _subclasses(Aggregate.Event) if "domain." in c.__module__}
        return dict.fromkeys(classes, self._note)

    def _note(self, event: Any, tx: Tx, position: int) -> None:
        self.seen.append(event.timestamp)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def _write(app: Alliance, rate: int, seconds: float, stop: threading.Event) -> int:
    rng = random.Random(3)
    households_per_tick = max(1, round(rate * TICK_S / EVENTS_PER_HOUSEHOLD))
    n = written = 0
    next_tick = time.monotonic()
    deadline = next_tick + seconds
    while time.monotonic() < deadline and not stop.is_set():
        stored = []
        for _ in range(households_per_tick):
            stored += [app.mapper.to_stored_event(e) for e in household_events(n, rng)]
            n += 1
        app.recorder.insert_events(stored)
        written += len(stored)
        next_tick += TICK_S
        time.sleep(max(0.0, next_tick - time.monotonic()))
    return written


def run(database_url: str, rate: int, seconds: float) -> None:
    """Write steadily, follow with the runner, print lag percentiles and memory."""
    app = Alliance(env=postgres_recorder_env(database_url))
    store = PostgresViewStore(fresh_database(database_url, "lag"))
    probe = LagProbe()
    runner = Runner(app.recorder, app.mapper, store, [*all_views()[:3], probe], batch_size=2000)
    samples: list[float] = []

    def sample(view: str, fetched: int, fraction: float) -> None:
        if view == probe.name:
            now = datetime.now(UTC)
            samples.extend((now - t).total_seconds() for t in probe.seen)
            probe.seen.clear()

    stop = threading.Event()
    writer_result: list[int] = []
    writer = threading.Thread(
        target=lambda: writer_result.append(_write(app, rate, seconds, stop)), daemon=True
    )
    writer.start()
    while writer.is_alive():
        runner.catch_up(progress=sample)
        time.sleep(0.02)
    runner.catch_up(progress=sample)
    written = writer_result[0] if writer_result else 0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"written {written:,} events in {seconds:.0f}s ({written / seconds:,.0f}/s);"
        f" applied {len(samples):,} to needs_list, referral_board, household_file"
    )
    print(
        f"lag p50 {percentile(samples, 50) * 1000:.0f} ms, p99 {percentile(samples, 99) * 1000:.0f}"
        f" ms, max {max(samples) * 1000:.0f} ms (target p99 < 1000 ms; the writer's own tick is"
        f" {TICK_S * 1000:.0f} ms); peak RSS {rss:.0f} MB"
    )
    store.close()


def main() -> None:
    """Start PostgreSQL (or use DATABASE_URL) and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    with postgres_server() as database:
        run(database.url, args.rate, args.seconds)


if __name__ == "__main__":
    main()

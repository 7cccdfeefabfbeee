"""Rebuild benchmark: replay a real-event log into PostgreSQL views, against row-at-a-time.

    python -m bench.rebuild [--events 1000000] [--baseline-events 100000]

The log sits in eventsourcing's PostgreSQL recorder (as the Kafka store's index would);
the views are rebuilt into PostgreSQL with the production runner (per-batch unit of work,
bulk writes) and, in the same run, with a row-at-a-time writer over a prefix of the log.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from typing import Any

from eventsourcing.persistence import InfrastructureFactory

from bench.casework_log import stored_log
from bench.common import postgres_recorder_env
from domain.alliance import Alliance
from harness.postgres import fresh_database
from harness.servers import postgres_server
from projections.household_file.view import HouseholdFile
from projections.needs_list.view import NeedsList
from projections.referral_board.view import ReferralBoard
from projections.runtime import store as store_module
from projections.runtime.postgres_store import PostgresViewStore
from projections.runtime.runner import Runner
from projections.runtime.sql import SqlTx
from projections.runtime.view import View

VIEWS: list[type[View]] = [NeedsList, ReferralBoard, HouseholdFile]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fill_log(env: dict[str, str], events: int) -> Any:
    app = Alliance(env=env)
    started = time.perf_counter()
    written = 0
    for chunk in stored_log(app.mapper, events, chunk=500):
        app.recorder.insert_events(chunk)
        written += len(chunk)
    print(f"log: {written:,} events written in {time.perf_counter() - started:.0f}s")
    return app


def _rebuild(app: Any, url: str, view: View, limit: int | None, batch: int) -> tuple[int, float]:
    store = PostgresViewStore(url)
    try:
        recorder = app.recorder
        if limit is not None:
            recorder = _Prefix(app.recorder, limit)
        runner = Runner(recorder, app.mapper, store, [view], batch_size=batch)
        store.reset(view)
        started = time.perf_counter()
        runner.catch_up()
        elapsed = time.perf_counter() - started
        return sum(store.positions(view).values()), elapsed
    finally:
        store.close()


class _Prefix:
    """The first `limit` notifications of a recorder (for the slower baseline)."""

    def __init__(self, recorder: Any, limit: int) -> None:
        self.recorder, self.limit = recorder, limit

    def max_notification_id(self) -> int:
        return min(self.recorder.max_notification_id() or 0, self.limit)

    def select_notifications(self, start: Any, limit: int, stop: Any = None, **kw: Any) -> Any:
        stop = self.limit if stop is None else min(stop, self.limit)
        return self.recorder.select_notifications(start, limit, stop=stop, **kw)


def run(database_url: str, events: int, baseline_events: int) -> dict[str, Any]:
    """Fill a log, rebuild each view both ways, print events/s and the ratio."""
    env = postgres_recorder_env(database_url)
    app = _fill_log(env, events)
    total = app.recorder.max_notification_id()
    results: dict[str, Any] = {"events": total}
    for view_class in VIEWS:
        url = fresh_database(database_url, "rebuild")
        _, fast = _rebuild(app, url, view_class(), None, 5000)
        fast_rate = total / fast
        original = store_module.BufferedTx
        store_module.BufferedTx = SqlTx  # type: ignore[misc]  # row-at-a-time baseline
        try:
            _, slow = _rebuild(app, url, view_class(), baseline_events, 500)
        finally:
            store_module.BufferedTx = original  # type: ignore[misc]
        slow_rate = baseline_events / slow
        name = view_class.name
        results[name] = (fast_rate, slow_rate)
        print(
            f"{name:<16} rebuild {fast_rate:>9,.0f} events/s   row-at-a-time baseline"
            f" {slow_rate:>8,.0f} events/s   ratio {fast_rate / slow_rate:4.1f}x"
        )
    InfrastructureFactory  # noqa: B018  (kept import for clarity of the log's source)
    print(f"peak resident memory of this process: {_rss_mb():.0f} MB (pid {os.getpid()})")
    return results


def main() -> None:
    """Start PostgreSQL (or use DATABASE_URL) and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--baseline-events", type=int, default=100_000)
    args = parser.parse_args()
    with postgres_server() as database:
        run(database.url, args.events, args.baseline_events)


if __name__ == "__main__":
    main()

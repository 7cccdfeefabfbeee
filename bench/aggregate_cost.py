"""Flat aggregate cost: a donation to a fund with 100,000 events against one to a fresh fund.

`python -m bench.aggregate_cost [--events 100000] [--store sqlite|kafka]`. Same run, same store:
donations to fresh funds (1 event each) and to one fund grown to `--events` events, warm (the
process has loaded it before) and cold (a new application: snapshot plus at most one interval
of events); baseline: the same big fund without snapshots or cache (a replay per command).
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID, uuid4

from domain.alliance import Alliance
from domain.funds.application import DonorKind
from domain.funds.model import Fund
from domain.ingest.model import EventKey

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
_ids = count(1)


class Uncached(Alliance):
    """The baseline: no snapshots, no cache: every command replays the fund's whole history."""

    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {}
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": ""}


def _key() -> EventKey:
    n = next(_ids)
    return EventKey("/330106/bench", f"donation-{n}", "fund.donation_received", f"d{n}")


def donate(app: Alliance, fund_id: UUID) -> float:
    """Milliseconds one donation command takes, receipt and commit included."""
    started = time.perf_counter()
    app.receive_donation(
        fund_id=fund_id,
        donor="bench",
        donor_kind=DonorKind.INDIVIDUAL,
        amount_fen=100,
        earmark=None,
        by="bench",
        at=AT,
        key=_key(),
    )
    return (time.perf_counter() - started) * 1000


def open_fund(app: Alliance) -> UUID:
    """A fresh fund (one event)."""
    outcome = app.open_fund(
        name=f"fund {next(_ids)}",
        region_code="330106",
        managed_by="bench",
        description="",
        at=AT,
        key=_key(),
    )
    return outcome.aggregate_id


def grow(app: Alliance, fund_id: UUID, events: int, chunk: int = 1000) -> None:
    """Give the fund `events` donations, `chunk` per commit (snapshots taken as they fall)."""
    fund = app.repository.get(fund_id)
    assert isinstance(fund, Fund)
    while fund.version < events:
        for _ in range(min(chunk, events - fund.version)):
            fund.receive(
                donation_id=uuid4(),
                donor="seed",
                donor_kind="individual",
                amount_fen=1,
                earmark=None,
                by="bench",
                at=AT,
            )
        app.save(fund, partition_key="330106")


def median(samples: list[float]) -> float:
    """The middle sample."""
    return sorted(samples)[len(samples) // 2]


@contextmanager
def sqlite_env() -> Iterator[Callable[[], dict[str, str]]]:
    """A fresh SQLite event store (the embedded profile's)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.db"
        yield lambda: {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}


@contextmanager
def kafka_env() -> Iterator[Callable[[], dict[str, str]]]:
    """A fresh topic and index on a tansu broker and PostgreSQL started here."""
    from bench.common import kafka_store_env
    from harness.servers import kafka_broker, postgres_server

    with kafka_broker() as broker, postgres_server() as database:
        env = kafka_store_env(broker.bootstrap_servers, database.url)
        yield lambda: dict(env)


def run(events: int, store: str, samples: int = 200) -> None:
    """Print per-command medians: fresh fund, big fund warm, big fund cold, baseline."""
    with sqlite_env() if store == "sqlite" else kafka_env() as env:
        app = Alliance(env=env())
        big = open_fund(app)
        started = time.perf_counter()
        grow(app, big, events)
        print(f"grew a fund to {events:,} events in {time.perf_counter() - started:.1f}s")
        fresh_funds = [open_fund(app) for _ in range(samples)]
        donate(app, big)  # warm the cache
        fresh, warm = [], []
        for fund_id in fresh_funds:  # interleaved, so load on the machine hits both alike
            fresh.append(donate(app, fund_id))
            warm.append(donate(app, big))
        cold = []
        for _ in range(3):
            other = Alliance(env=env())
            cold.append(donate(other, big))
            other.close()
        baseline_app = Uncached(env=env())
        baseline = [donate(baseline_app, big) for _ in range(3)]
        baseline_app.close()
        app.close()
    ratio = median(warm) / median(fresh)
    print(f"store: {store}; fund of {events:,} events; medians of {samples} commands")
    print(f"  fresh fund (1 event):           {median(fresh):7.2f} ms")
    print(f"  big fund, warm (cache+snapshot): {median(warm):7.2f} ms   ratio {ratio:.2f}")
    print(f"  big fund, cold (new process):    {median(cold):7.2f} ms")
    print(f"  baseline, replay every command:  {median(baseline):7.2f} ms")


def main() -> None:
    """Parse arguments and run."""
    logging.basicConfig(level=logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--store", choices=["sqlite", "kafka"], default="sqlite")
    args = parser.parse_args()
    run(args.events, args.store)


if __name__ == "__main__":
    main()

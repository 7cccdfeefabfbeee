"""What keeping the access log costs a read of a household file.

`python -m bench.access_log` (starts its own PostgreSQL unless DATABASE_URL names one).

1. The embedded API in-process: `GET /v1/households/{id}` n times with the access log, and n
   times with the log swapped for one that keeps nothing (the same-run baseline); p50/p95 each.
2. One row written and committed, on the SQLite file (synchronous=FULL) and on PostgreSQL
   over loopback, n times each.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bench.common import percentile
from harness.households import SECRET
from harness.postgres import drop_database, fresh_database
from harness.servers import postgres_server
from services.access_log.store import Access, PostgresAccessLog, SQLiteAccessLog
from services.api.app import create_app
from services.settings import Settings

N = 500
CE = {"content-type": "application/cloudevents+json"}


class KeepsNothing:
    """The baseline: a log that takes every row and keeps none."""

    def record(self, access: Access) -> None:
        """Nothing."""

    def close(self) -> None:
        """Nothing."""


def _timed(call: Any, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _line(name: str, samples: list[float]) -> str:
    return (
        f"{name:<34} p50 {percentile(samples, 50):6.2f} ms  p95 {percentile(samples, 95):6.2f} ms"
    )


def reads(n: int) -> None:
    """The API's file read with and without the access log."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), demo=False, household_secret=SECRET)
        with TestClient(create_app(settings)) as client:
            event = {
                "specversion": "1.0",
                "id": "bench-1",
                "source": "/330106/bench",
                "type": "cn.zhulian.household.discovered.v2",
                "data": {
                    "household": {"registration_number": "330106198001010011"},
                    "region_code": "330106002051",
                    "channel": "grid_worker",
                    "actor": "bench",
                },
            }
            hid = client.post("/v1/events", json=event, headers=CE).json()["record_id"]
            while client.get(f"/v1/households/{hid}").status_code != 200:
                time.sleep(0.05)
            container = client.app.state.container  # type: ignore[attr-defined]
            kept, real = [], container.access_log
            for _ in range(5):  # interleaved rounds: drift on a shared machine hits both
                container.access_log = KeepsNothing()
                base = _timed(lambda: client.get(f"/v1/households/{hid}"), n // 5)
                container.access_log = real
                kept.append((base, _timed(lambda: client.get(f"/v1/households/{hid}"), n // 5)))
            baseline = [s for b, _ in kept for s in b]
            logged = [s for _, w in kept for s in w]
            print(_line("GET file, no access log (baseline)", baseline))
            print(_line("GET file, access log kept", logged))
            print(
                f"{'cost of keeping the row':<34} p50 "
                f"{percentile(logged, 50) - percentile(baseline, 50):+6.2f} ms"
                f"  ({percentile(logged, 50) / percentile(baseline, 50):.2f}x)"
            )


def rows(database_url: str, n: int) -> None:
    """One row committed on each store."""
    access = Access(datetime.now(UTC), "wang", "coordinator", "h1", None, None, "GET x", "/x", None)
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = SQLiteAccessLog(str(Path(tmp) / "a.db"))
        print(_line("row on SQLite (synchronous=FULL)", _timed(lambda: sqlite.record(access), n)))
        sqlite.close()
    url = fresh_database(database_url, "bench")
    try:
        postgres = PostgresAccessLog(url)
        print(_line("row on PostgreSQL (loopback)", _timed(lambda: postgres.record(access), n)))
        postgres.close()
    finally:
        drop_database(database_url, url)


def main() -> None:
    """Run both measurements."""
    logging.basicConfig(level=logging.CRITICAL)
    reads(N)
    given = os.environ.get("DATABASE_URL")
    if given:
        rows(given, N)
        return
    with postgres_server() as database:
        rows(database.url, N)


if __name__ == "__main__":
    main()

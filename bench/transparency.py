"""Transparency log: tree maintenance against batch ingest, and verifying a million events.

    python -m bench.transparency                  # both parts (starts tansu and PostgreSQL)
    python -m bench.transparency --verify-events 1000000

1. Maintenance (production profile): 100,000 events (50,000 commits of two, the batch
   benchmark's workload) through the Kafka store's batch path, acknowledged and indexed, in a
   writer process without the tree and in one keeping it (the thread following the index; the
   time runs until the tree holds every event), alternating
   over several rounds on fresh topics; the cost is the throughput lost (target <= 10 %). On
   the embedded profile: the tree following a SQLite log vs eventsourcing's SQLite recorder
   inserting the same events.
2. Verification (embedded profile): a SQLite log of N events and its tree; `verify_store`
   re-reads every stored event in parallel pieces, hashes it, compares it with the tree and
   recomputes the root of the signed head (target >= 100,000 events/s); baselines in the same
   run: one sequential pass (`verify_log`) and a bare read.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

from bench.common import ROOT, kafka_store_env
from bench.workload import department_batches
from harness.servers import kafka_broker, postgres_server
from services.container import Container
from services.settings import Settings
from services.transparency.db import SQLiteDb
from services.transparency.log import TransparencyLog
from services.transparency.parallel import workers
from services.transparency.signing import HeadSigner
from services.transparency.sources import SQLiteLogSource
from services.transparency.verify import verify_log, verify_store

COMMITS = 50_000
PER_BATCH = 5_000


def _signer() -> HeadSigner:
    return HeadSigner(Ed25519PrivateKey.generate())


def _write(bootstrap: str, database_url: str, mode: str) -> dict[str, float]:
    env = kafka_store_env(bootstrap, database_url)
    writer = subprocess.run(
        [sys.executable, "-m", "bench.transparency_writer", str(COMMITS), str(PER_BATCH), mode],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    result: dict[str, float] = orjson.loads(writer.stdout.strip().splitlines()[-1])
    return result


def maintenance_production(bootstrap: str, database_url: str, rounds: int) -> dict[str, float]:
    """Batch ingest of 100,000 events with and without the tree, alternating, same run."""
    plain: list[float] = []
    tree: list[float] = []
    hook: list[float] = []
    for _ in range(rounds):
        plain.append(_write(bootstrap, database_url, "plain")["seconds"])
        with_tree = _write(bootstrap, database_url, "tree")
        assert with_tree["tree_size"] == with_tree["events"], with_tree  # every event, in time
        tree.append(with_tree["seconds"])
        hook.append(with_tree["hook_seconds"])
    events = 2 * COMMITS
    plain_eps, tree_eps = events * rounds / sum(plain), events * rounds / sum(tree)
    cost = 1 - tree_eps / plain_eps
    print("tree maintenance vs batch ingest, production profile (tansu + PostgreSQL)")
    print(
        f"  batch ingest without the tree: {plain_eps:,.0f} events/s "
        f"({rounds} rounds of {events:,} events: {', '.join(f'{s:.2f}' for s in plain)} s)"
    )
    print(
        f"  batch ingest keeping the tree: {tree_eps:,.0f} events/s "
        f"({', '.join(f'{s:.2f}' for s in tree)} s) -> cost {cost:.1%} of the throughput "
        "(target <= 10 %)"
    )
    share = sum(hook) / sum(tree)
    print(
        f"  time in the tree's follower thread: {sum(hook):.2f} s of {sum(tree):.2f} s = "
        f"{share:.1%} of the ingest time (overlapping it; measured in the writer, same runs)"
    )
    return {
        "plain_events_per_s": plain_eps,
        "tree_events_per_s": tree_eps,
        "cost": cost,
        "hook_share": share,
    }


def _sqlite_log(path: Path, events: int) -> SQLiteApplicationRecorder:
    recorder = SQLiteApplicationRecorder(SQLiteDatastore(str(path)))
    recorder.create_table()
    for batch in department_batches(events // 2, 5_000, seed=2):
        recorder.insert_events([e for request in batch for e in request.events])
    return recorder


def maintenance_embedded(households: int = 5_000) -> dict[str, float]:
    """The embedded batch ingest (CloudEvents through the Ingestor), then the tree over it."""
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(
            data_dir=Path(scratch), demo=False, run_projections=False, tree_head_interval=0
        )
        container = Container(settings)
        try:
            batch = [_discovery(n) for n in range(households)]
            started = time.perf_counter()
            results = container.ingestor.submit_batch(batch)
            ingest_s = time.perf_counter() - started
            assert all(r.status == 201 for r in results)
            started = time.perf_counter()
            (events,) = container.transparency.advance().values()
            tree_s = time.perf_counter() - started
        finally:
            container.close()
    share = tree_s / ingest_s
    print("tree maintenance vs batch ingest, embedded profile (SQLite)")
    print(
        f"  batch ingest: {households:,} CloudEvents -> {events:,} events in {ingest_s:.2f} s "
        f"= {events / ingest_s:,.0f} events/s"
    )
    print(
        f"  tree: {events:,} leaves appended in {tree_s:.2f} s = {events / tree_s:,.0f} events/s"
        f" -> {share:.1%} of the ingest time (target <= 10 %)"
    )
    return {"ingest_s": ingest_s, "tree_s": tree_s, "share": share}


def _discovery(n: int) -> dict[str, object]:
    return {
        "specversion": "1.0",
        "id": f"bench-{n}",
        "source": "/330106/bench",
        "type": "cn.zhulian.household.discovered.v1",
        "data": {
            "household": {"registration_number": f"BENCH{n:012d}"},
            "region_code": "330106002051",
            "channel": "grid_worker",
            "reported_by": "grid-worker-wang",
            "members": [{"relation": "head", "birth_year": 1970}],
        },
    }


def _sqlite_log_recorder(path: Path) -> SQLiteApplicationRecorder:
    return SQLiteApplicationRecorder(SQLiteDatastore(str(path)))


def verification(events: int, repeats: int = 3) -> dict[str, float]:
    """Verify a SQLite log of `events` events against its signed head: in parallel pieces (what
    `zhulian verify` does), in one sequential pass, and only reading, alternating."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "events.db"
        recorder = _sqlite_log(path, events)
        source = SQLiteLogSource(str(path))
        tlog = TransparencyLog(
            recorder, SQLiteDb(str(Path(scratch) / "t.db")), _signer(), 20_000, source=source
        )
        started = time.perf_counter()
        tlog.publish()
        build_s = time.perf_counter() - started
        times, sequential, reads = [], [], []
        for _ in range(repeats):
            started = time.perf_counter()
            (report,) = verify_store(tlog)
            times.append(time.perf_counter() - started)
            assert report.ok and report.events == events and report.heads_checked == 1, report
            started = time.perf_counter()
            report = verify_log(tlog, 0, source.events(1, 2**63 - 1), "index")
            sequential.append(time.perf_counter() - started)
            assert report.ok and report.events == events, report
            started = time.perf_counter()
            for _ in source.events(1, 2**63 - 1):
                pass
            reads.append(time.perf_counter() - started)
    verify_s, seq_s, read_s = (sorted(t)[len(t) // 2] for t in (times, sequential, reads))
    rate = events / verify_s
    print(f"verification of {events:,} events (embedded SQLite log), median of {repeats}")
    print(f"  tree built and head signed in {build_s:.2f} s ({events / build_s:,.0f} events/s)")
    print(
        f"  verified in {verify_s:.2f} s = {rate:,.0f} events/s with {workers()} processes "
        f"(target >= 100,000; runs: {', '.join(f'{events / t:,.0f}' for t in times)}): every "
        "record re-read, hashed, compared with the tree, root equal to the signed head"
    )
    print(
        f"  baseline, same run: one sequential pass {seq_s:.2f} s = {events / seq_s:,.0f} "
        f"events/s (runs: {', '.join(f'{events / t:,.0f}' for t in sequential)}); only reading "
        f"the records {read_s:.2f} s = {events / read_s:,.0f} events/s"
    )
    return {"verify_s": verify_s, "events_per_s": rate, "sequential_s": seq_s}


def main() -> None:
    """Run the parts asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verify-events", type=int, default=1_000_000)
    parser.add_argument("--skip-production", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.skip_production:
        with kafka_broker() as broker, postgres_server() as database:
            maintenance_production(broker.bootstrap_servers, database.url, args.rounds)
    maintenance_embedded()
    verification(args.verify_events)


if __name__ == "__main__":
    main()

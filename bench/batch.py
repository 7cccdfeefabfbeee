"""Batch ingest: 100,000 events (50,000 commits of two events) acknowledged and indexed.

Baseline, same run: raw kafka-python produce (acks=all, idempotent) of the very same record bytes
the store produced, without any index. Also reports the peak RSS of the writer process and of a
standalone index builder (services.workers.indexer) indexing the same log into its own schema.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from uuid import uuid4

import orjson
import psycopg
from kafka import KafkaProducer

from bench.common import ROOT, kafka_store_env, peak_rss_mb
from bench.workload import department_batches
from harness.postgres import fresh_schema
from services.store.kafka.codec import encode_record
from services.store.kafka.commits import Commit
from services.store.kafka.schema import IndexSql
from services.store.kafka.store import pack_commits

COMMITS = 50_000
PER_BATCH = 5_000


def _raw_produce_seconds(bootstrap: str, topic: str) -> tuple[float, int, int]:
    """Seconds to produce the same packed records with a bare producer; records and bytes."""
    values = []
    for batch in department_batches(COMMITS, PER_BATCH, seed=1):
        commits = [(Commit(uuid4(), r.events), r.partition_key) for r in batch]
        values += [encode_record(cs) for _, _, cs in pack_commits(commits, 1, 1_048_576)]
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=0
    )
    try:
        producer.send(topic, b"warm-up").get(timeout=10)
        started = time.perf_counter()
        futures = [producer.send(topic, v, partition=0) for v in values]
        for f in futures:
            f.get(timeout=60)
        return time.perf_counter() - started, len(values), sum(map(len, values))
    finally:
        producer.close()


def _start_indexer(env: dict[str, str]) -> subprocess.Popen[str]:
    worker = subprocess.Popen(
        [sys.executable, "-m", "services.workers.indexer"],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stderr is not None
    for line in worker.stderr:
        if "indexing" in line:
            return worker
    raise RuntimeError(f"indexer exited with {worker.wait()}")


def _wait_indexed(env: dict[str, str], topic: str, target_events: int, timeout_s: float) -> float:
    """Wait until the schema holds target_events events; return when that happened."""
    q = IndexSql(env["KAFKA_INDEX_SCHEMA"], "uuid")
    deadline = time.monotonic() + timeout_s
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        while time.monotonic() < deadline:
            try:
                (count,) = conn.execute(
                    psycopg.sql.SQL("SELECT count(*) FROM {}").format(q.events)
                ).fetchone() or (0,)
            except psycopg.errors.UndefinedTable:
                count = 0
            if count >= target_events:
                return time.perf_counter()
            time.sleep(0.2)
    raise TimeoutError(f"indexer did not index {target_events} events of {topic} in time")


def run(bootstrap: str, database_url: str) -> dict[str, float]:
    """Measure the batch path, its raw-produce baseline and memory; print and return them."""
    env = kafka_store_env(bootstrap, database_url)
    follower_env = {**env, "KAFKA_INDEX_SCHEMA": fresh_schema(database_url, "benchix")}
    indexer = _start_indexer(follower_env)
    try:
        started = time.perf_counter()
        writer = subprocess.run(
            [sys.executable, "-m", "bench.batch_writer", str(COMMITS), str(PER_BATCH)],
            cwd=ROOT,
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        result = orjson.loads(writer.stdout.strip().splitlines()[-1])
        indexed_at = _wait_indexed(follower_env, env["KAFKA_EVENTS_TOPIC"], result["events"], 600)
        indexer_rss = peak_rss_mb(indexer.pid)
    finally:
        indexer.terminate()
        indexer.wait(timeout=10)
    raw_seconds, records, size = _raw_produce_seconds(bootstrap, env["KAFKA_EVENTS_TOPIC"] + ".raw")
    raw_eps = result["events"] / raw_seconds
    follower_eps = result["events"] / (indexed_at - started)
    print("batch ingest (50,000 commits x 2 events, department batches of 5,000 commits)")
    print(
        f"  store: {result['events']:,} events acknowledged and indexed in "
        f"{result['seconds']:.2f} s = {result['events_per_s']:,.0f} events/s "
        f"(target >= 20,000); conflicts {result['conflicts']}"
    )
    print(
        f"  baseline raw kafka-python produce of the same {records} records ({size / 1e6:.1f} MB): "
        f"{raw_seconds:.2f} s = {raw_eps:,.0f} events/s "
        f"-> ratio {result['events_per_s'] / raw_eps:.2f}"
    )
    print(
        f"  standalone index builder following along: all indexed {indexed_at - started:.2f} s "
        f"after the writer started ({follower_eps:,.0f} events/s, includes writer start-up)"
    )
    print(
        f"  peak RSS: writer process {result['peak_rss_mb']:.0f} MB, "
        f"index builder {indexer_rss:.0f} MB (target < 500 MB)"
    )
    return {
        "events_per_s": result["events_per_s"],
        "raw_events_per_s": raw_eps,
        "writer_rss_mb": result["peak_rss_mb"],
        "indexer_rss_mb": indexer_rss,
    }

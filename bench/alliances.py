"""Many alliances on one box: the per-event costs the capacity plan (deploy/README.md) uses.

    python -m bench.alliances [--alliances 200] [--households 40] [--partitions 16]

Real domain events (bench.casework_log: ten per household, the casework loop) of `alliances`
county-level alliances, interleaved as a national stream would be, are written through the Kafka
store's batch path (commits of up to two events, keyed by the county code) onto a topic of
`partitions` partitions; then every view (all seven) is built into PostgreSQL by the production
runner. Reported: write and view events/s, bytes per event in Kafka and in PostgreSQL (index and
views apart), and how evenly the alliances fall on the partitions. Baseline, same run: the same
number of events as ONE alliance on a one-partition topic. (The events' own village codes stay
those of the generator; only the partition key names the alliance, which is what the store and
the partitioning see.)
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from typing import Any

import psycopg
from kafka import KafkaConsumer, TopicPartition

from bench.casework_log import household_events
from bench.common import kafka_store_env
from domain.alliance import Alliance
from harness.postgres import fresh_database
from harness.servers import kafka_broker, postgres_server
from projections.runtime.postgres_store import PostgresViewStore
from projections.runtime.runner import Runner
from services.container import all_views
from services.store.kafka.commits import CommitRequest

COMMIT_EVENTS = 2
BATCH_COMMITS = 2000


def counties(n: int) -> list[str]:
    """n distinct six-digit county codes (province, prefecture, county digits)."""
    return [f"{11 + i // 400:02d}{1 + (i // 20) % 20:02d}{1 + i % 20:02d}" for i in range(n)]


def commits(app: Alliance, keys: list[str], households: int) -> list[CommitRequest]:
    """Each household's story cut into commits of two events, households round-robin by key."""
    rng = random.Random(11)
    out: list[CommitRequest] = []
    for round_ in range(households):
        for k, key in enumerate(keys):
            number = round_ * len(keys) + k  # every household its own identity
            stored = [app.mapper.to_stored_event(e) for e in household_events(number, rng)]
            for i in range(0, len(stored), COMMIT_EVENTS):
                out.append(CommitRequest(stored[i : i + COMMIT_EVENTS], key))
    return out


def schema_bytes(url: str, schema: str) -> int:
    """Total size of a schema's tables, indexes and TOAST."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relkind IN ('r', 'm')",
            (schema,),
        ).fetchone()
    return int(row[0]) if row else 0


def log_bytes(bootstrap: str, topic: str, partitions: int) -> tuple[int, Counter[int]]:
    """Bytes of record values in the topic and records per partition."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    tps = [TopicPartition(topic, p) for p in range(partitions)]
    consumer.assign(tps)
    consumer.seek_to_beginning(*tps)
    ends = consumer.end_offsets(tps)
    size, per = 0, Counter[int]()
    while any(consumer.position(tp) < ends[tp] for tp in tps):
        for tp, records in consumer.poll(timeout_ms=500).items():
            per[tp.partition] += len(records)
            size += sum(len(r.value) for r in records)
    consumer.close()
    return size, per


def measure(
    bootstrap: str, server_url: str, keys: list[str], households: int, parts: int
) -> dict[str, Any]:
    """Write, index and project one workload; its rates and sizes."""
    url = fresh_database(server_url, "alliances")
    env = kafka_store_env(bootstrap, url, KAFKA_EVENTS_PARTITIONS=str(parts))
    app = Alliance(env=env)
    try:
        work = commits(app, keys, households)
        events = sum(len(c.events) for c in work)
        started = time.perf_counter()
        for i in range(0, len(work), BATCH_COMMITS):
            outcomes = app.recorder.insert_commits(work[i : i + BATCH_COMMITS])  # type: ignore[attr-defined]
            assert all(o.notification_ids is not None for o in outcomes), "conflict in a fresh log"
        write_s = time.perf_counter() - started
        store = PostgresViewStore(url, schema="views")
        try:
            runner = Runner(app.recorder, app.mapper, store, all_views(), batch_size=2000)
            started = time.perf_counter()
            runner.catch_up()
            views_s = time.perf_counter() - started
        finally:
            store.close()
        size, per = log_bytes(bootstrap, env["KAFKA_EVENTS_TOPIC"], parts)
        return {
            "events": events,
            "write_eps": events / write_s,
            "views_eps": events / views_s,
            "kafka_bytes": size / events,
            "index_bytes": schema_bytes(url, env["KAFKA_INDEX_SCHEMA"]) / events,
            "views_bytes": schema_bytes(url, "views") / events,
            "records_per_partition": per,
        }
    finally:
        app.close()


def main() -> None:
    """Start tansu and PostgreSQL (or use the named ones), measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alliances", type=int, default=200)
    parser.add_argument("--households", type=int, default=40, help="per alliance")
    parser.add_argument("--partitions", type=int, default=16)
    args = parser.parse_args()
    keys = counties(args.alliances)
    with kafka_broker() as broker, postgres_server() as database:
        bootstrap = broker.bootstrap_servers
        many = measure(bootstrap, database.url, keys, args.households, args.partitions)
        one = measure(bootstrap, database.url, keys[:1], args.households * args.alliances, 1)
    spread = many["records_per_partition"]
    mean = sum(spread.values()) / args.partitions
    print(
        f"{args.alliances} alliances x {args.households} households on"
        f" {args.partitions} partitions: {many['events']:,} events"
    )
    for label, r in (("many alliances", many), ("baseline, one alliance, one partition", one)):
        print(
            f"  {label}: write {r['write_eps']:,.0f} events/s, all 7 views {r['views_eps']:,.0f}"
            f" events/s; bytes/event: Kafka {r['kafka_bytes']:.0f}, PostgreSQL index"
            f" {r['index_bytes']:.0f}, views {r['views_bytes']:.0f}"
        )
    print(
        f"  ratio many/one: write {many['write_eps'] / one['write_eps']:.2f},"
        f" views {many['views_eps'] / one['views_eps']:.2f}"
    )
    print(
        f"  records per partition: max {max(spread.values())}, mean {mean:.0f},"
        f" empty partitions {args.partitions - len(spread)}"
    )


if __name__ == "__main__":
    main()

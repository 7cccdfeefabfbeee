"""Index builders: several at once build the index one would; batches judge each commit."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from uuid import uuid4

import psycopg
from eventsourcing.persistence import StoredEvent
from psycopg import sql

from services.store.kafka.codec import encode_record
from services.store.kafka.commits import Commit, CommitRequest
from services.store.kafka.index import IndexWriter, LogRecord
from services.store.kafka.indexer import IndexBuilder
from services.store.kafka.producer import OutgoingRecord, RecordProducer
from services.store.kafka.progress import IndexProgress
from services.store.kafka.rebuild import index_checksum
from services.store.kafka.recorder import KafkaApplicationRecorder
from services.store.kafka.schema import IndexSql, ensure_index
from services.store.kafka.settings import KafkaStoreSettings
from services.store.kafka.store import open_pool
from services.store.kafka.topic import ensure_topic
from tests.integration.processes import ROOT
from tests.support.postgres import Database, fresh_schema
from tests.support.servers import unique_topic
from tests.support.tansu import Broker


def _messy_log(settings: KafkaStoreSettings, seed: int) -> dict[int, int]:
    """Produce, without indexing, records full of races, stale versions and re-sent commits."""
    rng = random.Random(seed)
    # Each aggregate lives in one partition (the store's precondition: one key per aggregate).
    oids = {p: [uuid4() for _ in range(6)] for p in range(settings.partitions)}
    believed: dict[object, int] = {}
    sent: dict[int, list[Commit]] = {p: [] for p in oids}
    records = []
    for _ in range(120):
        partition = rng.randrange(settings.partitions)
        commits = []
        for _ in range(rng.choice((1, 1, 2, 4))):
            if sent[partition] and rng.random() < 0.1:
                commits.append(rng.choice(sent[partition]))  # a re-delivered commit
                continue
            oid = rng.choice(oids[partition])
            start = believed.get(oid, 0) + 1 if rng.random() < 0.7 else rng.randint(0, 4)
            events = [
                StoredEvent(oid, start + k, "Step", f'{{"k":{k}}}'.encode())
                for k in range(rng.choice((1, 2, 3)))
            ]
            believed[oid] = max(believed.get(oid, 0), start + len(events) - 1)
            commits.append(Commit(uuid4(), events))
        sent[partition] += commits
        records.append(OutgoingRecord(partition, None, encode_record(commits)))
    producer = RecordProducer(settings)
    try:
        offsets = producer.send_all(records)
    finally:
        producer.close()
    ends: dict[int, int] = {}
    for record, offset in zip(records, offsets, strict=True):
        ends[record.partition] = max(ends.get(record.partition, 0), offset + 1)
    return ends


def _settings(broker: Broker, postgres: Database, topic: str) -> KafkaStoreSettings:
    return KafkaStoreSettings(
        bootstrap_servers=broker.bootstrap_servers,
        database_url=postgres.url,
        topic=topic,
        partitions=2,
        index_schema=fresh_schema(postgres.url),
    )


def _dump(settings: KafkaStoreSettings) -> tuple[str, list[tuple[object, ...]]]:
    q = IndexSql(settings.index_schema, settings.originator_id_type)
    with psycopg.connect(settings.database_url) as conn:
        outcomes = conn.execute(
            sql.SQL("SELECT * FROM {} ORDER BY partition, record_offset, first_index").format(
                q.commits
            )
        ).fetchall()
    return index_checksum(settings), outcomes


def _start_worker(settings: KafkaStoreSettings) -> subprocess.Popen[str]:
    """A standalone indexer process, returned once it logged that it is indexing."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KAFKA_BOOTSTRAP_SERVERS": settings.bootstrap_servers,
        "DATABASE_URL": settings.database_url,
        "KAFKA_EVENTS_TOPIC": settings.topic,
        "KAFKA_EVENTS_PARTITIONS": str(settings.partitions),
        "KAFKA_INDEX_SCHEMA": settings.index_schema,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "services.workers.indexer"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stderr is not None
    for line in worker.stderr:
        if "indexing" in line:
            # Keep draining its log so the worker never blocks on a full pipe.
            threading.Thread(target=worker.stderr.read, daemon=True).start()
            return worker
    raise AssertionError(f"indexer worker exited with {worker.wait()}")


def _wait_until_indexed(
    settings: KafkaStoreSettings, ends: dict[int, int], timeout_s: float
) -> None:
    q = IndexSql(settings.index_schema, settings.originator_id_type)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with psycopg.connect(settings.database_url) as conn:
            positions = dict(conn.execute(q.read_positions, (settings.topic,)).fetchall())
        if all(positions.get(p, 0) >= end for p, end in ends.items()):
            return
        time.sleep(0.1)
    raise AssertionError(f"index did not reach {ends} in {timeout_s}s")


def test_several_index_builders_at_once_build_the_same_index_as_one(
    broker: Broker, postgres: Database
) -> None:
    """Two worker processes and a thread racing over one index equal a lone builder's index."""
    topic = unique_topic()
    crowd, lone = _settings(broker, postgres, topic), _settings(broker, postgres, topic)
    ensure_topic(crowd)
    pool = open_pool(crowd, max_size=3)
    q = IndexSql(crowd.index_schema, "uuid")
    with pool.connection() as conn:
        ensure_index(conn, q, topic, crowd.partitions)
    workers = [_start_worker(crowd) for _ in range(2)]
    thread_builder = IndexBuilder(crowd, IndexWriter(pool, q, topic), IndexProgress())
    thread_builder.start()
    try:
        ends = _messy_log(crowd, seed=7)  # produced while all three builders are following
        _wait_until_indexed(crowd, ends, timeout_s=60)
    finally:
        thread_builder.stop()
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=10)
        pool.close()

    from services.store.kafka.rebuild import rebuild_index

    rebuild_index(lone, timeout_s=60)
    crowd_dump, lone_dump = _dump(crowd), _dump(lone)
    assert crowd_dump == lone_dump
    outcomes = crowd_dump[1]
    assert any(row[5] for row in outcomes) and any(not row[5] for row in outcomes)


def test_a_batch_decides_each_commit_on_its_own_within_packed_records(
    recorder: KafkaApplicationRecorder,
) -> None:
    """Batch path: commits share records, yet each is accepted or rejected by itself, in order."""
    oids = [uuid4() for _ in range(300)]
    requests = [
        CommitRequest(
            [StoredEvent(oid, 1, "Opened", b'{"a":1}'), StoredEvent(oid, 2, "Noted", b"{}")],
            "110101",
        )
        for oid in oids
    ]
    requests.insert(100, CommitRequest([StoredEvent(oids[3], 1, "Opened", b"{}")], "110101"))
    requests.append(CommitRequest([StoredEvent(oids[5], 3, "Closed", b"{}")], "110101"))
    outcomes = recorder.insert_commits(requests)
    assert [o.accepted for o in outcomes] == [True] * 100 + [False] + [True] * 200 + [True]
    assert "version 2" in (outcomes[100].reason or "")
    ids = [i for o in outcomes for i in (o.notification_ids or [])]
    assert ids == sorted(ids) and len(set(ids)) == 601
    assert [e.originator_version for e in recorder.select_events(oids[5])] == [1, 2, 3]


def test_concurrent_batches_from_threads_all_settle(recorder: KafkaApplicationRecorder) -> None:
    """Writers in several threads interleave records; each learns its own commits' outcomes."""
    results: list[list[bool]] = []

    def write() -> None:
        batch = [CommitRequest([StoredEvent(uuid4(), 1, "Opened", b"{}")]) for _ in range(50)]
        results.append([o.accepted for o in recorder.insert_commits(batch)])

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results == [[True] * 50] * 4


def test_a_writers_guessed_index_write_judges_as_the_general_path(postgres: Database) -> None:
    """One-statement path: a stale guess (position, tip, partition, decided id) writes nothing
    and the general path decides; a right guess is applied by the same rule."""
    topic = unique_topic()
    schema = fresh_schema(postgres.url)
    settings = KafkaStoreSettings("unused:9092", postgres.url, topic, partitions=2)
    pool = open_pool(settings, max_size=2)
    q = IndexSql(schema, "uuid")
    try:
        with pool.connection() as conn:
            ensure_index(conn, q, topic, 2)
        writer = IndexWriter(pool, q, topic)
        guesses: list[bool] = []
        real = writer._apply_guessed

        def spy(*args: object) -> object:
            applied = real(*args)  # type: ignore[arg-type]
            guesses.append(applied is not None)
            return applied

        writer._apply_guessed = spy  # type: ignore[method-assign]
        a, b, c = uuid4(), uuid4(), uuid4()

        def one(partition: int, offset: int, commit: Commit) -> object:
            applied = writer.apply(partition, [LogRecord(offset, [commit])], only_from_next=True)
            outcome = applied.outcomes.get(commit.commit_id)
            return applied.next_offset, outcome and (outcome.accepted, outcome.reason)

        opened = Commit(uuid4(), [StoredEvent(a, 1, "O", b"{}"), StoredEvent(a, 2, "N", b"{}")])
        assert one(0, 0, opened) == (1, (True, None))
        stale = one(0, 1, Commit(uuid4(), [StoredEvent(a, 2, "N", b"{}")]))
        assert stale[0] == 2 and stale[1] is not None and "version 2" in (stale[1][1] or "")
        assert one(0, 2, opened) == (3, None)  # re-sent copy: decided before, no new outcome
        assert one(0, 5, Commit(uuid4(), [StoredEvent(a, 3, "N", b"{}")])) == (3, None)
        assert one(0, 3, Commit(uuid4(), [StoredEvent(b, 0, "O", b"{}")])) == (4, (True, None))
        assert one(0, 4, Commit(uuid4(), [StoredEvent(b, 1, "N", b"{}")])) == (5, (True, None))
        assert one(1, 0, Commit(uuid4(), [StoredEvent(c, 1, "O", b"{}")])) == (1, (True, None))
        moved = one(0, 5, Commit(uuid4(), [StoredEvent(c, 2, "N", b"{}")]))
        assert moved[0] == 6 and moved[1] is not None and "partition 1" in (moved[1][1] or "")
        assert guesses == [True, False, False, False, True, False, True, False]
        with pool.connection() as conn:
            rows = conn.execute(
                sql.SQL("SELECT originator_id, originator_version FROM {} ORDER BY 1, 2").format(
                    q.events
                )
            ).fetchall()
        assert sorted(rows) == sorted([(a, 1), (a, 2), (b, 0), (b, 1), (c, 1)])
    finally:
        pool.close()


def test_a_builder_skips_what_writers_indexed_without_queueing_on_their_locks(
    broker: Broker, postgres: Database
) -> None:
    """Records their writers already indexed are passed over by what the index has committed:
    a following builder keeps up while writers hold every partition's position lock."""
    topic = unique_topic()
    settings = _settings(broker, postgres, topic)
    ensure_topic(settings)
    pool = open_pool(settings, max_size=3)
    q = IndexSql(settings.index_schema, "uuid")
    with pool.connection() as conn:
        ensure_index(conn, q, topic, settings.partitions)
    ends = _messy_log(settings, seed=11)
    IndexBuilder(settings, IndexWriter(pool, q, topic), IndexProgress()).catch_up(timeout_s=60)
    follower_progress = IndexProgress()
    follower = IndexBuilder(settings, IndexWriter(pool, q, topic), follower_progress)
    caught_up = threading.Event()

    def follow() -> None:
        while not all(follower_progress.next_offset(p) >= end for p, end in ends.items()):
            follower.step(timeout_ms=200)
        caught_up.set()

    try:
        with psycopg.connect(settings.database_url) as writers, writers.transaction():
            for partition in range(settings.partitions):  # as writers mid-commit hold them
                assert writers.execute(q.lock_position, (topic, partition)).fetchone()
            threading.Thread(target=follow, daemon=True).start()
            assert caught_up.wait(timeout=20), "the builder queued behind the writers' locks"
    finally:
        pool.close()

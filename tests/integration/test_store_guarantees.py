"""The Kafka store's guarantees, each against real tansu and real PostgreSQL."""

from __future__ import annotations

import signal
import time
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from psycopg import sql

from services.store.kafka import KafkaFactory
from services.store.kafka.commits import CommitRequest, partition_of
from services.store.kafka.recorder import KafkaApplicationRecorder
from services.store.kafka.schema import IndexSql
from tests.integration.processes import finish, start_writer


def _events(recorder: KafkaApplicationRecorder) -> list[tuple[object, int, int]]:
    """Every indexed (originator, version, notification id), in notification order."""
    out, start = [], None
    while True:
        page = recorder.select_notifications(start, 1000, inclusive_of_start=False)
        out += [(n.originator_id, n.originator_version, n.id) for n in page]
        if len(page) < 1000:
            return out
        start = page[-1].id


def test_two_processes_appending_the_same_version_get_exactly_one_winner(
    store_env: dict[str, str], recorder: KafkaApplicationRecorder
) -> None:
    """G2: every round, one writer wins and the other gets IntegrityError; the index never forks."""
    oid = uuid4()
    writers = {name: start_writer(store_env, "race", str(oid), name) for name in ("a", "b")}
    rounds = 25
    winners = []
    try:
        for version in range(1, rounds + 1):
            for w in writers.values():
                assert w.stdin is not None
                w.stdin.write(f"{version}\n")
                w.stdin.flush()
            answers = {name: w.stdout.readline().split() for name, w in writers.items() if w.stdout}
            outcomes = sorted(answer[1] for answer in answers.values())
            assert outcomes == ["conflict", "won"], (version, answers)
            winners += [name for name, answer in answers.items() if answer[1] == "won"]
    finally:
        for w in writers.values():
            finish(w)
    indexed = recorder.select_events(oid)
    assert [e.originator_version for e in indexed] == list(range(1, rounds + 1))
    assert [e.state for e in indexed] == [f'{{"by":"{w}"}}'.encode() for w in winners]


def test_creating_an_aggregate_that_exists_is_a_conflict_and_changes_nothing(
    recorder: KafkaApplicationRecorder,
) -> None:
    """G3 at store level: a resent creation conflicts at version 1; its other events vanish too."""
    receipt, other = uuid4(), uuid4()
    recorder.insert_events([StoredEvent(receipt, 1, "Received", b'{"n":1}')])
    before = _events(recorder)
    with pytest.raises(IntegrityError):
        recorder.insert_events(
            [
                StoredEvent(other, 1, "Opened", b"{}"),
                StoredEvent(receipt, 1, "Received", b'{"n":2}'),
            ]
        )
    assert _events(recorder) == before
    assert recorder.select_events(other) == []
    assert [e.state for e in recorder.select_events(receipt)] == [b'{"n":1}']


def test_one_query_tells_which_of_many_records_the_index_holds(
    recorder: KafkaApplicationRecorder,
) -> None:
    held, other, absent = uuid4(), uuid4(), uuid4()
    recorder.insert_events([StoredEvent(held, 1, "Opened", b"{}")])
    recorder.insert_events([StoredEvent(other, 1, "Opened", b"{}")])
    recorder.insert_events([StoredEvent(other, 2, "Noted", b"{}")])
    assert recorder.originators_among([held, other, absent]) == {held, other}
    assert recorder.originators_among([]) == set()


def test_every_acknowledged_commit_survives_a_writer_killed_mid_burst(
    store_env: dict[str, str], recorder: KafkaApplicationRecorder
) -> None:
    """G1/G4: kill -9 a writer mid-burst; after a restart, every acked event is indexed once."""
    writer = start_writer(store_env, "burst", "500", "doomed")
    acked = []
    assert writer.stdout is not None
    while len(acked) < 60:
        line = writer.stdout.readline().split()
        assert line and line[0] == "ack", line
        acked.append(line[1])
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    successor = start_writer(store_env, "burst", "5", "successor")
    assert successor.stdout is not None
    acked += [successor.stdout.readline().split()[1] for _ in range(5)]
    finish(successor)

    events = _events(recorder)  # read from this process, not the writers
    ids = [nid for _, _, nid in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert len({(oid, v) for oid, v, _ in events}) == len(events)
    indexed = {str(oid): [] for oid, _, _ in events}
    for oid, version, _ in events:
        indexed[str(oid)].append(version)
    for oid in acked:
        assert indexed.get(oid) == [1, 2], oid


def test_rebuilding_the_index_from_offset_zero_gives_the_same_checksum(
    store_env: dict[str, str], factory: KafkaFactory, recorder: KafkaApplicationRecorder
) -> None:
    """G5: drop the index tables, replay the log from 0: same events, ids and outcomes."""
    from services.store.kafka.rebuild import index_checksum, rebuild_index

    oids = [uuid4() for _ in range(20)]
    for i, oid in enumerate(oids):
        recorder.insert_events([StoredEvent(oid, 1, "Opened", f'{{"i":{i}}}'.encode())])
    with pytest.raises(IntegrityError):
        recorder.insert_events([StoredEvent(oids[0], 1, "Opened", b"{}")])
    requests = [CommitRequest([StoredEvent(oid, 2, "Noted", b'{"x":1}')]) for oid in oids]
    requests.append(CommitRequest([StoredEvent(oids[1], 2, "Noted", b'{"late":1}')]))
    outcomes = recorder.insert_commits(requests)
    assert [o.accepted for o in outcomes] == [True] * 20 + [False]
    settings = factory.settings
    before = index_checksum(settings), _outcome_rows(store_env)
    factory.close()

    after_checksum = rebuild_index(settings, timeout_s=60)
    assert (after_checksum, _outcome_rows(store_env)) == before
    assert len(_distinct(store_env, "SELECT count(*) FROM {events}")) == 1


def test_a_stopped_broker_fails_writes_promptly_and_writes_resume_after_it_continues(
    store_env: dict[str, str],
) -> None:
    """A SIGSTOPped broker: StoreUnavailableError in bounded time, nothing indexed; recovery."""
    from services.store.errors import StoreUnavailableError
    from tests.support.tansu import start_tansu

    broker = start_tansu()  # our own: stopping the session's broker would stall other tests
    env = {**store_env, "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers}
    env["KAFKA_PRODUCE_TIMEOUT_S"] = "2"
    factory = KafkaFactory(env)
    try:
        recorder = factory.application_recorder()
        recorder.insert_events([StoredEvent(uuid4(), 1, "Opened", b"{}")])
        assert broker.pid is not None
        stalled = uuid4()
        broker.process.send_signal(signal.SIGSTOP)  # type: ignore[union-attr]
        try:
            started = time.monotonic()
            with pytest.raises(StoreUnavailableError, match="did not acknowledge"):
                recorder.insert_events(
                    [
                        StoredEvent(stalled, 1, "Opened", b"{}"),
                        StoredEvent(stalled, 2, "Noted", b"{}"),
                    ]
                )
            waited = time.monotonic() - started
            assert waited < 20, f"blocked {waited:.1f}s though the produce timeout is 2s"
            assert recorder.select_events(stalled) == []
        finally:
            broker.process.send_signal(signal.SIGCONT)  # type: ignore[union-attr]
        later = uuid4()
        recorder.insert_events([StoredEvent(later, 1, "Opened", b"{}")])
        assert len(recorder.select_events(later)) == 1
        # The stalled record may still have reached the log: it is then decided whole, never half.
        assert len(recorder.select_events(stalled)) in (0, 2)
    finally:
        factory.close()
        broker.stop()


def test_a_topic_with_the_wrong_partition_count_is_refused_at_start_up(
    store_env: dict[str, str],
) -> None:
    """Start-up refuses a topic whose partition count differs from KAFKA_EVENTS_PARTITIONS."""
    from services.store.errors import StoreMisconfiguredError

    creator = KafkaFactory({**store_env, "KAFKA_EVENTS_PARTITIONS": "2"})
    creator.application_recorder()  # creates the topic with 2 partitions
    creator.close()
    factory = KafkaFactory({**store_env, "KAFKA_EVENTS_PARTITIONS": "1"})
    with pytest.raises(StoreMisconfiguredError, match="has 2 partition"):
        factory.application_recorder()
    factory.close()


def test_an_unreachable_broker_is_reported_as_such_at_start_up(store_env: dict[str, str]) -> None:
    """No broker listening: StoreUnavailableError naming the address, not a hang."""
    from services.store.errors import StoreUnavailableError
    from tests.support.ports import free_port

    address = f"127.0.0.1:{free_port()}"
    factory = KafkaFactory({**store_env, "KAFKA_BOOTSTRAP_SERVERS": address})
    with pytest.raises(StoreUnavailableError, match=address):
        factory.application_recorder()
    factory.close()


def test_commits_follow_their_partition_key_and_ids_carry_the_partition(
    store_env: dict[str, str],
) -> None:
    """A partition key picks the partition stably; notification ids and ranges reflect it."""
    from services.store.kafka.partitioning import partition_for

    factory = KafkaFactory({**store_env, "KAFKA_EVENTS_PARTITIONS": "4"})
    try:
        recorder = factory.application_recorder()
        assert isinstance(recorder, KafkaApplicationRecorder)
        keys = ["110101", "310104", "440305", "510107", None]
        for key in keys:
            ids = recorder.insert_events(
                [StoredEvent(uuid4(), 1, "Opened", b"{}")], partition_key=key
            )
            assert ids is not None
            assert partition_of(ids[0]) == partition_for(key, 4)
        ranges = recorder.partition_ranges()
        used = {partition_for(k, 4) for k in keys}
        assert {r.partition for r in ranges if r.last_indexed is not None} == used
    finally:
        factory.close()


def _outcome_rows(env: dict[str, str]) -> list[tuple[object, ...]]:
    return _distinct(env, "SELECT * FROM {commits} ORDER BY partition, record_offset, first_index")


def _distinct(env: dict[str, str], query: str) -> list[tuple[object, ...]]:
    q = IndexSql(env["KAFKA_INDEX_SCHEMA"], "uuid")
    statement = sql.SQL(query).format(events=q.events, commits=q.commits)
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        return conn.execute(statement).fetchall()

"""A writer's index rows staged during the broker's acknowledgement (staged.py), real tansu and
real PostgreSQL: invisible until acknowledged, and a stale guess decided by the general path."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from psycopg import sql

from services.store.kafka import KafkaFactory
from services.store.kafka.recorder import KafkaApplicationRecorder
from services.store.kafka.schema import IndexSql


class _SeenBeforeTheAck:
    """Around the store's producer: just before each ack is awaited, looks at the index from
    another connection (what any other process would see at that moment)."""

    def __init__(self, store: Any, look: Any) -> None:
        self.store, self.look, self.seen = store, look, []
        self._send = store.producer.send

    def send(self, records: Any) -> Any:
        acks = self._send(records)
        outer = self

        class _Looked:
            def offsets(self) -> list[int]:
                outer.seen.append(outer.look())
                return acks.offsets()  # type: ignore[no-any-return]

        return _Looked()


def _recorder(env: dict[str, str]) -> tuple[KafkaFactory, KafkaApplicationRecorder]:
    factory = KafkaFactory(env)
    recorder = factory.application_recorder()
    assert isinstance(recorder, KafkaApplicationRecorder)
    return factory, recorder


@pytest.fixture
def two_writers(
    store_env: dict[str, str],
) -> Iterator[tuple[KafkaApplicationRecorder, KafkaApplicationRecorder]]:
    """Two stores on one topic and index, as two API processes would have."""
    (fa, a), (fb, b) = _recorder(store_env), _recorder(store_env)
    yield a, b
    fa.close()
    fb.close()


def test_staged_rows_stay_invisible_and_hold_the_partition_until_the_broker_acknowledges(
    store_env: dict[str, str],
) -> None:
    # No indexer thread in this process: only the writer itself may touch the position row.
    factory, recorder = _recorder({**store_env, "KAFKA_RUN_INDEXER": "no"})
    store = recorder.store
    q = IndexSql(store_env["KAFKA_INDEX_SCHEMA"], "uuid")
    oid = uuid4()

    def look() -> tuple[int, bool]:
        with psycopg.connect(store_env["DATABASE_URL"], autocommit=True) as conn:
            rows = conn.execute(
                sql.SQL("SELECT count(*) FROM {} WHERE originator_id = %s").format(q.events),
                (oid,),
            ).fetchone()
            try:
                with conn.transaction():
                    conn.execute(
                        sql.SQL(
                            "SELECT 1 FROM {} WHERE topic = %s AND partition = 0 FOR UPDATE NOWAIT"
                        ).format(q.positions),
                        (store_env["KAFKA_EVENTS_TOPIC"],),
                    )
                locked = False
            except psycopg.errors.LockNotAvailable:
                locked = True
        return (rows[0] if rows else -1), locked

    try:
        recorder.insert_events([StoredEvent(uuid4(), 1, "Warm", b"{}")])  # the guess is known
        spy = _SeenBeforeTheAck(store, look)
        store.producer.send = spy.send
        recorder.insert_events(
            [StoredEvent(oid, 1, "Opened", b"{}"), StoredEvent(oid, 2, "Noted", b"{}")]
        )
        assert spy.seen == [(0, True)]  # nothing visible yet, the partition's position held
        assert [e.originator_version for e in recorder.select_events(oid)] == [1, 2]
    finally:
        factory.close()


def test_without_staging_nothing_holds_the_partition_during_the_ack(
    store_env: dict[str, str],
) -> None:
    """The switch is honoured (KAFKA_STAGE_INDEX_DURING_ACK=no indexes after the ack)."""
    no_staging = {"KAFKA_STAGE_INDEX_DURING_ACK": "no", "KAFKA_RUN_INDEXER": "no"}
    factory, recorder = _recorder({**store_env, **no_staging})
    try:
        store, q = recorder.store, IndexSql(store_env["KAFKA_INDEX_SCHEMA"], "uuid")

        def look() -> bool:
            with psycopg.connect(store_env["DATABASE_URL"], autocommit=True) as conn:
                try:
                    conn.execute(sql.SQL("SELECT 1 FROM {} FOR UPDATE NOWAIT").format(q.positions))
                except psycopg.errors.LockNotAvailable:
                    return True
            return False

        recorder.insert_events([StoredEvent(uuid4(), 1, "Warm", b"{}")])
        spy = _SeenBeforeTheAck(store, look)
        store.producer.send = spy.send
        recorder.insert_events([StoredEvent(uuid4(), 1, "Opened", b"{}")])
        assert spy.seen == [False]
    finally:
        factory.close()


def test_writers_guessing_from_stale_positions_each_get_the_outcome_of_the_log_order(
    two_writers: tuple[KafkaApplicationRecorder, KafkaApplicationRecorder],
) -> None:
    """Each writer guesses from what its own process saw last; the other's writes make that
    stale. Every write still gets what the log order decides: fresh records stored, a second
    creation of the same record refused, versions in order, no gaps and no forks."""
    a, b = two_writers
    shared = uuid4()
    for round_ in range(10):
        mine_a, mine_b = uuid4(), uuid4()
        a.insert_events([StoredEvent(mine_a, 1, "A", b"{}")])
        b.insert_events([StoredEvent(mine_b, 1, "B", b"{}")])  # b's guess is one behind
        writer, other = (a, b) if round_ % 2 == 0 else (b, a)
        writer.insert_events([StoredEvent(shared, round_ + 1, "Step", b"{}")])
        with pytest.raises(IntegrityError):  # other's stale guess, and a taken version
            other.insert_events([StoredEvent(shared, round_ + 1, "Step", b"{}")])
        assert [e.originator_version for e in a.select_events(mine_b)] == [1]
        assert [e.originator_version for e in b.select_events(mine_a)] == [1]
    assert [e.originator_version for e in b.select_events(shared)] == list(range(1, 11))

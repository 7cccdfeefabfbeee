"""Proofs at the edges and the middle of a large log, from a tree kept in SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore
from psycopg_pool import ConnectionPool

from services.transparency.db import Db, PostgresDb, SQLiteDb
from services.transparency.leaves import leaf_bytes
from services.transparency.log import TransparencyLog
from services.transparency.merkle import Frontier
from services.transparency.signing import HeadSigner
from tests.support.postgres import Database, fresh_schema
from tests.support.rfc9162 import (
    hash_leaf,
    verify_consistency,
    verify_head_signature,
    verify_inclusion,
)

EVENTS = 70_000  # past 2^16, so tiles of height 8 and 16 are both used


@pytest.fixture(scope="module")
def recorder(tmp_path_factory: pytest.TempPathFactory) -> SQLiteApplicationRecorder:
    """A SQLite event store holding a large log (one event per aggregate version)."""
    path = tmp_path_factory.mktemp("large") / "events.db"
    recorder = SQLiteApplicationRecorder(SQLiteDatastore(str(path)))
    recorder.create_table()
    aggregates = [uuid.uuid4() for _ in range(1000)]
    for start in range(0, EVENTS, 10_000):
        recorder.insert_events(
            [
                StoredEvent(
                    aggregates[n % 1000],
                    n // 1000 + 1,
                    "domain.funds.model:Fund.DonationReceived",
                    b'{"amount_fen":%d,"donor":"donor %d"}' % (n * 7, n),
                )
                for n in range(start, min(start + 10_000, EVENTS))
            ]
        )
    return recorder


@pytest.fixture(params=["sqlite", "postgresql"])
def tree_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    if request.param == "sqlite":
        db: Db = SQLiteDb(str(tmp_path / "transparency.db"))
        yield db
        db.close()
        return
    postgres: Database = request.getfixturevalue("postgres")
    pool = ConnectionPool(
        postgres.url, min_size=1, max_size=2, kwargs={"autocommit": True}, open=True
    )
    yield PostgresDb(pool, fresh_schema(postgres.url))
    pool.close()


def test_the_first_middle_and_last_events_of_a_large_log_prove_their_place(
    recorder: SQLiteApplicationRecorder, tree_db: Db
) -> None:
    signer = HeadSigner(Ed25519PrivateKey.generate())
    tlog = TransparencyLog(recorder, tree_db, signer, batch_size=20_000)
    (head,) = tlog.publish()
    assert head.tree_size == EVENTS
    assert verify_head_signature(
        signer.public_key_pem(),
        head.log,
        head.tree_size,
        head.timestamp_ms,
        head.root_hash,
        head.signature,
    )
    for index in (0, 1, 255, 256, EVENTS // 2, 65_535, 65_536, EVENTS - 1):
        proof = tlog.inclusion(0, index)
        n = recorder.select_notifications(start=proof.leaf.notification_id, limit=1)[0]
        entry = leaf_bytes(n.originator_id, n.originator_version, n.topic, n.state)
        assert proof.leaf_data == entry
        assert verify_inclusion(index, EVENTS, hash_leaf(entry), proof.path, head.root_hash)
        assert not verify_inclusion(
            index, EVENTS, hash_leaf(entry + b" "), proof.path, head.root_hash
        )


def test_a_smaller_head_of_a_large_log_is_proved_a_prefix_of_the_newest(
    recorder: SQLiteApplicationRecorder, tree_db: Db
) -> None:
    signer = HeadSigner(Ed25519PrivateKey.generate())
    tlog = TransparencyLog(recorder, tree_db, signer, batch_size=20_000)
    (newest,) = tlog.publish()
    sizes = (1, 2, 1000, 65_536, 65_537, EVENTS - 1, EVENTS)
    for first, root in _roots_of_prefixes(recorder, sizes).items():
        size, path = tlog.consistency(0, first)
        assert size == EVENTS
        assert verify_consistency(first, EVENTS, root, newest.root_hash, path)
        if first < EVENTS:
            assert not verify_consistency(first, EVENTS, newest.root_hash, newest.root_hash, path)


def _roots_of_prefixes(
    recorder: SQLiteApplicationRecorder, sizes: tuple[int, ...]
) -> dict[int, bytes]:
    """The roots an auditor kept from earlier heads (recomputed here by the RFC's definition)."""
    frontier = Frontier()
    roots = {}
    for n in recorder.select_notifications(start=1, limit=EVENTS):
        entry = leaf_bytes(n.originator_id, n.originator_version, n.topic, n.state)
        frontier.append(hash_leaf(entry))
        if frontier.size in sizes:
            roots[frontier.size] = frontier.root()
    return roots

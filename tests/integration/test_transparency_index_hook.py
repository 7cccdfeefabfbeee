"""The tree kept by the thread following the index equals the tree a follower step builds."""

from __future__ import annotations

import time
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import StoredEvent

from services.store.kafka import KafkaFactory
from services.store.kafka.commits import CommitRequest
from services.store.kafka.recorder import KafkaApplicationRecorder
from services.transparency import store
from services.transparency.db import PostgresDb
from services.transparency.log import TransparencyLog
from services.transparency.setup import attach_index_hook
from services.transparency.signing import HeadSigner
from services.transparency.sources import PostgresIndexSource
from tests.support.postgres import fresh_schema


def _batch(commits: int) -> list[CommitRequest]:
    requests = []
    for n in range(commits):
        oid = uuid.uuid4()
        requests.append(
            CommitRequest(
                [
                    StoredEvent(oid, 1, "t:Opened", b'{"n":%d}' % n),
                    StoredEvent(oid, 2, "t:Donated", b'{"amount_fen":%d}' % (n * 100)),
                ],
                "330106",
            )
        )
    return requests


def _tlog(recorder: KafkaApplicationRecorder, schema: str) -> TransparencyLog:
    pool, q = recorder.store.pool, recorder.sql
    return TransparencyLog(
        recorder,
        PostgresDb(pool, schema),
        HeadSigner(Ed25519PrivateKey.generate()),
        source=PostgresIndexSource(pool, q.events, q.id_type),
    )


def _size(tlog: TransparencyLog) -> int:
    with tlog.db.tx() as tx:
        tree = store.read_tree(tx, 0)
    return tree.frontier.size if tree else 0


def _size_reaches(tlog: TransparencyLog, size: int, within_s: float = 20.0) -> int:
    deadline = time.monotonic() + within_s
    while _size(tlog) < size and time.monotonic() < deadline:
        time.sleep(0.01)
    return _size(tlog)


def test_the_thread_following_the_index_takes_every_path_in_order_and_the_roots_agree(
    factory: KafkaFactory, postgres
) -> None:
    recorder = factory.application_recorder()
    assert isinstance(recorder, KafkaApplicationRecorder)
    hooked = _tlog(recorder, recorder.sql.schema)
    follower = attach_index_hook(hooked)
    assert follower is not None

    recorder.insert_commits(_batch(300))  # 600 events: the index writer's general path
    assert _size_reaches(hooked, 600) == 600  # no step of ours ran: the thread did it

    recorder.insert_commits(_batch(1))  # a small commit: usually the one-statement path
    recorder.insert_commits(_batch(120))  # ends inside a partial tile, extended next time
    assert _size_reaches(hooked, 842) == 842
    recorder.insert_commits(_batch(480))
    assert _size_reaches(hooked, 1802) == 1802
    hooked.db.close()  # stops the thread

    follower = _tlog(recorder, fresh_schema(postgres.url))
    (ours,) = hooked.publish()
    (theirs,) = follower.publish()
    assert (ours.tree_size, ours.root_hash) == (theirs.tree_size, theirs.root_hash)
    assert _leaves(hooked, 1802) == _leaves(follower, 1802)  # the tiles PostgreSQL wrote
    for index in (0, 255, 256, 600, 1801):
        assert hooked.inclusion(0, index).path == follower.inclusion(0, index).path


def _leaves(tlog: TransparencyLog, size: int) -> list[store.LeafRow]:
    with tlog.db.tx() as tx:
        return store.leaves_between(tx, 0, 0, size)


def test_one_follower_per_index_schema_follows_and_another_takes_over_when_it_stops(
    factory: KafkaFactory,
) -> None:
    """Every process starts a follower; only the elected one steps the tree (the others would
    queue on the tree's lock to find nothing), and when it stops another one carries on."""
    recorder = factory.application_recorder()
    assert isinstance(recorder, KafkaApplicationRecorder)
    first = _tlog(recorder, recorder.sql.schema)
    first_follower = attach_index_hook(first)
    time.sleep(0.5)  # let the first one win the election
    second = _tlog(recorder, recorder.sql.schema)
    second_follower = attach_index_hook(second)
    assert first_follower is not None and second_follower is not None
    try:
        recorder.insert_commits(_batch(50))
        assert _size_reaches(first, 100) == 100
        assert second_follower.busy_seconds == 0.0  # the second one never stepped
        first.db.close()  # the elected follower's process ends
        recorder.insert_commits(_batch(50))
        assert _size_reaches(second, 200) == 200  # taken over within the election retry
        assert second_follower.busy_seconds > 0.0
    finally:
        second.db.close()

"""The tree kept inside the index writer's transactions equals the tree a follower builds."""

from __future__ import annotations

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


def test_a_batch_is_in_the_tree_when_it_is_acknowledged_and_the_roots_agree(
    factory: KafkaFactory, postgres
) -> None:
    recorder = factory.application_recorder()
    assert isinstance(recorder, KafkaApplicationRecorder)
    hooked = _tlog(recorder, recorder.sql.schema)
    attach_index_hook(hooked)

    recorder.insert_commits(_batch(300))  # 600 events: the index writer's general path
    assert _size(hooked) == 600  # no follower step ran: the index's transaction did it

    recorder.insert_commits(_batch(1))  # a small commit: usually the one-statement path, no hook
    recorder.insert_commits(_batch(300))
    # Behind by the small commit, the hook never leaves a gap: it waits for the follower (600);
    # if the process's index builder took the small commit through the general path, 1202.
    assert _size(hooked) in (600, 1202)
    hooked.advance()
    assert _size(hooked) == 1202
    recorder.insert_commits(_batch(300))
    assert _size(hooked) == 1802

    follower = _tlog(recorder, fresh_schema(postgres.url))
    (ours,) = hooked.publish()
    (theirs,) = follower.publish()
    assert (ours.tree_size, ours.root_hash) == (theirs.tree_size, theirs.root_hash)

"""Writer process for bench.transparency: the batch path, with or without the tree hook.

    python -m bench.transparency_writer COMMITS PER_BATCH tree|plain

Prints one JSON line: events, seconds (with the tree: until the tree holds every event),
events_per_s, tree_size, hook_seconds (time the thread following the index spent in its steps).
"""

from __future__ import annotations

import os
import sys
import time

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.workload import department_batches
from services.store.kafka import KafkaFactory
from services.store.kafka.recorder import KafkaApplicationRecorder
from services.transparency import store
from services.transparency.db import PostgresDb
from services.transparency.log import TransparencyLog
from services.transparency.setup import attach_index_hook
from services.transparency.signing import HeadSigner
from services.transparency.sources import PostgresIndexSource


def main() -> None:
    """Write the workload (keeping the tree when asked) and report."""
    commits, per_batch, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    factory = KafkaFactory(dict(os.environ))
    recorder = factory.application_recorder()
    assert isinstance(recorder, KafkaApplicationRecorder)
    pool, q = recorder.store.pool, recorder.sql
    tlog = TransparencyLog(
        recorder,
        PostgresDb(pool, q.schema),
        HeadSigner(Ed25519PrivateKey.generate()),
        source=PostgresIndexSource(pool, q.events, q.id_type),
    )
    follower = attach_index_hook(tlog) if mode == "tree" else None
    events = 0
    started = time.perf_counter()
    for batch in department_batches(commits, per_batch, seed=1):
        for outcome in recorder.insert_commits(batch):
            events += len(outcome.notification_ids or ())
    if follower is not None:  # the tree's work is all counted: what the thread has not done yet
        follower.catch_up()  # (it steps at most every MIN_GAP_S) is done here, on the clock
    while follower is not None and _tree_size(tlog) < events:
        time.sleep(0.001)
    seconds = time.perf_counter() - started
    tlog.db.close()
    tree_size = sum(h.tree_size for h in tlog.publish()) if mode == "tree" else 0
    print(
        orjson.dumps(
            {
                "events": events,
                "seconds": seconds,
                "events_per_s": events / seconds,
                "tree_size": tree_size,
                "hook_seconds": follower.busy_seconds if follower else 0.0,
            }
        ).decode(),
        flush=True,
    )
    factory.close()


def _tree_size(tlog: TransparencyLog) -> int:
    with tlog.db.tx() as tx:
        trees = [store.read_tree(tx, log) for log in store.logs(tx)]
    return sum(t.frontier.size for t in trees if t)


if __name__ == "__main__":
    main()

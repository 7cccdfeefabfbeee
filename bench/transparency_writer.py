"""Writer process for bench.transparency: the batch path, with or without the tree hook.

    python -m bench.transparency_writer COMMITS PER_BATCH tree|plain

Prints one JSON line: events, seconds, events_per_s, tree_size, hook_seconds (time spent
keeping the tree inside the index's transactions), prepare_seconds (hashing the writer's own
events while the broker acknowledges them).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.workload import department_batches
from services.store.kafka import KafkaFactory
from services.store.kafka.recorder import KafkaApplicationRecorder
from services.transparency.db import PostgresDb
from services.transparency.log import TransparencyLog
from services.transparency.setup import attach_index_hook
from services.transparency.signing import HeadSigner
from services.transparency.sources import PostgresIndexSource


class TimedHook:
    """The tree hook, timing its part inside the index transaction and its hashing in advance
    (the latter overlaps the broker's acknowledgement)."""

    def __init__(self, hook: Any) -> None:
        self.hook = hook
        self.seconds = 0.0
        self.prepare_seconds = 0.0

    def __call__(self, conn: Any, partition: int, rows: list[Any]) -> None:
        started = time.perf_counter()
        self.hook(conn, partition, rows)
        self.seconds += time.perf_counter() - started

    def prepare(self, events: Any) -> None:
        started = time.perf_counter()
        self.hook.prepare(events)
        self.prepare_seconds += time.perf_counter() - started


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
    timed = TimedHook(None)
    if mode == "tree":
        attach_index_hook(tlog)
        timed = TimedHook(recorder.store.writer.observers[-1])
        recorder.store.writer.observers[-1] = timed
    events = 0
    started = time.perf_counter()
    for batch in department_batches(commits, per_batch, seed=1):
        for outcome in recorder.insert_commits(batch):
            events += len(outcome.notification_ids or ())
    seconds = time.perf_counter() - started
    tree_size = sum(h.tree_size for h in tlog.publish()) if mode == "tree" else 0
    print(
        orjson.dumps(
            {
                "events": events,
                "seconds": seconds,
                "events_per_s": events / seconds,
                "tree_size": tree_size,
                "hook_seconds": timed.seconds,
                "prepare_seconds": timed.prepare_seconds,
            }
        ).decode(),
        flush=True,
    )
    factory.close()


if __name__ == "__main__":
    main()

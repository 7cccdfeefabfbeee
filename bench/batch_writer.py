"""Batch writer process for the batch benchmark: department batches through insert_commits.

Prints one JSON line: events, seconds, events_per_s, conflicts, peak_rss_mb.
"""

from __future__ import annotations

import os
import sys
import time

import orjson

from bench.common import peak_rss_mb
from bench.workload import department_batches
from services.store.kafka import KafkaFactory
from services.store.kafka.recorder import KafkaApplicationRecorder


def main() -> None:
    """Write the workload and report."""
    commits, per_batch = int(sys.argv[1]), int(sys.argv[2])
    factory = KafkaFactory(dict(os.environ))
    recorder = factory.application_recorder()
    assert isinstance(recorder, KafkaApplicationRecorder)
    events = conflicts = 0
    started = time.perf_counter()
    for batch in department_batches(commits, per_batch, seed=1):
        for outcome in recorder.insert_commits(batch):
            if outcome.notification_ids is None:
                conflicts += 1
            else:
                events += len(outcome.notification_ids)
    seconds = time.perf_counter() - started
    print(
        orjson.dumps(
            {
                "events": events,
                "seconds": seconds,
                "events_per_s": events / seconds,
                "conflicts": conflicts,
                "peak_rss_mb": peak_rss_mb(os.getpid()),
            }
        ).decode(),
        flush=True,
    )
    factory.close()


if __name__ == "__main__":
    main()

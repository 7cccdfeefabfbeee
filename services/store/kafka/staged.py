"""A writer's index rows staged while the broker acknowledges its record.

A single command's time on the Kafka store was the broker's acknowledgement (acks=all), then
the index statement, one after the other. Here the writer hands its record to the producer,
then runs the index's guessed statement (`IndexWriter.stage_guessed`) in an open transaction
under the offset it expects the record to get (the partition's next undecided offset as this
process knows it), and only after the acknowledgement:
- commits, when the acknowledged offsets are exactly the guessed ones (the rows are then the
  ones the general path would write for those offsets: same rule, same inputs, proven under
  the partition's position lock);
- rolls back otherwise (another writer's record came first, the tips moved, the index was
  unreachable), and the caller decides the record by the general path, as before.
Nothing is visible to any reader before the acknowledgement (G1, G4); a crash before the commit
leaves an acknowledged, unindexed record that the next writer or the indexer applies by the same
rule. While staged, the partition's position row is locked: other writers' index statements wait
for this writer's acknowledgement (their records come after it in the log anyway). After a stale
guess the writer skips staging for a few commits (backing off while other processes write to
the same partition), so crowded partitions do not pay for guesses that keep failing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from uuid import UUID

import psycopg

from services.store.kafka.commits import Commit, CommitOutcome
from services.store.kafka.index import IndexWriter
from services.store.kafka.judgement import Applied, LogRecord, guessable
from services.store.kafka.lineage import LineageGuard
from services.store.kafka.producer import PendingAcks
from services.store.kafka.progress import IndexProgress

log = logging.getLogger(__name__)
_MAX_SKIP = 64


class _Stale(Exception):
    """The guess did not hold: roll the staged rows back."""


class StagedIndex:
    """Stages a writer's index rows during its acknowledgement, with a back-off on stale guesses."""

    def __init__(self, writer: IndexWriter, progress: IndexProgress, lineage: LineageGuard) -> None:
        self.writer = writer
        self.progress = progress
        self.lineage = lineage
        self._lock = threading.Lock()
        self._skip = 0
        self._backoff = 0

    def guess(self, partition: int, commits: Sequence[Sequence[Commit]]) -> list[LogRecord] | None:
        """The records under the offsets they are expected to get, or None: do not stage."""
        with self._lock:
            if self._skip > 0:
                self._skip -= 1
                return None
        first = self.progress.next_offset(partition)
        records = [LogRecord(first + i, cs) for i, cs in enumerate(commits)]
        return records if guessable(records) else None

    def settle(
        self,
        partition: int,
        guessed: list[LogRecord],
        send: Callable[[], PendingAcks],
        read_before: Mapping[int, int],
    ) -> tuple[list[int], dict[UUID, CommitOutcome] | None]:
        """Send, stage, wait for the acks, commit if the guess held.

        Returns the acknowledged offsets and, when committed, the outcomes (None: the caller
        decides the records by the general path).
        """
        offsets: list[int] | None = None
        applied: Applied | None = None
        offered = {r.offset for r in guessed}
        self.progress.claim(partition, offered)  # the local indexer thread leaves them to us
        try:
            acks = send()
            with self.writer.pool.connection() as conn, conn.transaction():
                applied = self.writer.stage_guessed(conn, partition, guessed)
                offsets = acks.offsets()
                if applied is None or offsets != [r.offset for r in guessed]:
                    raise _Stale
                self.lineage.after_ack({partition: offsets[0]}, read_before)
        except _Stale:
            applied = None
        except psycopg.Error as e:
            # The index failed or is unreachable: the general path decides (and reports it).
            log.info("staged index write not committed (%s); deciding by the general path", e)
            applied = None
        finally:
            self.progress.release(partition, offered)
        self._learn(stale=applied is None)
        if offsets is None:
            offsets = acks.offsets()
        if applied is None:
            return offsets, None
        self.progress.advance(partition, applied.next_offset)
        return offsets, dict(applied.outcomes)

    def _learn(self, stale: bool) -> None:
        with self._lock:
            if stale:
                self._backoff = min(_MAX_SKIP, max(1, self._backoff * 2))
                self._skip = self._backoff
            else:
                self._backoff = 0

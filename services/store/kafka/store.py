"""The store engine: produce commits to the log, then learn their outcome from the index.

insert flow (G1, G2, G4): encode → produce with acks=all and wait for the ack → index the
record right away if it is the partition's next undecided offset (one PostgreSQL transaction,
the usual case), else wait for the indexer to reach it → answer the rule's outcome. Nothing is
answered before the ack and the index both passed the record, so a returned commit is durable
in Kafka and readable from PostgreSQL by any process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from uuid import UUID, uuid4

import psycopg
from eventsourcing.persistence import DataError, ProgrammingError
from psycopg_pool import ConnectionPool, PoolTimeout

from services.store.errors import StoreUnavailableError
from services.store.kafka.codec import check_encodable, encode_record, encoded_size_bound
from services.store.kafka.commits import MAX_EVENTS_PER_RECORD, Commit, CommitOutcome, CommitRequest
from services.store.kafka.index import IndexWriter, LogRecord
from services.store.kafka.indexer import IndexBuilder
from services.store.kafka.lineage import LineageGuard
from services.store.kafka.partitioning import partition_for
from services.store.kafka.producer import OutgoingRecord, RecordProducer
from services.store.kafka.progress import IndexProgress
from services.store.kafka.schema import IndexSql, ensure_index
from services.store.kafka.settings import KafkaStoreSettings
from services.store.kafka.staged import StagedIndex
from services.store.kafka.topic import ensure_topic

log = logging.getLogger(__name__)
# Room a record batch, its headers and key take besides the value.
_RECORD_OVERHEAD = 1024
_ASSIST_WAIT_S = 0.02


def open_pool(settings: KafkaStoreSettings, max_size: int | None = None) -> ConnectionPool:
    """A pool of autocommit connections to the index database; fails fast when unreachable."""
    pool: ConnectionPool = ConnectionPool(
        settings.database_url,
        min_size=1,
        max_size=max_size or settings.pool_size,
        kwargs={"autocommit": True},
        open=False,
        timeout=settings.index_wait_timeout_s,
    )
    try:
        pool.open(wait=True, timeout=settings.index_wait_timeout_s)
    except PoolTimeout as e:
        pool.close()
        raise StoreUnavailableError(f"PostgreSQL (DATABASE_URL) is unreachable: {e}") from e
    return pool


class KafkaStore:
    """One topic's log and its index, shared by the recorders of one factory."""

    def __init__(self, settings: KafkaStoreSettings) -> None:
        self.settings = settings
        self.sql = IndexSql(settings.index_schema, settings.originator_id_type)
        ensure_topic(settings)
        self.pool = open_pool(settings)
        with self.pool.connection() as conn:
            ensure_index(conn, self.sql, settings.topic, settings.partitions)
        self.writer = IndexWriter(self.pool, self.sql, settings.topic)
        self.progress = IndexProgress()
        self.producer = RecordProducer(settings)
        self.lineage = LineageGuard(settings, self.pool)  # G9: halts writes if the log went back
        self.lineage.start()
        self.staged = StagedIndex(self.writer, self.progress, self.lineage)
        self.builder: IndexBuilder | None = None
        if settings.run_indexer:
            self.builder = IndexBuilder(settings, self.writer, self.progress)
            self.builder.halted = self.lineage.halt_reason
            self.builder.start()

    def append(self, requests: Sequence[CommitRequest]) -> list[CommitOutcome]:
        """Produce the commits (packed into as few records as fit) and return their outcomes."""
        self.lineage.before_write()
        for request in requests:
            check_encodable(request.events, self.settings.originator_id_type)
        commits = [(Commit(uuid4(), r.events), r.partition_key) for r in requests]
        packed = pack_commits(commits, self.settings.partitions, self.settings.max_request_size)
        # What the index had read before producing: a new record can only land beyond it.
        read_before = {p: self.progress.next_offset(p) for p, _, _ in packed}
        outgoing = [OutgoingRecord(p, _key(k), encode_record(cs)) for p, k, cs in packed]
        guessed = self._guess(packed)
        if guessed is None:
            offsets = self.producer.send(outgoing).offsets()
        else:  # stage the index rows while the broker acknowledges (staged.py)
            offsets, staged = self.staged.settle(
                packed[0][0], guessed, lambda: self.producer.send(outgoing), read_before
            )
            if staged is not None:
                return [staged[c.commit_id] for c, _ in commits]
        by_partition: dict[int, list[LogRecord]] = {}
        for (partition, _, record_commits), offset in zip(packed, offsets, strict=True):
            by_partition.setdefault(partition, []).append(LogRecord(offset, record_commits))
        self.lineage.after_ack(
            {p: min(r.offset for r in rs) for p, rs in by_partition.items()}, read_before
        )
        deadline = time.monotonic() + self.settings.index_wait_timeout_s
        outcomes: dict[UUID, CommitOutcome] = {}
        for partition, records in by_partition.items():
            claimed = {r.offset for r in records}
            self.progress.claim(partition, claimed)
            try:
                outcomes.update(self._settle(partition, records, deadline))
            finally:
                self.progress.release(partition, claimed)
        missing = [c.commit_id for c, _ in commits if c.commit_id not in outcomes]
        if missing:
            outcomes.update(self._fetch_outcomes(missing))
        return [outcomes[c.commit_id] for c, _ in commits]

    def _guess(
        self, packed: Sequence[tuple[int, str | None, list[Commit]]]
    ) -> list[LogRecord] | None:
        """Where the records are expected to land, when staging their index rows is worth it."""
        if not self.settings.stage_during_ack or len({p for p, _, _ in packed}) != 1:
            return None
        return self.staged.guess(packed[0][0], [cs for _, _, cs in packed])

    def _settle(
        self, partition: int, records: list[LogRecord], deadline: float
    ) -> dict[UUID, CommitOutcome]:
        """Index our records ourselves when they are next, else wait for whoever indexes them."""
        decided: dict[UUID, CommitOutcome] = {}
        pending = sorted(records, key=lambda r: r.offset)
        while True:
            try:
                applied = self.writer.apply(partition, pending, only_from_next=True)
            except psycopg.OperationalError as e:
                raise StoreUnavailableError(
                    f"PostgreSQL index unreachable after Kafka acked the commit: {e}; "
                    "the outcome will be decided when the index resumes"
                ) from e
            self.progress.advance(partition, applied.next_offset)
            decided.update(applied.outcomes)
            pending = [r for r in pending if r.offset >= applied.next_offset]
            if not pending:
                return decided
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StoreUnavailableError(
                    f"the index of {self.settings.topic}[{partition}] did not reach offset "
                    f"{pending[0].offset} within {self.settings.index_wait_timeout_s:g}s "
                    "(is an indexer running?); the outcome is not known yet"
                )
            self.progress.wait_beyond(
                partition, pending[0].offset - 1, min(_ASSIST_WAIT_S, remaining)
            )

    def _fetch_outcomes(self, commit_ids: list[UUID]) -> dict[UUID, CommitOutcome]:
        found = self.writer.outcomes(commit_ids)
        if len(found) != len(commit_ids):
            raise ProgrammingError(f"index passed commits without outcomes: {commit_ids}")
        return found

    def close(self) -> None:
        """Stop the indexer thread, the producer and the pool."""
        if self.builder is not None:
            self.builder.stop()
        self.lineage.stop()
        self.producer.close()
        self.pool.close()


def pack_commits(
    commits: Sequence[tuple[Commit, str | None]], partitions: int, max_request_size: int
) -> list[tuple[int, str | None, list[Commit]]]:
    """Group commits per (partition, key), in order, and pack each group into records that fit."""
    limit = max_request_size - _RECORD_OVERHEAD
    groups: dict[tuple[int, str | None], list[Commit]] = {}
    for commit, key in commits:
        groups.setdefault((partition_for(key, partitions), key), []).append(commit)
    packed: list[tuple[int, str | None, list[Commit]]] = []
    for (partition, key), group in groups.items():
        current: list[Commit] = []
        size = events = 0
        for commit in group:
            commit_size, commit_events = encoded_size_bound(commit.events), len(commit.events)
            if commit_size > limit or commit_events > MAX_EVENTS_PER_RECORD:
                raise DataError(
                    f"commit of {commit_events} events (~{commit_size} bytes) exceeds one "
                    f"record (KAFKA_MAX_REQUEST_SIZE={max_request_size})"
                )
            full = size + commit_size > limit or events + commit_events > MAX_EVENTS_PER_RECORD
            if current and full:
                packed.append((partition, key, current))
                current, size, events = [], 0, 0
            current.append(commit)
            size += commit_size
            events += commit_events
        packed.append((partition, key, current))
    return packed


def _key(partition_key: str | None) -> bytes | None:
    return partition_key.encode("utf-8") if partition_key is not None else None

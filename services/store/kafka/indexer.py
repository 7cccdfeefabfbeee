"""The index builder: follows every partition of the topic and applies each record to the index.

Uses manual partition assignment, not a consumer group: joining a group takes seconds on tansu,
and positions live in PostgreSQL (store_positions) in the same transaction as the index rows, so
Kafka's committed offsets are never used. Reads with the default read_uncommitted isolation and
never relies on transactions. Resumes from store_positions after a crash or restart.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord

from services.store.kafka.codec import UndecodableRecordError, decode_record
from services.store.kafka.index import IndexWriter, LogRecord
from services.store.kafka.progress import IndexProgress
from services.store.kafka.settings import KafkaStoreSettings

log = logging.getLogger(__name__)
_RETRY_PAUSE_S = 0.5
# Fetches wait up to fetch_max_wait_ms for this much: a record batch per tenth of a second
# instead of a fetch (and an index transaction) per acknowledged write of any process.
_FETCH_MIN_BYTES = 256 * 1024


class IndexBuilder:
    """Consumes the topic from the index's positions and applies records, in a thread or inline."""

    def __init__(
        self, settings: KafkaStoreSettings, writer: IndexWriter, progress: IndexProgress
    ) -> None:
        self.settings = settings
        self.writer = writer
        self.progress = progress
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._consumer: KafkaConsumer | None = None
        # G9 (lineage.py): while the log is known to have gone backwards, index nothing.
        self.halted: Callable[[], str | None] = lambda: None
        self._partitions = [TopicPartition(settings.topic, p) for p in range(settings.partitions)]

    def start(self) -> None:
        """Run in a daemon thread until stop()."""
        self._thread = threading.Thread(target=self.run, name="zhulian-indexer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the loop to end and wait for it."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    def run(self) -> None:
        """Index until stop(): poll, apply per partition, re-seek from PostgreSQL after errors."""
        while not self._stop.is_set():
            try:
                self._seek_to_positions()
                while not self._stop.is_set():
                    self.step(timeout_ms=200)
            except Exception:
                if self._stop.is_set():
                    break
                log.exception("indexer error; resuming from the index positions")
                time.sleep(_RETRY_PAUSE_S)
        self._close_consumer()

    def catch_up(self, timeout_s: float) -> None:
        """Index inline until every partition is indexed up to its high watermark (for rebuild)."""
        deadline = time.monotonic() + timeout_s
        self._seek_to_positions()
        consumer = self._consumer_for()
        while True:
            self.step(timeout_ms=200)
            marks = {tp: consumer.highwater(tp) for tp in self._partitions}
            if all(m is not None and consumer.position(tp) >= m for tp, m in marks.items()):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"index did not catch up with {self.settings.topic} in time")

    def step(self, timeout_ms: int) -> None:
        """Poll once and apply what came, one transaction per partition.

        Most records a builder sees were indexed by their own writer a moment after the
        broker acknowledged them (this process's writers, or another API process's). Such
        records are skipped by what the index has committed, read without a lock once the
        youngest of them has settled, so the builder queues on the partition's position lock
        only for records no writer indexed (a writer that died, a rebuild, another group).
        """
        if self.halted():
            self._stop.wait(timeout_ms / 1000)
            return
        consumer = self._consumer_for()
        polled = consumer.poll(timeout_ms=timeout_ms, max_records=5000)
        fresh_by_tp: dict[TopicPartition, list[ConsumerRecord]] = {}
        for tp, records in polled.items():
            # Writers in this process index their own records; skip those before decoding.
            known = self.progress.next_offset(tp.partition)
            fresh = [r for r in records if r.offset >= known]
            if fresh:
                self.progress.wait_while_all_claimed(tp.partition, {r.offset for r in fresh}, 1.0)
                known = self.progress.next_offset(tp.partition)
                fresh = [r for r in fresh if r.offset >= known]
            if fresh:
                fresh_by_tp[tp] = fresh
            elif known > records[-1].offset + 1:
                consumer.seek(tp, known)  # another indexer is ahead: skip its work
        if fresh_by_tp:
            self._settle(fresh_by_tp)
            committed = self.writer.positions()
        for tp, fresh in fresh_by_tp.items():
            self.progress.advance(tp.partition, committed.get(tp.partition, 0))
            known = self.progress.next_offset(tp.partition)
            fresh = [r for r in fresh if r.offset >= known]
            if fresh:
                applied = self.writer.apply(
                    tp.partition, [_to_log_record(r, self.settings) for r in fresh]
                )
                self.progress.advance(tp.partition, applied.next_offset)
                known = applied.next_offset
            if known > polled[tp][-1].offset + 1:
                consumer.seek(tp, known)  # another indexer is ahead: skip its work

    def _settle(self, fresh_by_tp: dict[TopicPartition, list[ConsumerRecord]]) -> None:
        """Give the youngest record's writer a moment to index it itself (bounded)."""
        youngest_ms = max(r.timestamp for records in fresh_by_tp.values() for r in records)
        age_s = time.time() - youngest_ms / 1000
        wait_s = min(self.settings.follow_settle_s, self.settings.follow_settle_s - age_s)
        if wait_s > 0:
            self._stop.wait(wait_s)

    def _seek_to_positions(self) -> None:
        consumer = self._consumer_for()
        positions = self.writer.positions()
        for tp in self._partitions:
            next_offset = positions.get(tp.partition, 0)
            consumer.seek(tp, next_offset)
            self.progress.advance(tp.partition, next_offset)

    def _consumer_for(self) -> KafkaConsumer:
        if self._consumer is None:
            consumer = KafkaConsumer(
                bootstrap_servers=self.settings.bootstrap_servers,
                group_id=None,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                fetch_max_wait_ms=100,
                fetch_min_bytes=_FETCH_MIN_BYTES,
                max_partition_fetch_bytes=max(1_048_576, self.settings.max_request_size),
                fetch_max_bytes=max(52_428_800, self.settings.max_request_size),
                request_timeout_ms=30_000,
                bootstrap_timeout_ms=10_000,
                reconnect_backoff_max_ms=1000,
            )
            consumer.assign(self._partitions)
            self._consumer = consumer
        return self._consumer

    def _close_consumer(self) -> None:
        if self._consumer is not None:
            self._consumer.close()
            self._consumer = None


def _to_log_record(record: ConsumerRecord, settings: KafkaStoreSettings) -> LogRecord:
    """Decode a polled record; an undecodable one is skipped (logged), never blocks the index."""
    try:
        return LogRecord(record.offset, decode_record(record.value, settings.originator_id_type))
    except UndecodableRecordError as e:
        log.error(
            "skipping undecodable record %s[%s]@%s: %s",
            record.topic,
            record.partition,
            record.offset,
            e,
        )
        return LogRecord(record.offset, None)

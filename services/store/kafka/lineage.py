"""G9, the log never silently goes backwards: the index checks the broker still holds its log.

The index remembers, per partition, the highest offset it has read (its high-water mark) and
the identity of the log's first record (offset and SHA-256 of its value). At start, every
`KAFKA_LINEAGE_CHECK_S` seconds (default 10), and on every acknowledged write, the broker's
answer is compared with that memory. A broker that holds fewer records than the index has read
(a lost volume, an unclean leader election, a topic deleted and recreated) or whose first record
is another one (a replaced topic) halts the store: the halt is persisted in `store_lineage`, so
every process refuses writes (503 naming the cause) and health names it, until an operator
either restores the broker's data and runs `zhulian index check`, or accepts the broker's log as
it now is with `zhulian index accept-reset` (rebuilds the index and the views from it).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

import psycopg
from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from psycopg import sql
from psycopg_pool import ConnectionPool

from services.store.errors import StoreUnavailableError
from services.store.kafka.settings import KafkaStoreSettings

log = logging.getLogger(__name__)

TABLE = "store_lineage"
DEFAULT_INTERVAL_S = 10.0
_FETCH_WAIT_S = 3.0
_DDL_LOCK_KEY = 0x7A686C67  # serialises CREATE TABLE from processes starting at once
OPERATOR_HELP = (
    "restore the broker's data and run `zhulian index check`, or accept the broker's log as it"
    " is now with `zhulian index accept-reset` (stop writers first; events only in the lost log"
    " are gone)"
)


class LogWentBackwards(StoreUnavailableError):
    """The broker no longer holds the log the index was built from: writes are refused."""


@dataclass(frozen=True)
class Seen:
    """What the broker answers for one partition: its high watermark and first record."""

    high_water: int
    first_offset: int | None
    first_digest: str | None


class LineageGuard:
    """Compares the index's memory of the log with the broker; halts writes when it went back."""

    def __init__(
        self, settings: KafkaStoreSettings, pool: ConnectionPool, interval_s: float | None = None
    ) -> None:
        self.settings = settings
        self.pool = pool
        env_interval = os.environ.get("KAFKA_LINEAGE_CHECK_S")
        self.interval_s = interval_s or float(env_interval or DEFAULT_INTERVAL_S)
        schema = sql.Identifier(settings.index_schema)
        self.table = sql.SQL("{}.{}").format(schema, sql.Identifier(TABLE))
        self.positions = sql.SQL("{}.store_positions").format(schema)
        self._halt: str | None = None
        self._lock = threading.Lock()
        # One consumer for every check, kept between them and replaced after a broker error. A
        # consumer per check left its connections, metrics and last fetch (up to a megabyte a
        # partition) in reference cycles for the collector: 25 MB more RSS every 10 s per process.
        self._consumer: KafkaConsumer | None = None
        self._consumer_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_DDL_LOCK_KEY,))
            conn.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (topic text NOT NULL,"
                    " partition integer NOT NULL, high_water bigint NOT NULL DEFAULT 0,"
                    " first_offset bigint, first_digest text, halted text,"
                    " PRIMARY KEY (topic, partition))"
                ).format(self.table)
            )

    # -- what writers and health ask ------------------------------------------------------

    def halt_reason(self) -> str | None:
        """Why writes are refused, or None."""
        return self._halt

    def before_write(self) -> None:
        """Refuse a write while halted (no record is produced)."""
        if self._halt is not None:
            raise LogWentBackwards(self._halt)

    def after_ack(self, acked: Mapping[int, int], index_next: Mapping[int, int]) -> None:
        """A record acked below what the index already read: the log was replaced under us."""
        for partition, offset in acked.items():
            known = index_next.get(partition, 0)
            if offset < known:
                self._persist_halt(
                    partition,
                    f"the broker acknowledged a write to {self.settings.topic}[{partition}] at"
                    f" offset {offset}, but the index has already read offsets up to {known - 1}:"
                    f" the log went backwards (lost data or a recreated topic); {OPERATOR_HELP}",
                )
                raise LogWentBackwards(self._halt or "")

    # -- checking ---------------------------------------------------------------------------

    def start(self) -> None:
        """Check now, then every interval in a daemon thread."""
        try:
            self.check()
        except Exception:
            log.exception("could not check the log's lineage at start; will retry")
        self._thread = threading.Thread(target=self._run, name="zhulian-lineage", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the periodic checks and release the broker connection."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        with self._consumer_lock:
            self._drop_consumer()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.check()
            except Exception:  # the broker or PostgreSQL may be briefly unreachable
                log.exception("could not check the log's lineage; will retry")

    def check(self, recheck: bool = False) -> str | None:
        """Compare every partition with the broker; persist and return a halt, or None.

        A persisted halt stands until `recheck` finds the broker holding the index's log again
        (its data restored): then the halt is lifted.
        """
        stored = self._stored()
        halts = [reason for _, _, _, _, reason in stored.values() if reason]
        if halts and not recheck:
            self._halt = halts[0]
            return self._halt
        if recheck:
            self._halt = None
        if not any(read or hw or digest for read, hw, _, digest, _ in stored.values()):
            return self._halt  # nothing read yet: nothing the broker could have lost
        try:
            seen = self._broker(stored)
        except KafkaError as e:
            log.warning("lineage not verified, broker unreachable: %s", e)
            return self._halt
        for partition, answer in seen.items():
            index_next, high_water, first_offset, first_digest, _ = stored.get(
                partition, (0, 0, None, None, None)
            )
            read = max(index_next, high_water)
            topic = f"{self.settings.topic}[{partition}]"
            if answer.high_water < read:
                self._persist_halt(
                    partition,
                    f"the broker holds {answer.high_water} record(s) in {topic} but the index has"
                    f" read {read}: the log went backwards (a broker that lost its data, an"
                    f" unclean leader election or a recreated topic); {OPERATOR_HELP}",
                )
            elif first_digest is not None and (
                (answer.first_offset, answer.first_digest) != (first_offset, first_digest)
            ):
                self._persist_halt(
                    partition,
                    f"the first record of {topic} is not the one the index was built from"
                    f" (offset {answer.first_offset} vs {first_offset}): the topic was replaced;"
                    f" {OPERATOR_HELP}",
                )
            else:
                self._remember(partition, answer, read, first_digest is None)
        if recheck and self._halt is None and halts:
            with self.pool.connection() as conn:
                conn.execute(
                    sql.SQL("UPDATE {} SET halted = NULL WHERE topic = %s").format(self.table),
                    (self.settings.topic,),
                )
        return self._halt

    def _stored(self) -> dict[int, tuple[int, int, int | None, str | None, str | None]]:
        query = sql.SQL(
            "SELECT p.partition, p.next_offset, coalesce(l.high_water, 0), l.first_offset,"
            " l.first_digest, l.halted FROM {} p LEFT JOIN {} l ON l.topic = p.topic"
            " AND l.partition = p.partition WHERE p.topic = %s"
        ).format(self.positions, self.table)
        with self.pool.connection() as conn:
            rows = conn.execute(query, (self.settings.topic,)).fetchall()
        return {int(r[0]): (int(r[1]), int(r[2]), r[3], r[4], r[5]) for r in rows}

    def _broker(
        self, stored: Mapping[int, tuple[int, int, int | None, str | None, str | None]]
    ) -> dict[int, Seen]:
        with self._consumer_lock:
            consumer = self._consumer or self._new_consumer()
            self._consumer = consumer
            try:
                seen = {p: self._partition(consumer, p) for p in sorted(stored)}
            except BaseException:
                self._drop_consumer()  # the next check starts from fresh connections and metadata
                raise
            consumer.assign([])  # nothing fetched between checks
            return seen

    def _new_consumer(self) -> KafkaConsumer:
        return KafkaConsumer(
            bootstrap_servers=self.settings.bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=100,
            request_timeout_ms=int(max(self.settings.produce_timeout_s, 2.0) * 1000) + 1000,
            bootstrap_timeout_ms=int(max(self.settings.produce_timeout_s, 2.0) * 1000),
            reconnect_backoff_max_ms=1000,
        )

    def _drop_consumer(self) -> None:
        consumer, self._consumer = self._consumer, None
        if consumer is not None:
            try:
                consumer.close()
            except Exception:  # a broken consumer is dropped either way
                log.debug("closing the lineage consumer failed", exc_info=True)

    def _partition(self, consumer: KafkaConsumer, partition: int) -> Seen:
        """The partition's first record and high watermark, as a fetch reports them."""
        tp = TopicPartition(self.settings.topic, partition)
        consumer.assign([tp])
        # ListOffsets may under-report the end on some brokers (see topic.py), so the high
        # watermark is taken from a fetch, which reports it exactly.
        first = consumer.beginning_offsets([tp])[tp]
        consumer.seek(tp, first)
        deadline = time.monotonic() + _FETCH_WAIT_S
        while True:
            polled = consumer.poll(timeout_ms=200, max_records=1).get(tp, [])
            high = consumer.highwater(tp)
            if polled:
                record = polled[0]
                digest = hashlib.sha256(record.value or b"").hexdigest()
                return Seen(high if high is not None else record.offset + 1, record.offset, digest)
            if high is not None and high <= first:
                return Seen(high, None, None)  # an empty log
            if time.monotonic() > deadline:
                known = consumer.partitions_for_topic(self.settings.topic)
                if not known or partition not in known:
                    return Seen(0, None, None)  # the topic (or partition) is gone
                raise KafkaError(f"no fetch answer for {tp} within {_FETCH_WAIT_S:g}s")

    def _remember(self, partition: int, seen: Seen, read: int, first_unknown: bool) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                sql.SQL(
                    "INSERT INTO {} (topic, partition, high_water, first_offset, first_digest)"
                    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (topic, partition) DO UPDATE SET"
                    " high_water = greatest({}.high_water, excluded.high_water),"
                    " first_offset = coalesce({}.first_offset, excluded.first_offset),"
                    " first_digest = coalesce({}.first_digest, excluded.first_digest)"
                ).format(self.table, self.table, self.table, self.table),
                (
                    self.settings.topic,
                    partition,
                    read,
                    seen.first_offset if first_unknown and read > 0 else None,
                    seen.first_digest if first_unknown and read > 0 else None,
                ),
            )

    def _persist_halt(self, partition: int, reason: str) -> None:
        log.error("refusing writes: %s", reason)
        with self._lock:
            self._halt = self._halt or reason
        try:
            with self.pool.connection() as conn:
                conn.execute(
                    sql.SQL(
                        "INSERT INTO {} (topic, partition, halted) VALUES (%s, %s, %s)"
                        " ON CONFLICT (topic, partition) DO UPDATE SET halted ="
                        " coalesce({}.halted, excluded.halted)"
                    ).format(self.table, self.table),
                    (self.settings.topic, partition, reason),
                )
        except psycopg.Error:
            log.exception("could not persist the halt; this process refuses writes anyway")


def clear(settings: KafkaStoreSettings, conn: psycopg.Connection) -> None:
    """Forget the lineage and any halt (after the index was rebuilt from the broker's log)."""
    table = sql.SQL("{}.{}").format(sql.Identifier(settings.index_schema), sql.Identifier(TABLE))
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))

"""Produces records with acks=all and bounded waits; a failed producer is replaced, not reused.

Measured on tansu with kafka-python 3.0: once a batch of the idempotent producer expires (broker
stopped), that producer never completes another send, even after the broker resumes. So on any
send failure the producer is force-closed and a fresh one is made for the next call; the caller
gets StoreUnavailableError and nothing is acknowledged. The expired record may still reach the
log when the broker resumes (tansu, like Kafka, cannot take back bytes already sent): the outcome
is unknown, and it is then decided by the log-order rule like any other commit, so a retry of the
same change is a version conflict rather than a duplicate.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import DataError
from kafka import KafkaProducer
from kafka.errors import KafkaError, MessageSizeTooLargeError

from services.store.errors import StoreUnavailableError
from services.store.kafka.settings import KafkaStoreSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OutgoingRecord:
    """One record to produce: its partition, key (the partition key, for tooling) and value."""

    partition: int
    key: bytes | None
    value: bytes


class RecordProducer:
    """Thread-safe producer of store records; `send_all` returns the acked offsets in order."""

    def __init__(self, settings: KafkaStoreSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._producer: KafkaProducer | None = None

    def send_all(self, records: Sequence[OutgoingRecord]) -> list[int]:
        """Produce the records and wait for every ack; StoreUnavailableError if any is missing."""
        return self.send(records).offsets()

    def send(self, records: Sequence[OutgoingRecord]) -> PendingAcks:
        """Hand the records to the producer's sender thread; `offsets()` waits for the acks.

        Between the two the caller may do other work (the store stages its index transaction
        while the broker replicates the record).
        """
        producer = self._current()
        try:
            futures = [
                producer.send(self.settings.topic, r.value, key=r.key, partition=r.partition)
                for r in records
            ]
        except KafkaError as e:
            raise self.failed(producer, e) from e
        return PendingAcks(self, producer, futures)

    def failed(self, producer: KafkaProducer, e: KafkaError) -> Exception:
        """The error to raise for a failed send; a broken producer is replaced."""
        if isinstance(e, MessageSizeTooLargeError):
            return DataError(f"record larger than the broker accepts: {e}")
        self._discard(producer)
        return StoreUnavailableError(
            f"Kafka broker {self.settings.bootstrap_servers} did not acknowledge the write to "
            f"topic {self.settings.topic!r} within {self.settings.produce_timeout_s:g}s "
            f"({type(e).__name__}: {e}); the commit was not acknowledged"
        )

    def _current(self) -> KafkaProducer:
        with self._lock:
            if self._producer is None:
                self._producer = self._create()
            return self._producer

    def _create(self) -> KafkaProducer:
        timeout_ms = int(self.settings.produce_timeout_s * 1000)
        try:
            return KafkaProducer(
                bootstrap_servers=self.settings.bootstrap_servers,
                acks="all",
                enable_idempotence=True,
                linger_ms=0,
                max_request_size=self.settings.max_request_size,
                max_block_ms=timeout_ms,
                bootstrap_timeout_ms=timeout_ms,
                request_timeout_ms=max(1000, timeout_ms - 500),
                delivery_timeout_ms=timeout_ms,
                reconnect_backoff_max_ms=1000,
            )
        except KafkaError as e:
            raise StoreUnavailableError(
                f"Kafka broker {self.settings.bootstrap_servers} is unreachable: {e}"
            ) from e

    def _discard(self, producer: KafkaProducer) -> None:
        with self._lock:
            if self._producer is producer:
                self._producer = None
        threading.Thread(target=_force_close, args=(producer,), daemon=True).start()

    def close(self) -> None:
        """Flush and close the current producer."""
        with self._lock:
            producer, self._producer = self._producer, None
        if producer is not None:
            _force_close(producer, timeout=1.0)


class PendingAcks:
    """Records handed to the producer; their offsets once the broker acknowledged them all."""

    def __init__(self, owner: RecordProducer, producer: KafkaProducer, futures: list[Any]) -> None:
        self._owner = owner
        self._producer = producer
        self._futures = futures

    def offsets(self) -> list[int]:
        """Wait for every ack (bounded); StoreUnavailableError if any is missing."""
        timeout_s = self._owner.settings.produce_timeout_s + 1.0
        try:
            return [f.get(timeout=timeout_s).offset for f in self._futures]
        except KafkaError as e:
            raise self._owner.failed(self._producer, e) from e


def _force_close(producer: KafkaProducer, timeout: float = 0.0) -> None:
    """Close even a stuck producer: close() gives up when flush() times out, so stop its sender."""
    try:
        producer.close(timeout=timeout)
    except KafkaError:
        sender = getattr(producer, "_sender", None)  # private: the only way to stop a stuck one
        if sender is not None:
            with contextlib.suppress(Exception):
                sender.force_close()

"""Inbox worker: department events arriving on a Kafka topic (CloudEvents Kafka binding).

    python -m services.workers.inbox   # ZHULIAN_INBOX_TOPIC (default zhulian.inbox)

Each record becomes one ingest, exactly as over HTTP; its result (stored, duplicate or rejected
with the problem) is published to `<inbox>.results`, keyed by the event's `["source", "id"]` (a
JSON array, so no separator can be ambiguous), or `record:<partition>:<offset>` for a record that
names neither (e.g. a record in neither CloudEvents mode). Key
records by the alliance (the county code): records of one key keep their order, as a
household's discovery must come before its needs. Offsets are committed only after the results
are acknowledged, so a crash redelivers — which the receipts make harmless. While the event store
is unavailable the worker backs off and retries the same record; it never skips one.

No principal is known here: the inbox topic is trusted by its ACL (only the department gateways,
which authenticate their departments, may produce to it), so its events are ingested as sent,
without the publishing rules of services/auth/publishing.py.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from types import FrameType
from typing import Any

import orjson
from eventsourcing.persistence import OperationalError
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from services import exits
from services.container import Container
from services.errors import Problem
from services.ingest.kafka_binding import record_to_event
from services.ingest.service import Ingestor, Result
from services.observability import logs
from services.observability.server import serve_health
from services.secret_files import load_secret_files
from services.settings import Settings
from services.workers.settings import WorkerSettings

log = logging.getLogger(__name__)
BACKOFF_S = 2.0


def result_for(ingestor: Ingestor, value: bytes | None, headers: Any) -> Result:
    """Ingest one record's event; a record that is not a CloudEvent is rejected, not skipped."""
    try:
        event = record_to_event(value, headers)
    except Problem as problem:
        return Result(None, None, problem=problem)
    return ingestor.submit(event)


def result_key(result: Result, partition: int, offset: int) -> bytes:
    """source and id when the record named both; else where the record was (partition:offset)."""
    if isinstance(result.source, str) and isinstance(result.id, str):
        return orjson.dumps([result.source, result.id])
    return f"record:{partition}:{offset}".encode()


class InboxWorker:
    """Consumes the inbox topic and answers on the results topic."""

    def __init__(self, ingestor: Ingestor, bootstrap: str, topic: str, group: str) -> None:
        self.ingestor = ingestor
        self.topic = topic
        self.stop = threading.Event()
        self.consumer = KafkaConsumer(
            topic,
            bootstrap_servers=bootstrap,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=200,
        )
        self.producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")

    def run(self) -> None:
        """Poll, ingest, answer, commit — until stopped."""
        while not self.stop.is_set():
            for partition, records in self.consumer.poll(timeout_ms=500).items():
                self._handle(partition, records)

    def _handle(self, partition: TopicPartition, records: list[Any]) -> None:
        for record in records:
            while True:
                try:
                    result = result_for(self.ingestor, record.value, record.headers)
                    break
                except OperationalError as error:
                    log.warning("event store unavailable (%s); retrying in %ss", error, BACKOFF_S)
                    if self.stop.wait(BACKOFF_S):
                        self.consumer.seek(partition, record.offset)  # redeliver after restart
                        return
            self.producer.send(
                f"{self.topic}.results",
                key=result_key(result, record.partition, record.offset),
                value=orjson.dumps(
                    {**result.as_json(), "partition": record.partition, "offset": record.offset}
                ),
            )
        self.producer.flush()
        self.consumer.commit()

    def close(self) -> None:
        """Leave the group and flush."""
        self.consumer.close()
        self.producer.close()


def main() -> None:
    """Run the inbox worker until SIGTERM or SIGINT; one line and an exit code on bad setup."""
    logs.configure()
    exits.run(_run, "zhulian-inbox")


def _run() -> None:
    load_secret_files()
    options = WorkerSettings()
    settings = Settings()
    container = Container(settings)
    worker = InboxWorker(
        container.ingestor,
        os.environ["KAFKA_BOOTSTRAP_SERVERS"],
        options.inbox_topic,
        options.inbox_group,
    )
    health = serve_health(
        container.readiness, container, options.health_host, options.health_port, "inbox"
    )

    def on_signal(signum: int, frame: FrameType | None) -> None:
        worker.stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    log.info("taking department events from %s", worker.topic)
    try:
        worker.run()
    finally:
        if health is not None:
            health.stop()
        worker.close()
        container.close()


if __name__ == "__main__":
    main()

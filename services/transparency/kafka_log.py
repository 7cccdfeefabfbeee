"""The production log itself as a source for verification: a partition read from offset 0.

Each record is decoded and judged with the store's own rule (validity.py), so the events that
come out are those the index should hold, in the same order, with the same notification ids.
The rule is applied per partition; an aggregate written under two partitions' keys (refused by
the index across partitions) would show here as a difference, never be hidden.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from kafka import KafkaConsumer, TopicPartition

from services.store.kafka.codec import UndecodableRecordError, decode_record
from services.store.kafka.settings import KafkaStoreSettings
from services.store.kafka.validity import RecordJudge, Tip
from services.transparency.sources import Event


def partition_events(settings: KafkaStoreSettings, partition: int) -> Iterator[Event]:
    """The valid events of one partition, in log order, as the index should hold them."""
    tp = TopicPartition(settings.topic, partition)
    consumer = KafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=100,
        max_partition_fetch_bytes=max(1_048_576, settings.max_request_size),
        request_timeout_ms=30_000,
    )
    try:
        consumer.assign([tp])
        end = consumer.end_offsets([tp])[tp]
        consumer.seek(tp, 0)
        tips: dict[UUID | str, Tip] = {}
        decided: set[UUID] = set()
        while consumer.position(tp) < end:
            for records in consumer.poll(timeout_ms=1000, max_records=2000).values():
                for record in records:
                    if record.offset >= end:
                        continue
                    yield from _judged(settings, partition, record, tips, decided)
    finally:
        consumer.close()


def _judged(
    settings: KafkaStoreSettings,
    partition: int,
    record: Any,
    tips: dict[UUID | str, Tip],
    decided: set[UUID],
) -> Iterator[Event]:
    try:
        commits = decode_record(record.value, settings.originator_id_type)
    except UndecodableRecordError:
        return  # the indexer skips it too
    judge = RecordJudge(partition, tips, decided)
    judge.judge_record(record.offset, commits)
    for oid, version, topic, state, nid in judge.valid_rows():
        yield nid, oid, version, topic, state

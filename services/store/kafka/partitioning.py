"""Stable choice of partition from a partition key (the alliance's county code)."""

from __future__ import annotations

from kafka.partitioner.default import murmur2


def partition_for(partition_key: str | None, partitions: int) -> int:
    """Partition for a key: Kafka's own murmur2 (as Java/librdkafka clients pick), absent → 0.

    murmur2 rather than Python's hash() because it must give the same answer in every process,
    every run, and in any other Kafka client that publishes with the same key.
    """
    if partition_key is None or partitions == 1:
        return 0
    digest: int = murmur2(partition_key.encode("utf-8"))
    return (digest & 0x7FFFFFFF) % partitions

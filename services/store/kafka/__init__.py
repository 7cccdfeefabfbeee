"""Kafka-backed persistence for eventsourcing: PERSISTENCE_MODULE=services.store.kafka.

Settings (environment, read once when the factory is constructed; APPNAME_-prefixed names win):
KAFKA_BOOTSTRAP_SERVERS, KAFKA_EVENTS_TOPIC (zhulian.events), KAFKA_EVENTS_PARTITIONS (1),
KAFKA_REPLICATION_FACTOR (1), DATABASE_URL (postgresql://…), KAFKA_INDEX_SCHEMA (public),
ORIGINATOR_ID_TYPE (uuid|text), KAFKA_PRODUCE_TIMEOUT_S (5), KAFKA_INDEX_WAIT_TIMEOUT_S (10),
KAFKA_MAX_REQUEST_SIZE (1048576), KAFKA_RUN_INDEXER (yes), KAFKA_INDEX_POOL_SIZE (10),
KAFKA_STAGE_INDEX_DURING_ACK (yes), KAFKA_INDEX_FOLLOW_SETTLE_MS (50).
"""

from __future__ import annotations

from services.store.kafka.factory import KafkaFactory

# eventsourcing looks for exactly one InfrastructureFactory subclass in this module.
Factory = KafkaFactory

__all__ = ["Factory", "KafkaFactory"]

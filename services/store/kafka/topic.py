"""Creates the events topic at start-up, or verifies it, and refuses a misconfigured one.

min.insync.replicas is set on creation (2 with three or more replicas, else 1) and, where the
broker reports configs, an existing topic with a lower value is refused: with acks=all it is
what makes an acknowledged commit survive the loss of a broker.

What tansu 0.6 (the test broker) does, checked with kafka-python 3.0.12:
- CreateTopics works, with configs accepted (but not stored: DescribeConfigs answers an empty
  list for the topic), so cleanup.policy / retention.ms can only be verified on brokers that
  report them (Apache Kafka does). When the broker reports nothing, start-up logs a warning.
- Metadata (partition count) is reported correctly, so the partition count is always verified.
- message.timestamp.type=LogAppendTime is ignored (records keep the producer's timestamp).
- ListOffsets(latest) can answer the base offset of the last batch rather than the high
  watermark, so this store never uses end offsets; the indexer uses the fetch high watermark.
"""

from __future__ import annotations

import logging
from typing import Any

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from services.store.errors import StoreMisconfiguredError, StoreUnavailableError
from services.store.kafka.settings import KafkaStoreSettings

log = logging.getLogger(__name__)

REQUIRED_CONFIGS = {"cleanup.policy": "delete", "retention.ms": "-1"}


def required_min_insync(replication_factor: int) -> int:
    """The min.insync.replicas the log needs: 2 once there are 3+ replicas (one may be down)."""
    return 2 if replication_factor >= 3 else 1


def min_insync_problem(configs: dict[str, str], replication_factor: int) -> str | None:
    """Why the topic's reported min.insync.replicas is too weak for acks=all, or None."""
    actual = configs.get("min.insync.replicas")
    required = required_min_insync(replication_factor)
    if actual is None or not actual.isdigit() or int(actual) >= required:
        return None
    return (
        f"min.insync.replicas={actual}, but KAFKA_REPLICATION_FACTOR={replication_factor} needs "
        f"at least {required}: an acknowledged write could live on one broker only"
    )


def ensure_topic(settings: KafkaStoreSettings) -> None:
    """Create the topic (delete policy, infinite retention) if missing; verify it otherwise."""
    admin = _admin(settings)
    try:
        if settings.topic not in admin.list_topics():
            _create(admin, settings)
        _verify(admin, settings)
    except KafkaError as e:
        raise StoreUnavailableError(
            f"Kafka broker {settings.bootstrap_servers} failed while checking topic "
            f"{settings.topic!r}: {e}"
        ) from e
    finally:
        admin.close()


def _admin(settings: KafkaStoreSettings) -> KafkaAdminClient:
    timeout_ms = int(settings.produce_timeout_s * 1000)
    try:
        return KafkaAdminClient(
            bootstrap_servers=settings.bootstrap_servers,
            request_timeout_ms=timeout_ms,
            bootstrap_timeout_ms=timeout_ms,
            reconnect_backoff_max_ms=1000,
        )
    except KafkaError as e:
        raise StoreUnavailableError(
            f"Kafka broker {settings.bootstrap_servers} is unreachable: {type(e).__name__}: {e}"
        ) from e


def _create(admin: KafkaAdminClient, settings: KafkaStoreSettings) -> None:
    topic = NewTopic(
        settings.topic,
        num_partitions=settings.partitions,
        replication_factor=settings.replication_factor,
        topic_configs={
            **REQUIRED_CONFIGS,
            "min.insync.replicas": str(required_min_insync(settings.replication_factor)),
        },
    )
    try:
        admin.create_topics([topic])
        log.info("created topic %s with %s partition(s)", settings.topic, settings.partitions)
    except TopicAlreadyExistsError:
        pass  # another process created it first; verified below like any existing topic


def _verify(admin: KafkaAdminClient, settings: KafkaStoreSettings) -> None:
    described = admin.describe_topics([settings.topic])
    partitions = len(described[0]["partitions"]) if described else 0
    if partitions != settings.partitions:
        raise StoreMisconfiguredError(
            f"topic {settings.topic!r} has {partitions} partition(s) but KAFKA_EVENTS_PARTITIONS="
            f"{settings.partitions}: the partition of every alliance would change, so the store "
            "refuses to start (fix the setting or the topic)"
        )
    configs = _topic_configs(admin, settings.topic)
    if not configs:
        log.warning(
            "broker does not report configs of topic %s; cannot verify cleanup.policy=delete, "
            "retention.ms=-1 and min.insync.replicas",
            settings.topic,
        )
        return
    for name, required in REQUIRED_CONFIGS.items():
        actual = configs.get(name)
        if actual is not None and actual != required:
            raise StoreMisconfiguredError(
                f"topic {settings.topic!r} has {name}={actual}, but the log of record needs "
                f"{name}={required} (never compaction, never expiry): refusing to start"
            )
    weak = min_insync_problem(configs, settings.replication_factor)
    if weak is not None:
        raise StoreMisconfiguredError(f"topic {settings.topic!r} has {weak}: refusing to start")


def _topic_configs(admin: KafkaAdminClient, topic: str) -> dict[str, str]:
    """Topic configs as name → value, empty when the broker reports none."""
    try:
        answer: Any = admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic)], config_filter="all"
        )
    except KafkaError as e:
        log.warning("DescribeConfigs failed for %s: %s", topic, e)
        return {}
    found = answer.get("topic", {}).get(topic, {}) if isinstance(answer, dict) else {}
    if not isinstance(found, dict):
        return {}
    # kafka-python 3 answers {name: {"value": ..., ...}}; older shapes answer {name: value}.
    return {
        str(name): str(entry.get("value") if isinstance(entry, dict) else entry)
        for name, entry in found.items()
    }

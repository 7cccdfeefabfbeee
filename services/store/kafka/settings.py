"""Settings of the Kafka-backed store, read once from the environment at construction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from eventsourcing.utils import Environment, strtobool

from services.store.errors import StoreMisconfiguredError

DEFAULT_TOPIC = "zhulian.events"
# Notification ids keep 15 bits for the partition (the sign bit must stay clear).
MAX_PARTITIONS = 2**15


@dataclass(frozen=True)
class KafkaStoreSettings:
    """Where the log and the index live, and how long a caller may be kept waiting."""

    bootstrap_servers: str
    database_url: str
    topic: str = DEFAULT_TOPIC
    partitions: int = 1
    replication_factor: int = 1
    index_schema: str = "public"
    originator_id_type: Literal["uuid", "text"] = "uuid"
    produce_timeout_s: float = 5.0
    index_wait_timeout_s: float = 10.0
    max_request_size: int = 1_048_576
    run_indexer: bool = True
    pool_size: int = 10
    stage_during_ack: bool = True
    follow_settle_s: float = 0.05

    @classmethod
    def from_env(cls, env: Environment) -> KafkaStoreSettings:
        """Read the settings (application-prefixed names win, as eventsourcing does)."""
        bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS")
        database_url = env.get("DATABASE_URL")
        if not bootstrap:
            raise StoreMisconfiguredError("KAFKA_BOOTSTRAP_SERVERS is not set")
        if not database_url:
            raise StoreMisconfiguredError("DATABASE_URL is not set (postgresql://…)")
        id_type = (env.get("ORIGINATOR_ID_TYPE") or "uuid").lower()
        if id_type not in ("uuid", "text"):
            raise StoreMisconfiguredError(f"ORIGINATOR_ID_TYPE must be uuid or text: {id_type!r}")
        settings = cls(
            bootstrap_servers=bootstrap,
            database_url=database_url,
            topic=env.get("KAFKA_EVENTS_TOPIC") or DEFAULT_TOPIC,
            partitions=_int(env, "KAFKA_EVENTS_PARTITIONS", 1),
            replication_factor=_int(env, "KAFKA_REPLICATION_FACTOR", 1),
            index_schema=env.get("KAFKA_INDEX_SCHEMA") or "public",
            originator_id_type="uuid" if id_type == "uuid" else "text",
            produce_timeout_s=_float(env, "KAFKA_PRODUCE_TIMEOUT_S", 5.0),
            index_wait_timeout_s=_float(env, "KAFKA_INDEX_WAIT_TIMEOUT_S", 10.0),
            max_request_size=_int(env, "KAFKA_MAX_REQUEST_SIZE", 1_048_576),
            run_indexer=strtobool(env.get("KAFKA_RUN_INDEXER") or "yes"),
            pool_size=_int(env, "KAFKA_INDEX_POOL_SIZE", 10),
            stage_during_ack=strtobool(env.get("KAFKA_STAGE_INDEX_DURING_ACK") or "yes"),
            follow_settle_s=_float(env, "KAFKA_INDEX_FOLLOW_SETTLE_MS", 50.0) / 1000,
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        """Refuse values the notification-id layout or the broker cannot honour."""
        if not 1 <= self.partitions <= MAX_PARTITIONS:
            raise StoreMisconfiguredError(
                f"KAFKA_EVENTS_PARTITIONS must be between 1 and {MAX_PARTITIONS}: {self.partitions}"
            )
        if self.produce_timeout_s <= 0 or self.index_wait_timeout_s <= 0:
            raise StoreMisconfiguredError("store timeouts must be positive")
        if not 0 <= self.follow_settle_s <= 1:
            raise StoreMisconfiguredError("KAFKA_INDEX_FOLLOW_SETTLE_MS must be between 0 and 1000")
        if self.max_request_size < 16_384:
            raise StoreMisconfiguredError("KAFKA_MAX_REQUEST_SIZE must be at least 16384 bytes")


def _int(env: Environment, key: str, default: int) -> int:
    raw = env.get(key)
    try:
        return int(raw) if raw else default
    except ValueError:
        raise StoreMisconfiguredError(f"{key} must be an integer: {raw!r}") from None


def _float(env: Environment, key: str, default: float) -> float:
    raw = env.get(key)
    try:
        return float(raw) if raw else default
    except ValueError:
        raise StoreMisconfiguredError(f"{key} must be a number: {raw!r}") from None

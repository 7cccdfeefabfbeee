"""Production chooses its event store by setting: Kafka by default, eventsourcing's PostgreSQL
recorder only when asked (the benchmarks' baseline)."""

from __future__ import annotations

from services.secrets import new_secret
from services.settings import Settings


def production(**overrides: str) -> Settings:
    values = {
        "profile": "production",
        "database_url": "postgresql://db/zhulian",
        "household_secret": new_secret(),
        "log_signing_key": new_secret(),
        "master_key": new_secret(),
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


def test_production_writes_to_the_kafka_store_unless_told_otherwise() -> None:
    assert production().event_store_env() == {"PERSISTENCE_MODULE": "services.store.kafka"}


def test_production_asked_for_postgres_uses_eventsourcings_own_recorder() -> None:
    env = production(event_store="postgres").event_store_env()
    assert env == {"PERSISTENCE_MODULE": "eventsourcing.postgres"}

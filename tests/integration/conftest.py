"""Session-wide real servers (tansu + PostgreSQL) and per-test isolated stores.

Servers start once per session (or come from KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL). If they
cannot start, the fixtures raise and every test here errors: integration tests never skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from services.store.kafka import KafkaFactory
from services.store.kafka.recorder import KafkaApplicationRecorder
from tests.support.postgres import Database, fresh_schema
from tests.support.servers import kafka_broker, postgres_server, unique_topic
from tests.support.tansu import Broker

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark everything under tests/integration as an integration test."""
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def broker() -> Iterator[Broker]:
    """The session's Kafka-protocol broker."""
    with kafka_broker() as b:
        yield b


@pytest.fixture(scope="session")
def postgres() -> Iterator[Database]:
    """The session's PostgreSQL."""
    with postgres_server() as db:
        yield db


@pytest.fixture
def store_env(broker: Broker, postgres: Database) -> dict[str, str]:
    """Environment selecting the Kafka store on a fresh topic and a fresh index schema."""
    return store_env_for(broker.bootstrap_servers, postgres.url)


def store_env_for(bootstrap: str, database_url: str, **extra: str) -> dict[str, str]:
    """Environment for an isolated store (fresh topic, fresh schema) on the given servers."""
    return {
        "PERSISTENCE_MODULE": "services.store.kafka",
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "DATABASE_URL": database_url,
        "KAFKA_EVENTS_TOPIC": unique_topic(),
        "KAFKA_INDEX_SCHEMA": fresh_schema(database_url),
        **extra,
    }


@pytest.fixture
def factory(store_env: dict[str, str]) -> Iterator[KafkaFactory]:
    """A Kafka store factory, closed after the test."""
    f = KafkaFactory(store_env)
    yield f
    f.close()


@pytest.fixture
def recorder(factory: KafkaFactory) -> KafkaApplicationRecorder:
    """The application recorder of the test's store."""
    recorder = factory.application_recorder()
    assert isinstance(recorder, KafkaApplicationRecorder)
    return recorder

"""G9 at the store: the index notices a replaced topic, even one holding more records."""

from __future__ import annotations

import time
from collections.abc import Iterator
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from services.store.kafka import KafkaFactory
from services.store.kafka.lineage import LogWentBackwards
from services.store.kafka.recorder import KafkaApplicationRecorder
from tests.integration.conftest import store_env_for
from tests.support.broker_restart import restart_empty
from tests.support.postgres import Database
from tests.support.tansu import Broker, start_tansu


@pytest.fixture
def brokers() -> Iterator[list[Broker]]:
    started = [start_tansu()]
    try:
        yield started
    finally:
        started[-1].stop()


def _recreate(broker: Broker, topic: str, records: int) -> None:
    """What an operator mistake or a lost volume leaves: the topic anew, with other records."""
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap_servers)
    for attempt in range(5):  # a consumer asking for the topic may auto-create it at any moment
        if topic in admin.list_topics():
            admin.delete_topics([topic])
        try:
            admin.create_topics([NewTopic(topic, 1, 1)])
            break
        except TopicAlreadyExistsError:
            if attempt == 4:
                raise
            time.sleep(0.2)
    admin.close()
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap_servers, acks="all")
    for n in range(records):
        producer.send(topic, f"not ours {n}".encode(), partition=0).get(10)
    producer.close()


def _three_records(factory: KafkaFactory) -> KafkaApplicationRecorder:
    recorder = factory.application_recorder()
    assert isinstance(recorder, KafkaApplicationRecorder)
    for n in range(3):
        recorder.insert_events([StoredEvent(uuid4(), 1, "Opened", f'{{"n":{n}}}'.encode())])
    return recorder


def test_a_replaced_topic_with_more_records_is_caught_by_its_first_record(
    brokers: list[Broker], postgres: Database
) -> None:
    env = store_env_for(brokers[0].bootstrap_servers, postgres.url, KAFKA_LINEAGE_CHECK_S="3600")
    factory = KafkaFactory(env)
    try:
        recorder = _three_records(factory)
        guard = factory.store.lineage
        assert guard.check() is None  # the first record is remembered
        brokers.append(restart_empty(brokers[0]))
        _recreate(brokers[-1], env["KAFKA_EVENTS_TOPIC"], records=10)

        reason = guard.check()
        assert reason is not None and "first record" in reason and "accept-reset" in reason
        with pytest.raises(LogWentBackwards):
            recorder.insert_events([StoredEvent(uuid4(), 1, "Opened", b"{}")])
        assert factory.store.lineage.halt_reason() == reason
    finally:
        factory.close()
    # Another process opening the same index learns the halt from PostgreSQL.
    again = KafkaFactory(env)
    try:
        assert again.store.lineage.halt_reason() == reason
    finally:
        again.close()


def test_a_topic_recreated_on_a_running_broker_is_caught_by_the_consumer_kept_between_checks(
    brokers: list[Broker], postgres: Database
) -> None:
    env = store_env_for(brokers[0].bootstrap_servers, postgres.url, KAFKA_LINEAGE_CHECK_S="3600")
    factory = KafkaFactory(env)
    try:
        _three_records(factory)
        guard = factory.store.lineage
        assert guard.check() is None and guard.check() is None
        kept = guard._consumer
        assert kept is not None  # one consumer serves every check (no new one each time)
        _recreate(brokers[0], env["KAFKA_EVENTS_TOPIC"], records=10)

        reason = guard.check()
        assert reason is not None and "first record" in reason
    finally:
        factory.close()
    assert guard._consumer is None  # closing the store releases it

"""eventsourcing's own recorder test cases, run against the Kafka-backed recorder."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import (
    AggregateRecorder,
    IntegrityError,
    StoredEvent,
)
from eventsourcing.tests.persistence import (
    AggregateRecorderTestCase,
    ApplicationRecorderTestCase,
    NonInterleavingNotificationIDsBaseCase,
)

from services.store.kafka import KafkaFactory
from services.store.kafka.recorder import KafkaApplicationRecorder
from tests.integration.conftest import store_env_for
from tests.support.postgres import Database
from tests.support.tansu import Broker


class _KafkaStoreCase:
    """Gives each unittest case a fresh topic and schema on the session's servers."""

    env: dict[str, str]

    @pytest.fixture(autouse=True)
    def _servers(self, broker: Broker, postgres: Database) -> None:
        self.env = store_env_for(broker.bootstrap_servers, postgres.url)

    def _factory(self) -> KafkaFactory:
        factory = KafkaFactory(self.env)
        self.addCleanup(factory.close)  # type: ignore[attr-defined]
        return factory


class TestAggregateRecorderContract(_KafkaStoreCase, AggregateRecorderTestCase):
    """The aggregate recorder contract holds unchanged."""

    def create_recorder(self) -> AggregateRecorder:
        return self._factory().aggregate_recorder()


class TestApplicationRecorderContract(_KafkaStoreCase, ApplicationRecorderTestCase[Any]):
    """The application recorder contract, where it does not assume ids 1, 2, 3…"""

    EXPECT_CONTIGUOUS_NOTIFICATION_IDS = False

    def create_recorder(self) -> KafkaApplicationRecorder:
        recorder = self._factory().application_recorder()
        assert isinstance(recorder, KafkaApplicationRecorder)
        return recorder

    def test_insert_select(self) -> None:
        # Overrides the upstream case, which asserts notification ids are exactly 1, 2, 3:
        # ours are partition|offset|index (gaps allowed). Same checks, against the ids returned.
        recorder = self.create_recorder()
        assert recorder.select_notifications(start=None, limit=3) == []
        assert recorder.max_notification_id() is None
        o1, o2 = uuid4(), uuid4()
        e1 = StoredEvent(o1, 1, "topic1", b"state1")
        e2 = StoredEvent(o1, 2, "topic2", b"state2")
        e3 = StoredEvent(o2, 1, "topic3", b"state3")
        ids12 = recorder.insert_events([e1, e2])
        ids3 = recorder.insert_events([e3])
        assert ids12 is not None and ids3 is not None
        n1, n2, n3 = [*ids12, *ids3]
        assert 0 < n1 < n2 < n3
        with pytest.raises(IntegrityError):
            recorder.insert_events([e3])

        def ids(**kwargs: Any) -> list[int]:
            return [n.id for n in recorder.select_notifications(**kwargs)]

        everything = recorder.select_notifications(start=None, limit=10)
        assert [(n.originator_id, n.originator_version, n.topic, n.state) for n in everything] == [
            (o1, 1, "topic1", b"state1"),
            (o1, 2, "topic2", b"state2"),
            (o2, 1, "topic3", b"state3"),
        ]
        assert ids(start=n1, limit=10) == [n1, n2, n3]
        assert ids(start=None, stop=n2, limit=10) == [n1, n2]
        assert ids(start=n1, limit=10, inclusive_of_start=False) == [n2, n3]
        assert ids(start=n2, limit=10, inclusive_of_start=False) == [n3]
        assert ids(start=None, limit=10, topics=["topic1", "topic2", "topic3"]) == [n1, n2, n3]
        assert ids(start=n1, limit=10, topics=["topic1"]) == [n1]
        assert ids(start=n1, limit=3, topics=["topic2"]) == [n2]
        assert ids(start=n1, limit=3, topics=["topic1", "topic3"]) == [n1, n3]
        assert recorder.max_notification_id() == n3
        assert ids(start=None, limit=1) == [n1]
        assert ids(start=n2, limit=1) == [n2]
        assert ids(start=n1, limit=1, inclusive_of_start=False) == [n2]
        assert ids(start=n3, limit=1, inclusive_of_start=False) == []
        assert ids(start=n2, limit=10, stop=n2) == [n2]
        assert ids(start=n1, limit=10, stop=n2, inclusive_of_start=False) == [n2]

    def test_insert_subscribe(self) -> None:
        # Upstream keeps this case optional; the Kafka recorder supports subscribe().
        self.optional_test_insert_subscribe()


class TestNonInterleavingNotificationIds(_KafkaStoreCase, NonInterleavingNotificationIDsBaseCase):
    """Two commits written at once never interleave their notification ids."""

    def create_recorder(self) -> KafkaApplicationRecorder:
        recorder = self._factory().application_recorder()
        assert isinstance(recorder, KafkaApplicationRecorder)
        return recorder


def test_an_application_selects_the_kafka_store_by_environment_alone(
    store_env: dict[str, str],
) -> None:
    """PERSISTENCE_MODULE picks the store; save(partition_key=…) routes; snapshots still work."""
    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate

    class Dog(Aggregate):
        def __init__(self, name: str) -> None:
            self.tricks: list[str] = []

        def add_trick(self, trick: str) -> None:
            self.trigger_event(self.TrickAdded, trick=trick)

        class TrickAdded(Aggregate.Event):
            trick: str

            def apply(self, aggregate: Aggregate) -> None:
                aggregate.tricks.append(self.trick)  # type: ignore[attr-defined]

    class Kennel(Application):
        is_snapshotting_enabled = True

    app = Kennel(env=store_env)
    try:
        assert isinstance(app.factory, KafkaFactory)
        dog = Dog("Fido")
        dog.add_trick("sit")
        app.save(dog, partition_key="110101")
        app.take_snapshot(dog.id)
        stale = app.repository.get(dog.id)
        dog.add_trick("roll")
        app.save(dog, partition_key="110101")
        stale.add_trick("beg")
        with pytest.raises(IntegrityError):
            app.save(stale, partition_key="110101")
        assert app.repository.get(dog.id).tricks == ["sit", "roll"]
        assert [n.originator_version for n in app.notification_log.select(start=1, limit=10)] == [
            1,
            2,
            3,
        ]
    finally:
        app.close()

"""The infrastructure factory selected by PERSISTENCE_MODULE=services.store.kafka."""

from __future__ import annotations

from typing import Any

import psycopg
from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    InfrastructureFactory,
    ProcessRecorder,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresDatastore,
    PostgresTrackingRecorder,
)
from eventsourcing.utils import Environment, EnvType
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from services.store.kafka.recorder import KafkaAggregateRecorder, KafkaApplicationRecorder
from services.store.kafka.settings import KafkaStoreSettings
from services.store.kafka.store import KafkaStore


class KafkaFactory(InfrastructureFactory[PostgresTrackingRecorder]):
    """Events go to the Kafka log (indexed in PostgreSQL); snapshots and tracking to PostgreSQL.

    Snapshots are derived data (rebuilt by replaying events), so they do not belong in the log
    of record; tracking records must sit beside the view rows they guard, in PostgreSQL.
    """

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        self.settings = KafkaStoreSettings.from_env(self.env)
        self._store: KafkaStore | None = None
        self._datastore: PostgresDatastore | None = None

    @property
    def store(self) -> KafkaStore:
        """The topic's log and index, opened on first use (topic checked, index created)."""
        if self._store is None:
            self._store = KafkaStore(self.settings)
        return self._store

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        """Kafka-backed for events; PostgreSQL for snapshots and other derived sequences."""
        if purpose == "events":
            return KafkaAggregateRecorder(self.store)
        recorder = PostgresAggregateRecorder(
            self.datastore, events_table_name=f"{self._prefix('stored')}_{purpose}"
        )
        recorder.create_table()
        return recorder

    def application_recorder(self) -> ApplicationRecorder:
        """The Kafka-backed application recorder."""
        return KafkaApplicationRecorder(self.store)

    def tracking_recorder(self, tracking_recorder_class: type[Any] | None = None) -> Any:
        """eventsourcing's PostgreSQL tracking recorder on the index database."""
        cls = tracking_recorder_class or PostgresTrackingRecorder
        recorder = cls(
            self.datastore, tracking_table_name=f"{self._prefix('notification')}_tracking"
        )
        recorder.create_table()
        return recorder

    def process_recorder(self) -> ProcessRecorder:
        """Not offered: events (Kafka) and tracking (PostgreSQL) cannot commit atomically."""
        raise NotImplementedError(
            "services.store.kafka has no process recorder: write views with a tracking recorder"
        )

    @property
    def datastore(self) -> PostgresDatastore:
        """eventsourcing's PostgreSQL datastore on DATABASE_URL and the index schema."""
        if self._datastore is None:
            # eventsourcing's recorders expect the schema to exist already.
            with psycopg.connect(self.settings.database_url, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                        sql.Identifier(self.settings.index_schema)
                    )
                )
            params = conninfo_to_dict(self.settings.database_url)
            self._datastore = PostgresDatastore(
                dbname=str(params.get("dbname", "postgres")),
                host=str(params.get("host", "localhost")),
                port=str(params.get("port", "5432")),
                user=str(params.get("user", "postgres")),
                password=str(params.get("password", "")),
                schema=self.settings.index_schema,
                originator_id_type=self.settings.originator_id_type,
                pool_size=2,
                max_overflow=4,
            )
        return self._datastore

    def _prefix(self, default: str) -> str:
        return self.env.name.lower() or default

    def close(self) -> None:
        """Stop the indexer thread and close producer and pools."""
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._datastore is not None:
            self._datastore.close()
            self._datastore = None

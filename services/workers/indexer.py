"""Standalone index builder: keeps the PostgreSQL index of the Kafka event log up to date.

    python -m services.workers.indexer   # settings from the environment (see services.store.kafka)

Any number may run beside the indexer threads of the writing processes; they share the work
safely through the per-partition position lock.
"""

from __future__ import annotations

import logging
import os
import signal
from types import FrameType, SimpleNamespace

from eventsourcing.utils import Environment

from services import exits
from services.observability import logs
from services.observability.readiness import Readiness
from services.observability.server import serve_health
from services.observability.settings import OperationsSettings
from services.secret_files import load_secret_files
from services.store.kafka.index import IndexWriter
from services.store.kafka.indexer import IndexBuilder
from services.store.kafka.progress import IndexProgress
from services.store.kafka.schema import IndexSql, ensure_index
from services.store.kafka.settings import KafkaStoreSettings
from services.store.kafka.store import open_pool
from services.store.kafka.topic import ensure_topic
from services.workers.settings import WorkerSettings


def main() -> None:
    """Run the index builder until SIGTERM or SIGINT; one line and an exit code on bad setup."""
    logs.configure()
    exits.run(_run, "zhulian-indexer")


def _run() -> None:
    load_secret_files()
    worker = WorkerSettings()
    settings = KafkaStoreSettings.from_env(Environment(env=dict(os.environ)))
    ensure_topic(settings)
    q = IndexSql(settings.index_schema, settings.originator_id_type)
    pool = open_pool(settings, max_size=2)
    with pool.connection() as conn:
        ensure_index(conn, q, settings.topic, settings.partitions)
    writer = IndexWriter(pool, q, settings.topic)
    builder = IndexBuilder(settings, writer, IndexProgress())
    readiness = Readiness(
        database_url=settings.database_url,
        kafka_store=SimpleNamespace(settings=settings, writer=writer),
        bounds=OperationsSettings().bounds(),
    )
    health = serve_health(readiness, None, worker.health_host, worker.health_port, "indexer")

    def stop(signum: int, frame: FrameType | None) -> None:
        builder.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    logging.getLogger(__name__).info(
        "indexing %s into schema %s", settings.topic, settings.index_schema
    )
    try:
        builder.run()
    finally:
        if health is not None:
            health.stop()
        readiness.close()
        pool.close()


if __name__ == "__main__":
    main()

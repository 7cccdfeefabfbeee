"""Standalone index builder: keeps the PostgreSQL index of the Kafka event log up to date.

    python -m services.workers.indexer   # settings from the environment (see services.store.kafka)

Any number may run beside the indexer threads of the writing processes; they share the work
safely through the per-partition position lock.
"""

from __future__ import annotations

import logging
import os
import signal
from types import FrameType

from eventsourcing.utils import Environment

from services.store.kafka.index import IndexWriter
from services.store.kafka.indexer import IndexBuilder
from services.store.kafka.progress import IndexProgress
from services.store.kafka.schema import IndexSql, ensure_index
from services.store.kafka.settings import KafkaStoreSettings
from services.store.kafka.store import open_pool
from services.store.kafka.topic import ensure_topic


def main() -> None:
    """Run the index builder in the foreground until SIGTERM or SIGINT."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = KafkaStoreSettings.from_env(Environment(env=dict(os.environ)))
    ensure_topic(settings)
    q = IndexSql(settings.index_schema, settings.originator_id_type)
    pool = open_pool(settings, max_size=2)
    with pool.connection() as conn:
        ensure_index(conn, q, settings.topic, settings.partitions)
    builder = IndexBuilder(settings, IndexWriter(pool, q, settings.topic), IndexProgress())

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
        pool.close()


if __name__ == "__main__":
    main()

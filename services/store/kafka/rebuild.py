"""Rebuild the index from the log (G5): drop the index tables, replay from offset 0, checksum.

    python -m services.store.kafka.rebuild            # settings from the environment
    python -m services.store.kafka.rebuild --checksum # only print the current checksum

Stop writers first: a rebuild drops the tables they index into.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os

import psycopg
from eventsourcing.utils import Environment
from psycopg import sql

from services.store.kafka.index import IndexWriter
from services.store.kafka.indexer import IndexBuilder
from services.store.kafka.progress import IndexProgress
from services.store.kafka.schema import IndexSql, drop_index, ensure_index
from services.store.kafka.settings import KafkaStoreSettings
from services.store.kafka.store import open_pool
from services.store.kafka.topic import ensure_topic

log = logging.getLogger(__name__)


def index_checksum(settings: KafkaStoreSettings) -> str:
    """SHA-256 over every indexed event (originator, version, topic, state, notification id)."""
    q = IndexSql(settings.index_schema, settings.originator_id_type)
    digest = hashlib.sha256()
    query = sql.SQL(
        "SELECT originator_id::text, originator_version, topic, state, notification_id "
        "FROM {} ORDER BY notification_id"
    ).format(q.events)
    with (
        psycopg.connect(settings.database_url) as conn,
        conn.cursor(name="checksum") as cur,
    ):
        cur.itersize = 10_000
        cur.execute(query)
        for oid, version, topic, state, nid in cur:
            digest.update(f"{oid}|{version}|{topic}|{nid}|{len(state)}|".encode())
            digest.update(bytes(state))
    return digest.hexdigest()


def rebuild_index(settings: KafkaStoreSettings, timeout_s: float = 600.0) -> str:
    """Drop and rebuild the index of the settings' topic from offset 0; return its checksum."""
    ensure_topic(settings)
    q = IndexSql(settings.index_schema, settings.originator_id_type)
    pool = open_pool(settings, max_size=2)
    try:
        with pool.connection() as conn:
            drop_index(conn, q)
            _drop_snapshots(conn, settings.index_schema)
            ensure_index(conn, q, settings.topic, settings.partitions)
        builder = IndexBuilder(settings, IndexWriter(pool, q, settings.topic), IndexProgress())
        try:
            builder.catch_up(timeout_s)
        finally:
            builder.stop()
    finally:
        pool.close()
    return index_checksum(settings)


def _drop_snapshots(conn: psycopg.Connection, schema: str) -> None:
    """Empty the applications' snapshot tables beside the index: derived from the log like the
    index, they must not outlive it (loads replay from the events until new ones are taken)."""
    tables = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename LIKE %s",
        (schema, "%\\_snapshots"),
    ).fetchall()
    for (table,) in tables:
        conn.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(schema, table)))


def main(argv: list[str] | None = None) -> None:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checksum", action="store_true", help="print the checksum only")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    settings = KafkaStoreSettings.from_env(Environment(env=dict(os.environ)))
    if args.checksum:
        print(index_checksum(settings))
        return
    print(rebuild_index(settings))


if __name__ == "__main__":
    main()

"""Builds the transparency log of a profile: where its tree lives and the key that signs heads."""

from __future__ import annotations

from eventsourcing.persistence import ApplicationRecorder

from services.settings import Settings
from services.transparency.db import Db, PostgresDb, SQLiteDb
from services.transparency.index_follower import IndexTreeFollower
from services.transparency.log import TransparencyLog, log_ranges
from services.transparency.signing import HeadSigner, parse_signing_key
from services.transparency.sources import (
    LeafSource,
    PostgresIndexSource,
    RecorderSource,
    SQLiteLogSource,
)


def tree_db(settings: Settings, recorder: ApplicationRecorder) -> Db:
    """The tree's tables: beside the Kafka store's index, or a SQLite file beside events.db."""
    store = getattr(recorder, "store", None)
    index_sql = getattr(recorder, "sql", None)
    if store is not None and index_sql is not None:
        return PostgresDb(store.pool, index_sql.schema)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SQLiteDb(str(settings.data_dir / "transparency.db"))


def open_transparency(settings: Settings, recorder: ApplicationRecorder) -> TransparencyLog:
    """The transparency log of this process's event store."""
    signer = HeadSigner(parse_signing_key(settings.log_signing_key))
    source = leaf_source(settings, recorder)
    tlog = TransparencyLog(recorder, tree_db(settings, recorder), signer, source=source)
    attach_index_hook(tlog)
    return tlog


def leaf_source(settings: Settings, recorder: ApplicationRecorder) -> LeafSource:
    """The Kafka store's index hashes its own rows; the embedded file is read directly."""
    store = getattr(recorder, "store", None)
    index_sql = getattr(recorder, "sql", None)
    if store is not None and index_sql is not None:
        return PostgresIndexSource(store.pool, index_sql.events, index_sql.id_type)
    env = settings.event_store_env()
    if env.get("PERSISTENCE_MODULE") == "eventsourcing.sqlite":
        return SQLiteLogSource(env["SQLITE_DBNAME"])
    return RecorderSource(recorder)


def attach_index_hook(tlog: TransparencyLog) -> IndexTreeFollower | None:
    """On the Kafka store, keep the trees right behind the index in a thread (stopped when the
    tree's db is closed)."""
    store = getattr(tlog.recorder, "store", None)
    if getattr(store, "writer", None) is None or not isinstance(tlog.db, PostgresDb):
        return None
    tlog.ensure_trees()
    q = tlog.recorder.sql  # type: ignore[attr-defined]
    follower = IndexTreeFollower(
        store.pool,  # type: ignore[union-attr]
        q.schema,
        q.events,
        q.channel,
        [(r.log, r.high) for r in log_ranges(tlog.recorder)],
    )
    tlog.db.on_close(follower.close)
    follower.start()
    return follower

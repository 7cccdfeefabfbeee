"""Operator commands for G9 (see lineage.py): re-check the broker, or accept its log as it is."""

from __future__ import annotations

import os

from eventsourcing.utils import Environment

from services.store.kafka.lineage import LineageGuard, clear
from services.store.kafka.rebuild import rebuild_index
from services.store.kafka.settings import KafkaStoreSettings
from services.store.kafka.store import open_pool


def settings_from_environment() -> KafkaStoreSettings:
    """The store's settings, as the production processes read them."""
    return KafkaStoreSettings.from_env(Environment(env=dict(os.environ)))


def check_lineage(settings: KafkaStoreSettings) -> str | None:
    """Compare the index with the broker now; lift a halt if the broker holds the log again."""
    pool = open_pool(settings, max_size=2)
    try:
        return LineageGuard(settings, pool).check(recheck=True)
    finally:
        pool.close()


def accept_reset(settings: KafkaStoreSettings) -> str:
    """Take the broker's log as it is now: rebuild the index from it, forget the old lineage.

    Events that only the lost log held are gone from the index; views must be rebuilt after
    this (the CLI does). Stop every writer first.
    """
    checksum = rebuild_index(settings)
    pool = open_pool(settings, max_size=2)
    try:
        with pool.connection() as conn:
            clear(settings, conn)
        LineageGuard(settings, pool).check()  # remember the new log's first record
    finally:
        pool.close()
    return checksum

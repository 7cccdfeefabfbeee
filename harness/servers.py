"""Test servers honouring KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL, else started here."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from harness.postgres import Database, start_postgres
from harness.tansu import Broker, start_tansu, wait_for_broker


@contextmanager
def kafka_broker() -> Iterator[Broker]:
    """The broker named by KAFKA_BOOTSTRAP_SERVERS, or a tansu started (and stopped) here."""
    existing = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if existing:
        wait_for_broker(existing, 10.0)
        yield Broker(existing)
        return
    broker = start_tansu()
    try:
        yield broker
    finally:
        broker.stop()


@contextmanager
def postgres_server() -> Iterator[Database]:
    """The PostgreSQL named by DATABASE_URL, or an embedded one started (and removed) here."""
    existing = os.environ.get("DATABASE_URL")
    if existing:
        yield Database(existing)
        return
    database = start_postgres()
    try:
        yield database
    finally:
        database.stop()


def unique_topic(prefix: str = "test") -> str:
    """A topic name no other test uses."""
    return f"{prefix}.{uuid.uuid4().hex[:12]}"

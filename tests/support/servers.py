"""Moved to harness.servers (benchmarks use it too); kept so tests can import it from here."""

from harness.servers import (  # noqa: F401
    kafka_broker,
    postgres_server,
    unique_topic,
)

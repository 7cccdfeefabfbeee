"""Moved to harness.postgres (benchmarks use it too); kept so tests can import it from here."""

from harness.postgres import (  # noqa: F401
    Database,
    drop_database,
    fresh_database,
    fresh_schema,
    start_postgres,
)

"""Moved to harness.ports (benchmarks use it too); kept so tests can import it from here."""

from harness.ports import (  # noqa: F401
    free_port,
)

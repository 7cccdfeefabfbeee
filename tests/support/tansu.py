"""Moved to harness.tansu (benchmarks use it too); kept so tests can import it from here."""

from harness.tansu import (  # noqa: F401
    START_TIMEOUT_S,
    Broker,
    BrokerStartError,
    start_tansu,
    wait_for_broker,
)

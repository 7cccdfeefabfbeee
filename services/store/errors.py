"""Errors raised by the Kafka-backed store, as subclasses of eventsourcing's persistence errors."""

from __future__ import annotations

from eventsourcing.persistence import OperationalError, ProgrammingError


class StoreUnavailableError(OperationalError):
    """The broker or the index could not be reached in time: the commit was not acknowledged."""


class StoreMisconfiguredError(ProgrammingError):
    """The topic or the index does not match the configured store; refusing to start."""

"""Snapshots that give back exactly the state they took (tuples stay tuples)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from eventsourcing.domain import Aggregate, Snapshot

_TUPLE = "__tuple__"


def _pack(value: Any) -> Any:
    if isinstance(value, tuple):
        return {_TUPLE: [_pack(v) for v in value]}
    if isinstance(value, list):
        return [_pack(v) for v in value]
    if isinstance(value, dict):
        return {k: _pack(v) for k, v in value.items()}
    return value


def _unpack(value: Any) -> Any:
    if isinstance(value, list):
        return [_unpack(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1 and _TUPLE in value:
            return tuple(_unpack(v) for v in value[_TUPLE])
        return {k: _unpack(v) for k, v in value.items()}
    return value


class ExactSnapshot(Snapshot):
    """JSON has no tuples: mark them when taking the snapshot, restore them when loading it."""

    @classmethod
    def take(cls, aggregate: Any) -> ExactSnapshot:
        """A snapshot of the aggregate's state, tuples marked."""
        taken = super().take(aggregate)
        return replace(taken, state=_pack(taken.state))

    def mutate(self, _: None) -> Aggregate:
        """The aggregate as it stood, tuples restored."""
        restored = Snapshot(
            originator_id=self.originator_id,
            originator_version=self.originator_version,
            timestamp=self.timestamp,
            topic=self.topic,
            state=_unpack(self.state),
        )
        aggregate = restored.mutate(None)
        assert isinstance(aggregate, Aggregate)
        return aggregate

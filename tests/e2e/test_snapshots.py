"""Snapshots: a record loaded from its snapshot equals the same record replayed from the log."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.application import project_aggregate

from domain.alliance import Alliance
from services.container import Container
from services.demo import load_demo_if_empty
from services.settings import Settings


def _state(aggregate: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def test_every_record_of_the_demo_district_loads_from_its_snapshot_as_from_its_events(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    every_second = {kind: 2 for kind in Alliance.snapshotting_intervals}
    monkeypatch.setattr(Alliance, "snapshotting_intervals", every_second)
    container = Container(Settings(data_dir=tmp_path, demo=True))
    try:
        load_demo_if_empty(container)
        app = Alliance(env=container.settings.event_store_env())  # cold: nothing cached
        ids = {n.originator_id for n in app.recorder.select_notifications(start=1, limit=100_000)}
        snapshotted = 0
        for ident in ids:
            assert app.snapshots is not None
            if list(app.snapshots.get(ident, limit=1)):
                snapshotted += 1
            from_snapshot = app.repository.get(ident)
            replayed = project_aggregate(None, app.events.get(ident))
            assert _state(from_snapshot) == _state(replayed), ident
        kinds = {type(app.repository.get(i)).__name__ for i in ids}
        assert snapshotted > 0
        assert {"Fund", "Offering", "Household", "Contract"} <= kinds
        app.close()
    finally:
        container.close()

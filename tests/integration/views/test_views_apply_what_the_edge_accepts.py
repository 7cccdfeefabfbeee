"""G8 as a property: every event the edge accepts, of every type, every view applies — on SQLite
and on a real PostgreSQL. Events come from the fuzz generator, through the real ingest path (the
demo district first, so references find records), into the real projection runner."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.alliance import Alliance
from domain.households.identity import HouseholdKeyring
from projections.runtime.runner import Runner
from services.container import all_views
from services.demo import demo_events
from services.ingest.service import Ingestor
from tests.fuzz.conftest import FUZZ
from tests.fuzz.events import World, events

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Edge:
    """The real ingest path on an in-memory log, and what it took."""

    def __init__(self) -> None:
        self.app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
        self.keyring = HouseholdKeyring({1: "fuzz-secret"}, 1)
        self.ingestor = Ingestor(self.app, self.keyring, lambda: NOW)
        self.world = World()
        self.accepted: Counter[str] = Counter()

    def send(self, event: dict[str, Any]) -> None:
        result = self.ingestor.submit(event).as_json()
        assert result["status"] < 500, result
        if result.get("result") == "stored":
            self.accepted[event["type"]] += 1
            self.world.learn(result, event.get("data"))
            for number in self.world.registrations[len(self.world.keys) :]:
                self.world.keys.append(self.keyring.issue(number))


def _stops(view_store: Any) -> list[str]:
    return [f"{s.view}@{s.position}: {s.error}" for s in view_store.stopped()]


@pytest.fixture
def edge() -> Edge:
    """An edge that has taken the demo district (households, needs, referrals, funds …)."""
    taken = Edge()
    for batch in demo_events(NOW):
        for event in batch:
            taken.send(event)
    return taken


@settings(FUZZ, max_examples=25)
@given(data=st.data())
def test_every_view_applies_every_event_the_edge_accepted(
    view_store: Any, edge: Edge, data: st.DataObject
) -> None:
    for event in data.draw(st.lists(events(edge.world), min_size=1, max_size=6)):
        edge.send(event)
    runner = Runner(edge.app.recorder, edge.app.mapper, view_store, all_views(), batch_size=200)
    runner.catch_up()
    assert _stops(view_store) == []
    head = runner.head()
    behind = {v.name: view_store.position(v) for v in runner.views}
    assert {name: at for name, at in behind.items() if at != head} == {}

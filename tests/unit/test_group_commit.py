"""Group commit: commands that finish together share a commit, and each keeps its own outcome."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from domain.alliance import Alliance
from services.ingest.service import Ingestor, Result
from tests.builders import cloud_event, discovered

SECRET = "test-secret"


class HeldRecorder:
    """Counts the commits reaching the recorder; holds the first until released."""

    def __init__(self, app: Alliance, monkeypatch: pytest.MonkeyPatch) -> None:
        self.commits: list[int] = []
        self.release = threading.Event()
        self.holding = threading.Event()
        insert = app.recorder.insert_events

        def counting(stored_events: Any, **kwargs: Any) -> Any:
            if not self.holding.is_set():
                self.holding.set()
                self.release.wait(timeout=30)
            self.commits.append(len(stored_events))
            return insert(stored_events, **kwargs)

        monkeypatch.setattr(app.recorder, "insert_events", counting)


def _queued(app: Alliance) -> int:
    committer = app._committer
    return len(committer._queue) if committer is not None else 0


def _submit_together(app: Alliance, events: list[dict[str, Any]], held: HeldRecorder):
    ingestor = Ingestor(app, SECRET)
    results: dict[int, Result] = {}

    def submit(i: int) -> None:
        results[i] = ingestor.submit(events[i])

    first = threading.Thread(target=submit, args=(0,))
    first.start()
    assert held.holding.wait(timeout=30), "the first command never reached the store"
    others = [threading.Thread(target=submit, args=(i,)) for i in range(1, len(events))]
    for t in others:
        t.start()
    deadline = time.monotonic() + 30
    while _queued(app) < len(others) and time.monotonic() < deadline:
        time.sleep(0.001)
    held.release.set()
    for t in [first, *others]:
        t.join(timeout=30)
    return [results[i] for i in range(len(events))]


def test_commands_that_arrive_together_share_one_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    app = Alliance()
    held = HeldRecorder(app, monkeypatch)
    events = [
        cloud_event("household.discovered", discovered(f"33010619800101{n:04d}")) for n in range(21)
    ]
    results = _submit_together(app, events, held)
    assert [r.status for r in results] == [201] * 21
    assert len(held.commits) == 2  # the first alone; the twenty that queued behind it together
    assert held.commits[1] == 40  # twenty households and twenty receipts
    app.close()


def test_two_first_reports_of_one_household_in_one_round_make_one_file(monkeypatch) -> None:
    app = Alliance()
    held = HeldRecorder(app, monkeypatch)
    number = "330106198001010011"
    events = [
        cloud_event("household.discovered", discovered("330106198001019999")),
        cloud_event("household.discovered", discovered(number)),
        cloud_event("household.discovered", discovered(number, reported_by="hotline-li")),
    ]
    results = _submit_together(app, events, held)
    # Both were decided on "no file yet": they cannot share a commit; the first opens the file,
    # the second loses the race, is told so, and (as the command does) joins the winner's file.
    assert [r.status for r in results] == [201, 201, 201]
    assert sorted(r.outcome.version for r in results[1:]) == [1, 2]  # type: ignore[union-attr]
    assert results[1].outcome.aggregate_id == results[2].outcome.aggregate_id  # type: ignore[union-attr]
    assert len(held.commits) >= 3
    app.close()

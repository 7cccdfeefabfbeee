"""A batch runs as units of work: few commits, yet each item answers as if it were sent alone."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from domain.alliance import Alliance
from domain.households.identity import HouseholdKeyring
from services.ingest.service import Ingestor
from tests.builders import cloud_event, discovered, need_raised

SECRET = HouseholdKeyring({1: "test-secret"}, 1)


def _answers(results: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (r.status, r.outcome and (r.outcome.duplicate, r.outcome.aggregate_id, r.outcome.version))
        for r in results
    ]


def _mixed_batch() -> list[dict[str, Any]]:
    first = cloud_event("household.discovered", discovered("330106198001010011"))
    again = discovered("330106198001010011", reported_by="grid-worker-li")
    return [
        first,
        cloud_event("need.raised", need_raised("330106198001010011")),
        first,  # the same event again: a duplicate of the first answer
        cloud_event("need.raised", need_raised("330106198001019999")),  # nobody: 404
        cloud_event("need.raised", need_raised("330106198001010011", urgency="never")),  # 422
        {**first, "data": again},  # the first event's id reused for other content: 409
        cloud_event("household.discovered", again),
        cloud_event("need.raised", need_raised("330106198001010011", category="housing")),
    ]


def test_a_batch_answers_each_item_exactly_as_the_items_sent_one_by_one() -> None:
    batch = _mixed_batch()
    together = Ingestor(Alliance(), SECRET).submit_batch(batch)
    alone_ingestor = Ingestor(Alliance(), SECRET)
    alone = [alone_ingestor.submit(item) for item in batch]
    assert _answers(together) == _answers(alone)
    assert [r.status for r in together] == [201, 201, 200, 404, 422, 409, 201, 201]


def test_a_batch_of_a_hundred_items_is_saved_in_one_commit(monkeypatch: pytest.MonkeyPatch):
    app = Alliance()
    commits: list[int] = []
    insert = app.recorder.insert_events

    def counting(stored_events: Any, **kwargs: Any) -> Any:
        commits.append(len(stored_events))
        return insert(stored_events, **kwargs)

    monkeypatch.setattr(app.recorder, "insert_events", counting)
    numbers = [f"33010619800101{n:04d}" for n in range(50)]
    batch = [cloud_event("household.discovered", discovered(n)) for n in numbers]
    batch += [cloud_event("need.raised", need_raised(n)) for n in numbers]
    results = Ingestor(app, SECRET).submit_batch(batch)
    assert [r.status for r in results] == [201] * 100
    assert len(commits) == 1
    assert commits[0] >= 200  # every change and every receipt


def test_a_refused_item_leaves_no_trace_for_the_items_after_it() -> None:
    app = Alliance()
    number = "330106198001010011"
    results = Ingestor(app, SECRET).submit_batch(
        [
            cloud_event("household.discovered", discovered(number)),
            cloud_event("need.raised", need_raised(number, urgency="never")),
            cloud_event("need.raised", need_raised(number)),
        ]
    )
    assert [r.status for r in results] == [201, 422, 201]
    household = app.repository.get(results[0].outcome.aggregate_id)  # type: ignore[union-attr]
    assert household.version == results[0].outcome.version  # type: ignore[union-attr]


def test_a_re_sent_batch_answers_every_item_as_a_duplicate_of_its_first_answer() -> None:
    ingestor = Ingestor(Alliance(), SECRET)
    batch = _mixed_batch()
    first = ingestor.submit_batch(batch)
    again = ingestor.submit_batch(batch)
    stored = [i for i, r in enumerate(first) if r.status == 201]
    assert [again[i].status for i in stored] == [200] * len(stored)
    assert [again[i].outcome.aggregate_id for i in stored] == [  # type: ignore[union-attr]
        first[i].outcome.aggregate_id  # type: ignore[union-attr]
        for i in stored
    ]
    assert [again[i].outcome.version for i in stored] == [  # type: ignore[union-attr]
        first[i].outcome.version  # type: ignore[union-attr]
        for i in stored
    ]


def test_a_record_another_writer_changes_after_a_unit_read_it_is_not_overwritten_by_the_unit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = Alliance()
    number = "330106198001010011"
    ingestor = Ingestor(app, SECRET)
    household = ingestor.submit(cloud_event("household.discovered", discovered(number)))
    other = cloud_event("household.discovered", discovered(number, reported_by="grid-worker-zhang"))
    submit = ingestor.submit
    others: list[Any] = []

    def another_writer_after_the_first_item(raw: Any, *rest: Any, **named: Any) -> Any:
        answer = submit(raw, *rest, **named)
        if not others:  # the unit has read the household; another thread now changes it
            writer = threading.Thread(
                target=lambda: others.append(Ingestor(app, SECRET).submit(other))
            )
            writer.start()
            writer.join()
        return answer

    monkeypatch.setattr(ingestor, "submit", another_writer_after_the_first_item)
    save_unit = app.save_unit
    failed: list[set[str]] = []
    monkeypatch.setattr(app, "save_unit", lambda unit: failed.append(save_unit(unit)) or failed[-1])
    results = ingestor.submit_batch(
        [
            cloud_event("need.raised", need_raised(number)),  # reads the household
            cloud_event("household.discovered", discovered(number, reported_by="grid-worker-li")),
        ]
    )
    assert [r.status for r in results] == [201, 201]
    assert failed[0]  # the unit read the household before the change: its commit conflicted
    assert others[0].outcome.version == 2
    assert results[1].outcome.version == 3  # after the other writer's change, not in its place
    assert app.repository.get(household.outcome.aggregate_id).version == 3  # type: ignore[union-attr]


def _sqlite_alliance(tmp_path: Path) -> Alliance:
    tmp_path.mkdir(parents=True, exist_ok=True)
    return Alliance(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "e.db")}
    )


def test_on_sqlite_a_batch_answers_each_item_exactly_as_the_items_sent_one_by_one(
    tmp_path: Path,
) -> None:
    batch = _mixed_batch()
    together = Ingestor(_sqlite_alliance(tmp_path / "a"), SECRET).submit_batch(batch)
    alone_ingestor = Ingestor(_sqlite_alliance(tmp_path / "b"), SECRET)
    alone = [alone_ingestor.submit(item) for item in batch]
    assert _answers(together) == _answers(alone)


def test_a_unit_asks_the_store_once_which_of_its_households_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _sqlite_alliance(tmp_path)
    ingestor = Ingestor(app, SECRET)
    ingestor.submit(cloud_event("household.discovered", discovered("330106198001010000")))
    reads: list[Any] = []
    select = app.recorder.select_events
    monkeypatch.setattr(
        app.recorder, "select_events", lambda *a, **k: reads.append(k) or select(*a, **k)
    )
    numbers = [f"33010619800101{n:04d}" for n in range(100)]  # the first one is on file
    batch = [cloud_event("household.discovered", discovered(n)) for n in numbers]
    batch += [cloud_event("need.raised", need_raised(n)) for n in numbers]
    results = ingestor.submit_batch(batch)
    assert [r.status for r in results] == [201] * 200
    assert results[0].outcome.version == 2  # type: ignore[union-attr]  # added to its file
    # Read once each: the household on file and the alliance's vocabulary; the 99 new not at all.
    assert len(reads) == 2
    assert results[0].outcome.aggregate_id in {read["originator_id"] for read in reads}  # type: ignore[union-attr]


def test_a_household_another_writer_opens_after_the_look_ahead_is_not_opened_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _sqlite_alliance(tmp_path)
    ingestor = Ingestor(app, SECRET)
    number = "330106198001010011"
    other = cloud_event("household.discovered", discovered(number, reported_by="grid-worker-zhang"))
    look_ahead = ingestor._look_ahead

    def another_writer_after_the_look_ahead(unit: Any, raws: list[Any]) -> None:
        look_ahead(unit, raws)
        writer = threading.Thread(target=lambda: Ingestor(app, SECRET).submit(other))
        writer.start()
        writer.join()

    monkeypatch.setattr(ingestor, "_look_ahead", another_writer_after_the_look_ahead)
    (result,) = ingestor.submit_batch([cloud_event("household.discovered", discovered(number))])
    assert result.status == 201
    assert result.outcome.version == 2  # type: ignore[union-attr]  # the other writer's file

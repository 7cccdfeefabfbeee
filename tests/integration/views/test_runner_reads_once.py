"""The views that stand at the same position share one read of the log per batch."""

from __future__ import annotations

from typing import Any

import pytest

from projections.runtime.runner import Runner
from projections.runtime.sqlite_store import SQLiteViewStore
from services.container import all_views
from tests.integration.views.test_view_store_contract import casework

pytestmark = pytest.mark.integration


class CountingRecorder:
    """The application's real recorder, counting the notification reads passed to it."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.reads = 0

    def select_notifications(self, *args: Any, **kwargs: Any) -> Any:
        self.reads += 1
        return self.recorder.select_notifications(*args, **kwargs)

    def max_notification_id(self) -> Any:
        return self.recorder.max_notification_id()


def test_every_view_catches_up_while_each_batch_is_read_from_the_log_once(tmp_path) -> None:
    app = casework()
    events = app.recorder.max_notification_id()
    counting = CountingRecorder(app.recorder)
    views = all_views()
    runner = Runner(counting, app.mapper, SQLiteViewStore(str(tmp_path / "v.db")), views, 7)  # type: ignore[arg-type]

    runner.catch_up()

    batches = -(-events // 7)
    # One read per batch, and one more that finds the end; the views share them.
    assert counting.reads == batches + 1
    assert all(runner.store.positions(view) == {0: events} for view in views)


def test_a_view_behind_the_others_reads_its_own_batches_and_catches_up(tmp_path) -> None:
    app = casework()
    events = app.recorder.max_notification_id()
    store = SQLiteViewStore(str(tmp_path / "v.db"))
    views = all_views()
    Runner(app.recorder, app.mapper, store, views, 7).catch_up()
    store.reset(views[0])

    Runner(app.recorder, app.mapper, store, views, 7).catch_up()

    assert all(store.positions(view) == {0: events} for view in views)

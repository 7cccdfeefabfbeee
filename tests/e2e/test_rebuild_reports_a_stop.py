"""`zhulian rebuild` reports a view it cannot rebuild past an event, instead of crashing."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

from domain.households.identity import pseudonymise
from domain.households.vocabulary import Channel
from services.container import Container
from services.settings import Settings
from tests.builders import VILLAGE


def test_rebuild_names_the_event_a_view_stops_at_and_exits_non_zero(tmp_path) -> None:
    container = Container(Settings(data_dir=tmp_path, demo=False))
    try:
        for n, at in enumerate(
            [
                datetime(2026, 1, 1, tzinfo=UTC),
                datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
            ]
        ):
            container.app.report_discovery(
                household_key=pseudonymise(f"33010619800101{n:04d}", "s"),
                region_code=VILLAGE,
                channel=Channel.GRID_WORKER,
                reported_by="gw",
                at=at,
                members=[],
            )
    finally:
        container.close()
    done = subprocess.run(
        [sys.executable, "-m", "services.cli", "rebuild", "--view", "household_file"],
        env={**os.environ, "ZHULIAN_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "household_file: STOPPED at log position 2" in done.stdout
    assert "Household.Discovered" in done.stdout and "Traceback" not in done.stderr

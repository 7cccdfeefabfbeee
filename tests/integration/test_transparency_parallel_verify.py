"""A log verified in parallel pieces finds exactly what one sequential pass finds."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

from services.transparency.db import SQLiteDb
from services.transparency.log import TransparencyLog, log_ranges
from services.transparency.parallel import verify_in_pieces
from services.transparency.signing import HeadSigner
from services.transparency.sources import SQLiteLogSource
from services.transparency.verify import verify_log

EVENTS = 3_000  # 12 pieces of 256 leaves (the smallest piece: one tile), the last one partial
KEY = Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite log and its tree, with heads signed at 1,000, 2,000 and 3,000 events."""
    folder = tmp_path_factory.mktemp("pieces")
    recorder = SQLiteApplicationRecorder(SQLiteDatastore(str(folder / "events.db")))
    recorder.create_table()
    tlog = _tlog(folder, recorder)
    aggregates = [uuid.uuid4() for _ in range(100)]
    for start in range(0, EVENTS, 1_000):
        recorder.insert_events(
            [
                StoredEvent(
                    aggregates[n % 100],
                    n // 100 + 1,
                    "domain.funds.model:Fund.DonationReceived",
                    b'{"amount_fen":%d}' % (n * 7),
                )
                for n in range(start, start + 1_000)
            ]
        )
        tlog.publish()
    tlog.db.close()
    return folder


def _tlog(folder: Path, recorder: SQLiteApplicationRecorder | None = None) -> TransparencyLog:
    path = str(folder / "events.db")
    recorder = recorder or SQLiteApplicationRecorder(SQLiteDatastore(path))
    db = SQLiteDb(str(folder / "t.db"))
    return TransparencyLog(recorder, db, HeadSigner(KEY), source=SQLiteLogSource(path))


def _events(sql: str, *params: object) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        with sqlite3.connect(folder / "events.db") as db:
            db.execute(sql, params)

    return edit


def _swap(first: int, second: int) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        with sqlite3.connect(folder / "events.db") as db:
            db.execute("UPDATE stored_events SET rowid = -1 WHERE rowid = ?", (first,))
            db.execute("UPDATE stored_events SET rowid = ? WHERE rowid = ?", (first, second))
            db.execute("UPDATE stored_events SET rowid = ? WHERE rowid = -1", (second,))

    return edit


def _tile_hash(folder: Path) -> None:
    with sqlite3.connect(folder / "t.db") as db:
        (hashes,) = db.execute("SELECT hashes FROM tlog_tiles WHERE tile_index = 5").fetchone()
        altered = bytes(32) + bytes(hashes)[32:]
        db.execute("UPDATE tlog_tiles SET hashes = ? WHERE tile_index = 5", (altered,))


EDITS: dict[str, Callable[[Path], None]] = {
    "nothing changed": lambda folder: None,
    "a donation edited in a middle piece": _events(
        "UPDATE stored_events SET state = ? WHERE rowid = 1500", b'{"amount_fen":900001}'
    ),
    "an event removed": _events("DELETE FROM stored_events WHERE rowid = 700"),
    "two events swapped across a piece's edge": _swap(1280, 1281),
    "an event after the newest head, not in the tree yet": _events(
        "INSERT INTO stored_events (originator_id, originator_version, topic, state) "
        "SELECT originator_id, 999, topic, state FROM stored_events WHERE rowid = 1"
    ),
    "the last event removed": _events("DELETE FROM stored_events WHERE rowid = ?", EVENTS),
    "the first event of a piece removed": _events("DELETE FROM stored_events WHERE rowid = 513"),
    "a leaf hash rewritten in the tree": _tile_hash,
}


@pytest.mark.parametrize("case", list(EDITS))
def test_the_pieces_name_the_same_first_bad_record_as_one_pass(
    case: str, pristine: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(pristine, folder)
    EDITS[case](folder)
    tlog = _tlog(folder)
    (log,) = log_ranges(tlog.recorder)

    pieces = verify_in_pieces(tlog, log, piece_height=8, processes=2)
    one_pass = verify_log(tlog, 0, tlog.source.events(log.low, log.high), "index")

    assert pieces is not None
    assert pieces.as_json() == one_pass.as_json()
    assert pieces.ok == (
        case in ("nothing changed", "an event after the newest head, not in the tree yet")
    )
    if case == "nothing changed":
        assert (pieces.events, pieces.heads_checked) == (EVENTS, 3)

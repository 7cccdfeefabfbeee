"""Which of many records the store holds, in one query (a unit of work's look-ahead).

The Kafka store's recorder answers from its PostgreSQL index (`= ANY(…)`); eventsourcing's SQLite
recorder (the embedded profile) with one `IN (…)`. Any other recorder: None (no look-ahead).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.sqlite import SQLiteAggregateRecorder

SQLITE_MAX_PARAMETERS = 900  # well under SQLite's limit of bound parameters per statement


def recorded_among(recorder: Any, ids: Sequence[UUID]) -> set[UUID] | None:
    """The ids among `ids` that have at least one stored event; None if the store cannot say."""
    among = getattr(recorder, "originators_among", None)
    if among is not None:
        found: set[UUID] = among(ids)
        return found
    if isinstance(recorder, SQLiteAggregateRecorder):
        return _sqlite(recorder, ids)
    return None


def _sqlite(recorder: SQLiteAggregateRecorder, ids: Sequence[UUID]) -> set[UUID]:
    found: set[UUID] = set()
    with recorder.datastore.transaction(commit=False) as cursor:
        for start in range(0, len(ids), SQLITE_MAX_PARAMETERS):
            chunk = [i.hex for i in ids[start : start + SQLITE_MAX_PARAMETERS]]
            marks = ",".join("?" * len(chunk))
            cursor.execute(
                f"SELECT DISTINCT originator_id FROM {recorder.events_table_name}"
                f" WHERE originator_id IN ({marks})",
                chunk,
            )
            found.update(UUID(str(row["originator_id"])) for row in cursor.fetchall())
    return found

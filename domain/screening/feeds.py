"""Feed completeness: does a department's list arrive as often as promised, edition by edition?"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
GRACE = timedelta(days=3)


def following(edition: str) -> str | None:
    """The edition label after this one, for monthly (2026-10) and quarterly (2026-Q3) labels."""
    if m := _MONTH.match(edition):
        year, month = int(m[1]), int(m[2])
        return f"{year + month // 12}-{month % 12 + 1:02d}"
    if q := _QUARTER.match(edition):
        year, quarter = int(q[1]), int(q[2])
        return f"{year + quarter // 4}-Q{quarter % 4 + 1}"
    return None


def feed_status(editions: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    """One list's completeness from its editions in order of recording (each with `edition`,
    `recorded_at`, `cadence_days`): silent when overdue, skipped editions by label."""
    last = editions[-1]
    cadence = last.get("cadence_days") or 0
    due = last["recorded_at"] + timedelta(days=cadence) + GRACE if cadence else None
    skipped: list[str] = []
    for before, after in pairwise(editions):
        expected = following(before["edition"])
        while expected is not None and expected != after["edition"] and len(skipped) < 50:
            if expected > after["edition"]:
                break
            skipped.append(expected)
            expected = following(expected)
    return {
        "last_edition": last["edition"],
        "last_recorded_at": last["recorded_at"],
        "cadence_days": cadence or None,
        "next_due_by": due,
        "silent": bool(due and now > due),
        "skipped_editions": skipped,
        "complete": not (due and now > due) and not skipped,
    }

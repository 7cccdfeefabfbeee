"""Server-rendered SVG bar charts: no script, no CDN, readable by screen readers via a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.web.render import to_local

WIDTH, LABEL, ROW, PAD = 640, 200, 28, 8


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its length on the scale, and the text shown beside it."""

    label: str
    y: int
    width: float
    text: str


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart's geometry; the template draws it."""

    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int


def bars(title: str, rows: list[tuple[str, float, str]]) -> Chart:
    """A chart of (label, value, shown text) rows; bars scale to the largest value."""
    top = max((value for _, value, _ in rows), default=0) or 1
    span = WIDTH - LABEL - 110
    out = [
        Bar(label[:18], PAD + i * ROW, max(0.0, value) / top * span, text)
        for i, (label, value, text) in enumerate(rows)
    ]
    return Chart(title, out, WIDTH, PAD * 2 + max(1, len(rows)) * ROW, LABEL)


def on_time_by_month(rows: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Per month of the deadline (Beijing time): deadlines passed, met on time, and the rate."""
    months: dict[str, dict[str, Any]] = {}
    for row in rows:
        due = to_local(row["feedback_due_at"])
        given = to_local(row["first_feedback_at"])
        if due is None or (given is None and due > now):
            continue  # still within its 24 hours: neither on time nor late yet
        month = months.setdefault(f"{due:%Y-%m}", {"month": f"{due:%Y-%m}", "due": 0, "on_time": 0})
        month["due"] += 1
        month["on_time"] += given is not None and given <= due
    for month in months.values():
        month["rate"] = month["on_time"] / month["due"]
    return sorted(months.values(), key=lambda m: m["month"])

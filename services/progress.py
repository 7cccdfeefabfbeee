"""A one-line progress display for long replays: bar, events/s and ETA."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressLine:
    """Redraws one terminal line per update; callable as a runner progress callback.

    Only on a terminal: when the output is a file or a pipe (a log), nothing is drawn.
    """

    def __init__(
        self, out: TextIO = sys.stderr, width: int = 30, enabled: bool | None = None
    ) -> None:
        self.out = out
        self.width = width
        self.enabled = _is_terminal(out) if enabled is None else enabled
        self.started = time.perf_counter()
        self.events = 0

    def __call__(self, view: str, fetched: int, fraction: float) -> None:
        """Record a step and redraw."""
        self.events += fetched
        if not self.enabled:
            return
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        rate = self.events / elapsed
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else float("inf")
        filled = int(self.width * fraction)
        bar = "█" * filled + "·" * (self.width - filled)
        self.out.write(
            f"\r{view:<16} {bar} {fraction:6.1%} {self.events:>10,} events"
            f" {rate:>9,.0f}/s ETA {eta:5.0f}s"
        )
        self.out.flush()

    def finish(self) -> float:
        """End the line; return events per second overall."""
        if self.enabled:
            self.out.write("\n")
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        return self.events / elapsed


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False

"""The view worker's child process: every view applied as the log grows (see view_worker)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
from types import FrameType

POLL_SECONDS = 0.05  # how often the child looks for new events (it gets no nudges)
PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> threading.Event:
    """A stop event set on SIGTERM/SIGINT or when the parent is gone."""
    stop = threading.Event()
    with contextlib.suppress(AttributeError, OSError):  # not Linux: the parent check ends it
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def watch() -> None:
        while not stop.wait(0.5):
            if os.getppid() != parent:
                stop.set()

    if os.getppid() != parent:
        stop.set()
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    return stop


def main() -> None:
    """Child entry: apply every view as the log grows, until stopped or orphaned."""
    from services.container import Container
    from services.gc_tuning import tune_after_start_up
    from services.observability import logs
    from services.settings import Settings

    logs.configure()
    stop = _die_with(int(sys.argv[1]))
    settings = Settings(demo=False, run_clock=False, view_worker="inline")
    container = Container(settings)
    tune_after_start_up()
    try:
        container.runner.run(stop, POLL_SECONDS, settings.runner_min_gap)
    finally:
        container.close()


if __name__ == "__main__":
    main()

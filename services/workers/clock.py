"""The deadline clock as a worker of its own (see services/deadline_clock.py).

python -m services.workers.clock   # settings from the environment (ZHULIAN_*, DATABASE_URL)
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

from services.container import Container
from services.settings import Settings


def main() -> None:
    """Run the clock in the foreground until SIGTERM or SIGINT."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings()
    container = Container(settings)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        container.deadline_clock.run(stop, settings.clock_interval)
    finally:
        container.close()


if __name__ == "__main__":
    main()

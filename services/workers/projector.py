"""Standalone projector: follows the event log and keeps every view current.

    python -m services.workers.projector   # settings from the environment (ZHULIAN_*, DATABASE_URL)

Projectors build no index of their own (KAFKA_RUN_INDEXER=no unless set): the index comes
from the writers and the indexer workers. Several may run at once: each view's position row is
locked while a batch is applied, so they take turns and nothing is applied twice.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from types import FrameType

from services.container import Container
from services.settings import Settings


def main() -> None:
    """Run the projection runner in the foreground until SIGTERM or SIGINT."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Projectors follow the index that the writers and the indexer workers build; a builder of
    # their own would consume the whole topic again in every projector process.
    os.environ.setdefault("KAFKA_RUN_INDEXER", "no")
    settings = Settings()
    container = Container(settings)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()
        container.runner.wakeup.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    logging.getLogger(__name__).info("projecting %d views", len(container.views))
    try:
        container.runner.run(stop, settings.runner_interval)
    finally:
        container.close()


if __name__ == "__main__":
    main()

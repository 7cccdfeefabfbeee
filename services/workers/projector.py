"""Standalone projector: follows the event log and keeps every view current.

    python -m services.workers.projector   # settings from the environment (ZHULIAN_*, DATABASE_URL)

Projectors build no index of their own (KAFKA_RUN_INDEXER=no unless set): the index comes
from the writers and the indexer workers. They catch up at most every 50 ms
(ZHULIAN_RUNNER_MIN_GAP unless set), so a stream of writes is applied in batches. Several may
run at once: each view's position row is locked while a batch is applied, so they take turns
and nothing is applied twice.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from types import FrameType

from services import exits
from services.container import Container
from services.gc_tuning import tune_after_start_up
from services.observability import logs
from services.observability.server import serve_health
from services.secret_files import load_secret_files
from services.settings import Settings
from services.workers.settings import WorkerSettings

PROJECTOR_MIN_GAP_S = 0.05


def main() -> None:
    """Run the projection runner until SIGTERM or SIGINT; one line and an exit code on bad setup."""
    logs.configure()
    exits.run(_run, "zhulian-projector")


def _run() -> None:
    load_secret_files()
    worker = WorkerSettings()
    # Projectors follow the index that the writers and the indexer workers build; a builder of
    # their own would consume the whole topic again in every projector process.
    os.environ.setdefault("KAFKA_RUN_INDEXER", "no")
    # Woken by every index transaction's NOTIFY, a projector would apply a few events per
    # catch-up; 50 ms between catch-ups lets each view take the whole gap's events in one read
    # and one transaction (the views lag by at most that much more).
    os.environ.setdefault("ZHULIAN_RUNNER_MIN_GAP", str(PROJECTOR_MIN_GAP_S))
    settings = Settings()
    container = Container(settings)
    tune_after_start_up()
    health = serve_health(
        container.readiness, container, worker.health_host, worker.health_port, "projector"
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()
        container.runner.wakeup.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    logging.getLogger(__name__).info("projecting %d views", len(container.views))
    try:
        container.runner.run(stop, settings.runner_interval, settings.runner_min_gap)
    finally:
        if health is not None:
            health.stop()
        container.close()


if __name__ == "__main__":
    main()

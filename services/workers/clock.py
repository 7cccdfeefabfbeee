"""The deadline clock as a worker of its own (see services/deadline_clock.py).

python -m services.workers.clock   # settings from the environment (ZHULIAN_*, DATABASE_URL)
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

from services import exits
from services.container import Container
from services.observability import logs
from services.observability.server import serve_health
from services.secret_files import load_secret_files
from services.settings import Settings
from services.workers.settings import WorkerSettings


def main() -> None:
    """Run the clock until SIGTERM or SIGINT; one line and an exit code on bad setup."""
    logs.configure()
    exits.run(_run, "zhulian-clock")


def _run() -> None:
    load_secret_files()
    worker = WorkerSettings()
    settings = Settings()
    container = Container(settings)
    health = serve_health(
        container.readiness, container, worker.health_host, worker.health_port, "clock"
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        container.deadline_clock.run(stop, settings.clock_interval)
    finally:
        if health is not None:
            health.stop()
        container.close()


if __name__ == "__main__":
    main()

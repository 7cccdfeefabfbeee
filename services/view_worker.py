"""The embedded profile's views, applied in a child process that `zhulian serve` supervises.

Under 50 writers the eleven views took ~40 % of the API process's interpreter time; in a child
they run on the other core. The child follows the SQLite log as the production projector
follows the index (polling every 50 ms; positions and rows in one transaction, so a
killed child loses nothing). It dies with its parent (PR_SET_PDEATHSIG, and a parent check);
the parent restarts it when it exits, and readiness fails while it is down.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

log = logging.getLogger(__name__)

RESTART_SECONDS = 1.0  # pause before a dead child is started again


class ViewWorker:
    """Starts the child, restarts it when it exits, and says whether it is running."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.env = {**os.environ, **(env or {})}
        self.restart_after = RESTART_SECONDS
        self._process: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._supervise, name="view-worker", daemon=True)

    def start(self) -> None:
        """Start the child and keep it running until `close`."""
        self._spawn()
        self._thread.start()

    def alive(self) -> bool:
        """Whether the child is running now."""
        with self._lock:
            return self._process is not None and self._process.poll() is None

    def _spawn(self) -> None:
        command = [sys.executable, "-m", "services.view_worker_child", str(os.getpid())]
        with self._lock:
            self._process = subprocess.Popen(command, env=self.env)

    def _supervise(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                process = self._process
            if process is not None and process.poll() is not None and not self._stop.is_set():
                log.error("the view worker exited (%s); restarting it", process.returncode)
                if self._stop.wait(self.restart_after):
                    return
                self._spawn()
            self._stop.wait(0.2)

    def close(self) -> None:
        """Stop supervising and end the child (it finishes the batch it is applying)."""
        self._stop.set()
        with self._lock:
            process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

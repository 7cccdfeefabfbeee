"""Servers under test as OS processes: `zhulian serve`, the floor, or any module under uvicorn."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.common import REQUEST_HEADERS, request_headers
from harness.ports import free_port


@dataclass
class Server:
    """A running server process and where to reach it."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start(args: list[str], env: dict[str, str], timeout: float = 60.0) -> Server:
    """Start `python <args> --port P` with the environment; wait until /v1/health answers."""
    port = free_port()
    log_path = Path(tempfile.mkstemp(prefix="bench-server-", suffix=".log")[1])
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, *args, "--port", str(port)],
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            answer = httpx.get(server.url + "/v1/health", headers=request_headers(), timeout=2)
            if answer.status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{args} did not start:\n{log_path.read_text(errors='replace')[-3000:]}")


def start_api(env: dict[str, str]) -> Server:
    """`zhulian serve` with the given environment."""
    return start(["-m", "services.cli", "serve"], env)


def client_token(server: Server, env: dict[str, str], department: str) -> str:
    """Register a publisher client acting as `department` in the server's credential store
    (`zhulian admin`, the same environment) and return a bearer token of it."""
    client_id = f"bench-{department}"
    made = subprocess.run(
        [sys.executable, "-m", "services.cli", "admin", "create-client", "--client-id", client_id,
         "--department", department, "--source", "/", "--event-type", "*"],
        env={**os.environ, **env}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    secret = json.loads(made.stdout.strip().splitlines()[-1])["client_secret"]
    answer = httpx.post(
        server.url + "/v1/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
        timeout=10,
    )
    answer.raise_for_status()
    return "Bearer " + str(answer.json()["access_token"])


def sign_in_as(server: Server, env: dict[str, str], department: str) -> None:
    """A publisher client acting as `department`; every later request carries its token."""
    REQUEST_HEADERS["authorization"] = client_token(server, env, department)


def start_floor() -> Server:
    """The bare endpoint (bench.floor) under the same uvicorn."""
    return start(["-m", "uvicorn", "bench.floor:app", "--log-level", "warning"], {})

"""The production stack on one box, as deploy/ runs it, each part an OS process.

tansu and PostgreSQL (started by the harness unless KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL name
existing ones), the topics step, one indexer, two projector workers and two API processes
(`zhulian serve`, views left to the projectors). CPU time per part is read from /proc.
`store="postgres"` starts the same API and projectors on eventsourcing's own PostgreSQL recorder
(the benchmarks' baseline): no topic, no indexer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.common import cpu_seconds, kafka_store_env, peak_rss_mb, postgres_recorder_env
from bench.processes import Server, client_token, start_api
from harness.ports import free_port
from harness.servers import kafka_broker, postgres_server
from services.secrets import new_secret


@dataclass
class Stack:
    """The running parts: API URLs and the process ids of every part, by name."""

    api_urls: list[str]
    parts: dict[str, list[int]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # bearer token by department

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far of each part (PostgreSQL: the postmaster and all its children)."""
        spent: dict[str, float] = {}
        for name, pids in self.parts.items():
            total = 0.0
            for pid in pids:
                for one in [pid, *children(pid)] if name == "postgres" else [pid]:
                    with suppress(FileNotFoundError, ProcessLookupError):
                        total += cpu_seconds(one)
            spent[name] = total
        return spent

    def peak_rss(self) -> dict[str, float]:
        """Peak RSS (MB) of each part's largest process (PostgreSQL: the postmaster only)."""
        return {name: max(peak_rss_mb(pid) for pid in pids) for name, pids in self.parts.items()}


def children(pid: int) -> list[int]:
    """The direct children of a process (PostgreSQL's backends and helpers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def _worker(module: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start a worker with a health port and wait until /healthz answers."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix=f"bench-{module.rsplit('.', 1)[-1]}-", suffix=".log")[1])
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", module],
            env={**os.environ, **env, "ZHULIAN_HEALTH_PORT": str(port)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{module} did not start:\n{log.read_text(errors='replace')[-3000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _store_env(store: str, bootstrap: str, database_url: str) -> dict[str, str]:
    if store == "postgres":
        recorder = postgres_recorder_env(database_url)
        return {**recorder, "DATABASE_URL": database_url, "ZHULIAN_EVENT_STORE": "postgres"}
    return kafka_store_env(bootstrap, database_url)


@contextmanager
def production_stack(
    apis: int = 2,
    projectors: int = 2,
    store: str = "kafka",
    departments: tuple[str, ...] = (),
    api_env: dict[str, str] | None = None,
) -> Iterator[Stack]:
    """Start the stack on a fresh topic and schema; stop every part afterwards."""
    with kafka_broker() as broker, postgres_server() as database:
        env = {
            **_store_env(store, broker.bootstrap_servers, database.url),
            "ZHULIAN_PROFILE": "production",
            "ZHULIAN_HOUSEHOLD_SECRET": new_secret(),
            "ZHULIAN_LOG_SIGNING_KEY": new_secret(),
            "ZHULIAN_MASTER_KEY": new_secret(),
            "ZHULIAN_TOKEN_SIGNING_KEYS": "bench=" + new_secret(),
            "ZHULIAN_LOG_FORMAT": "json",
            # The benchmark's clients are two department systems at hundreds of writes a second.
            "ZHULIAN_WRITE_RATE": "100000",
            "ZHULIAN_WRITE_BURST": "100000",
        }
        if store == "kafka":
            topics = subprocess.run(
                [sys.executable, "-m", "services.workers.topics"],
                env={**os.environ, **env},
                capture_output=True,
                timeout=120,
                check=False,
            )
            if topics.returncode != 0:
                raise RuntimeError(f"topics step failed: {topics.stderr.decode()[-2000:]}")
        workers: list[subprocess.Popen[bytes]] = []
        servers: list[Server] = []
        try:
            if store == "kafka":
                workers.append(_worker("services.workers.indexer", env))
            indexer = workers[:]
            for _ in range(projectors):
                workers.append(_worker("services.workers.projector", env))
            followers = workers[len(indexer) :]
            api = {**env, "ZHULIAN_RUN_PROJECTIONS": "false", **(api_env or {})}
            for _ in range(apis):
                servers.append(start_api(api))
            stack = Stack([s.url for s in servers])
            # One client per department, in the credential store every API process shares.
            stack.tokens = {d: client_token(servers[0], env, d) for d in departments}
            stack.parts = {"api": [s.process.pid for s in servers]}
            if indexer:
                stack.parts["indexer"] = [indexer[0].pid]
            stack.parts["projectors"] = [w.pid for w in followers]
            if broker.pid is not None and store == "kafka":
                stack.parts["tansu"] = [broker.pid]
            if database.pid is not None:
                stack.parts["postgres"] = [database.pid]
            yield stack
        finally:
            for server in servers:
                server.stop()
            for process in workers:
                _stop(process)

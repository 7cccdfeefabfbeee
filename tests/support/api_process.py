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
from typing import Any

import httpx

from harness.ports import free_port
from services.secrets import new_secret

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


_SIGNING_KEYS: dict[str, str] = {}  # database -> the token keys all its API processes share
_CLIENTS: dict[str, dict[str, tuple[str, str]]] = {}  # database -> role -> (client id, secret)
_HEADERS: dict[str, dict[str, str]] = {}  # API url -> "publisher"/"reader" -> Authorization


def _clients(env: dict[str, str]) -> dict[str, tuple[str, str]]:
    """A publisher and an auditor client in the production credential store (as `zhulian admin
    create-client` makes them), once per database."""
    database = env["DATABASE_URL"]
    if database not in _CLIENTS:
        from services.auth.authority import Authority
        from services.settings import Settings

        settings = Settings(
            profile="production",
            database_url=database,
            household_secret=env["ZHULIAN_HOUSEHOLD_SECRET"],
            log_signing_key=env["ZHULIAN_LOG_SIGNING_KEY"],
            token_signing_keys=env["ZHULIAN_TOKEN_SIGNING_KEYS"],
            argon2_time_cost=1,
            argon2_memory_kib=32,
        )
        authority = Authority(settings)
        try:
            made = {}
            for role, sources in (("publisher", ["/"]), ("auditor", [])):
                client_id = f"it-{role}"
                if authority.store.client(client_id) is None:
                    secret = authority.create_client(
                        "test suite", client_id=client_id, role=role, sources=sources
                    )
                    made[role] = (client_id, secret)
            _CLIENTS[database] = made
        finally:
            authority.close()
    return _CLIENTS[database]


def _sign_in(api: ApiProcess, env: dict[str, str]) -> None:
    headers = {}
    for role, (client_id, secret) in _clients(env).items():
        answer = httpx.post(
            api.url + "/v1/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(client_id, secret),
            timeout=30,
        )
        answer.raise_for_status()
        name = "publisher" if role == "publisher" else "reader"
        headers[name] = "Bearer " + answer.json()["access_token"]
    _HEADERS[api.url] = headers


def _signed(method: str, url: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    for base, headers in _HEADERS.items():
        if url.startswith(base + "/"):
            which = "reader" if method == "GET" else "publisher"
            kwargs["headers"] = {"authorization": headers[which], **(kwargs.get("headers") or {})}
    return kwargs


def get(url: str, **kwargs: Any) -> httpx.Response:
    """httpx.get, signed in as an auditor when the URL is a started production API's."""
    return httpx.get(url, **_signed("GET", url, kwargs))


def post(url: str, **kwargs: Any) -> httpx.Response:
    """httpx.post, signed in as a publisher (every source) when the URL is a started API's."""
    return httpx.post(url, **_signed("POST", url, kwargs))


def start_api(env: dict[str, str]) -> ApiProcess:
    """Start `zhulian serve` on a free port with the given environment; wait for /v1/health.
    On the production profile it also signs in (module functions `get` and `post`)."""
    env = dict(env)
    production = env.get("ZHULIAN_PROFILE") == "production"
    if production:
        env.setdefault(
            "ZHULIAN_TOKEN_SIGNING_KEYS",
            _SIGNING_KEYS.setdefault(env["DATABASE_URL"], "it=" + new_secret()),
        )
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
                if production:
                    _sign_in(api, env)
                return api
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            api.stop(hard=True)
            raise RuntimeError(
                f"the API did not answer within {START_TIMEOUT_S}s:\n{api.log_tail()}"
            )
        time.sleep(0.2)

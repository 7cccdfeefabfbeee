"""Run the zhulian API as a separate OS process, on whatever profile the environment says."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
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
_ENVS: dict[str, dict[str, str]] = {}  # API url -> its environment (on the production profile)
_TOKENS: dict[tuple[Any, ...], str] = {}  # (database, client's fields) -> a bearer token
_MAKING = threading.Lock()  # tests post from several threads: each client is made once


def _authority(env: dict[str, str]) -> Any:
    """The production credential store of the env's database (as `zhulian admin` opens it)."""
    from services.auth.authority import Authority
    from services.settings import Settings

    settings = Settings(
        profile="production",
        database_url=env["DATABASE_URL"],
        household_secret=env["ZHULIAN_HOUSEHOLD_SECRET"],
        log_signing_key=env["ZHULIAN_LOG_SIGNING_KEY"],
        master_key=env["ZHULIAN_MASTER_KEY"],
        token_signing_keys=env["ZHULIAN_TOKEN_SIGNING_KEYS"],
        argon2_time_cost=1,
        argon2_memory_kib=32,
    )
    return Authority(settings)


def _token(base: str, role: str, **fields: Any) -> str:
    """A token of a client with this role and these fields, registered in the credential store
    (as `zhulian admin create-client` does) on first use, from the API's token endpoint."""
    env = _ENVS[base]
    key = (env["DATABASE_URL"], role, tuple(sorted((k, str(v)) for k, v in fields.items())))
    with _MAKING:
        if key not in _TOKENS:
            _TOKENS[key] = _new_client_token(base, env, role, len(_TOKENS), fields)
    return _TOKENS[key]


def _new_client_token(
    base: str, env: dict[str, str], role: str, n: int, fields: dict[str, Any]
) -> str:
    """Register a client in the credential store and get its token from the API."""
    client_id = f"it-{role}-{n}"
    authority = _authority(env)
    try:
        secret = authority.create_client("test suite", client_id=client_id, role=role, **fields)
    finally:
        authority.close()
    answer = httpx.post(
        base + "/v1/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
        timeout=30,
    )
    answer.raise_for_status()
    return "Bearer " + str(answer.json()["access_token"])


def _authorization(base: str, method: str, path: str, kwargs: dict[str, Any]) -> str:
    """Who signs a request in: reads an auditor; events a publisher client for the events'
    sources whose department is the events' actor; the rest a coordinator or administrator."""
    from tests.support.signed_in import _actor, _events, _sources

    types = ["cn.zhulian.*"]
    if method in ("GET", "HEAD"):
        return _token(base, "auditor")
    if path == "/v1/events":
        events = _events(kwargs, kwargs.get("headers"))
        actor = _actor(events)
        extra = {"department": actor} if actor else {}
        return _token(base, "publisher", sources=list(_sources(events)), event_types=types, **extra)
    if path == "/v1/hsds/import":
        return _token(base, "publisher", sources=["/"], event_types=types)
    if path.startswith("/v1/admin/"):
        return _token(base, "administrator")
    return _token(base, "coordinator")


def _signed(method: str, url: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    headers = kwargs.get("headers") or {}
    if any(k.lower() == "authorization" for k in headers):
        return kwargs
    for base in _ENVS:
        if url.startswith(base + "/"):
            path = "/" + url[len(base) + 1 :].split("?", 1)[0]
            who = _authorization(base, method, path, kwargs)
            kwargs["headers"] = {"authorization": who, **headers}
    return kwargs


def get(url: str, **kwargs: Any) -> httpx.Response:
    """httpx.get, signed in as an auditor when the URL is a started production API's."""
    return httpx.get(url, **_signed("GET", url, kwargs))


def post(url: str, **kwargs: Any) -> httpx.Response:
    """httpx.post, signed in as the request needs (see `_authorization`) when the URL is a
    started production API's."""
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
                    _ENVS[api.url] = env
                return api
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            api.stop(hard=True)
            raise RuntimeError(
                f"the API did not answer within {START_TIMEOUT_S}s:\n{api.log_tail()}"
            )
        time.sleep(0.2)

"""`zhulian serve` on the embedded profile applies its views in a child process it supervises."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from services.container import Container
from services.settings import Settings
from tests.support.api_process import ApiProcess, start_api

DEADLINE_S = 60.0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _view_worker(api: ApiProcess, other_than: int | None = None) -> int:
    """The pid of the API's view worker child (a new one when `other_than` is given)."""
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        for child in _children(api.process.pid):
            command = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"services.view_worker_child" in command and child != other_than:
                return child
        time.sleep(0.1)
    raise AssertionError(f"no view worker child of the API:\n{api.log_tail()}")


def _ended(pid: int) -> bool:
    """Gone, or a zombie waiting for init to reap it."""
    try:
        return "State:\tZ" in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True


def _publisher_token(api: ApiProcess, env: dict[str, str]) -> str:
    made = subprocess.run(
        [sys.executable, "-m", "services.cli", "admin", "create-client", "--client-id", "grid",
         "--department", "grid-worker-wang", "--source", "/", "--event-type", "*"],
        env={**os.environ, **env}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    secret = json.loads(made.stdout.strip().splitlines()[-1])["client_secret"]
    answer = httpx.post(
        api.url + "/v1/oauth/token", data={"grant_type": "client_credentials"},
        auth=("grid", secret), timeout=10,
    )  # fmt: skip
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def _discovery(n: int) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"worker-{n}",
        "source": "/330106/grid",
        "type": "cn.zhulian.household.discovered.v1",
        "data": {
            "household": {"registration_number": f"W{n:09d}"},
            "region_code": "330106002051",
            "channel": "grid_worker",
            "reported_by": "grid-worker-wang",
            "members": [{"relation": "head", "birth_year": 1950}],
        },
    }


def _views_reach(api: ApiProcess, head: int) -> None:
    """Every view applies the log up to `head` (only the child applies them)."""
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        body = httpx.get(api.url + "/v1/health", timeout=10).json()
        views = body.get("views", {})
        if (
            body.get("log_head", 0) >= head
            and views
            and all(v["behind"] == 0 for v in views.values())
        ):
            return
        time.sleep(0.1)
    raise AssertionError(f"the views did not reach {head}: {body}")


def test_a_killed_view_worker_is_restarted_and_the_views_go_on(tmp_path) -> None:
    env = {"ZHULIAN_PROFILE": "embedded", "ZHULIAN_DATA_DIR": str(tmp_path), "ZHULIAN_DEMO": "0"}
    api = start_api(env)
    try:
        first = _view_worker(api)
        headers = {
            "authorization": "Bearer " + _publisher_token(api, env),
            "content-type": "application/cloudevents+json",
        }
        for n in (1, 2):
            sent = httpx.post(api.url + "/v1/events", json=_discovery(n), headers=headers)
            assert sent.status_code == 201, sent.text
            head = httpx.get(api.url + "/v1/health", timeout=10).json()["log_head"]
            _views_reach(api, head)
            if n == 1:
                os.kill(first, signal.SIGKILL)
                assert _view_worker(api, other_than=first) != first
    finally:
        api.stop()


def test_the_view_worker_dies_with_its_server(tmp_path) -> None:
    env = {"ZHULIAN_PROFILE": "embedded", "ZHULIAN_DATA_DIR": str(tmp_path), "ZHULIAN_DEMO": "0"}
    api = start_api(env)
    child = _view_worker(api)
    api.stop(hard=True)  # kill -9: no chance to end its child
    deadline = time.monotonic() + DEADLINE_S
    while not _ended(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _ended(child)


def test_readiness_fails_while_the_view_worker_is_down(tmp_path) -> None:
    settings = Settings(profile="embedded", data_dir=tmp_path, demo=False, view_worker="process")
    container = Container(settings)
    assert container.view_worker is not None
    container.view_worker.restart_after = 600.0  # stays down for the whole check
    container.start()
    try:
        assert container.readiness.report().checks["views"]["ok"]
        process = container.view_worker._process
        assert process is not None
        process.kill()
        process.wait()
        container.readiness._cached = None  # the report is cached for a second
        check = container.readiness.report().checks["views"]
        assert not check["ok"] and "view worker" in check["detail"]
    finally:
        container.close()

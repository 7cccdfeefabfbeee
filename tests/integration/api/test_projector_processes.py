"""Several projector processes share the views; one is killed with SIGKILL; nothing is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.builders import cloud_event, discovered, need_raised
from tests.integration.api.test_log_is_the_truth import cli, view_checksums
from tests.support import api_process as api_http

BATCH = {"content-type": "application/cloudevents-batch+json"}


def district(first: int, count: int) -> list[dict]:
    events = []
    for n in range(first, first + count):
        number = f"33010619800101{n:04d}"
        region = "330106002051" if n % 2 else "330105001051"  # two alliances, two partitions
        events.append(
            cloud_event(
                "household.discovered",
                discovered(number, region=region, reported_by="civil-affairs"),
            )
        )
        events.append(cloud_event("need.raised", need_raised(number)))
    return events


def projector(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "services.workers.projector"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_views_stay_exact_when_one_of_two_projectors_is_killed(api_processes, production_env):
    production_env.update(ZHULIAN_RUN_PROJECTIONS="false", KAFKA_EVENTS_PARTITIONS="2")
    (api,) = api_processes(1)

    def post(events: list[dict]) -> dict:
        return api_http.post(api.url + "/v1/events", json=events, headers=BATCH, timeout=120).json()

    assert post(district(0, 60))["stored"] == 120
    workers = [projector(production_env), projector(production_env)]
    try:
        time.sleep(1.0)
        os.kill(workers[0].pid, signal.SIGKILL)  # mid-stream, at whatever point it had reached
        assert post(district(60, 60))["stored"] == 120
        deadline = time.monotonic() + 90
        while True:
            views = api_http.get(api.url + "/v1/health", timeout=10).json()["views"]
            if all(v["behind"] == 0 for v in views.values()) and all(
                v["positions"] for v in views.values()
            ):
                break
            assert time.monotonic() < deadline, f"projectors did not catch up: {views}"
            time.sleep(0.2)
        needs = api_http.get(api.url + "/v1/needs", params={"limit": 500}, timeout=10).json()
        assert needs["total"] == 120
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=30)
    api.stop()
    live = view_checksums(cli(production_env, "checksums"))
    assert view_checksums(cli(production_env, "rebuild")) == live

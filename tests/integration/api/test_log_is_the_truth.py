"""G5: drop the PostgreSQL index and every view, replay Kafka from offset 0, get them back."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from eventsourcing.utils import Environment

from services.store.kafka.rebuild import index_checksum, rebuild_index
from services.store.kafka.settings import KafkaStoreSettings
from tests.builders import cloud_event, consented, discovered, need_raised
from tests.support import api_process as api_http

BATCH = {"content-type": "application/cloudevents-batch+json"}
CE = {"content-type": "application/cloudevents+json"}
CIVIL = {"reported_by": "civil-affairs"}  # one batch, one department system: one actor


def cli(env: dict[str, str], *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()


def view_checksums(lines: list[str]) -> dict[str, str]:
    return {line.split()[0].rstrip(":"): line.split()[-1] for line in lines}


def test_the_index_and_every_view_come_back_identical_from_the_log(api_processes, production_env):
    (api,) = api_processes(1)
    events = [
        cloud_event("household.discovered", discovered(f"33010619800101{n:04d}", **CIVIL))
        for n in range(30)
    ]
    events += [cloud_event("need.raised", need_raised(f"33010619800101{n:04d}")) for n in range(30)]
    events += [cloud_event("household.consent.given", consented("330106198001010000"))]
    answer = api_http.post(api.url + "/v1/events", json=events, headers=BATCH, timeout=60).json()
    assert answer["stored"] == 61
    need = answer["results"][30]["record_id"]
    referral = api_http.post(
        api.url + "/v1/events",
        json=cloud_event(
            "referral.requested",
            {"need_id": need, "from_department": "civil-affairs", "to_department": "health"},
        ),
        headers=CE,
        timeout=30,
    ).json()["record_id"]
    api_http.post(
        api.url + "/v1/events",
        json=cloud_event("referral.accepted", {"referral_id": referral, "department": "health"}),
        headers=CE,
        timeout=30,
    )
    deadline = time.monotonic() + 30
    while any(v["behind"] for v in api_http.get(api.url + "/v1/health").json()["views"].values()):
        assert time.monotonic() < deadline, "views did not catch up"
        time.sleep(0.1)
    api.stop()

    settings = KafkaStoreSettings.from_env(Environment(env=production_env))
    index_before = index_checksum(settings)
    views_before = view_checksums(cli(production_env, "checksums"))
    assert len(views_before) >= 3

    assert rebuild_index(settings) == index_before
    views_after = view_checksums(cli(production_env, "rebuild"))
    assert views_after == views_before

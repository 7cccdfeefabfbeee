"""The store's guarantees as a department sees them: several API processes on Kafka."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import count

import httpx

from tests.builders import cloud_event, consented, discovered, need_raised
from tests.support import api_process as api_http

CE = {"content-type": "application/cloudevents+json"}
BATCH = {"content-type": "application/cloudevents-batch+json"}
_ids = count(1)


def post(url: str, event: dict, timeout: float = 30) -> httpx.Response:
    return api_http.post(url + "/v1/events", json=event, headers=CE, timeout=timeout)


def eventually(probe, until, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if until(value):
            return value
        assert time.monotonic() < deadline, f"not reached in {timeout}s: {value!r}"
        time.sleep(0.1)


def test_two_api_processes_racing_on_one_referral_let_exactly_one_win(api_processes) -> None:
    a, b = api_processes(2)
    assert post(a.url, cloud_event("household.discovered", discovered())).status_code == 201
    assert post(a.url, cloud_event("household.consent.given", consented())).status_code == 201
    races = 0
    rounds = 15
    with ThreadPoolExecutor(2) as pool:
        for _ in range(rounds):
            need = post(a.url, cloud_event("need.raised", need_raised())).json()["record_id"]
            referral = post(
                a.url,
                cloud_event(
                    "referral.requested",
                    {
                        "need_id": need,
                        "from_department": "civil-affairs",
                        "to_department": "hrss",
                    },
                ),
            ).json()["record_id"]
            accept = {"referral_id": referral, "department": "hrss"}
            answers = list(
                pool.map(
                    lambda api, data=accept: post(api.url, cloud_event("referral.accepted", data)),
                    (a, b),
                )
            )
            assert sorted(r.status_code for r in answers) == [201, 409], [r.text for r in answers]
            loser = next(r for r in answers if r.status_code == 409).json()["detail"]
            races += "changed by another writer" in loser
    board = eventually(
        lambda: api_http.get(a.url + "/v1/referrals", params={"limit": 100}).json(),
        lambda page: (
            page["total"] == rounds and all(r["status"] == "accepted" for r in page["items"])
        ),
    )
    assert all(r["version"] == 2 for r in board["items"])  # one acceptance each, never two
    print(f"{races} of {rounds} rounds were decided by the store's version check")


def test_a_resent_batch_stores_nothing_twice_even_through_another_process(api_processes):
    a, b = api_processes(2)
    # one department system's batch: a credential acts as one actor (civil affairs finds and asks)
    found = [
        {**discovered(f"33010619800101{n:04d}"), "reported_by": "civil-affairs"} for n in range(40)
    ]
    batch = [cloud_event("household.discovered", data) for data in found]
    batch += [cloud_event("need.raised", need_raised(f"33010619800101{n:04d}")) for n in range(40)]
    first = api_http.post(a.url + "/v1/events", json=batch, headers=BATCH, timeout=60).json()
    again = api_http.post(b.url + "/v1/events", json=batch, headers=BATCH, timeout=60).json()
    assert (first["stored"], first["duplicate"]) == (80, 0)
    assert (again["stored"], again["duplicate"]) == (0, 80)
    assert [r["record_id"] for r in again["results"]] == [r["record_id"] for r in first["results"]]
    needs = eventually(lambda: api_http.get(b.url + "/v1/needs").json(), lambda p: p["total"] >= 40)
    assert needs["total"] == 40


def test_with_the_broker_stopped_the_api_answers_503_and_recovers_by_itself(
    api_processes, broker, production_env
) -> None:
    production_env["KAFKA_PRODUCE_TIMEOUT_S"] = "2"
    (api,) = api_processes(1)
    assert post(api.url, cloud_event("household.discovered", discovered())).status_code == 201
    during = cloud_event("need.raised", need_raised())
    os.kill(broker.pid, signal.SIGSTOP)
    try:
        refused = post(api.url, during)
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"].isdigit()
        assert refused.json()["title"] == "Store unavailable"
    finally:
        os.kill(broker.pid, signal.SIGCONT)
    answer = eventually(
        lambda: post(api.url, during), lambda r: r.status_code in (200, 201), timeout=60
    )
    assert answer.json()["record_id"]
    needs = eventually(
        lambda: api_http.get(api.url + "/v1/needs").json(), lambda p: p["total"] >= 1
    )
    assert needs["total"] == 1  # the event refused during the outage is stored once at most

"""A generated district of a few thousand households: every rule's hits are known in advance."""

from __future__ import annotations

from fastapi.testclient import TestClient

from harness.households import discovery_events, generate, monitoring_rows
from tests.e2e.conftest import eventually, post_batch, post_event
from tests.e2e.test_screening_over_http import COUNTY, adopt_example_rule, event, send_list

HOUSEHOLDS = 2000


def queue(client: TestClient, **params) -> dict:
    return client.get("/v1/screening/alerts", params={"limit": 1, **params}).json()


def test_a_district_of_two_thousand_households_gets_exactly_the_expected_alerts(client) -> None:
    households = generate(HOUSEHOLDS, seed=2026)
    events = discovery_events(households)
    for start in range(0, len(events), 5000):
        assert post_batch(client, events[start : start + 5000]).json()["rejected"] == 0
    assert adopt_example_rule(client).status_code == 201
    pack = event(
        "screening.pack_adopted.v1",
        {"region_code": COUNTY, "pack": "standing-checks", "reason": "666", "actor": "ca"},
        "pack-1",
    )
    assert post_event(client, pack).status_code == 201
    assert send_list(client, monitoring_rows(households), "2026-10", "l1").status_code == 201

    example = [h for h in households if h.example_hit]
    sudden = [
        h for h in households if any("severe_illness" in m["circumstances"] for m in h.members)
    ]
    unassessed = [h for h in households if h.dibao]
    expected = {
        "risk-disabled-no-dibao": example,
        "check-3-sudden-hardship-no-temporary-aid": sudden,
        "check-6-records-incomplete": unassessed,
    }
    total = sum(len(v) for v in expected.values())
    eventually(lambda: queue(client), lambda q: q["total"] >= total, timeout=120)
    for rule_id, hits in expected.items():
        found = queue(client, rule_id=rule_id)
        assert (found["total"], found["people"]) == (
            len(hits),
            sum(len(h.members) for h in hits),
        ), rule_id
        town = f"{COUNTY}004"
        in_town = queue(client, rule_id=rule_id, region=town)
        assert in_town["total"] == sum(1 for h in hits if h.region.startswith(town)), rule_id
    checks = client.get(f"/v1/screening/checks/{COUNTY}", params={"level": 6}).json()["items"]
    by_rule = {c["rule_id"]: c for c in checks}
    assert by_rule["check-6-records-incomplete"]["households"] == len(unassessed)

    # A changed rule (version 2) alerts only the households that start to satisfy it.
    wider = (
        'monitoring_risk != "" && members.exists(m, m.disability_grade > 0)'
        ' && !("dibao" in assistance)'
    )
    assert adopt_example_rule(client, wider, ident="r2").status_code == 201
    newly = [
        h for h in households if h.monitored and h.disabled and not h.dibao and not h.example_hit
    ]
    eventually(
        lambda: queue(client, rule_id="risk-disabled-no-dibao"),
        lambda q: q["total"] == len(example) + len(newly),
        timeout=60,
    )
    second = client.get(
        "/v1/screening/alerts",
        params={"rule_id": "risk-disabled-no-dibao", "limit": 500, "offset": len(example)},
    ).json()["items"]
    assert {a["rule_version"] for a in second} == {2}

    # Retiring a rule closes nothing.
    retire = event(
        "screening.rule_retired.v1",
        {"region_code": COUNTY, "rule_id": "risk-disabled-no-dibao", "reason": "x", "actor": "ca"},
        "retire-1",
    )
    assert post_event(client, retire).status_code == 201
    eventually(
        lambda: client.get(f"/v1/screening/rules/{COUNTY}").json()["items"],
        lambda rules: any(r["status"] == "retired" for r in rules),
    )
    assert queue(client, rule_id="risk-disabled-no-dibao")["total"] == len(example) + len(newly)

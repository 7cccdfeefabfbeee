"""Policy finds people: a department's list, the reports' rule, alerts that end only with an
outcome, the standing checks and a what-if, over HTTP on the embedded profile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from harness.households import (
    EXAMPLE_RULE,
    discovery_events,
    generate,
    monitoring_rows,
)
from tests.e2e.conftest import eventually, post_batch, post_event

COUNTY = "330106"


def event(kind: str, data: dict[str, Any], ident: str) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": ident,
        "source": "/330106/screening-test",
        "type": f"cn.zhulian.{kind}",
        "data": data,
    }


def adopt_example_rule(client: TestClient, expression: str = EXAMPLE_RULE, ident: str = "r1"):
    return post_event(
        client,
        event(
            "screening.rule_adopted.v1",
            {
                "region_code": COUNTY,
                "rule_id": "risk-disabled-no-dibao",
                "name": "risk not eliminated, a disabled member, not in dibao",
                "expression": expression,
                "fix": "household check; help apply for dibao",
                "reason": "agreed with the rural-revitalization bureau",
                "actor": "civil-affairs",
            },
            ident,
        ),
    )


def send_list(client: TestClient, rows: list[dict[str, Any]], edition: str, ident: str):
    return post_event(
        client,
        event(
            "department_list.compared.v1",
            {
                "region_code": COUNTY,
                "list_name": "monitoring",
                "edition": edition,
                "rows": rows,
                "cadence_days": 31,
                "actor": "rural-revitalization",
            },
            ident,
        ),
    )


def open_alerts(client: TestClient, **params: Any) -> dict[str, Any]:
    return client.get("/v1/screening/alerts", params={"limit": 500, **params}).json()


def test_the_reports_rule_over_the_monitoring_list_raises_the_right_alerts_in_people_too(
    client,
) -> None:
    households = generate(120, seed=3)
    assert post_batch(client, discovery_events(households)).json()["rejected"] == 0
    assert adopt_example_rule(client).status_code == 201
    response = send_list(client, monitoring_rows(households), "2026-10", "l1")
    assert response.status_code == 201, response.text
    expected = [h for h in households if h.example_hit]
    assert expected, "the generator must produce some hits"
    queue = eventually(lambda: open_alerts(client), lambda q: q["total"] == len(expected))
    assert {a["household_key"] for a in queue["items"]} == {h.key for h in expected}
    assert queue["people"] == sum(len(h.members) for h in expected)
    town = expected[0].region[:9]
    in_town = open_alerts(client, region=town)
    assert in_town["total"] == sum(1 for h in expected if h.region.startswith(town))
    first = queue["items"][0]
    assert first["rule_version"] == 1
    assert first["evidence"]["monitoring_risk"] == "not_eliminated"


def test_a_list_compared_twice_gives_already_known_and_raises_nothing_new(client) -> None:
    households = generate(40, seed=5)
    post_batch(client, discovery_events(households))
    adopt_example_rule(client)
    rows = monitoring_rows(households)
    send_list(client, rows, "2026-10", "l1")
    before = eventually(lambda: client.get("/v1/screening/lists").json(), lambda r: r["items"])
    assert before["items"][0]["new"] == len(rows)
    assert send_list(client, rows, "2026-11", "l2").status_code == 201
    editions = eventually(
        lambda: client.get("/v1/screening/lists").json()["items"], lambda r: len(r) == 2
    )
    second = editions[1]
    assert (second["known"], second["new"], second["changed"], second["gone"]) == (
        len(rows),
        0,
        0,
        0,
    )
    assert second["previous_edition"] == "2026-10"
    again = send_list(client, rows, "2026-11", "l3")
    assert again.status_code == 409


def test_an_alert_leaves_the_queue_only_with_a_recorded_outcome(client) -> None:
    households = [h for h in generate(60, seed=11) if h.example_hit][:2]
    post_batch(client, discovery_events(households))
    adopt_example_rule(client)
    send_list(client, monitoring_rows(households), "2026-10", "l1")
    queue = eventually(lambda: open_alerts(client), lambda q: q["total"] == 2)
    alert_id = queue["items"][0]["alert_id"]
    # The household stops satisfying the rule (低保 granted): noted, not closed.
    key = queue["items"][0]["household_key"]
    granted = event(
        "household.assistance_granted.v2",
        {"household": {"household_key": key}, "status": "dibao", "actor": "civil-affairs"},
        "g1",
    )
    assert post_event(client, granted).status_code == 201
    noted = eventually(
        lambda: client.get(f"/v1/screening/alerts/{alert_id}").json(),
        lambda a: a["notes"],
    )
    assert noted["status"] == "open" and noted["satisfied"] is False
    assert open_alerts(client)["total"] == 2
    refused = client.post(
        f"/v1/screening/alerts/{alert_id}/outcome",
        json={"actor": "civil-affairs", "outcome": "dismissed"},
    )
    assert refused.status_code == 422
    done = client.post(
        f"/v1/screening/alerts/{alert_id}/outcome",
        json={"actor": "civil-affairs", "outcome": "dismissed", "reason": "now in dibao"},
    )
    assert done.status_code == 201, done.text
    eventually(lambda: open_alerts(client), lambda q: q["total"] == 1)
    closed = client.get(f"/v1/screening/alerts/{alert_id}").json()
    assert (closed["outcome"], closed["outcome_reason"]) == ("dismissed", "now in dibao")
    twice = client.post(
        f"/v1/screening/alerts/{alert_id}/outcome",
        json={"actor": "civil-affairs", "outcome": "dismissed", "reason": "again", "id": "x2"},
    )
    assert twice.status_code == 409


def test_a_rule_with_a_misspelt_field_is_refused_with_a_422_naming_it(client) -> None:
    response = adopt_example_rule(client, "members.exists(m, m.disabilty_grade > 0)", ident="bad-1")
    assert response.status_code == 422
    assert "disabilty_grade" in response.json()["detail"]
    syntax = adopt_example_rule(client, "disabled > ", ident="bad-2")
    assert syntax.status_code == 422
    assert "not valid CEL" in syntax.json()["detail"]


def test_a_what_if_reports_a_stricter_draft_without_raising_or_recording_anything(
    client,
) -> None:
    households = generate(90, seed=13)
    post_batch(client, discovery_events(households))
    adopt_example_rule(client)
    send_list(client, monitoring_rows(households), "2026-10", "l1")
    expected = [h for h in households if h.example_hit]
    eventually(lambda: open_alerts(client), lambda q: q["total"] == len(expected))
    head = client.get("/metrics").text
    stricter = EXAMPLE_RULE + " && people >= 3"
    response = client.post(
        "/v1/screening/what-if",
        json={"region": COUNTY, "rule_id": "risk-disabled-no-dibao", "expression": stricter},
    )
    assert response.status_code == 200, response.text
    (result,) = response.json()["results"]
    (rule,) = result["rules"]
    strict = [h for h in expected if len(h.members) >= 3]
    assert (rule["households"], rule["people"]) == (
        len(strict),
        sum(len(h.members) for h in strict),
    )
    assert rule["in_force"]["households"] == len(expected)
    assert set(rule["in_force"]["only_in_force"]) == {h.key for h in expected} - {
        h.key for h in strict
    }
    assert open_alerts(client)["total"] == len(expected)
    log_head = [
        ln for ln in client.get("/metrics").text.splitlines() if ln.startswith("zhulian_log_head")
    ]
    assert log_head == [ln for ln in head.splitlines() if ln.startswith("zhulian_log_head")]


def test_the_standing_checks_pack_lists_hits_per_town_with_each_fix(client) -> None:
    households = generate(60, seed=17)
    post_batch(client, discovery_events(households))
    adopted = post_event(
        client,
        event(
            "screening.pack_adopted.v1",
            {
                "region_code": COUNTY,
                "pack": "standing-checks",
                "reason": "666 procedure",
                "actor": "civil-affairs",
            },
            "p1",
        ),
    )
    assert adopted.status_code == 201, adopted.text
    # Check 6: every dibao household here is unassessed (circle 0).
    dibao = [h for h in households if h.dibao]
    checks = eventually(
        lambda: client.get(f"/v1/screening/checks/{COUNTY}").json()["items"],
        lambda items: (
            sum(i["households"] for i in items if i["rule_id"] == "check-6-records-incomplete")
            == len(dibao)
        ),
    )
    six = [i for i in checks if i["rule_id"] == "check-6-records-incomplete"]
    assert {i["region_code"] for i in six} == {h.region[:9] for h in dibao}
    assert all(i["fix"] for i in six)
    rules = client.get(f"/v1/screening/rules/{COUNTY}").json()["items"]
    assert len({r["rule_id"] for r in rules}) == 6


def test_a_skipped_edition_is_flagged_on_the_feeds_and_in_metrics(client) -> None:
    households = generate(10, seed=19)
    post_batch(client, discovery_events(households))
    rows = monitoring_rows(households)
    send_list(client, rows, "2026-08", "l1")
    send_list(client, rows, "2026-10", "l2")
    feeds = eventually(
        lambda: client.get("/v1/screening/feeds").json()["items"],
        lambda items: items and items[0]["last_edition"] == "2026-10",
    )
    assert feeds[0]["skipped_editions"] == ["2026-09"]
    assert feeds[0]["complete"] is False
    metrics = client.get("/metrics").text
    assert (
        'zhulian_feed_skipped_editions{alliance="330106",department="rural-revitalization",'
        'list_name="monitoring"} 1' in metrics
    )


def test_the_facts_a_rule_sees_about_a_household_can_be_read(client) -> None:
    households = generate(30, seed=23)
    post_batch(client, discovery_events(households))
    send_list(client, monitoring_rows(households), "2026-10", "l1")
    monitored = next(h for h in households if h.monitored)
    found = eventually(
        lambda: client.get(f"/v1/screening/households/{monitored.key}/facts").json(),
        lambda row: "rural-revitalization/monitoring" in row["state"]["lists"],
    )
    assert found["state"]["lists"]["rural-revitalization/monitoring"]["risk"] == monitored.risk
    assert found["people"] == len(monitored.members)
    assert client.get("/v1/screening/facts").json()["variables"]["monitoring_risk"]


def test_a_what_if_over_a_period_reports_each_day(client) -> None:
    households = generate(20, seed=29)
    post_batch(client, discovery_events(households))
    today = datetime.now(UTC).date()
    response = client.post(
        "/v1/screening/what-if",
        json={
            "region": COUNTY,
            "expression": "disabled > 0",
            "from": (today - timedelta(days=2)).isoformat() + "T00:00:00+00:00",
            "to": today.isoformat() + "T00:00:00+00:00",
        },
    )
    assert response.status_code == 200, response.text
    days = response.json()["results"]
    assert [d["at"][:10] for d in days] == [
        (today - timedelta(days=n)).isoformat() for n in (2, 1, 0)
    ]
    assert [d["rules"][0]["households"] for d in days] == [
        0,
        0,
        sum(1 for h in households if h.disabled),
    ]
    bad = client.post("/v1/screening/what-if", json={"region": COUNTY, "expression": "disabled >"})
    assert bad.status_code == 422

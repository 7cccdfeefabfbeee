"""Department events in over HTTP, the alliance's lists out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.builders import cloud_event, consented, discovered, need_raised
from tests.e2e.conftest import eventually, post_batch, post_event


def needs(client, **params):
    return client.get("/v1/needs", params=params).json()


def head(client) -> int:
    return client.get("/v1/health").json()["log_head"]


def test_posting_the_same_cloudevent_twice_yields_one_need(client) -> None:
    assert post_event(client, cloud_event("household.discovered", discovered())).status_code == 201
    event = cloud_event("need.raised", need_raised())
    first = post_event(client, event)
    second = post_event(client, event)
    assert (first.status_code, first.json()["result"]) == (201, "stored")
    assert (second.status_code, second.json()["result"]) == (200, "duplicate")
    assert second.json()["record_id"] == first.json()["record_id"]
    listed = eventually(lambda: needs(client), lambda page: page["total"] >= 1)
    assert listed["total"] == 1


def test_an_invalid_event_is_refused_precisely_and_nothing_is_stored(client) -> None:
    post_event(client, cloud_event("household.discovered", discovered()))
    before = head(client)
    bad = cloud_event("need.raised", need_raised(urgency="whenever"))
    response = post_event(client, bad)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "data.urgency"
    assert "whenever" in response.json()["detail"]
    assert head(client) == before


def test_a_domain_refusal_stores_nothing(client) -> None:
    before = head(client)
    response = post_event(client, cloud_event("need.raised", need_raised()))
    assert response.status_code == 404
    assert "publish its discovery before its needs" in response.json()["detail"]
    assert head(client) == before


def test_malformed_json_is_a_400(client) -> None:
    response = client.post(
        "/v1/events", content=b"{not json", headers={"content-type": "application/cloudevents+json"}
    )
    assert response.status_code == 400 and "not valid JSON" in response.json()["detail"]


def refer_and_accept(
    client, accepted_hours_ago: float, holder: str = "hrss", now: datetime | None = None
) -> str:
    post_event(client, cloud_event("household.discovered", discovered()))
    post_event(client, cloud_event("household.consent.given", consented()))
    now = now or datetime.now(UTC)
    raised = cloud_event(
        "need.raised", need_raised(), time=now - timedelta(hours=accepted_hours_ago + 2)
    )
    need_id = post_event(client, raised).json()["record_id"]
    referral = post_event(
        client,
        cloud_event(
            "referral.requested",
            {"need_id": need_id, "from_department": "civil-affairs", "to_department": holder},
            time=now - timedelta(hours=accepted_hours_ago + 1),
        ),
    ).json()["record_id"]
    accepted = post_event(
        client,
        cloud_event(
            "referral.accepted",
            {"referral_id": referral, "department": holder},
            time=now - timedelta(hours=accepted_hours_ago),
        ),
    )
    assert accepted.status_code == 201, accepted.json()
    return referral


def test_a_referral_accepted_over_24_hours_ago_without_feedback_is_overdue_and_first(clocked):
    client, clock = clocked
    post_event(client, cloud_event("household.discovered", discovered("330106197001010022")))
    late = refer_and_accept(client, accepted_hours_ago=0, now=clock.now)
    clock.advance(hours=28)
    fresh = refer_and_accept(client, accepted_hours_ago=0, holder="health", now=clock.now)
    clock.advance(hours=2)
    board = eventually(
        lambda: client.get("/v1/referrals").json(),
        lambda b: b["total"] == 2 and all(r["status"] == "accepted" for r in b["items"]),
    )
    assert [(r["referral_id"], r["overdue"]) for r in board["items"]] == [
        (late, True),
        (fresh, False),
    ]
    overdue_only = client.get("/v1/referrals", params={"overdue": "true"}).json()
    assert [r["referral_id"] for r in overdue_only["items"]] == [late]


def test_feedback_takes_a_referral_off_the_overdue_list(client) -> None:
    referral = refer_and_accept(client, accepted_hours_ago=30)
    post_event(
        client,
        cloud_event(
            "referral.feedback_given",
            {"referral_id": referral, "department": "hrss", "content": "training place found"},
        ),
    )
    board = eventually(
        lambda: client.get("/v1/referrals").json(),
        lambda b: b["items"] and b["items"][0]["status"] == "feedback_given",
    )
    assert board["items"][0]["overdue"] is False


def test_a_step_out_of_order_is_a_409_naming_the_rule(client) -> None:
    referral = refer_and_accept(client, accepted_hours_ago=1)
    response = post_event(
        client,
        cloud_event(
            "referral.completed", {"referral_id": referral, "department": "hrss", "outcome": "done"}
        ),
    )
    assert response.status_code == 409
    assert "complete needs it to be feedback_given" in response.json()["detail"]


def test_an_expected_version_mismatch_is_a_412(client) -> None:
    referral = refer_and_accept(client, accepted_hours_ago=1)
    response = post_event(
        client,
        cloud_event(
            "referral.feedback_given",
            {"referral_id": referral, "department": "hrss", "content": "x"},
            expectedversion=1,
        ),
    )
    assert response.status_code == 412
    assert "not the expected version 1" in response.json()["detail"]


def test_an_event_id_reused_for_other_content_is_a_409(client) -> None:
    post_event(client, cloud_event("household.discovered", discovered()))
    post_event(client, cloud_event("need.raised", need_raised(), event_id="fixed-1"))
    response = post_event(
        client, cloud_event("need.raised", need_raised(urgency="low"), event_id="fixed-1")
    )
    assert response.status_code == 409 and "already used" in response.json()["detail"]


def test_each_batch_item_gets_its_own_result(client) -> None:
    # one department's batch: a caller acts only as itself
    household = cloud_event("household.discovered", discovered(reported_by="civil-affairs"))
    response = post_batch(
        client,
        [
            household,
            cloud_event("need.raised", need_raised(category="astrology")),
            cloud_event("need.raised", need_raised()),
            household,
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert [r["status"] for r in body["results"]] == [201, 422, 201, 200]
    assert (body["stored"], body["duplicate"], body["rejected"]) == (2, 1, 1)
    assert body["results"][1]["problem"]["errors"][0]["field"] == "data.category"


def test_a_json_array_without_the_batch_content_type_is_refused(client) -> None:
    response = post_event(client, [cloud_event("household.discovered", discovered())])
    assert response.status_code == 415


def test_the_needs_list_filters_by_region_prefix_and_category(client) -> None:
    post_event(client, cloud_event("household.discovered", discovered()))
    post_event(
        client,
        cloud_event(
            "household.discovered", discovered("330106197001010022", region="330105001051")
        ),
    )
    post_event(client, cloud_event("need.raised", need_raised()))
    post_event(
        client, cloud_event("need.raised", need_raised("330106197001010022", category="housing"))
    )
    eventually(lambda: needs(client), lambda page: page["total"] == 2)
    assert needs(client, region="330106")["total"] == 1
    assert needs(client, category="housing")["items"][0]["region_code"] == "330105001051"
    assert client.get("/v1/needs", params={"region": "33x"}).status_code == 422


def test_the_household_file_shows_its_timeline_in_order(client) -> None:
    post_event(client, cloud_event("household.discovered", discovered()))
    second = post_event(client, cloud_event("household.discovered", discovered())).json()
    assert (second["result"], second["version"]) == ("stored", 2)
    household_id = second["record_id"]
    post_event(
        client,
        cloud_event(
            "household.assistance_granted",
            {
                "household": discovered()["household"],
                "status": "dibao",
                "department": "civil-affairs",
            },
        ),
    )
    post_event(client, cloud_event("need.raised", need_raised()))
    timeline = eventually(
        lambda: client.get(f"/v1/households/{household_id}/timeline").json(),
        lambda t: len(t.get("items", [])) == 4,
    )
    assert [e["event_type"] for e in timeline["items"]] == [
        "Household.Discovered",
        "Household.ReportedAgain",
        "Household.AssistanceGranted",
        "Need.Raised",
    ]
    file = client.get(f"/v1/households/{household_id}").json()
    assert file["assistance"] == ["dibao"] and file["reports"] == 2 and file["needs_open"] == 1
    assert "330106198001010011" not in str(file) + str(timeline)


def test_every_event_type_has_a_json_schema(client) -> None:
    types = client.get("/v1/event-types").json()
    assert len(types) >= 14
    for entry in types:
        schema = client.get(entry["schema"]).json()
        assert schema["type"] == "object" and schema["required"]


def test_metrics_expose_each_views_lag_for_prometheus(client) -> None:
    post_event(client, cloud_event("household.discovered", discovered()))
    eventually(
        lambda: client.get("/v1/health").json(),
        lambda h: all(v["behind"] == 0 for v in h["views"].values()),
    )
    text = client.get("/metrics").text
    assert "# TYPE zhulian_view_lag_seconds gauge" in text
    assert 'zhulian_view_lag_events{view="needs_list"} 0' in text
    assert 'zhulian_view_stopped{view="household_file"} 0' in text


def test_a_completion_dated_before_the_step_it_follows_is_refused_naming_time(client) -> None:
    referral = refer_and_accept(client, accepted_hours_ago=2)
    feedback = {"referral_id": referral, "department": "hrss", "content": "placed"}
    assert post_event(client, cloud_event("referral.feedback_given", feedback)).status_code == 201
    before = head(client)
    completion = cloud_event(
        "referral.completed",
        {"referral_id": referral, "department": "hrss", "outcome": "employed"},
        time=datetime(1990, 1, 1, tzinfo=UTC),
    )
    answer = post_event(client, completion)
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == "time"
    assert head(client) == before

"""The demo district's match queue over HTTP: reasons to read, an accept that reserves capacity."""

from __future__ import annotations

from typing import Any

from tests.builders import cloud_event
from tests.e2e.conftest import eventually, post_event

NURSING = "Post-discharge home nursing 出院居家护理"


def queue(client: Any, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.get("/v1/match-queue", params=params).json()["items"]
    return items


def nursing_need(client: Any, description: str) -> dict[str, Any]:
    return next(n for n in queue(client, region="330106005") if n["description"] == description)


def nursing_left(client: Any) -> int:
    services = client.get("/v1/services", params={"category": "care", "limit": 100}).json()
    left: int = next(s["remaining"] for s in services["items"] if s["name"] == NURSING)
    return left


def accept(client: Any, need_id: str, candidate_id: str, event_id: str) -> Any:
    data = {"need_id": need_id, "candidate_id": candidate_id, "department": "town-coordinator"}
    return post_event(
        client, cloud_event("match.candidate_accepted", data, event_id=event_id, source="/330106/t")
    )


def test_the_demo_queue_shows_a_need_with_candidates_and_readable_reasons(demo_client) -> None:
    need = nursing_need(demo_client, "Daily home care after discharge")
    assert need["best_name"] == NURSING
    found = demo_client.get(f"/v1/needs/{need['need_id']}/candidates").json()
    best = found["candidates"][0]
    reasons = {c["rule"]: c["reason"] for c in best["checks"]}
    assert reasons["region"] == "covers the household's town"
    assert reasons["capacity"] == "2 of 2 left this month"
    assert best["policy_version"] == 1
    ruled_out = [c for c in found["candidates"] if not c["eligible"]]
    assert any("needs one of dibao" in str(c["checks"]) for c in ruled_out)
    page = demo_client.get("/ui/match-queue").text
    assert NURSING in page and "covers the household" in page


def test_accepting_a_candidate_refers_the_need_and_takes_capacity(demo_client) -> None:
    need = nursing_need(demo_client, "Daily home care after discharge")
    assert nursing_left(demo_client) == 2
    response = accept(demo_client, need["need_id"], need["best_id"], "acc-1")
    assert response.status_code == 201, response.text
    assert accept(demo_client, need["need_id"], need["best_id"], "acc-1").status_code == 200
    eventually(lambda: nursing_left(demo_client), lambda left: left == 1)
    board = eventually(
        lambda: demo_client.get(
            "/v1/referrals", params={"holder": "Xinyuan social-work centre 心愿社工"}
        ).json(),
        lambda b: b["total"] == 1,
    )
    assert board["items"][0]["need_id"] == need["need_id"]
    eventually(
        lambda: [n["need_id"] for n in queue(demo_client)],
        lambda ids: need["need_id"] not in ids,
    )


def test_the_last_unit_goes_to_one_coordinator_and_the_other_is_told_why(demo_client) -> None:
    first = nursing_need(demo_client, "Daily home care after discharge")
    second = nursing_need(demo_client, "Severe-disability home care")
    offering_id = first["best_id"]
    shrunk = post_event(
        demo_client,
        cloud_event(
            "offering.updated",
            {
                "offering_id": offering_id,
                "name": NURSING,
                "need_type": "care",
                "category": "care",
                "areas": ["330106005"],
                "capacity": 1,
                "updated_by": "civil-affairs",
            },
        ),
    )
    assert shrunk.status_code == 201, shrunk.text
    assert accept(demo_client, first["need_id"], offering_id, "a-1").status_code == 201
    refused = accept(demo_client, second["need_id"], offering_id, "a-2")
    assert refused.status_code == 409
    assert "0 of 1 left this month" in refused.json()["detail"]
    eventually(
        lambda: nursing_need(demo_client, "Severe-disability home care"),
        lambda n: n["best_name"] != NURSING,
    )


def test_the_gap_report_names_the_categories_no_provider_serves(demo_client) -> None:
    report = demo_client.get("/v1/match-gaps", params={"region": "330106"}).json()
    assert {(g["category"], g["region"]) for g in report["groups"]} == {
        ("education", "330106002"),
        ("employment", "330106002"),
    }


def test_a_past_match_can_be_re_explained_under_the_default_policy(demo_client) -> None:
    need = next(n for n in queue(demo_client) if n["category"] == "living")
    now = demo_client.get(f"/v1/needs/{need['need_id']}/candidates/explain").json()
    before = demo_client.get(
        f"/v1/needs/{need['need_id']}/candidates/explain", params={"policy_version": 0}
    ).json()
    assert (now["policy_version"], before["policy_version"]) == (1, 0)
    versions = demo_client.get("/v1/matching-policies/330106").json()["versions"]
    assert versions[0]["reason"].startswith("Alliance meeting")
    missing = demo_client.get(
        f"/v1/needs/{need['need_id']}/candidates/explain", params={"policy_version": 7}
    )
    assert missing.status_code == 404


def test_a_malformed_match_event_is_refused_naming_the_field(demo_client) -> None:
    response = post_event(
        demo_client,
        cloud_event("match.candidate_rejected", {"need_id": "x", "department": "t", "reason": "r"}),
    )
    assert response.status_code == 422
    assert "candidate_id" in response.text or "need_id" in response.text


def test_explain_shows_an_accept_as_decided_beside_todays_rules(demo_client) -> None:
    need = nursing_need(demo_client, "Daily home care after discharge")
    assert accept(demo_client, need["need_id"], need["best_id"], "acc-x").status_code == 201
    closed = post_event(
        demo_client,
        cloud_event(
            "offering.closed",
            {"offering_id": need["best_id"], "reason": "contract ended", "actor": "civil-affairs"},
        ),
    )
    assert closed.status_code == 201, closed.text
    url = f"/v1/needs/{need['need_id']}/candidates/explain"
    found = eventually(
        lambda: demo_client.get(url).json(),
        lambda e: e["decisions"] and e["decisions"][0]["today"]["eligible"] is False,
    )
    decided = found["decisions"][0]
    assert (decided["action"], decided["candidate_id"]) == ("accepted", need["best_id"])
    assert decided["reproduced"] is True
    assert decided["as_decided"]["eligible"] is True
    assert decided["as_decided"]["policy_version"] == 1
    assert "open" in decided["today"]["failed"]

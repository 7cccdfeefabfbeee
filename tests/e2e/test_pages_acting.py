"""Acting from the pages over HTTP on the demo district: each form changes what the lists show,
refusals come back in plain words with the values kept, and nobody signed in gets a 401."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.e2e.acting import act_as, coordinator
from tests.e2e.conftest import eventually

CHINESE = {"Accept-Language": "zh-CN"}


def send(client: TestClient, action: str, **values: str) -> Any:
    """Post a page's form as a browser would (urlencoded), without following the redirect."""
    return client.post(f"/ui/act/{action}", data=values, headers=CHINESE, follow_redirects=False)


def queue_need(client: TestClient, kind: str) -> tuple[str, str]:
    """An open need of the demo's queue with an eligible candidate of a kind, and that candidate."""
    for need in client.get("/v1/match-queue", params={"limit": 100}).json()["items"]:
        found = client.get(f"/v1/needs/{need['need_id']}/candidates").json()["candidates"]
        for candidate in found:
            if candidate["kind"] == kind and candidate["eligible"] and not candidate["rejected"]:
                return need["need_id"], candidate["candidate_id"]
    raise AssertionError(f"the demo has no open need with an eligible {kind}")


def referral_in(client: TestClient, status: str) -> dict[str, Any]:
    items = client.get("/v1/referrals", params={"limit": 100}).json()["items"]
    return next(r for r in items if r["status"] == status)


def referral_status(client: TestClient, referral_id: str) -> str:
    """The referral's status as an auditor reads it (whoever the test acts as)."""
    read = client.get(f"/v1/referrals/{referral_id}", headers={"x-test-as": "suite-auditor"})
    return str(read.json()["status"])


def test_a_form_sent_by_nobody_signed_in_is_answered_401_with_a_link_to_sign_in(demo_client):
    need_id, candidate_id = queue_need(demo_client, "fund")
    act_as(demo_client, None)  # nobody signed in
    response = send(
        demo_client, "accept-fund", need_id=need_id, candidate_id=candidate_id, amount_yuan="10"
    )
    act_as(demo_client, coordinator())  # the checks below read as a coordinator of the district
    assert response.status_code == 401  # refused before the form is read: no session
    assert "sign in" in response.text
    assert demo_client.get(f"/v1/needs/{need_id}").json()["status"] == "open"


def test_accepting_a_fund_with_a_named_amount_refers_the_need_from_the_callers_department(
    demo_client,
):
    act_as(demo_client, coordinator(actor="civil-affairs-town"))
    need_id, fund_id = queue_need(demo_client, "fund")
    response = send(
        demo_client,
        "accept-fund",
        need_id=need_id,
        candidate_id=fund_id,
        amount_yuan="800.00",
        next="/ui/match-queue",
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/match-queue?done=accept-fund"
    referral = eventually(
        lambda: next(
            (
                r
                for r in demo_client.get("/v1/referrals", params={"limit": 500}).json()["items"]
                if r["need_id"] == need_id
            ),
            None,
        ),
        lambda r: r is not None,
    )
    assert referral["from_department"] == "civil-affairs-town"
    assert demo_client.get(f"/v1/needs/{need_id}").json()["status"] == "referred"
    page = demo_client.get("/ui/match-queue?done=accept-fund", headers=CHINESE).text
    assert "已选定基金，金额已为此需求预留。" in page


def test_an_amount_that_is_not_yuan_is_refused_next_to_its_input_with_the_values_kept(
    demo_client,
):
    act_as(demo_client, coordinator())
    need_id, fund_id = queue_need(demo_client, "fund")
    response = send(
        demo_client, "accept-fund", need_id=need_id, candidate_id=fund_id, amount_yuan="八百"
    )
    assert response.status_code == 422
    assert "有些内容需要更正。" in response.text
    assert re.search(r'name="amount_yuan" value="八百"[^>]*aria-invalid="true"', response.text)
    assert demo_client.get(f"/v1/needs/{need_id}").json()["status"] == "open"


def test_completing_a_referral_before_its_feedback_is_refused_in_plain_chinese(demo_client):
    referral = referral_in(demo_client, "accepted")
    act_as(demo_client, coordinator(actor=referral["holder"]))
    response = send(
        demo_client,
        "complete-referral",
        referral_id=referral["referral_id"],
        outcome="家访后已办结",
    )
    assert response.status_code == 409
    assert "操作被拒绝" in response.text
    assert "此转介当前为“已受理”；这一步要求它处于“已反馈”。" in response.text
    assert ">家访后已办结</textarea>" in response.text
    english = demo_client.post(
        "/ui/act/complete-referral?lang=en",
        data={"referral_id": referral["referral_id"], "outcome": "done"},
    )
    assert "This referral is Accepted; this step needs it to be Feedback given." in english.text


def test_only_the_holder_may_take_a_step_and_the_page_says_so(demo_client):
    referral = referral_in(demo_client, "requested")
    act_as(demo_client, coordinator(actor="health"))
    response = send(demo_client, "accept-referral", referral_id=referral["referral_id"])
    assert response.status_code == 403
    assert "只有承办此转介的部门（村慈善工作站）才能办理这一步；您代表的是卫健局。" in response.text


def test_a_referral_walks_its_closed_loop_from_its_own_page(demo_client):
    referral = referral_in(demo_client, "requested")
    rid = referral["referral_id"]
    act_as(demo_client, coordinator(actor=referral["holder"]))
    steps = [
        ("accept-referral", {}, "accepted"),
        ("give-feedback", {"content": "已入户，材料齐全"}, "feedback_given"),
        ("complete-referral", {"outcome": "已发放临时救助"}, "completed"),
        ("follow-up", {"satisfied": "yes", "note": "家庭满意"}, "followed_up"),
    ]
    for action, values, status in steps:
        page = demo_client.get(f"/ui/referrals/{rid}", headers=CHINESE).text
        assert f'action="/ui/act/{action}"' in page
        response = send(demo_client, action, referral_id=rid, next=f"/ui/referrals/{rid}", **values)
        assert response.status_code == 303, response.text
        eventually(lambda: referral_status(demo_client, rid), lambda s, st=status: s == st)
    page = demo_client.get(f"/ui/referrals/{rid}", headers=CHINESE).text
    assert "闭环已完成" in page and "已回访" in page


def test_a_record_outside_the_callers_region_is_not_found(demo_client):
    referral = referral_in(demo_client, "requested")
    act_as(demo_client, coordinator(region="330106005", actor=referral["holder"]))
    assert not referral["region_code"].startswith("330106005")
    response = send(demo_client, "accept-referral", referral_id=referral["referral_id"])
    assert response.status_code == 404
    assert referral_status(demo_client, referral["referral_id"]) == "requested"
    page = demo_client.get(f"/ui/referrals/{referral['referral_id']}")
    assert page.status_code == 404


def test_rejecting_a_candidate_and_escalating_a_need_change_the_match_queue(demo_client):
    act_as(demo_client, coordinator())
    need_id, offering_id = queue_need(demo_client, "offering")
    rejected = send(
        demo_client,
        "reject-candidate",
        need_id=need_id,
        candidate_id=offering_id,
        reason="服务区域不覆盖该村",
    )
    assert rejected.status_code == 303, rejected.text
    eventually(
        lambda: next(
            c
            for c in demo_client.get(f"/v1/needs/{need_id}/candidates").json()["candidates"]
            if c["candidate_id"] == offering_id
        ),
        lambda c: c["rejected"],
    )
    owner = demo_client.get(f"/v1/needs/{need_id}/candidates").json()["queue"]["owner_code"]
    escalated = send(demo_client, "escalate-need", need_id=need_id, reason="村级无力承接")
    assert escalated.status_code == 303, escalated.text
    eventually(
        lambda: demo_client.get(f"/v1/needs/{need_id}/candidates").json()["queue"]["owner_code"],
        lambda code: code != owner,
    )


def test_a_delivery_recorded_from_its_form_counts_on_the_contract(demo_client):
    act_as(demo_client, coordinator(actor="xinyuan-social-work"))
    contract = demo_client.get("/v1/contracts", params={"limit": 10}).json()["items"][0]
    form = demo_client.get(
        f"/ui/act/record-delivery?contract_id={contract['contract_id']}", headers=CHINESE
    )
    assert form.status_code == 200
    item = re.search(
        r'name="item_id"[^>]*>\s*<option value="">[^<]*</option>\s*'
        r'<option value="([^"]+)"',
        form.text,
    )
    assert item, form.text
    household = demo_client.get("/v1/households", params={"limit": 1}).json()["items"][0]
    response = send(
        demo_client,
        "record-delivery",
        contract_id=contract["contract_id"],
        item_id=item[1],
        household=household["household_key"],
        person_times="3",
        cost_yuan="150.00",
    )
    assert response.status_code == 303, response.text
    eventually(
        lambda: demo_client.get(f"/v1/contracts/{contract['contract_id']}").json(),
        lambda c: c["person_times"] == contract["person_times"] + 3,
    )


def test_a_matching_policy_adopted_from_its_page_becomes_the_next_version(demo_client):
    act_as(demo_client, coordinator())
    before = demo_client.get("/v1/matching-policies/330106").json()["versions"]
    page = demo_client.get("/ui/matching-policy", headers=CHINESE).text
    assert "exclusions" in page  # the form starts from the version in force
    bad = send(demo_client, "adopt-policy", region_code="330106", settings="{", reason="试一试")
    assert bad.status_code == 422 and "这不是有效的 JSON。" in bad.text
    response = send(
        demo_client, "adopt-policy", region_code="330106", settings="{}", reason="联席会议决定"
    )
    assert response.status_code == 303, response.text
    eventually(
        lambda: demo_client.get("/v1/matching-policies/330106").json()["versions"],
        lambda items: len(items) == len(before) + 1,
    )

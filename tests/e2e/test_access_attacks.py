"""The seven things a stranger did on the first version (issue 12), each refused with the right
status: by authentication (401), by the route policy and the publishing rules of
services/auth/publishing.py (403), or by jurisdiction (404)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from services.auth.principal import Role
from tests.builders import cloud_event, consented, discovered, need_raised
from tests.e2e.conftest import as_role, eventually, post_event
from tests.support.signed_in import SignedIn


def as_department(client: SignedIn, department: str) -> dict[str, str]:
    """The bearer header of a department's own publisher client (its own source only)."""
    token = client.credentials.client_token(
        Role.PUBLISHER, sources=(f"/330106/{department}",), department=department
    )
    return {"authorization": f"Bearer {token}", "content-type": "application/cloudevents+json"}


def a_referral_held_by(client: TestClient, department: str) -> str:
    post_event(client, cloud_event("household.discovered", discovered()))
    post_event(client, cloud_event("household.consent.given", consented()))
    need = post_event(client, cloud_event("need.raised", need_raised())).json()["record_id"]
    data = {"need_id": need, "from_department": "civil-affairs", "to_department": department}
    referral = post_event(client, cloud_event("referral.requested", data)).json()["record_id"]
    eventually(lambda: client.get(f"/v1/referrals/{referral}").json(), lambda r: r["holder"])
    return str(referral)


def test_1_a_stranger_cannot_list_household_files_nor_a_department_system(
    client: SignedIn, anonymous: TestClient
) -> None:
    assert anonymous.get("/v1/households").status_code == 401
    assert anonymous.get("/ui/households", follow_redirects=False).status_code == 303
    hrss = as_department(client, "hrss")
    assert client.get("/v1/households", headers=hrss).status_code == 403


def test_2_a_stranger_cannot_accept_a_referral_held_by_health(
    client: SignedIn, anonymous: TestClient
) -> None:
    referral = a_referral_held_by(client, "health")
    event = cloud_event("referral.accepted", {"referral_id": referral, "department": "health"})
    assert post_event(anonymous, event).status_code == 401


def test_2_another_department_cannot_accept_health_s_referral_by_naming_it(
    client: SignedIn,
) -> None:
    referral = a_referral_held_by(client, "health")
    event = cloud_event(
        "referral.accepted", {"referral_id": referral, "department": "health"},
        source="/330106/hrss",
    )  # fmt: skip
    answer = client.post("/v1/events", json=event, headers=as_department(client, "hrss"))
    assert answer.status_code == 403


def test_3_another_department_cannot_reassign_education_s_referral(client: SignedIn) -> None:
    referral = a_referral_held_by(client, "education")
    event = cloud_event(
        "referral.reassigned",
        {
            "referral_id": referral,
            "department": "hrss",
            "to_department": "hrss",
            "reason": "we take it",
        },
        source="/330106/hrss",
    )
    answer = client.post("/v1/events", json=event, headers=as_department(client, "hrss"))
    assert answer.status_code == 403


def _disbursement(source: str) -> dict[str, Any]:
    data = {
        "fund_id": "2a40c9df-1d6c-58b4-81a7-ca43f7f46833",
        "need_id": "50af11f1-8ecb-5114-849a-7ac3266ecfc6",
        "amount_yuan": "3000.00",
        "actor": "charity-federation",
    }
    return cloud_event("fund.disbursed", data, source=source)


def test_4_a_stranger_cannot_move_the_district_charity_fund(demo_client: SignedIn) -> None:
    anonymous = TestClient(demo_client.app)
    assert post_event(anonymous, _disbursement("/330106/charity-federation")).status_code == 401


def test_4_another_department_cannot_disburse_the_charity_federation_s_fund(
    demo_client: SignedIn,
) -> None:
    event = _disbursement("/330106/hrss")
    headers = as_department(demo_client, "hrss")
    assert demo_client.post("/v1/events", json=event, headers=headers).status_code == 403


def test_5_a_department_cannot_publish_under_another_s_source(client: SignedIn) -> None:
    event = cloud_event("household.discovered", discovered(), source="/330106/hrss")
    headers = as_department(client, "civil-affairs")
    assert client.post("/v1/events", json=event, headers=headers).status_code == 403


def test_6_only_a_publisher_may_run_an_hsds_import(client: SignedIn, anonymous: TestClient) -> None:
    assert anonymous.post("/v1/hsds/import", json={}).status_code == 401
    for role in (Role.COORDINATOR, Role.AUDITOR, Role.ADMINISTRATOR, Role.PROVIDER):
        assert as_role(client, role).post("/v1/hsds/import", json={}).status_code == 403


def test_7_a_cross_site_text_plain_form_post_is_not_stored(
    client: SignedIn, anonymous: TestClient
) -> None:
    body = b'{"specversion":"1.0","id":"csrf-1","source":"/330106/test","type":"x","data":{}}'
    headers = {"content-type": "text/plain", "origin": "https://evil.example"}
    assert anonymous.post("/v1/events", content=body, headers=headers).status_code == 401
    signed_in = as_role(client, Role.COORDINATOR)
    signed_in.get("/v1/me")  # a coordinator's browser, signed in, visits the evil page
    browser = TestClient(client.app, cookies=dict(signed_in.cookies))
    assert browser.post("/v1/events", content=body, headers=headers).status_code == 403

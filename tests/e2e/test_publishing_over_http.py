"""Over HTTP, with the caller known: a department publishes only its own types, under its own
sources, as itself; it acts only on what it holds; money moves only by its keepers; a file is
shared only with consent or a legal basis."""

from __future__ import annotations

from typing import Any

import pytest

from services.auth.principal import Principal
from services.auth.publishing import source_for
from tests.builders import consented, discovered, need_raised
from tests.e2e.conftest import eventually, post_event
from tests.e2e.principals import (
    CHARITY,
    CIVIL_AFFAIRS,
    HEALTH,
    HRSS,
    OTHER_TOWN,
    STRANGER,
    TOWN,
    as_,
    with_principals,
)

NUMBER = "330106198001010011"
_ids = iter(range(1, 10_000))


def event(kind: str, data: dict[str, Any], source: str, **attributes: Any) -> dict[str, Any]:
    """A v2 (or v1 for types only at v1) event without an actor: the credential gives it."""
    version = "v1" if kind.startswith(("household.consent", "household.legal")) else "v2"
    return {
        "specversion": "1.0",
        "id": attributes.pop("event_id", f"e-{next(_ids)}"),
        "source": source,
        "type": f"cn.zhulian.{kind}.{version}",
        "data": {k: v for k, v in data.items() if k not in ("reported_by", "raised_by")},
        **attributes,
    }


def send(client: Any, principal: Principal, kind: str, data: dict[str, Any], **kw: Any) -> Any:
    source = kw.pop("source", source_for(principal))
    return client.post(
        "/v1/events",
        json=event(kind, data, source, **kw),
        headers={"content-type": "application/cloudevents+json", **as_(principal)},
    )


@pytest.fixture
def api(client: Any) -> Any:
    return with_principals(client)


def a_need(api: Any, consent: bool = True) -> str:
    assert send(api, CIVIL_AFFAIRS, "household.discovered", discovered(NUMBER)).status_code == 201
    if consent:
        given = send(api, CIVIL_AFFAIRS, "household.consent.given", consented(NUMBER))
        assert given.status_code == 201, given.text
    raised = send(api, CIVIL_AFFAIRS, "need.raised", need_raised(NUMBER))
    assert raised.status_code == 201, raised.text
    return str(raised.json()["record_id"])


def a_referral(api: Any, to: str = "health") -> str:
    need = a_need(api)
    requested = send(
        api, CIVIL_AFFAIRS, "referral.requested", {"need_id": need, "to_department": to}
    )
    assert requested.status_code == 201, requested.text
    return str(requested.json()["record_id"])


def test_a_type_the_credential_does_not_list_is_refused_403(api) -> None:
    answer = send(api, HEALTH, "household.discovered", discovered(NUMBER))
    assert answer.status_code == 403
    assert "may not publish cn.zhulian.household.discovered.v2" in answer.json()["detail"]


def test_another_departments_source_is_refused_403_and_nothing_is_stored(api) -> None:
    answer = send(api, CIVIL_AFFAIRS, "household.discovered", discovered(), source="/330106/hrss")
    assert answer.status_code == 403 and answer.json()["errors"][0]["field"] == "source"
    assert api.get("/v1/households").json()["total"] == 0


def test_an_actor_naming_another_department_is_refused_naming_both(api) -> None:
    data = {**discovered(NUMBER), "actor": "health"}
    answer = send(api, CIVIL_AFFAIRS, "household.discovered", data)
    assert answer.status_code == 403
    detail = answer.json()["detail"]
    assert "'health'" in detail and "'civil-affairs'" in detail


def test_the_actor_comes_from_the_credential(api) -> None:
    stored = send(api, HRSS, "household.discovered", discovered(NUMBER)).json()
    timeline = eventually(
        lambda: api.get(f"/v1/households/{stored['record_id']}/timeline").json(),
        lambda t: t["total"] == 1,
    )
    assert timeline["items"][0]["by_whom"] == "hrss"


def test_a_department_cannot_take_another_departments_next_id(api) -> None:
    taken = send(api, CIVIL_AFFAIRS, "household.discovered", discovered(), source="/330106/hrss")
    assert taken.status_code == 403
    real = send(api, HRSS, "household.discovered", discovered(), event_id=f"e-{next(_ids)}")
    assert real.status_code == 201, real.text


def test_the_same_id_under_its_own_source_is_still_the_owners(api) -> None:
    mine = send(api, HRSS, "household.discovered", discovered(), event_id="hrss-0001")
    theirs = send(api, CIVIL_AFFAIRS, "household.discovered", discovered(), event_id="hrss-0001")
    assert (mine.status_code, theirs.status_code) == (201, 201)  # two sources, two id spaces


def test_acting_on_a_referral_held_by_another_is_refused_403(api) -> None:
    referral = a_referral(api, to="health")
    for kind in ("referral.accepted", "referral.refused"):
        data = {"referral_id": referral, "reason": "not mine"}
        if kind == "referral.accepted":
            data.pop("reason")
        answer = send(api, HRSS, kind, data)
        assert answer.status_code == 403, answer.text
        assert "held by 'health'" in answer.json()["detail"]
    assert send(api, HEALTH, "referral.accepted", {"referral_id": referral}).status_code == 201


def test_reassigning_is_for_the_holder_or_a_coordinator_of_the_region(api) -> None:
    referral = a_referral(api, to="health")
    move = {"referral_id": referral, "to_department": "education", "reason": "school costs"}
    for stranger in (STRANGER, OTHER_TOWN):
        refused = send(api, stranger, "referral.reassigned", move)
        assert refused.status_code == 403 and "cannot reassign referral" in refused.text
    answer = send(api, TOWN, "referral.reassigned", move)
    assert answer.status_code == 201, answer.text


def test_fund_moves_by_a_stranger_are_refused(api) -> None:
    need = a_need(api)
    opened = send(api, CHARITY, "fund.opened", {"name": "District fund", "region_code": "330106"})
    fund = opened.json()["record_id"]
    donation = {"fund_id": fund, "donor": "Lvyuan", "donor_kind": "company", "amount_yuan": "9000"}
    assert send(api, CHARITY, "fund.donation_received", donation).status_code == 201
    money = {"fund_id": fund, "need_id": need, "amount_yuan": "5000.00"}
    allocated = send(api, STRANGER, "fund.allocated", money)
    assert allocated.status_code == 403 and "cannot allocate money of fund" in allocated.text
    disbursed = send(api, STRANGER, "fund.disbursed", {**money, "amount_yuan": "3000.00"})
    assert disbursed.status_code == 403
    assert send(api, CHARITY, "fund.allocated", money).status_code == 201


def test_a_referral_is_refused_without_consent_allowed_with_and_refused_after_withdrawal(
    api,
) -> None:
    need = a_need(api, consent=False)
    request = {"need_id": need, "to_department": "health"}
    refused = send(api, CIVIL_AFFAIRS, "referral.requested", request)
    assert refused.status_code == 409
    assert "no recorded consent or legal basis for sharing with 'health'" in refused.text
    to_health = {**consented(NUMBER), "recipient": "health"}
    assert send(api, CIVIL_AFFAIRS, "household.consent.given", to_health).status_code == 201
    assert send(api, CIVIL_AFFAIRS, "referral.requested", request).status_code == 201
    withdrawal = {"household": to_health["household"], "recipient": "health"}
    assert send(api, CIVIL_AFFAIRS, "household.consent.withdrawn", withdrawal).status_code == 201
    second = send(api, CIVIL_AFFAIRS, "need.raised", need_raised(NUMBER, category="housing"))
    again = send(
        api,
        CIVIL_AFFAIRS,
        "referral.requested",
        {"need_id": second.json()["record_id"], "to_department": "health"},
    )
    assert again.status_code == 409 and "'health'" in again.text


def test_the_household_file_shows_its_consents_and_legal_bases(api) -> None:
    need = a_need(api)
    household = api.get(f"/v1/needs/{need}").json()["household_id"]
    basis = {
        "household": {"registration_number": NUMBER},
        "article": "urgent assistance article",
        "recipient": "health",
    }
    assert send(api, CIVIL_AFFAIRS, "household.legal_basis.recorded", basis).status_code == 201
    file = eventually(
        lambda: api.get(f"/v1/households/{household}").json(),
        lambda f: len(f["sharing"]) == 2,
    )
    assert [(s["basis"], s["recipient"], s["by"]) for s in file["sharing"]] == [
        ("consent", "alliance", "civil-affairs"),
        ("legal_basis", "health", "civil-affairs"),
    ]


def test_events_without_a_principal_are_taken_as_sent(client) -> None:
    answer = post_event(
        client,
        {
            "specversion": "1.0",
            "id": "internal-1",
            "source": "/330106/anyone",
            "type": "cn.zhulian.household.discovered.v1",
            "data": discovered(NUMBER),
        },
    )
    assert answer.status_code == 201

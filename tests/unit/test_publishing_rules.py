"""Who may publish what: a credential's types and sources, and the actor taken from it."""

from __future__ import annotations

from typing import Any

import pytest

from domain.alliance import Alliance
from domain.households.identity import HouseholdKeyring
from services.auth.principal import Principal, Role
from services.auth.publishing import (
    Kind,
    acting_of,
    authorize,
    source_for,
    type_matches,
    under,
)
from services.errors import Problem
from services.ingest.service import Ingestor
from tests.builders import cloud_event, discovered, need_raised

HRSS = Principal(
    subject="client-hrss",
    kind="client",
    role=Role.PUBLISHER,
    actor="hrss",
    sources=("/330106/hrss",),
    event_types=("cn.zhulian.household.*", "cn.zhulian.need.raised.v2"),
)
NEED_RAISED = Kind("cn.zhulian.need.raised.v2", "need.raised")


def ingestor() -> Ingestor:
    app = Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    return Ingestor(app, HouseholdKeyring({1: "test-secret"}, 1))


def v2(kind: str, data: dict[str, Any], **attributes: Any) -> dict[str, Any]:
    event = cloud_event(kind, data, **attributes)
    event["type"] = event["type"].replace(".v1", ".v2")
    return event


def discovery(source: str = "/330106/hrss", **data: Any) -> dict[str, Any]:
    body = discovered("330106198001010011")
    body.pop("reported_by")
    return v2("household.discovered", {**body, **data}, source=source)


def test_a_type_pattern_covers_the_types_under_it_and_nothing_else() -> None:
    assert type_matches("cn.zhulian.referral.accepted.v2", "cn.zhulian.referral.*")
    assert not type_matches("cn.zhulian.referrals_x.v1", "cn.zhulian.referral.*")
    assert type_matches("cn.zhulian.need.raised.v2", "cn.zhulian.need.raised.v2")
    assert not type_matches("cn.zhulian.need.raised.v1", "cn.zhulian.need.raised.v2")


def test_a_source_prefix_covers_whole_path_segments_only() -> None:
    assert under("/330106/hrss", "/330106/hrss")
    assert under("/330106/hrss/visits", "/330106/hrss/")
    assert not under("/330106/hrss-x", "/330106/hrss")
    assert not under("/330106/civil-affairs", "/330106/hrss")


def test_the_actor_is_set_from_the_credential_when_data_leaves_it_out() -> None:
    event = {"type": NEED_RAISED.name, "source": "/330106/hrss", "data": {"urgency": "high"}}
    assert authorize(HRSS, event, NEED_RAISED)["data"]["actor"] == "hrss"


def test_an_actor_in_data_naming_another_department_is_refused_naming_both() -> None:
    event = {"type": NEED_RAISED.name, "source": "/330106/hrss", "data": {"actor": "health"}}
    with pytest.raises(Problem) as refused:
        authorize(HRSS, event, NEED_RAISED)
    assert refused.value.status == 403
    assert "'health'" in refused.value.detail and "'hrss'" in refused.value.detail


def test_a_version_1_actor_field_is_checked_under_its_own_name() -> None:
    kind = Kind("cn.zhulian.household.assessed.v1", "household.assessed", "department")
    event = {"type": kind.name, "source": "/330106/hrss", "data": {"department": "health"}}
    with pytest.raises(Problem, match=r"data\.department is 'health'"):
        authorize(HRSS, event, kind)


def test_a_type_the_credential_does_not_list_is_refused() -> None:
    kind = Kind("cn.zhulian.referral.accepted.v2", "referral.accepted")
    event = {"type": kind.name, "source": "/330106/hrss", "data": {}}
    with pytest.raises(Problem, match=r"may not publish cn\.zhulian\.referral\.accepted\.v2") as no:
        authorize(HRSS, event, kind)
    assert no.value.status == 403


def test_another_departments_source_is_refused_so_its_ids_stay_its_own() -> None:
    event = {"type": NEED_RAISED.name, "source": "/330106/civil-affairs", "data": {}}
    with pytest.raises(Problem, match="an event id space belongs to its source") as refused:
        authorize(HRSS, event, NEED_RAISED)
    assert refused.value.errors[0]["field"] == "source"


def test_roles_publish_only_what_the_role_allows() -> None:
    coordinator = Principal("wang", "account", Role.COORDINATOR, "town-wang", region="330106001")
    provider = Principal("xy", "account", Role.PROVIDER, "xinyuan", provider="xinyuan")
    auditor = Principal("audit", "account", Role.AUDITOR, "audit")
    escalate = Kind("cn.zhulian.match.need_escalated.v2", "match.need_escalated")
    deliver = Kind("cn.zhulian.contract.delivery_recorded.v2", "contract.delivery_recorded")
    donate = Kind("cn.zhulian.fund.donation_received.v2", "fund.donation_received")
    for who, kind, allowed in [
        (coordinator, escalate, True),
        (coordinator, deliver, True),  # a department's people record its contracts' deliveries
        (coordinator, donate, False),  # money comes in through the fund's own system
        (provider, deliver, True),
        (provider, escalate, False),
        (auditor, NEED_RAISED, False),
    ]:
        event = {"type": kind.name, "source": source_for(who), "data": {}}
        if allowed:
            assert authorize(who, event, kind)["data"]["actor"] == who.actor
        else:
            with pytest.raises(Problem, match="may not publish"):
                authorize(who, event, kind)


def test_a_person_without_registered_sources_publishes_under_the_accounts_own() -> None:
    coordinator = Principal("wang", "account", Role.COORDINATOR, "town-wang")
    assert source_for(coordinator) == "/accounts/wang"


def test_the_domain_learns_a_coordinators_region_and_a_providers_record() -> None:
    coordinator = Principal("wang", "account", Role.COORDINATOR, "town-wang", region="330106001")
    assert acting_of(coordinator).coordinates("330106001002")
    assert not acting_of(coordinator).coordinates("330106002001")
    assert acting_of(HRSS).coordinator_of is None
    provider = Principal(
        "xy", "account", Role.PROVIDER, "xinyuan", provider="xinyuan", provider_record="p-1"
    )
    assert acting_of(provider).provider_id == "p-1"


def test_a_provider_credential_not_linked_to_a_record_acts_on_no_providers_contracts() -> None:
    unlinked = Principal("xy", "account", Role.PROVIDER, "xinyuan", provider="xinyuan")
    assert acting_of(unlinked).provider_id == ""  # matches no record id: refused, never all
    coordinator = Principal("wang", "account", Role.COORDINATOR, "town-wang", region="330106")
    assert acting_of(coordinator).provider_id is None  # a department's people: its contracts


def test_the_ingestor_stores_a_publishers_event_as_the_credentials_actor() -> None:
    ingest = ingestor()
    result = ingest.submit(discovery(), principal=HRSS)
    assert result.status == 201, result.problem
    household = ingest.app.repository.get(result.outcome.aggregate_id)
    assert household.discoveries[0][1] == "hrss"


def test_the_ingestor_refuses_another_departments_source_and_stores_nothing() -> None:
    ingest = ingestor()
    result = ingest.submit(discovery(source="/330106/civil-affairs"), principal=HRSS)
    assert result.status == 403
    assert ingest.app.recorder.max_notification_id() in (None, 0)


def test_each_batch_item_is_checked_against_the_caller() -> None:
    ingest = ingestor()
    need = v2("need.raised", {**need_raised(), "raised_by": None}, source="/330106/hrss")
    need["data"].pop("raised_by")
    foreign = discovery(actor="civil-affairs")
    results = ingest.submit_batch([discovery(), need, foreign], HRSS)
    assert [r.status for r in results] == [201, 201, 403]


def test_without_a_principal_the_event_is_taken_as_sent() -> None:
    event = cloud_event("household.discovered", discovered(), source="/330106/anyone")
    assert ingestor().submit(event).status == 201

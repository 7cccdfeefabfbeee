"""The event catalogue: each CloudEvents type, its schema, and the command it becomes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.alliance import Alliance
from domain.households.identity import HouseholdKeys
from domain.households.vocabulary import Assistance, Channel, Member
from domain.ingest.model import EventKey, Outcome
from domain.shared.taxonomy import Category, NeedType, Urgency
from services.ingest import schemas as s
from services.ingest.matching_catalogue import MATCHING_TYPES
from services.ingest.supply_catalogue import SUPPLY_TYPES

PREFIX = "cn.zhulian."


@dataclass(frozen=True)
class Context:
    """What the envelope adds to the data: identity, time, household keys, expected version."""

    key: EventKey
    at: datetime
    secret: HouseholdKeys
    expected_version: int | None


Handle = Callable[[Alliance, dict[str, Any], Context], Outcome]


@dataclass(frozen=True)
class EventType:
    """One type a department may publish."""

    name: str
    summary: str
    schema: s.Schema
    handle: Handle


def household_key(data: dict[str, Any], keys: HouseholdKeys) -> str:
    """The pseudonymous key of the household an event names (only keys this deployment issued)."""
    ref = data["household"]
    if "registration_number" in ref:
        return keys.from_registration(ref["registration_number"])
    return keys.check(ref["household_key"], "data.household.household_key")


def _discovered(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    members = [Member.parse(m, f"data.members[{i}]") for i, m in enumerate(d.get("members", []))]
    return app.report_discovery(
        household_key=household_key(d, c.secret),
        region_code=d["region_code"],
        channel=Channel(d["channel"]),
        reported_by=d["reported_by"],
        at=c.at,
        members=members,
        note=d.get("note", ""),
        key=c.key,
    )


def _granted(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.grant_assistance(
        household_key=household_key(d, c.secret),
        status=Assistance(d["status"]),
        by=d["department"],
        at=c.at,
        expected_version=c.expected_version,
        key=c.key,
    )


def _ended(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.end_assistance(
        household_key=household_key(d, c.secret),
        status=Assistance(d["status"]),
        by=d["department"],
        at=c.at,
        reason=d["reason"],
        expected_version=c.expected_version,
        key=c.key,
    )


def _assessed(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.assess_household(
        household_key=household_key(d, c.secret),
        difficulty_circle=d["difficulty_circle"],
        group=d["group"],
        plan=d.get("plan", ""),
        by=d["department"],
        at=c.at,
        expected_version=c.expected_version,
        key=c.key,
    )


def _need_raised(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.raise_need(
        household_key=household_key(d, c.secret),
        need_type=NeedType(d["need_type"]),
        category=Category(d["category"]),
        urgency=Urgency(d["urgency"]),
        description=d["description"],
        raised_by=d["raised_by"],
        at=c.at,
        region_code=d.get("region_code"),
        key=c.key,
    )


def _need_closed(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.close_need(
        need_id=UUID(d["need_id"]),
        by=d["department"],
        reason=d["reason"],
        at=c.at,
        expected_version=c.expected_version,
        key=c.key,
    )


def _requested(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.request_referral(
        need_id=UUID(d["need_id"]),
        from_department=d["from_department"],
        to_department=d["to_department"],
        at=c.at,
        note=d.get("note", ""),
        key=c.key,
    )


def _step(method: str, **fields: str) -> Handle:
    """A referral step: referral_id and department, plus the named data fields."""

    def handle(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
        extra = {param: d.get(field, "") for param, field in fields.items()}
        command: Callable[..., Outcome] = getattr(app, method)
        return command(
            referral_id=UUID(d["referral_id"]),
            by=d["department"],
            at=c.at,
            expected_version=c.expected_version,
            key=c.key,
            **extra,
        )

    return handle


def _followed_up(app: Alliance, d: dict[str, Any], c: Context) -> Outcome:
    return app.follow_up_referral(
        referral_id=UUID(d["referral_id"]),
        by=d["department"],
        at=c.at,
        satisfied=d["satisfied"],
        note=d.get("note", ""),
        expected_version=c.expected_version,
        key=c.key,
    )


_TYPES = [
    EventType(
        "household.discovered.v1",
        "A household was found (visit, hotline, data "
        "comparison, self-application …); opens its file or adds to it",
        s.HOUSEHOLD_DISCOVERED,
        _discovered,
    ),
    EventType(
        "household.assistance_granted.v1",
        "A department certified an assistance status",
        s.ASSISTANCE_GRANTED,
        _granted,
    ),
    EventType(
        "household.assistance_ended.v1", "An assistance status ended", s.ASSISTANCE_ENDED, _ended
    ),
    EventType(
        "household.assessed.v1",
        "Difficulty circle, group and plan (一户一策) set",
        s.HOUSEHOLD_ASSESSED,
        _assessed,
    ),
    EventType(
        "need.raised.v1",
        "A household needs help of a type and category",
        s.NEED_RAISED,
        _need_raised,
    ),
    EventType(
        "need.closed.v1", "An open need is closed without being met", s.NEED_CLOSED, _need_closed
    ),
    EventType(
        "referral.requested.v1",
        "An open need is referred to a department",
        s.REFERRAL_REQUESTED,
        _requested,
    ),
    EventType(
        "referral.accepted.v1",
        "The holder accepted (受理); feedback due in 24 h",
        s.REFERRAL_ACCEPTED,
        _step("accept_referral"),
    ),
    EventType(
        "referral.routed.v1",
        "The holder passed it to a handling unit (流转)",
        s.REFERRAL_ROUTED,
        _step("route_referral", to_unit="to_unit", note="note"),
    ),
    EventType(
        "referral.feedback_given.v1",
        "The holder reported back (反馈)",
        s.REFERRAL_FEEDBACK,
        _step("give_feedback", content="content"),
    ),
    EventType(
        "referral.completed.v1",
        "The holder closed the case (办结); the need is met",
        s.REFERRAL_COMPLETED,
        _step("complete_referral", outcome="outcome"),
    ),
    EventType(
        "referral.followed_up.v1",
        "Follow-up visit after completion (回访)",
        s.REFERRAL_FOLLOWED_UP,
        _followed_up,
    ),
    EventType(
        "referral.refused.v1",
        "The addressed department declined, with a reason",
        s.REFERRAL_REFUSED,
        _step("refuse_referral", reason="reason"),
    ),
    EventType(
        "referral.reassigned.v1",
        "A coordinator moved the referral to another department",
        s.REFERRAL_REASSIGNED,
        _step("reassign_referral", to_department="to_department", reason="reason"),
    ),
]

_TYPES += [EventType(*t) for t in SUPPLY_TYPES]
_TYPES += [EventType(*t) for t in MATCHING_TYPES]

CATALOGUE: dict[str, EventType] = {PREFIX + t.name: t for t in _TYPES}

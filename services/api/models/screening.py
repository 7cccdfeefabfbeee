"""Screening as the read API shows it: rules, alerts, standing checks, lists, feeds, facts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from services.api.models.common import Model, Page


class FactModel(Model):
    """The facts a rule may name, with their CEL types, and the packs an alliance may adopt."""

    variables: dict[str, str]
    packs: list[str]


class Count(Model):
    """A count in households and in people."""

    households: int
    people: int


class RuleVersion(Model):
    """One version of a screening rule."""

    alliance: str
    rule_id: str
    version: int
    name: str
    expression: str = Field(description="CEL over the household's facts")
    fix: str | None
    pack: str | None
    status: str = Field(description="in_force, changed (a later version is) or retired")
    actor: str
    reason: str
    adopted_at: datetime
    retired_at: datetime | None
    open_alerts: Count


class RuleList(Model):
    """Every version of every rule of an alliance."""

    alliance: str
    items: list[RuleVersion]


class Alert(Model):
    """A household that started to satisfy a rule: open until its outcome is recorded."""

    alert_id: str
    household_id: str
    household_key: str
    region_code: str
    rule_id: str
    rule_version: int
    rule_name: str
    fix: str | None
    evidence: dict[str, Any] = Field(description="The facts the rule names, when it was raised")
    people: int
    raised_at: datetime
    age_days: float | None = None
    status: str = Field(description="open or closed")
    satisfied: bool = Field(description="Whether the household still satisfies the rule")
    notes: list[dict[str, Any]]
    outcome: str | None
    outcome_reason: str | None
    need_id: str | None
    closed_at: datetime | None
    closed_by: str | None


class AlertPage(Page[Alert]):
    """A page of the alert queue, with totals in households and people."""

    households: int
    people: int


class CheckCount(Model):
    """Households and people satisfying a rule in force, in one region."""

    rule_id: str
    name: str
    fix: str | None
    region_code: str
    households: int
    people: int


class Checks(Model):
    """The rules in force (e.g. the six standing checks) per region."""

    alliance: str
    level: int
    items: list[CheckCount]


class HouseholdFacts(Model):
    """What the rules see about one household."""

    household_id: str
    household_key: str
    region_code: str
    alliance: str
    people: int
    state: dict[str, Any]


class Edition(Model):
    """One compared edition of a department list."""

    alliance: str
    department: str
    list_name: str
    edition: str
    previous_edition: str
    rows: int
    new: int
    known: int
    changed: int
    gone: int
    cadence_days: int | None
    compared_at: datetime
    recorded_at: datetime


class EditionList(Model):
    """Every compared edition."""

    items: list[Edition]


class Feed(Model):
    """Whether a department list arrives as promised."""

    alliance: str
    department: str
    list_name: str
    last_edition: str
    last_recorded_at: datetime
    cadence_days: int | None
    next_due_by: datetime | None
    silent: bool
    skipped_editions: list[str]
    complete: bool


class FeedList(Model):
    """Completeness of every department list."""

    items: list[Feed]

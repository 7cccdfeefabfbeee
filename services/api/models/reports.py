"""Statistics, the resource list and auditors' as-of views."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict, Field

from services.api.models.common import Model
from services.api.models.money import Contract, Fund
from services.api.models.supply import Provider


class StatRow(Model):
    """Totals for one key of the dimension."""

    dim_key: str | None
    label: str | None
    facts: int
    person_times: int
    amount_fen: int
    amount_yuan: str


class Statistics(Model):
    """Person-times and yuan summed by one dimension."""

    by: str
    kind: str | None
    rows: list[StatRow]
    person_times: int
    amount_fen: int
    amount_yuan: str


class Policy(Model):
    """An offering's eligibility, as the policy list (政策清单) shows it."""

    offering_id: str
    offering: str
    provider: str | None
    need_type: str
    category: str
    areas: list[str]
    statuses: list[str]
    groups: list[str]
    minimum_age: int | None
    maximum_age: int | None
    disability_required: bool
    description: str


class Money(Model):
    """The funds and what they hold together."""

    funds: list[Fund]
    total_available_fen: int
    total_available_yuan: str
    reserved_fen: int = Field(0, description="Money held by open reservations of matches")
    reserved_yuan: str = "0.00"
    reserved_units: dict[str, int] = Field(
        default_factory=dict,
        description="Capacity held by open reservations of matches, per offering id",
    )


class Resources(Model):
    """Everything the alliance can give: forces by kind, money, contracts, policies."""

    forces: dict[str, list[Provider]]
    money: Money
    contracts: list[Contract]
    policies: list[Policy]


class AsOf(Model):
    """A view as it stood at an instant: its checksum and rows per table."""

    view: str
    at: datetime
    by: str
    checksum: str
    tables: dict[str, list[dict[str, Any]]]


class Change(Model):
    """How one table changed between two instants."""

    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[dict[str, Any]]


class Comparison(Model):
    """What changed in a view between two instants."""

    model_config = ConfigDict(populate_by_name=True)

    view: str
    from_: datetime = Field(alias="from")
    to: datetime
    by: str
    tables: dict[str, Change]


class Word(Model):
    """One word of an alliance's vocabulary: its code and its name."""

    code: str
    name: str


class Vocabulary(Model):
    """The vocabulary in force in an alliance: circles, groups, categories, channels."""

    alliance: str
    edition: int
    adopted_by: str | None
    adopted_at: datetime | None
    circles: list[Word]
    groups: list[Word]
    categories: list[Word]
    channels: list[Word]


class OnTimeRow(Model):
    """One holding department's answers, judged on the times zhulian recorded them."""

    department: str
    accepted: int
    accepted_late: int
    feedback: int
    feedback_late: int
    breaches: int
    on_time_rate: float | None


class OnTime(Model):
    """Each department's on-time record."""

    items: list[OnTimeRow]
    total: int

"""Screening types: rules and packs an alliance adopts, department lists, alert outcomes."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from domain.screening.model import Outcome
from services.ingest.catalogue.definition import Context, declare
from services.ingest.catalogue.definition import EventData as Data
from services.ingest.catalogue.fields import (
    HouseholdRef,
    Lax,
    Name,
    Note,
    Part,
    Personal,
    RecordId,
    RegionCode,
    Text,
    Word,
)

_HH = {"household_key": "hh1_0123456789abcdef0123456789abcdef01234567"}
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,59}$")]
FactName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
FactValue = Annotated[str, StringConstraints(max_length=200)] | int | float | bool


@declare(
    "screening.rule_adopted",
    opens="rule_book",
    command="adopt_rule",
    version=1,
    example={
        "region_code": "330106",
        "rule_id": "risk-disabled-no-dibao",
        "name": "Monitoring risk not eliminated, a disabled member, not in dibao",
        "expression": 'monitoring_risk == "not_eliminated" && disabled > 0'
        ' && !("dibao" in statuses)',
        "fix": "Household check; help apply for dibao",
        "actor": "civil-affairs",
        "reason": "comparison agreed with the rural-revitalization bureau",
    },
)
class RuleAdopted(Data):
    """An alliance adopted a screening rule (CEL over a household's facts), or changed it: a new
    version; checked for syntax and fact names first"""

    region_code: RegionCode
    rule_id: Slug = Field(description="Stable id of the rule; adopting it again changes it")
    name: Name
    expression: Annotated[str, StringConstraints(min_length=1, max_length=4000)] = Field(
        description="CEL over the household's facts (README, Screening: the fact model)"
    )
    fix: Note = ""
    reason: Text


@declare(
    "screening.pack_adopted",
    opens="rule_book",
    command="adopt_pack",
    version=1,
    example={
        "region_code": "330106",
        "pack": "standing-checks",
        "actor": "civil-affairs",
        "reason": "the 666 procedure, adopted by the alliance meeting",
    },
)
class PackAdopted(Data):
    """An alliance adopted a shipped rule pack (the six standing checks, each with its fix)"""

    region_code: RegionCode
    pack: Slug
    reason: Text


@declare(
    "screening.rule_retired",
    changes="rule_book",
    command="retire_rule",
    version=1,
    example={
        "region_code": "330106",
        "rule_id": "risk-disabled-no-dibao",
        "actor": "civil-affairs",
        "reason": "replaced by the standing checks",
    },
)
class RuleRetired(Data):
    """A screening rule was retired: it raises nothing more; its open alerts stay open"""

    region_code: RegionCode
    rule_id: Slug
    reason: Text


class ListRow(Part):
    """One row of a department list: the household and what the department knows."""

    household: HouseholdRef
    facts: Annotated[dict[FactName, FactValue], Field(max_length=20)] = {}


@declare(
    "department_list.compared",
    opens="department_list",
    command="compare_list",
    actor="department",
    version=1,
    example={
        "region_code": "330106",
        "list_name": "monitoring",
        "edition": "2026-11",
        "rows": [{"household": _HH, "facts": {"risk": "not_eliminated"}}],
        "cadence_days": 31,
        "actor": "rural-revitalization",
    },
)
class ListCompared(Data):
    """A department sent a whole edition of a list (≤ 100,000 rows); it is compared with the
    previous edition and each new or changed row is recorded as facts of the household"""

    region_code: RegionCode
    list_name: Slug
    edition: Word
    rows: Annotated[list[ListRow], Field(max_length=100_000)]
    cadence_days: Annotated[int, Field(ge=1, le=400)] | None = Field(
        None, description="How often the department sends this list (31 monthly, 92 quarterly)"
    )

    def arguments(self, context: Context) -> dict[str, Any]:
        """Rows as (household key, facts)."""
        return {
            "region_code": self.region_code,
            "list_name": self.list_name,
            "edition": self.edition,
            "rows": [(r.household.argument(context), dict(r.facts)) for r in self.rows],
            "cadence_days": self.cadence_days,
        }


@declare(
    "alert.outcome_recorded",
    creates="alert_outcome",
    command="record_alert_outcome",
    version=1,
    example={
        "alert_id": "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
        "household": _HH,
        "rule_id": "risk-disabled-no-dibao",
        "outcome": "dismissed",
        "reason": "household checked: income above the line",
        "actor": "civil-affairs",
    },
)
class AlertOutcomeRecorded(Data):
    """A screening alert ended: checked and a need raised, dismissed with a reason, or merged
    into an open case"""

    renamed = {"household": "household_key"}
    alert_id: RecordId
    household: HouseholdRef
    rule_id: Slug
    outcome: Lax[Outcome]
    reason: Annotated[Note, Personal] = ""
    need_id: RecordId | None = None

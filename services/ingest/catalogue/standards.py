"""The alliance's service standards: how many hours each step of the loop may take."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from domain.standards.deadlines import MAX_HOURS, DeadlinePolicy
from services.ingest.catalogue.definition import Context, declare
from services.ingest.catalogue.definition import EventData as Data
from services.ingest.catalogue.fields import RegionCode, Text

Hours = Annotated[int, Field(ge=1, le=MAX_HOURS, description="Whole hours; default 24")]


@declare(
    "deadline.policy_adopted",
    opens="standards",
    command="adopt_deadlines",
    version=1,
    example={
        "region_code": "330106",
        "acceptance_hours": 24,
        "feedback_hours": 24,
        "application_hours": 24,
        "ladder": ["town", "county"],
        "actor": "civil-affairs",
        "reason": "the alliance's 24-hour answer promise",
    },
)
class DeadlinesAdopted(Data):
    """An alliance adopted its deadlines: hours from a request (or reassignment) to acceptance,
    from acceptance to first feedback and from a resident's self-application to its first
    answer, judged on the times zhulian recorded; and the ladder a breach escalates up (village →
    town → county)"""

    region_code: RegionCode
    acceptance_hours: Hours = 24
    feedback_hours: Hours = 24
    application_hours: Hours = 24
    ladder: Annotated[list[Literal["town", "county"]], Field(max_length=2)] = ["town", "county"]
    reason: Text

    def arguments(self, context: Context) -> dict[str, Any]:
        """The policy as the domain checks it."""
        raw = self.model_dump(
            include={"acceptance_hours", "feedback_hours", "application_hours", "ladder"}
        )
        return {
            "region_code": self.region_code,
            "policy": DeadlinePolicy.parse(raw),
            "reason": self.reason,
        }

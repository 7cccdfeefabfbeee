"""The referral loop (转介): request, accept, route, feedback, complete, follow up."""

from __future__ import annotations

from typing import Annotated, Any

from services.ingest.catalogue.definition import EventData as Data
from services.ingest.catalogue.definition import declare
from services.ingest.catalogue.fields import Department, Note, Personal, RecordId, Text

_REFERRAL = "5b1c0a52-61a9-4c1e-9f7e-0d3e8c2a9b41"


def step(name: str, command: str, **example: Any) -> Any:
    """Declare a step taken by the department holding the referral."""
    return declare(
        f"referral.{name}",
        changes="referral",
        command=command,
        v1="department",
        example={"referral_id": _REFERRAL, "actor": "health", **example},
    )


@declare(
    "referral.requested",
    creates="referral",
    command="request_referral",
    actor="from_department",
    v1="from_department",
    example={
        "need_id": "9e0f2d7a-3b4c-4d5e-8f6a-7b8c9d0e1f2a",
        "actor": "civil-affairs",
        "to_department": "health",
    },
)
class Requested(Data):
    """An open need is referred to a department"""

    need_id: RecordId
    to_department: Department
    note: Annotated[Note, Personal] = ""


class Step(Data):
    """A step of the referral loop."""

    referral_id: RecordId


@step("accepted", "accept_referral")
class Accepted(Step):
    """The holder accepted (受理); feedback due in 24 h"""


@step("routed", "route_referral", to_unit="district hospital")
class Routed(Step):
    """The holder passed it to a handling unit (流转)"""

    to_unit: Text
    note: Annotated[Note, Personal] = ""


@step("feedback_given", "give_feedback", content="assessed at home; medical aid applied for")
class FeedbackGiven(Step):
    """The holder reported back (反馈)"""

    content: Annotated[Text, Personal]


@step("completed", "complete_referral", outcome="medical assistance granted")
class Completed(Step):
    """The holder closed the case (办结); the need is met"""

    outcome: Annotated[Text, Personal]


@step("followed_up", "follow_up_referral", satisfied=True)
class FollowedUp(Step):
    """Follow-up visit after completion (回访)"""

    satisfied: bool
    note: Annotated[Note, Personal] = ""


@step("refused", "refuse_referral", reason="outside our remit")
class Refused(Step):
    """The addressed department declined, with a reason; the need returns to the queue"""

    reason: Annotated[Text, Personal]


@step("reassigned", "reassign_referral", to_department="education", reason="tuition")
class Reassigned(Step):
    """A coordinator moved the referral to another department"""

    to_department: Department
    reason: Annotated[Text, Personal]

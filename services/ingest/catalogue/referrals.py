"""The referral loop (转介): request, accept, route, feedback, complete, follow up."""

from __future__ import annotations

from services.ingest.catalogue.definition import Definition, Effect, Legacy
from services.ingest.catalogue.definition import EventData as Data
from services.ingest.catalogue.fields import (
    Department,
    Note,
    RecordId,
    Text,
)

_DEPARTMENT_V1 = (Legacy(1, {"actor": "department"}),)
_HH = {"registration_number": "330106195803120011"}
_REFERRAL = "5b1c0a52-61a9-4c1e-9f7e-0d3e8c2a9b41"
_NEED = "9e0f2d7a-3b4c-4d5e-8f6a-7b8c9d0e1f2a"


class ReferralRequested(Data):
    """A need referred."""

    need_id: RecordId
    to_department: Department
    note: Note = ""


class Step(Data):
    """A step of the referral loop, taken by the department holding the referral."""

    referral_id: RecordId


class Routed(Step):
    to_unit: Text
    note: Note = ""


class FeedbackGiven(Step):
    content: Text


class Completed(Step):
    outcome: Text


class FollowedUp(Step):
    satisfied: bool
    note: Note = ""


class Refused(Step):
    reason: Text


class Reassigned(Step):
    to_department: Department
    reason: Text


def _step(name: str, summary: str, data: type[Data], command: str, **example: object) -> Definition:
    return Definition(
        name=f"referral.{name}",
        version=2,
        summary=summary,
        data=data,
        record="referral",
        effect=Effect.CHANGES,
        command=command,
        example={"referral_id": _REFERRAL, "actor": "health", **example},
        legacy=_DEPARTMENT_V1,
    )


DEFINITIONS = [
    Definition(
        name="referral.requested",
        version=2,
        summary="An open need is referred to a department",
        data=ReferralRequested,
        record="referral",
        effect=Effect.CREATES,
        command="request_referral",
        actor_argument="from_department",
        example={"need_id": _NEED, "actor": "civil-affairs", "to_department": "health"},
        legacy=(Legacy(1, {"actor": "from_department"}),),
    ),
    _step("accepted", "The holder accepted (受理); feedback due in 24 h", Step, "accept_referral"),
    _step(
        "routed",
        "The holder passed it to a handling unit (流转)",
        Routed,
        "route_referral",
        to_unit="district hospital",
    ),
    _step(
        "feedback_given",
        "The holder reported back (反馈)",
        FeedbackGiven,
        "give_feedback",
        content="assessed at home; medical assistance applied for",
    ),
    _step(
        "completed",
        "The holder closed the case (办结); the need is met",
        Completed,
        "complete_referral",
        outcome="medical assistance granted",
    ),
    _step(
        "followed_up",
        "Follow-up visit after completion (回访)",
        FollowedUp,
        "follow_up_referral",
        satisfied=True,
    ),
    _step(
        "refused",
        "The addressed department declined, with a reason; the need returns to the queue",
        Refused,
        "refuse_referral",
        reason="outside our remit",
    ),
    _step(
        "reassigned",
        "A coordinator moved the referral to another department",
        Reassigned,
        "reassign_referral",
        to_department="education",
        reason="tuition, not health",
    ),
]

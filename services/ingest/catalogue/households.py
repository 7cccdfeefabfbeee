"""Casework types: household files and their needs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from domain.households.vocabulary import Assistance, Channel, Circumstance, Member
from domain.shared.taxonomy import Category, NeedType, Urgency
from services.ingest.catalogue.definition import Argument, Context, Definition, Effect, Legacy
from services.ingest.catalogue.definition import EventData as Data
from services.ingest.catalogue.fields import (
    Household,
    Lax,
    Note,
    Part,
    RecordId,
    RegionCode,
    Text,
    UniqueList,
    Word,
)

_DEPARTMENT_V1 = (Legacy(1, {"actor": "department"}),)
_HH = {"registration_number": "330106195803120011"}
_REFERRAL = "5b1c0a52-61a9-4c1e-9f7e-0d3e8c2a9b41"
_NEED = "9e0f2d7a-3b4c-4d5e-8f6a-7b8c9d0e1f2a"


class MemberData(Part, Argument):
    """A household member, without name or ID number."""

    relation: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="e.g. head, spouse, child, parent"
    )
    birth_year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    circumstances: Annotated[
        UniqueList[Lax[Circumstance]], Field(max_length=len(Circumstance))
    ] = []
    disability_grade: Literal[1, 2, 3, 4] | None = None

    def argument(self, context: Context) -> Member:
        """The domain's member (a disability grade implies the disability circumstance)."""
        return Member.parse(self.model_dump(mode="json"), "data.members")


class Discovered(Household):
    """A household was found."""

    region_code: RegionCode
    channel: Lax[Channel]
    members: Annotated[list[MemberData], Field(max_length=30)] = []
    note: Note = ""


class AssistanceGranted(Household):
    """A status certified."""

    status: Lax[Assistance]


class AssistanceEnded(Household):
    """A status ended."""

    status: Lax[Assistance]
    reason: Text


class Assessed(Household):
    """Circle, group and plan."""

    difficulty_circle: Literal[1, 2, 3]
    group: Word
    plan: Note = ""


class NeedRaised(Household):
    """A need of a household."""

    need_type: Lax[NeedType]
    category: Lax[Category]
    urgency: Lax[Urgency]
    description: Text
    region_code: RegionCode | None = Field(
        None, description="Where the need is, when not the household's own village"
    )


class NeedClosed(Data):
    """A need closed unmet."""

    need_id: RecordId
    reason: Text


DEFINITIONS = [
    Definition(
        name="household.discovered",
        version=2,
        summary="A household was found (visit, hotline, data comparison, self-application …); "
        "opens its file or adds to it",
        data=Discovered,
        record="household",
        effect=Effect.CREATES_OR_CHANGES,
        command="report_discovery",
        actor_argument="reported_by",
        example={
            "household": _HH,
            "region_code": "330106001001",
            "channel": "cadre_check",
            "actor": "civil-affairs",
            "members": [
                {"relation": "head", "birth_year": 1958, "disability_grade": 1},
                {"relation": "spouse", "birth_year": 1960, "circumstances": ["chronic_illness"]},
            ],
        },
        legacy=(Legacy(1, {"actor": "reported_by"}),),
    ),
    Definition(
        name="household.assistance_granted",
        version=2,
        summary="A department certified an assistance status (低保, 特困, 临时救助 …)",
        data=AssistanceGranted,
        record="household",
        effect=Effect.CHANGES,
        command="grant_assistance",
        example={"household": _HH, "status": "dibao", "actor": "civil-affairs"},
        legacy=_DEPARTMENT_V1,
    ),
    Definition(
        name="household.assistance_ended",
        version=2,
        summary="An assistance status ended, with the reason",
        data=AssistanceEnded,
        record="household",
        effect=Effect.CHANGES,
        command="end_assistance",
        example={
            "household": _HH,
            "status": "monitoring",
            "actor": "rural-revitalization",
            "reason": "risk eliminated",
        },
        legacy=_DEPARTMENT_V1,
    ),
    Definition(
        name="household.assessed",
        version=2,
        summary="Difficulty circle, group and plan (一户一策) set",
        data=Assessed,
        record="household",
        effect=Effect.CHANGES,
        command="assess_household",
        example={
            "household": _HH,
            "difficulty_circle": 1,
            "group": "severely-disabled",
            "actor": "civil-affairs",
            "plan": "single-person dibao, disability subsidies, medical assistance",
        },
        legacy=_DEPARTMENT_V1,
    ),
    Definition(
        name="need.raised",
        version=2,
        summary="A household needs help of a type (survival / care / development) and category",
        data=NeedRaised,
        record="need",
        effect=Effect.CREATES,
        command="raise_need",
        actor_argument="raised_by",
        example={
            "household": _HH,
            "need_type": "care",
            "category": "disability",
            "urgency": "high",
            "description": "daily care after a cerebral haemorrhage",
            "actor": "civil-affairs",
        },
        legacy=(Legacy(1, {"actor": "raised_by"}),),
    ),
    Definition(
        name="need.closed",
        version=2,
        summary="An open need is closed without being met",
        data=NeedClosed,
        record="need",
        effect=Effect.CHANGES,
        command="close_need",
        example={"need_id": _NEED, "actor": "civil-affairs", "reason": "moved out of the county"},
        legacy=_DEPARTMENT_V1,
    ),
]

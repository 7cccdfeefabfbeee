"""Casework types: household files and their needs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from domain.households.place import COARSE_DECIMALS, Place, PlaceSource
from domain.households.vocabulary import Assistance, Channel, Circumstance, Member
from domain.shared.taxonomy import Category, NeedType, Urgency
from services.ingest.catalogue.definition import Argument, Context, declare
from services.ingest.catalogue.definition import EventData as Data
from services.ingest.catalogue.fields import (
    Amount,
    Household,
    Lax,
    Note,
    Part,
    Personal,
    RecordId,
    RegionCode,
    Text,
    UniqueList,
    Word,
)

_HH = {"registration_number": "330106195803120011"}
_NEED = "9e0f2d7a-3b4c-4d5e-8f6a-7b8c9d0e1f2a"


class MemberData(Part, Argument):
    """A household member, without name or ID number."""

    relation: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="e.g. head, spouse, child, parent"
    )
    birth_year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    circumstances: Annotated[UniqueList[Lax[Circumstance]], Field(max_length=10)] = []
    disability_grade: Literal[1, 2, 3, 4] | None = None

    def argument(self, context: Context) -> Member:
        """The domain's member (a disability grade implies the disability circumstance)."""
        return Member.parse(self.model_dump(mode="json"), "data.members")


@declare(
    "household.discovered",
    opens="household",
    command="report_discovery",
    actor="reported_by",
    v1="reported_by",
    example={
        "household": _HH,
        "region_code": "330106002051",
        "channel": "cadre_check",
        "actor": "civil-affairs",
        "members": [
            {"relation": "head", "birth_year": 1958, "disability_grade": 1},
            {"relation": "spouse", "birth_year": 1960, "circumstances": ["chronic_illness"]},
        ],
    },
)
class Discovered(Household):
    """A household was found (visit, hotline, data comparison, self-application …); opens its
    file or adds to it"""

    region_code: RegionCode
    channel: Lax[Channel]
    members: Annotated[list[MemberData], Field(max_length=30)] = []
    note: Annotated[Note, Personal] = ""


@declare(
    "household.assistance_granted",
    changes="household",
    command="grant_assistance",
    v1="department",
    example={"household": _HH, "status": "dibao", "actor": "civil-affairs"},
)
class AssistanceGranted(Household):
    """A department certified an assistance status (低保, 特困, 临时救助 …)"""

    status: Lax[Assistance]


@declare(
    "household.temporary_assistance_granted",
    changes="household",
    command="grant_temporary_aid",
    version=1,
    example={
        "household": _HH,
        "amount_yuan": "2500.00",
        "reason": "medical costs after a cerebral haemorrhage",
        "actor": "civil-affairs",
    },
)
class TemporaryAidGranted(Household, Amount):
    """A department paid one-off temporary assistance (临时救助) with its amount; any number of
    grants over time (an `assistance_granted` of status `temporary` is one without an amount)"""

    reason: Annotated[Note, Personal] = ""


@declare(
    "household.application_answered",
    changes="household",
    command="answer_application",
    version=1,
    example={
        "household": _HH,
        "answer": "visited today; temporary assistance being prepared",
        "actor": "civil-affairs",
    },
)
class ApplicationAnswered(Household):
    """A resident's self-application got its first answer (feedback owed within the alliance's
    hours of the application being recorded; late when recorded after)"""

    answer: Annotated[Text, Personal]


@declare(
    "household.assistance_ended",
    changes="household",
    command="end_assistance",
    v1="department",
    example={
        "household": _HH,
        "status": "monitoring",
        "actor": "rural-revitalization",
        "reason": "risk eliminated",
    },
)
class AssistanceEnded(Household):
    """An assistance status ended, with the reason"""

    status: Lax[Assistance]
    reason: Annotated[Text, Personal]


@declare(
    "household.assessed",
    changes="household",
    command="assess_household",
    v1="department",
    example={
        "household": _HH,
        "difficulty_circle": 1,
        "group": "severely-disabled",
        "actor": "civil-affairs",
        "plan": "single-person dibao, disability subsidies, medical assistance",
    },
)
class Assessed(Household):
    """Difficulty circle, group and plan (一户一策) set"""

    difficulty_circle: Literal[1, 2, 3]
    group: Word
    plan: Annotated[Note, Personal] = ""


@declare(
    "household.erased",
    changes="household",
    command="erase_household",
    version=1,
    example={
        "household": _HH,
        "actor": "civil-affairs",
        "reason": "PIPL art. 47: the person withdrew consent and asked for deletion",
        "reference": "erasure request 2026-0113",
    },
)
class Erased(Household):
    """A household's personal data was erased (crypto-shredding): its data key is destroyed,
    so every personal field it ever had is unreadable everywhere; counts and money stay. The
    reason and reference stay readable: they must name no person"""

    reason: Text = Field(description="The legal reason (law and article, the request)")
    reference: Note = Field("", description="A reference: the request or decision's number")


@declare(
    "household.located",
    changes="household",
    command="locate_household",
    version=1,
    example={
        "household": _HH,
        "latitude": 30.2741,
        "longitude": 120.1551,
        "source": "village_centroid",
        "reference": "alliance centroids 2026",
        "actor": "civil-affairs",
    },
)
class Located(Household):
    """Where a household is, with the source of the point (a village centroid, a grid cell's
    centre …): the point, kept to three decimals (about 100 m), is personal and sealed; the
    ten-minute circle judges from its cell (two decimals, about 1 km), kept in clear"""

    latitude: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False), Personal]
    longitude: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False), Personal]
    source: Lax[PlaceSource]
    reference: Note = ""

    def arguments(self, context: Context) -> dict[str, Any]:
        """The place (its cell is what the household keeps in clear) and the point as texts,
        which ingest seals like any personal field."""
        out = super().arguments(context)
        place = Place.parse(
            out.pop("latitude"), out.pop("longitude"), self.source, out.pop("reference")
        )
        out.pop("source")
        out["place"] = place
        out["latitude"] = f"{place.latitude:.{COARSE_DECIMALS}f}"
        out["longitude"] = f"{place.longitude:.{COARSE_DECIMALS}f}"
        return out


@declare(
    "need.raised",
    creates="need",
    command="raise_need",
    actor="raised_by",
    v1="raised_by",
    example={
        "household": _HH,
        "need_type": "care",
        "category": "disability",
        "urgency": "high",
        "description": "daily care after a cerebral haemorrhage",
        "actor": "civil-affairs",
    },
)
class NeedRaised(Household):
    """A household needs help of a type (survival / care / development) and category"""

    need_type: Lax[NeedType]
    category: Lax[Category]
    urgency: Lax[Urgency]
    description: Annotated[Text, Personal]
    region_code: RegionCode | None = Field(
        None, description="Where the need is, when not the household's own village"
    )
    policy: Word | None = Field(
        None,
        description="The code of a listed policy (政策清单) the household applies for, e.g. dibao:"
        " it ranks that policy first (the description is sealed, so it cannot say it)",
    )


@declare(
    "need.closed",
    changes="need",
    command="close_need",
    v1="department",
    example={"need_id": _NEED, "actor": "civil-affairs", "reason": "moved out of the county"},
)
class NeedClosed(Data):
    """An open need is closed without being met"""

    need_id: RecordId
    reason: Annotated[Text, Personal]

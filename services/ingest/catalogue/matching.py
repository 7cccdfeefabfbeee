"""Match-queue types: the coordinators' actions and the alliance's matching policy."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, create_model, model_validator

from domain.households.vocabulary import Assistance
from domain.matching.policy import DEFAULT_WEIGHTS, Policy
from domain.shared.regions import Level
from domain.shared.taxonomy import Category
from services.ingest.catalogue.definition import Context, declare
from services.ingest.catalogue.definition import EventData as Data
from services.ingest.catalogue.fields import (
    Department,
    Fen,
    Lax,
    Note,
    Part,
    Personal,
    RecordId,
    RegionCode,
    Text,
    UniqueList,
    Yuan,
    fen_of,
)

_NEED = "9e0f2d7a-3b4c-4d5e-8f6a-7b8c9d0e1f2a"
_OFFERING = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"


def on_need(name: str, command: str, **example: Any) -> Any:
    """Declare a coordinator's action on a need (its version is the condition's target)."""
    return declare(
        f"match.{name}",
        changes="need",
        command=command,
        v1="department",
        example={"need_id": _NEED, "actor": "civil-affairs", **example},
    )


Weight = Annotated[int, Field(ge=0, le=100)]

Weights = create_model(  # one optional weight per part the policy scores
    "Weights",
    __base__=Part,
    **{name: (Weight | None, None) for name in DEFAULT_WEIGHTS},  # type: ignore[call-overload]
)


class Exclusion(Part):
    """An entry of the policy list (政策清单): who may not be matched to what."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 2})

    reason: Text
    target: RecordId | None = Field(None, description="An offering, provider or fund id")
    category: Lax[Category] | None = None
    statuses: Annotated[UniqueList[Lax[Assistance]], Field(max_length=len(Assistance))] = []


class Settings(Part):
    """Weights, switches and exclusions; what is left out keeps the default."""

    weights: Weights | None = None  # type: ignore[valid-type]
    require_need_type: bool | None = None
    widest_level: Lax[Level] | None = None
    require_circle: bool | None = None
    circle_km: Annotated[int, Field(ge=1, le=50)] | None = None
    grant_fen: Fen | None = None
    exclusions: Annotated[list[Exclusion], Field(max_length=200)] = []


@declare(
    "match.policy_adopted",
    opens="matching_policy",
    command="adopt_matching_policy",
    v1="by",
    example={
        "region_code": "330106",
        "settings": {"weights": {"distance": 6}, "widest_level": "town"},
        "actor": "civil-affairs",
        "reason": "prefer services close to home",
    },
)
class PolicyAdopted(Data):
    """The alliance's matching weights, switches and exclusions (a new version)"""

    region_code: RegionCode
    settings: Settings
    reason: Text

    def arguments(self, context: Context) -> dict[str, Any]:
        """The policy as the domain checks it."""
        raw = self.settings.model_dump(mode="json", exclude_none=True)
        return {
            "region_code": self.region_code,
            "settings": Policy.parse(raw),
            "reason": self.reason,
        }


@on_need("candidate_accepted", "accept_candidate", candidate_id=_OFFERING)
class CandidateAccepted(Data):
    """A coordinator chose a candidate: the referral, the need and the capacity or money
    reservation in one commit (refused when the last unit or yuan is gone)"""

    model_config = ConfigDict(
        json_schema_extra={"not": {"required": ["amount_fen", "amount_yuan"]}}
    )

    need_id: RecordId
    candidate_id: RecordId
    units: Annotated[int, Field(ge=1, le=1000)] = 1
    to_department: Department | None = None
    note: Annotated[Note, Personal] = ""
    amount_fen: Fen | None = None
    amount_yuan: Yuan | None = None

    @model_validator(mode="after")
    def _one_amount_at_most(self) -> CandidateAccepted:
        if self.amount_fen is not None and self.amount_yuan is not None:
            raise ValueError("give at most one of amount_fen and amount_yuan")
        return self

    def arguments(self, context: Context) -> dict[str, Any]:
        """The grant in fen when one was named."""
        out = super().arguments(context)
        out.pop("amount_yuan")
        out["amount_fen"] = fen_of(self, "amount", "data")
        return out


@on_need(
    "candidate_rejected",
    "reject_candidate",
    candidate_id=_OFFERING,
    reason="the family prefers care at home",
)
class CandidateRejected(Data):
    """A coordinator ruled a candidate out for a need, with the reason"""

    need_id: RecordId
    candidate_id: RecordId
    reason: Annotated[Text, Personal]


@on_need("need_escalated", "escalate_need", reason="no service in the village")
class NeedEscalated(Data):
    """A need moved to the next level's queue (village → town → county)"""

    need_id: RecordId
    reason: Annotated[Text, Personal]
    to_department: Department | None = None

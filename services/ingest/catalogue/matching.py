"""Match-queue types: the coordinators' actions and the alliance's matching policy."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, create_model

from domain.households.vocabulary import Assistance
from domain.matching.policy import DEFAULT_WEIGHTS, Policy
from domain.shared.regions import Level
from domain.shared.taxonomy import Category
from services.ingest.catalogue.definition import Context, Definition, Effect, Legacy
from services.ingest.catalogue.definition import EventData as Data
from services.ingest.catalogue.fields import (
    Department,
    Fen,
    Lax,
    Note,
    Part,
    RecordId,
    RegionCode,
    Text,
    UniqueList,
    Yuan,
    fen_of,
)

_NEED = "9e0f2d7a-3b4c-4d5e-8f6a-7b8c9d0e1f2a"
_OFFERING = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"
_DEPARTMENT_V1 = (Legacy(1, {"actor": "department"}),)
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


class PolicyAdopted(Data):
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


class CandidateAccepted(Data):
    """Choose a candidate; a fund candidate may name the grant (default: the policy's)."""

    model_config = ConfigDict(
        json_schema_extra={"not": {"required": ["amount_fen", "amount_yuan"]}}
    )

    need_id: RecordId
    candidate_id: RecordId
    units: Annotated[int, Field(ge=1, le=1000)] = 1
    to_department: Department | None = None
    note: Note = ""
    amount_fen: Fen | None = None
    amount_yuan: Yuan | None = None

    def arguments(self, context: Context) -> dict[str, Any]:
        """The grant in fen when one was named."""
        if self.amount_fen is not None and self.amount_yuan is not None:
            raise ValueError("give at most one of amount_fen and amount_yuan")
        out = super().arguments(context)
        out.pop("amount_yuan")
        out["amount_fen"] = fen_of(self, "amount", "data")
        return out


class CandidateRejected(Data):
    need_id: RecordId
    candidate_id: RecordId
    reason: Text


class NeedEscalated(Data):
    need_id: RecordId
    reason: Text
    to_department: Department | None = None


def _on_need(name: str, summary: str, data: type[Data], command: str, **ex: Any) -> Definition:
    return Definition(
        name=f"match.{name}",
        version=2,
        summary=summary,
        data=data,
        record="need",
        effect=Effect.CHANGES,
        command=command,
        example={"need_id": _NEED, "actor": "civil-affairs", **ex},
        legacy=_DEPARTMENT_V1,
    )


DEFINITIONS = [
    Definition(
        name="match.policy_adopted",
        version=2,
        summary="The alliance's matching weights, switches and exclusions (a new version)",
        data=PolicyAdopted,
        record="matching_policy",
        effect=Effect.CREATES_OR_CHANGES,
        command="adopt_matching_policy",
        example={
            "region_code": "330106",
            "settings": {"weights": {"distance": 6}, "widest_level": "town"},
            "actor": "civil-affairs",
            "reason": "prefer services close to home",
        },
        legacy=(Legacy(1, {"actor": "by"}),),
    ),
    _on_need(
        "candidate_accepted",
        "A coordinator chose a candidate: the referral, the need and the capacity or money "
        "reservation in one commit (refused when the last unit or yuan is gone)",
        CandidateAccepted,
        "accept_candidate",
        candidate_id=_OFFERING,
    ),
    _on_need(
        "candidate_rejected",
        "A coordinator ruled a candidate out for a need, with the reason",
        CandidateRejected,
        "reject_candidate",
        candidate_id=_OFFERING,
        reason="the family prefers care at home",
    ),
    _on_need(
        "need_escalated",
        "A need moved to the next level's queue (village → town → county)",
        NeedEscalated,
        "escalate_need",
        reason="no service in the village",
    ),
]

"""Supply types: providers, their offerings and purchased-service contracts."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from domain.households.vocabulary import Assistance
from domain.shared.taxonomy import Category, NeedType
from domain.supply.terms import UNITS, OfferingTerms
from domain.supply.vocabulary import ProviderKind
from services.ingest.catalogue.definition import Context, declare
from services.ingest.catalogue.definition import EventData as Data
from services.ingest.catalogue.fields import (
    Fen,
    Household,
    Lax,
    Name,
    Note,
    Part,
    Personal,
    RecordId,
    RegionCode,
    RegionPrefix,
    Text,
    UniqueList,
    Word,
    Yuan,
    fen_of,
    money_rule,
    one_amount,
)

_PROVIDER = "3f1e2d4c-5b6a-4978-8a1b-2c3d4e5f6a7b"
_OFFERING = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"
_CONTRACT = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"
_TERMS = {
    "name": "home care for severely disabled people",
    "need_type": "care",
    "category": "disability",
    "areas": ["330106001"],
    "capacity": 40,
    "eligibility": {"disability_required": True},
}
Count = Annotated[int, Field(ge=0, le=1_000_000_000)]


class Eligibility(Part):
    """Who may be served."""

    statuses: Annotated[UniqueList[Lax[Assistance]], Field(max_length=len(Assistance))] = []
    groups: Annotated[UniqueList[Word], Field(max_length=50)] = []
    minimum_age: Annotated[int, Field(ge=0, le=150)] | None = None
    maximum_age: Annotated[int, Field(ge=0, le=150)] | None = None
    disability_required: bool = False
    description: Note = ""


class Location(Part):
    """A service point."""

    name: Name
    region_code: RegionCode
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None


class Terms(Data):
    """An offering's published terms (shared by publish and update)."""

    name: Name
    need_type: Lax[NeedType]
    category: Lax[Category]
    areas: Annotated[
        Annotated[UniqueList[RegionPrefix], Field(max_length=200)], Field(min_length=1)
    ]
    description: Note = ""
    location: Location | None = None
    capacity: Count | None = Field(None, description="Units per month; absent: no limit")
    unit: Literal[UNITS] = "person-times"  # type: ignore[valid-type]
    eligibility: Eligibility = Eligibility()
    cost_fen: Annotated[int, Field(ge=0, le=10**15)] = Field(0, description="Per unit, in fen")
    funding_source: Note = ""

    target: ClassVar[str]

    def arguments(self, context: Context) -> dict[str, Any]:
        """The offering's id and its terms, checked by the domain."""
        fields = self.model_dump(mode="json", exclude={"actor", self.target})
        return {self.target: getattr(self, self.target), "terms": OfferingTerms.parse(fields)}


@declare(
    "offering.published",
    creates="offering",
    command="publish_offering",
    v1="published_by",
    example={"provider_id": _PROVIDER, "actor": "civil-affairs", **_TERMS},
)
class OfferingPublished(Terms):
    """A provider's service: type, area, capacity, eligibility, cost"""

    target: ClassVar[str] = "provider_id"
    provider_id: RecordId


@declare(
    "offering.updated",
    changes="offering",
    command="update_offering",
    v1="updated_by",
    example={"offering_id": _OFFERING, "actor": "civil-affairs", **_TERMS, "capacity": 60},
)
class OfferingUpdated(Terms):
    """An offering's terms changed"""

    target: ClassVar[str] = "offering_id"
    offering_id: RecordId


@declare(
    "provider.registered",
    creates="provider",
    command="register_provider",
    v1="registered_by",
    example={
        "name": "Xihu Social Work Service Centre",
        "kind": "social_work_provider",
        "region_code": "330106",
        "actor": "civil-affairs",
    },
)
class ProviderRegistered(Data):
    """A department, provider, social organisation or volunteer team joined"""

    name: Name
    kind: Lax[ProviderKind]
    region_code: RegionCode
    description: Note = ""


@declare(
    "offering.closed",
    changes="offering",
    command="close_offering",
    v1="department",
    example={"offering_id": _OFFERING, "actor": "civil-affairs", "reason": "contract ended"},
)
class OfferingClosed(Data):
    """An offering is no longer given"""

    offering_id: RecordId
    reason: Text


class ContractItem(Part):
    """One item of a packaged budget."""

    model_config = ConfigDict(json_schema_extra=money_rule("budget"))

    item_id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
    name: Name
    need_type: Lax[NeedType]
    category: Lax[Category]
    offering_id: RecordId | None = None
    capacity: Annotated[int, Field(ge=1, le=1_000_000_000)] | None = Field(
        None, description="Person-times"
    )
    budget_fen: Fen | None = None
    budget_yuan: Yuan | None = None

    @model_validator(mode="after")
    def _one_budget(self) -> ContractItem:
        one_amount(self, "budget")
        return self


@declare(
    "contract.signed",
    creates="contract",
    command="sign_contract",
    v1="signed_by",
    example={
        "provider_id": _PROVIDER,
        "title": "child protection services 2026",
        "budget_yuan": "541500.00",
        "actor": "civil-affairs",
        "items": [
            {
                "item_id": "child-protection",
                "name": "visits to children in difficulty",
                "need_type": "care",
                "category": "care",
                "budget_yuan": "541500.00",
                "capacity": 4161,
            }
        ],
    },
)
class ContractSigned(Data):
    """A purchased-service contract: packaged budget split into items (打包预算、分项实施)"""

    model_config = ConfigDict(json_schema_extra=money_rule("budget"))

    provider_id: RecordId
    title: Name
    items: Annotated[list[ContractItem], Field(min_length=1, max_length=100)]
    funding_source: Note = ""
    budget_fen: Fen | None = None
    budget_yuan: Yuan | None = None

    @model_validator(mode="after")
    def _one_budget(self) -> ContractSigned:
        one_amount(self, "budget")
        return self

    def arguments(self, context: Context) -> dict[str, Any]:
        """Budgets in fen, items as the domain checks them."""
        items = []
        for i, item in enumerate(self.items):
            raw = item.model_dump(mode="json", exclude={"budget_yuan"})
            raw["budget_fen"] = fen_of(item, "budget", f"data.items[{i}]")
            items.append(raw)
        return {
            "provider_id": self.provider_id,
            "title": self.title,
            "funding_source": self.funding_source,
            "budget_fen": fen_of(self, "budget", "data"),
            "items": items,
        }


@declare(
    "contract.delivery_recorded",
    changes="contract",
    command="record_delivery",
    v1="provider",
    example={
        "contract_id": _CONTRACT,
        "item_id": "child-protection",
        "household": {"registration_number": "330106201501010022"},
        "person_times": 1,
        "cost_yuan": "130.00",
        "actor": "xihu-social-work",
    },
)
class DeliveryRecorded(Household):
    """A delivery (person-times, cost) to a household, refused beyond the item's budget"""

    model_config = ConfigDict(json_schema_extra=money_rule("cost"))

    contract_id: RecordId
    item_id: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    person_times: Annotated[int, Field(ge=1, le=100_000)]
    note: Annotated[Note, Personal] = ""
    cost_fen: Annotated[int, Field(ge=0, le=10**15)] | None = None
    cost_yuan: Yuan | None = None

    @model_validator(mode="after")
    def _one_cost(self) -> DeliveryRecorded:
        one_amount(self, "cost")
        return self

    def arguments(self, context: Context) -> dict[str, Any]:
        """The cost in fen, whichever form it came in."""
        out = super().arguments(context)
        out.pop("cost_yuan")
        out["cost_fen"] = fen_of(self, "cost", "data")
        return out

"""The field types every event type is built from: constraints and descriptions, said once."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, TypeVar
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    model_validator,
)

from domain.households.identity import HOUSEHOLD_KEY_PATTERN
from domain.shared.money import yuan_to_fen
from services.ingest.catalogue.definition import LINE_PATTERN as _LINE
from services.ingest.catalogue.definition import Argument, Context, EventData

# Free text may hold tabs and line breaks, but no other control characters.
_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

Department = Annotated[
    str,
    StringConstraints(min_length=1, max_length=120, pattern=_LINE),
    Field(description="A department, provider or charity"),
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_LINE)]
Word = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=_LINE)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=_TEXT)]
Note = Annotated[str, StringConstraints(max_length=2000, pattern=_TEXT)]
Personal = Field(json_schema_extra={"personal": True})
"""Marks personal data: sealed with its household's key at ingest, erasable (README
"Personal data")."""
RecordId = Annotated[UUID, Strict(False), Field(description="A record id zhulian returned")]
RegionCode = Annotated[
    str,
    StringConstraints(pattern=r"^([0-9]{6}|[0-9]{9}|[0-9]{12})$"),
    Field(description="Administrative division code: 6 (county), 9 (town) or 12 (village) digits"),
]
RegionPrefix = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{2,12}$"),
    Field(description="A division-code prefix: every village whose code starts with it"),
]
Fen = Annotated[int, Field(ge=1, le=10**15, description="Whole fen (1 yuan = 100 fen)")]
Yuan = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{1,13}(\.[0-9]{1,2})?$"),
    Field(description="Yuan as an exact decimal string, e.g. '2500.00' (converted to fen)"),
]


def _unique(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise ValueError("items must be unique")
    return values


T = TypeVar("T")
Lax = Annotated[T, Strict(False)]
"""An enum (or a UUID) accepted from its JSON value."""
UniqueList = Annotated[
    list[T], Field(json_schema_extra={"uniqueItems": True}), AfterValidator(_unique)
]
"""A JSON array of distinct items (give its maximum length with Field)."""


class Part(BaseModel):
    """A nested object of an event's data."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class HouseholdRef(Part, Argument):
    """Name a household by registration number (pseudonymised on arrival) or by its key."""

    model_config = ConfigDict(
        json_schema_extra={
            "description": "Give the registration number (pseudonymised on arrival, never "
            "stored) or the household key zhulian returned earlier",
            "oneOf": [{"required": ["registration_number"]}, {"required": ["household_key"]}],
        }
    )

    registration_number: (
        Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{6,64}$")] | None
    ) = None
    household_key: Annotated[str, StringConstraints(pattern=HOUSEHOLD_KEY_PATTERN)] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> HouseholdRef:
        if (self.registration_number is None) == (self.household_key is None):
            raise ValueError("give exactly one of registration_number and household_key")
        return self

    def argument(self, context: Context) -> str:
        """The household's pseudonymous key."""
        if self.registration_number is not None:
            return context.secret.from_registration(self.registration_number)
        assert self.household_key is not None  # only keys this deployment issued
        return context.secret.check(self.household_key, "data.household.household_key")


class Household(EventData):
    """An event about one household: `household` becomes the command's `household_key`."""

    renamed: ClassVar[dict[str, str]] = {"household": "household_key"}
    household: HouseholdRef


def money_rule(*names: str) -> dict[str, Any]:
    """JSON Schema: each `<name>_fen` / `<name>_yuan` pair is given exactly once."""
    rules = [{"oneOf": [{"required": [f"{n}_fen"]}, {"required": [f"{n}_yuan"]}]} for n in names]
    return {"allOf": rules}


def one_amount(values: BaseModel, name: str) -> None:
    """Refuse a pair given twice or not at all."""
    fen, yuan = getattr(values, f"{name}_fen"), getattr(values, f"{name}_yuan")
    if (fen is None) == (yuan is None):
        raise ValueError(f"give exactly one of {name}_fen and {name}_yuan")


def fen_of(values: BaseModel, name: str, field: str) -> int | None:
    """`<name>_fen` as given, or `<name>_yuan` converted exactly; None when neither."""
    fen: int | None = getattr(values, f"{name}_fen")
    if fen is not None:
        return fen
    yuan: str | None = getattr(values, f"{name}_yuan")
    return None if yuan is None else yuan_to_fen(yuan, f"{field}.{name}_yuan")


class Amount(EventData):
    """An event that moves money: `amount_fen` or `amount_yuan`, exactly one."""

    model_config = ConfigDict(json_schema_extra=money_rule("amount"))

    amount_fen: Fen | None = None
    amount_yuan: Yuan | None = None

    @model_validator(mode="after")
    def _one_amount(self) -> Amount:
        one_amount(self, "amount")
        return self

    def arguments(self, context: Context) -> dict[str, Any]:
        """The amount in fen, whichever form it came in."""
        out = super().arguments(context)
        out.pop("amount_yuan")
        out["amount_fen"] = fen_of(self, "amount", "data")
        return out

"""Pairings (一对一结对帮扶): a helper and a household, and the contacts the pairing owes."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from domain.pairings.model import MAX_DAYS, Contact, PairingKind
from services.ingest.catalogue.definition import EventData as Data
from services.ingest.catalogue.definition import declare
from services.ingest.catalogue.fields import Household, Lax, Note, Part, Personal, RecordId, Text

_PAIRING = "4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a"
Days = Annotated[int, Field(ge=1, le=MAX_DAYS)]


class CadenceData(Part):
    """Days allowed between contacts of each kind (left out: not owed)."""

    call: Days | None = None
    visit: Days | None = None
    deed: Days | None = None


@declare(
    "pairing.started",
    creates="pairing",
    command="start_pairing",
    version=1,
    example={
        "household": {"registration_number": "330106201101010033"},
        "kind": "party_member_child",
        "helper_ref": "party-branch-3/member-017",
        "actor": "civil-affairs",
    },
)
class PairingStarted(Household):
    """A helper was paired with a household: a party member with an orphan or unattended child
    (a call every quarter, a visit every half year, a deed a year), a social worker with a 低保
    or children-in-difficulty household, a volunteer with an elderly person living alone"""

    kind: Lax[PairingKind]
    helper_ref: Annotated[str, StringConstraints(min_length=1, max_length=80)] = Field(
        description="The helper's reference in the department's own records (no name)"
    )
    cadence: CadenceData | None = Field(None, description="Default: the kind's cadence")

    def arguments(self, context: Any) -> dict[str, Any]:
        """The cadence as days per contact kind, or the kind's default."""
        out = super().arguments(context)
        out["cadence"] = self.cadence.model_dump(exclude_none=True) if self.cadence else None
        return out


@declare(
    "pairing.contact_recorded",
    changes="pairing",
    command="record_contact",
    version=1,
    example={"pairing_id": _PAIRING, "contact": "visit", "actor": "civil-affairs"},
)
class ContactRecorded(Data):
    """A helper called, visited or did a deed for the household; the next is due a cadence
    later"""

    pairing_id: RecordId
    contact: Lax[Contact]
    note: Annotated[Note, Personal] = ""


@declare(
    "pairing.ended",
    changes="pairing",
    command="end_pairing",
    version=1,
    example={"pairing_id": _PAIRING, "actor": "civil-affairs", "reason": "the child came of age"},
)
class PairingEnded(Data):
    """A pairing ended, with the reason"""

    pairing_id: RecordId
    reason: Annotated[Text, Personal]

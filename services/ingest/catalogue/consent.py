"""Consent and legal basis: with whom a household's file may be shared, recorded as events."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from services.ingest.catalogue.definition import declare
from services.ingest.catalogue.fields import Department, Household, Name, Note, Text

_HH = {"registration_number": "330106195803120011"}

Recipient = Annotated[
    Department,
    Field(
        description="Who may see the file: a department, a provider, or 'alliance' for every"
        " member of the alliance"
    ),
]
Until = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"),
    Field(
        description="The last day it holds (YYYY-MM-DD); without it, until withdrawn",
        json_schema_extra={"format": "date"},
    ),
]


@declare(
    "household.consent.given",
    changes="household",
    command="give_consent",
    version=1,
    example={
        "household": _HH,
        "recipient": "alliance",
        "purpose": "referral and matching of assistance (转介与资源对接)",
        "until": "2027-12-31",
        "document": "consent form 2026-0412, village committee archive",
        "actor": "civil-affairs",
    },
)
class ConsentGiven(Household):
    """The household consented to its file being shared with a department, a provider or the
    whole alliance, for a purpose, until a day; `actor` recorded it, `document` names the
    signed form"""

    recipient: Recipient
    purpose: Text
    document: Name
    until: Until | None = None


@declare(
    "household.consent.withdrawn",
    changes="household",
    command="withdraw_consent",
    version=1,
    example={
        "household": _HH,
        "recipient": "alliance",
        "reason": "the household asked in writing",
        "actor": "civil-affairs",
    },
)
class ConsentWithdrawn(Household):
    """The household withdrew a consent: nothing more is shared with that recipient on it"""

    recipient: Recipient
    reason: Note = ""


@declare(
    "household.legal_basis.recorded",
    changes="household",
    command="record_legal_basis",
    version=1,
    example={
        "household": _HH,
        "recipient": "alliance",
        "article": "社会救助暂行办法: the article on urgent assistance without prior consent",
        "note": "found unconscious at home; hospital admission",
        "actor": "civil-affairs",
    },
)
class LegalBasisRecorded(Household):
    """A legal basis to share the file without consent (the article of the 社会救助 rules, e.g.
    in an emergency), for a recipient or the alliance, maybe until a day"""

    article: Text
    recipient: Recipient = "alliance"
    note: Note = ""
    until: Until | None = None

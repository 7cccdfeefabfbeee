"""Sharing a household's file: consents given and withdrawn, legal bases, and the rule of both.

A household's file may be shared with a department or provider (a referral to it, a match
accepted with it) only while the household has consented to sharing with that recipient — or
with the whole alliance — and the consent is neither withdrawn nor past its last day, or while
a legal basis (the article of the social-assistance rules that allows sharing without consent,
e.g. in an emergency) is recorded for that recipient or the alliance.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.shared.errors import InvalidValue, NoConsent, RuleViolation

ALLIANCE = "alliance"  # a consent or legal basis for every member of the alliance


def check_until(until: str | None, at: datetime) -> str | None:
    """An ISO date (the last day a consent or basis holds) not before the day it is recorded."""
    if until is None:
        return None
    try:
        last = date.fromisoformat(until)
    except ValueError:
        raise InvalidValue("until", f"{until!r} is not a date (YYYY-MM-DD)") from None
    if last < at.date():
        raise InvalidValue("until", f"{until} is before the day it is recorded ({at.date()})")
    return last.isoformat()


def holds(until: str | None, on: datetime) -> bool:
    """Whether something valid through `until` (None: no end) still holds on a day."""
    return until is None or on.date().isoformat() <= until


def may_share(
    consents: dict[str, str | None], bases: dict[str, str | None], recipient: str, on: datetime
) -> bool:
    """Whether a consent or legal basis for this recipient (or the alliance) holds on a day."""
    return any(
        name in book and holds(book[name], on)
        for book in (consents, bases)
        for name in (recipient, ALLIANCE)
    )


def check_recipient(recipient: str) -> str:
    """A named recipient: a department, a provider, or the alliance."""
    if not recipient.strip():
        raise InvalidValue("recipient", "name the department, provider or 'alliance'")
    return recipient.strip()


def check_consent(purpose: str, document: str) -> None:
    """A consent says what the file is shared for and which signed form records it."""
    if not purpose.strip():
        raise InvalidValue("purpose", "say what the file is shared for")
    if not document.strip():
        raise InvalidValue("document", "name the signed consent (its reference)")


def refuse_sharing(recipient: str, household: Any) -> NoConsent:
    """The refusal (409) when nothing allows sharing with the recipient."""
    return NoConsent(recipient, household)


def nothing_to_withdraw(recipient: str, household: Any) -> RuleViolation:
    """The refusal when the household never consented to that recipient (or withdrew already)."""
    return RuleViolation(f"household {household} has no consent to {recipient!r} to withdraw")


class Sharing(Aggregate):
    """The part of a household's file that says with whom it may be shared (Household's base).

    Its events are stored under this class's topics (`domain.households.consent:Sharing.*`);
    readers treat every `Sharing.Event` as an event of the household.

    `consents` and `legal_bases` map a recipient to the last day it holds (None: no end).
    """

    class ConsentGiven(Aggregate.Event):
        recipient: str
        purpose: str
        until: str | None  # the last day (ISO date) it holds; None: until withdrawn
        document: str
        by: str
        given_at: datetime

    class ConsentWithdrawn(Aggregate.Event):
        recipient: str
        reason: str
        by: str
        withdrawn_at: datetime

    class LegalBasisRecorded(Aggregate.Event):
        recipient: str
        article: str
        note: str
        until: str | None
        by: str
        recorded_at: datetime

    # --- sharing the file: consents and legal bases (rules in domain/households/py) --

    def _sharing(self) -> tuple[dict[str, str | None], dict[str, str | None]]:
        if "consents" not in self.__dict__:  # a file snapshotted before consents existed
            self.consents: dict[str, str | None] = {}
            self.legal_bases: dict[str, str | None] = {}
        return self.consents, self.legal_bases

    def may_share_with(self, recipient: str, on: datetime) -> bool:
        """Whether a consent or legal basis for this recipient (or the alliance) holds on a day."""
        return may_share(*self._sharing(), recipient, on)

    def check_sharing(self, recipient: str, on: datetime) -> None:
        """Refuse (409) sharing with a recipient that no consent or legal basis covers."""
        if not self.may_share_with(recipient, on):
            raise refuse_sharing(recipient, self.id)

    def give_consent(
        self,
        *,
        recipient: str,
        purpose: str,
        until: str | None,
        document: str,
        by: str,
        at: datetime,
    ) -> None:
        """Record the household's consent to share its file with a recipient, for a purpose."""
        check_consent(purpose, document)
        self._give_consent(
            recipient=check_recipient(recipient),
            purpose=purpose.strip(),
            until=check_until(until, at),
            document=document.strip(),
            by=by,
            given_at=at,
        )

    @event(ConsentGiven)
    def _give_consent(
        self,
        recipient: str,
        purpose: str,
        until: str | None,
        document: str,
        by: str,
        given_at: datetime,
    ) -> None:
        self._sharing()[0][recipient] = until

    def withdraw_consent(self, *, recipient: str, reason: str, by: str, at: datetime) -> None:
        """Record that the household withdrew its consent to share with a recipient."""
        if recipient not in self._sharing()[0]:
            raise nothing_to_withdraw(recipient, self.id)
        self._withdraw_consent(recipient=recipient, reason=reason.strip(), by=by, withdrawn_at=at)

    @event(ConsentWithdrawn)
    def _withdraw_consent(
        self, recipient: str, reason: str, by: str, withdrawn_at: datetime
    ) -> None:
        self._sharing()[0].pop(recipient, None)

    def record_legal_basis(
        self, *, recipient: str, article: str, note: str, until: str | None, by: str, at: datetime
    ) -> None:
        """Record the article of the rules that allows sharing with a recipient without"""
        if not article.strip():
            raise InvalidValue("article", "name the article of the rules that allows sharing")
        self._record_legal_basis(
            recipient=check_recipient(recipient),
            article=article.strip(),
            note=note.strip(),
            until=check_until(until, at),
            by=by,
            recorded_at=at,
        )

    @event(LegalBasisRecorded)
    def _record_legal_basis(
        self,
        recipient: str,
        article: str,
        note: str,
        until: str | None,
        by: str,
        recorded_at: datetime,
    ) -> None:
        self._sharing()[1][recipient] = until

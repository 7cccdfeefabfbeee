"""Commands on pairings: start one, record its contacts, end it."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from domain.households.identity import household_id
from domain.households.model import Household
from domain.ingest.model import EventKey, Outcome
from domain.pairings.model import Cadence, Contact, Pairing, PairingKind
from domain.shared.commands import CommandHandler
from domain.shared.errors import NotFound
from domain.shared.names import required


class PairingCommands(CommandHandler):
    """One-to-one help (一对一结对帮扶) and its cadence of calls, visits and deeds."""

    def start_pairing(
        self,
        *,
        household_key: str,
        kind: PairingKind,
        helper_ref: str,
        cadence: dict[str, int] | None,
        by: str,
        at: datetime,
        key: EventKey | None = None,
    ) -> Outcome:
        """Pair a helper with a household that has a file."""
        if done := self._already_done(key):
            return done
        try:
            household = self._load(Household, household_id(household_key))
        except NotFound:
            raise NotFound("household", f"{household_key} (it has no file yet)") from None
        pairing = Pairing(
            id=key.derived_id("pairing") if key else uuid4(),
            household_id=household.id,
            region_code=household.region_code,
            kind=kind.value,
            helper_ref=required(helper_ref, "helper_ref"),
            cadence=Cadence.parse(kind, cadence).days,
            actor=required(by, "actor"),
            started_at=at,
        )
        return self._commit("pairing", pairing, key=key)

    def record_contact(
        self,
        *,
        pairing_id: UUID,
        contact: Contact,
        note: str,
        by: str,
        at: datetime,
        recorded_at: datetime | None = None,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Record a call, visit or deed of a pairing."""
        return self._change(
            Pairing,
            pairing_id,
            lambda pairing: pairing.record_contact(
                contact=contact,
                at=at,
                recorded_at=recorded_at or at,
                actor=required(by, "actor"),
                note=note,
            ),
            key=key,
            expected_version=expected_version,
        )

    def end_pairing(
        self,
        *,
        pairing_id: UUID,
        reason: str,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """End a pairing, with the reason."""
        return self._change(
            Pairing,
            pairing_id,
            lambda pairing: pairing.end(reason=reason, actor=required(by, "actor"), at=at),
            key=key,
            expected_version=expected_version,
        )

"""Commands on household files: discovery, assistance statuses, assessment."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.households.identity import household_id
from domain.households.model import Household
from domain.households.place import Place
from domain.households.vocabulary import Assistance, Channel, Member
from domain.ingest.model import EventKey, Outcome
from domain.shared.errors import ConcurrentUpdate
from domain.shared.names import required
from domain.shared.regions import check_region
from domain.standards.application import StandardsCommands
from domain.vocabulary.application import VocabularyCommands


def _required_name(value: str, field: str) -> str:
    return required(value, field, "must name the department or worker")


class HouseholdCommands(VocabularyCommands, StandardsCommands):
    """Opening and keeping household files."""

    def report_discovery(
        self,
        *,
        household_key: str,
        region_code: str,
        channel: Channel,
        reported_by: str,
        at: datetime,
        members: list[Member],
        note: str = "",
        recorded_at: datetime | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Open a household's file, or add the report to the file it already has."""
        if done := self._already_done(key):
            return done
        check_region(region_code)
        self.check_words(region_code, channel=channel.value)
        records: list[dict[str, Any]] = [m.as_record() for m in members]
        for attempt in (1, 2):
            ident = household_id(household_key)
            if self._exists(ident):
                household = self._load(Household, ident)
                household.report_again(
                    channel=channel.value,
                    reported_by=_required_name(reported_by, "reported_by"),
                    at=at,
                    members=records,
                    note=note,
                )
            else:
                household = Household(
                    household_key=household_key,
                    region_code=region_code,
                    channel=channel.value,
                    reported_by=_required_name(reported_by, "reported_by"),
                    discovered_at=at,
                    members=records,
                    note=note,
                )
            if channel is Channel.SELF_APPLICATION:
                household.receive_application(
                    recorded_at=recorded_at or at, policy=self.deadline_policy(region_code)
                )
            try:
                return self._commit("household", household, key=key)
            except ConcurrentUpdate:
                # Two first reports of one household raced: the loser joins the winner's file.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def answer_application(
        self,
        *,
        household_key: str,
        answer: str,
        by: str,
        at: datetime,
        recorded_at: datetime | None = None,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Give a resident's application its first answer (反馈)."""
        return self._change(
            Household,
            household_id(household_key),
            lambda household: household.answer_application(
                answer=answer,
                by=_required_name(by, "actor"),
                at=at,
                recorded_at=recorded_at or at,
            ),
            key=key,
            expected_version=expected_version,
        )

    def record_application_overdue(self, *, household: UUID, now: datetime) -> bool:
        """The clock: record an unanswered application's missed deadline once, and escalate."""
        return self._record_once(Household, household, now)

    def grant_assistance(
        self,
        *,
        household_key: str,
        status: Assistance,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Record an assistance status a department granted (e.g. 低保 certified)."""
        return self._change(
            Household,
            household_id(household_key),
            lambda household: household.grant(
                status=status, by=_required_name(by, "department"), at=at
            ),
            key=key,
            expected_version=expected_version,
        )

    def locate_household(
        self,
        *,
        household_key: str,
        place: Place,
        by: str,
        at: datetime,
        latitude: str | None = None,
        longitude: str | None = None,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Record a household's place with its source (a village centroid, a grid cell): the
        cell in clear; the point only as `latitude`/`longitude` texts, sealed at ingest."""
        point = {"latitude": latitude, "longitude": longitude} if latitude and longitude else None
        return self._change(
            Household,
            household_id(household_key),
            lambda household: household.locate(
                place=place, by=_required_name(by, "actor"), at=at, point=point
            ),
            key=key,
            expected_version=expected_version,
        )

    def grant_temporary_aid(
        self,
        *,
        household_key: str,
        amount_fen: int,
        reason: str,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Record a one-off temporary assistance payment (临时救助) with its amount."""
        return self._change(
            Household,
            household_id(household_key),
            lambda household: household.grant_temporary_aid(
                amount_fen=amount_fen, by=_required_name(by, "actor"), at=at, reason=reason
            ),
            key=key,
            expected_version=expected_version,
        )

    def end_assistance(
        self,
        *,
        household_key: str,
        status: Assistance,
        by: str,
        at: datetime,
        reason: str,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Record that an assistance status ended, with the reason."""
        return self._change(
            Household,
            household_id(household_key),
            lambda household: household.end(
                status=status, by=_required_name(by, "department"), at=at, reason=reason
            ),
            key=key,
            expected_version=expected_version,
        )

    def assess_household(
        self,
        *,
        household_key: str,
        difficulty_circle: int,
        group: str,
        plan: str,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Place the household in a circle and group and set its plan (一户一策)."""

        def assess(household: Household) -> None:
            self.check_words(household.region_code, circle=difficulty_circle, group=group)
            household.assess(
                difficulty_circle=difficulty_circle,
                group=group,
                plan=plan,
                by=_required_name(by, "department"),
                at=at,
            )

        return self._change(
            Household,
            household_id(household_key),
            assess,
            key=key,
            expected_version=expected_version,
        )

    def give_consent(
        self,
        *,
        household_key: str,
        recipient: str,
        purpose: str,
        document: str,
        by: str,
        at: datetime,
        until: str | None = None,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Record a household's consent to share its file with a recipient (or the alliance)."""
        return self._change(
            Household,
            household_id(household_key),
            lambda household: household.give_consent(
                recipient=recipient,
                purpose=purpose,
                until=until,
                document=document,
                by=_required_name(by, "actor"),
                at=at,
            ),
            key=key,
            expected_version=expected_version,
        )

    def withdraw_consent(
        self,
        *,
        household_key: str,
        recipient: str,
        by: str,
        at: datetime,
        reason: str = "",
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Record that a household withdrew its consent to share with a recipient."""
        return self._change(
            Household,
            household_id(household_key),
            lambda household: household.withdraw_consent(
                recipient=recipient, reason=reason, by=_required_name(by, "actor"), at=at
            ),
            key=key,
            expected_version=expected_version,
        )

    def record_legal_basis(
        self,
        *,
        household_key: str,
        article: str,
        by: str,
        at: datetime,
        recipient: str = "alliance",
        note: str = "",
        until: str | None = None,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Record the article of the rules that allows sharing a file without consent."""
        return self._change(
            Household,
            household_id(household_key),
            lambda household: household.record_legal_basis(
                recipient=recipient,
                article=article,
                note=note,
                until=until,
                by=_required_name(by, "actor"),
                at=at,
            ),
            key=key,
            expected_version=expected_version,
        )

    def erase_household(
        self,
        *,
        household_key: str,
        reason: str,
        reference: str = "",
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Record the erasure of a household's personal data, with its legal reason."""
        return self._change(
            Household,
            household_id(household_key),
            lambda household: household.erase(
                by=_required_name(by, "actor"), reason=reason, reference=reference, at=at
            ),
            key=key,
            expected_version=expected_version,
        )

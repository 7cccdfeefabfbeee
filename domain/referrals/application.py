"""Commands on referrals: request, and each step of the closed loop."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from domain.households.model import Household
from domain.ingest.model import EventKey, Outcome
from domain.needs.model import Need
from domain.referrals.clock import ReferralClock
from domain.referrals.model import Referral
from domain.reservations.keeper import ReservationKeeper
from domain.reservations.model import Cause
from domain.shared.acting import Acting, require_one_of
from domain.shared.names import required
from domain.standards.deadlines import Step


def _required_name(value: str, field: str) -> str:
    return required(value, field, "must name a department")


class ReferralCommands(ReferralClock, ReservationKeeper):
    """The closed loop: 受理 → 流转 → 反馈 → 办结 → 回访, refusal and reassignment."""

    def request_referral(
        self,
        *,
        need_id: UUID,
        from_department: str,
        to_department: str,
        at: datetime,
        note: str = "",
        recorded_at: datetime | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Refer an open need to a department; the need and the referral change together."""
        if done := self._already_done(key):
            return done
        need = self._load(Need, need_id)
        to_department = _required_name(to_department, "to_department")
        # The file goes to the addressed department: only with consent or a legal basis.
        self._load(Household, need.household_id).check_sharing(to_department, at)
        recorded = recorded_at or at
        due = self.deadline_policy(need.region_code).due(Step.ACCEPTANCE, recorded)
        referral = Referral(
            id=key.derived_id("referral") if key else uuid4(),
            need_id=need.id,
            household_id=need.household_id,
            region_code=need.region_code,
            from_department=_required_name(from_department, "from_department"),
            to_department=to_department,
            requested_at=at,
            note=note,
            recorded_at=recorded,
            acceptance_due_at=due,
        )
        need.refer(referral_id=referral.id, at=at)
        return self._commit("referral", referral, need, key=key)

    def _step(self, referral_id: UUID, expected_version: int | None) -> Referral:
        return self._load(Referral, referral_id, expected_version)

    def accept_referral(
        self,
        *,
        referral_id: UUID,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        recorded_at: datetime | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """The holding department accepts (受理); feedback is due within 24 hours."""
        return self._change(
            Referral,
            referral_id,
            lambda referral: referral.accept(
                by=by,
                at=at,
                recorded_at=recorded_at or at,
                policy=self.deadline_policy(referral.region_code),
            ),
            key=key,
            expected_version=expected_version,
        )

    def route_referral(
        self,
        *,
        referral_id: UUID,
        by: str,
        to_unit: str,
        at: datetime,
        note: str = "",
        expected_version: int | None = None,
        key: EventKey | None = None,
        acting: Acting | None = None,
    ) -> Outcome:
        """Pass an accepted referral to the unit that handles it (流转): the holder, or a
        coordinator of the referral's region."""
        return self._change(
            Referral,
            referral_id,
            lambda referral: referral.route(
                by=by,
                to_unit=to_unit,
                at=at,
                note=note,
                coordinator=acting is not None and acting.coordinates(referral.region_code),
            ),
            key=key,
            expected_version=expected_version,
        )

    def give_feedback(
        self,
        *,
        referral_id: UUID,
        by: str,
        at: datetime,
        content: str,
        expected_version: int | None = None,
        recorded_at: datetime | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Report back on a referral (反馈)."""
        return self._change(
            Referral,
            referral_id,
            lambda referral: referral.give_feedback(
                by=by, at=at, content=content, recorded_at=recorded_at or at
            ),
            key=key,
            expected_version=expected_version,
        )

    def complete_referral(
        self,
        *,
        referral_id: UUID,
        by: str,
        at: datetime,
        outcome: str,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Close the case (办结); the need it held is met in the same commit."""
        if done := self._already_done(key):
            return done
        referral = self._step(referral_id, expected_version)
        need = self._load(Need, referral.need_id)
        referral.complete(by=by, at=at, outcome=outcome)
        need.mark_met(referral_id=referral.id, at=at)
        # What the match held and nothing used goes back: the need is met without it.
        held = self._release_held(
            referral.id, cause=Cause.NEED_MET, reason="need met without using it", by=by, at=at
        )
        return self._commit("referral", referral, need, *held, key=key)

    def follow_up_referral(
        self,
        *,
        referral_id: UUID,
        by: str,
        at: datetime,
        satisfied: bool,
        note: str = "",
        expected_version: int | None = None,
        key: EventKey | None = None,
        acting: Acting | None = None,
    ) -> Outcome:
        """Record the follow-up visit (回访): by the requester or a coordinator of the region."""

        def follow_up(referral: Referral) -> None:
            require_one_of(
                acting,
                action="follow up",
                record=f"referral {referral.id}",
                parties=(referral.requester,),
                region_code=referral.region_code,
            )
            referral.follow_up(
                by=_required_name(by, "department"), at=at, satisfied=satisfied, note=note
            )

        return self._change(
            Referral,
            referral_id,
            follow_up,
            key=key,
            expected_version=expected_version,
        )

    def refuse_referral(
        self,
        *,
        referral_id: UUID,
        by: str,
        at: datetime,
        reason: str,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """The addressed department declines; the need goes back to the queue in the same commit."""
        if done := self._already_done(key):
            return done
        referral = self._step(referral_id, expected_version)
        need = self._load(Need, referral.need_id)
        referral.refuse(by=by, at=at, reason=reason)
        need.reopen(referral_id=referral.id, reason=f"referral refused: {reason}", at=at)
        held = self._release_held(
            referral.id, cause=Cause.REFERRAL_REFUSED, reason=reason, by=by, at=at
        )
        return self._commit("referral", referral, need, *held, key=key)

    def reassign_referral(
        self,
        *,
        referral_id: UUID,
        by: str,
        to_department: str,
        at: datetime,
        reason: str,
        expected_version: int | None = None,
        recorded_at: datetime | None = None,
        key: EventKey | None = None,
        acting: Acting | None = None,
    ) -> Outcome:
        """Move a referral to another department (by its holder or a coordinator of the region),
        which must accept it anew; the file goes there only with consent or a legal basis.

        What the match reserved with the first department's offering or fund is released in
        the same commit: the new department serves the need from its own.
        """
        if done := self._already_done(key):
            return done
        referral = self._step(referral_id, expected_version)
        require_one_of(
            acting,
            action="reassign",
            record=f"referral {referral.id}",
            parties=(referral.holder,),
            region_code=referral.region_code,
        )
        target = _required_name(to_department, "to_department")
        self._load(Household, referral.household_id).check_sharing(target, at)
        referral.reassign(
            by=_required_name(by, "department"),
            to_department=target,
            at=at,
            reason=reason,
            recorded_at=recorded_at or at,
            policy=self.deadline_policy(referral.region_code),
        )
        held = self._release_held(
            referral.id, cause=Cause.REFERRAL_REASSIGNED, reason=reason, by=by, at=at
        )
        return self._commit("referral", referral, *held, key=key)

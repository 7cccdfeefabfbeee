"""Commands of the match queue: adopt a policy, accept or reject a candidate, escalate a need."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.funds.earmark import Earmark
from domain.funds.model import Fund
from domain.households.model import Household
from domain.ingest.model import EventKey, Outcome
from domain.matching.facts import (
    FundFacts,
    OfferingFacts,
    PolicyFacts,
)
from domain.matching.model import MatchingPolicy, Triage, policy_id, triage_id
from domain.matching.of_records import fund_facts, need_facts, offering_facts, policy_facts
from domain.matching.policy import DEFAULT_POLICY, Policy
from domain.matching.policy_list import PolicyEntry
from domain.matching.policy_rules import judge_policy
from domain.matching.record import as_decided
from domain.matching.rules import Decision, judge_fund, judge_offering, usable_pools
from domain.needs.model import Need, NeedStatus
from domain.referrals.model import Referral
from domain.reservations.grants import chosen_grant
from domain.reservations.keeper import ReservationKeeper
from domain.reservations.model import Hold, Kind
from domain.shared.errors import InvalidValue, NotFound, RuleViolation
from domain.shared.months import month_of
from domain.shared.names import required
from domain.shared.regions import alliance_of, check_region
from domain.standards.application import StandardsCommands
from domain.standards.deadlines import Step
from domain.supply.model import Offering, Provider

_KINDS = "an offering, a fund or a listed policy"


def _required_name(value: str, field: str) -> str:
    return required(value, field, "must name the coordinator's department")


class MatchingCommands(StandardsCommands, ReservationKeeper):
    """The coordinators' actions on the match queue, and the alliance's matching policy."""

    def matching_policy(self, region_code: str) -> Policy:
        """The policy in force for an alliance; the built-in default until one is adopted."""
        try:
            found: Aggregate = self.repository.get(policy_id(region_code))
        except AggregateNotFoundError:
            return DEFAULT_POLICY
        assert isinstance(found, MatchingPolicy)
        return found.policy

    def adopt_matching_policy(
        self,
        *,
        region_code: str,
        settings: Policy,
        by: str,
        reason: str,
        at: datetime,
        key: EventKey | None = None,
    ) -> Outcome:
        """Set the alliance's weights and switches; each change is a new version, with why."""
        if done := self._already_done(key):
            return done
        alliance = alliance_of(check_region(region_code))
        ident = policy_id(alliance)
        if self._exists(ident):
            policy = self._load(MatchingPolicy, ident)
            policy.revise(settings=settings, by=_required_name(by, "by"), reason=reason, at=at)
        else:
            if not reason.strip():
                raise InvalidValue("reason", "say why")
            policy = MatchingPolicy(
                region_code=alliance,
                settings=settings.as_record(),
                by=_required_name(by, "by"),
                reason=reason.strip(),
                adopted_at=at,
            )
        return self._commit("matching_policy", policy, key=key)

    def _triage(self, need: Need) -> Triage:
        ident = triage_id(need.id)
        if self._exists(ident):
            return self._load(Triage, ident)
        return Triage(need_id=need.id, region_code=need.region_code)

    def _open_need(self, need_id: UUID, action: str, expected_version: int | None) -> Need:
        need = self._load(Need, need_id, expected_version)
        if need.status is not NeedStatus.OPEN:
            raise RuleViolation(
                f"need {need_id} is {need.status.value}; only an open need can {action}"
            )
        return need

    def reject_candidate(
        self,
        *,
        need_id: UUID,
        candidate_id: UUID,
        reason: str,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Rule a candidate out for a need, with the reason; the queue ranks the rest."""
        if done := self._already_done(key):
            return done
        need = self._open_need(need_id, "have candidates rejected", expected_version)
        triage = self._triage(need)
        triage.reject(
            candidate_id=str(candidate_id),
            reason=reason,
            by=_required_name(by, "by"),
            at=at,
            decided=self._as_decided(need, candidate_id, at),
        )
        return self._commit("triage", triage, key=key)

    def _as_decided(self, need: Need, candidate_id: UUID, at: datetime) -> dict[str, Any] | None:
        """What the rules say of a candidate for a need now, with their inputs (None when the
        candidate is no offering or fund of the need's alliance)."""
        try:
            candidate: Aggregate = self.repository.get(candidate_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(candidate, Offering | Fund | PolicyEntry):
            return None
        if alliance_of(candidate.region_code) != alliance_of(need.region_code):
            return None
        facts = need_facts(need, self._load(Household, need.household_id))
        policy = self.matching_policy(need.region_code)
        if isinstance(candidate, Offering):
            return as_decided(facts, offering_facts(candidate, month_of(at)), policy)
        if isinstance(candidate, PolicyEntry):
            return as_decided(facts, policy_facts(candidate), policy)
        return as_decided(facts, fund_facts(candidate), policy)

    def escalate_need(
        self,
        *,
        need_id: UUID,
        reason: str,
        by: str,
        at: datetime,
        to_department: str | None = None,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Move an open need to the next level's queue (village → town → county)."""
        if done := self._already_done(key):
            return done
        triage = self._triage(self._open_need(need_id, "be escalated", expected_version))
        triage.escalate(
            by=_required_name(by, "by"),
            reason=reason,
            at=at,
            to_department=to_department.strip() if to_department else None,
        )
        return self._commit("triage", triage, key=key)

    def accept_candidate(
        self,
        *,
        need_id: UUID,
        candidate_id: UUID,
        by: str,
        at: datetime,
        units: int = 1,
        amount_fen: int | None = None,
        to_department: str | None = None,
        note: str = "",
        expected_version: int | None = None,
        recorded_at: datetime | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Refer the need to the candidate and reserve its capacity or money, in one commit."""
        if done := self._already_done(key):
            return done
        need = self._open_need(need_id, "be matched", expected_version)
        household = self._load(Household, need.household_id)
        policy = self.matching_policy(need.region_code)
        try:
            candidate: Aggregate = self.repository.get(candidate_id)
        except AggregateNotFoundError:
            raise NotFound(
                "candidate", f"{candidate_id} (an offering, a fund or a policy)"
            ) from None
        if not isinstance(candidate, Offering | Fund | PolicyEntry):
            raise NotFound("candidate", f"{candidate_id} (an offering, a fund or a policy)")
        if alliance_of(candidate.region_code) != alliance_of(need.region_code):
            raise RuleViolation(f"candidate {candidate_id} belongs to another alliance")
        facts = need_facts(need, household)
        referral_id = key.derived_id("referral") if key else uuid4()
        coordinator = _required_name(by, "by")
        judged: OfferingFacts | FundFacts | PolicyFacts
        if isinstance(candidate, PolicyEntry):
            judged = policy_facts(candidate)
            decision = judge_policy(facts, judged, policy)
            _require(decision)
            holder = to_department or judged.department
            hold: Hold | None = None  # a policy referral reserves nothing
        elif isinstance(candidate, Offering):
            period = month_of(at)
            judged = offering_facts(candidate, period)
            decision = judge_offering(facts, judged, policy)
            _require(decision)
            provider = self._load(Provider, candidate.provider_id)
            holder = to_department or provider.name
            candidate.use(period=period, units=units, reference=str(referral_id), at=at)
            hold = Hold(Kind.CAPACITY, candidate.id, period, units, provider_id=provider.id)
        else:
            judged = fund_facts(candidate)
            decision = judge_fund(facts, judged, policy)
            _require(decision)
            holder = to_department or candidate.name
            amount = chosen_grant(amount_fen, policy.grant_min_fen, policy.grant_max_fen)
            pools = usable_pools(facts, fund_facts(candidate))
            pool = next((p for p in pools if p.available_fen >= amount), pools[0])
            candidate.allocate(
                allocation_id=referral_id,
                household_id=household.id,
                need_id=need.id,
                region_code=household.region_code,
                category=need.category,
                labels=set(facts.labels),
                earmark=Earmark.from_record(pool.earmark),
                amount_fen=amount,
                by=coordinator,
                at=at,
            )
            hold = Hold(Kind.MONEY, candidate.id, amount_fen=amount)
        household.check_sharing(holder, at)  # the file goes to the holder: consent first
        reservation = (
            None
            if hold is None
            else self._reserve(
                hold,
                referral_id=referral_id,
                need_id=need.id,
                household_id=household.id,
                region_code=need.region_code,
                holder=holder,
                by=coordinator,
                at=at,
                until=(recorded_at or at) + timedelta(days=policy.reservation_days),
            )
        )
        referral = Referral(
            id=referral_id,
            need_id=need.id,
            household_id=household.id,
            region_code=need.region_code,
            from_department=coordinator,
            to_department=holder,
            requested_at=at,
            note=note or f"matched to {decision.name} (policy v{policy.version})",
            recorded_at=recorded_at or at,
            acceptance_due_at=self.deadline_policy(need.region_code).due(
                Step.ACCEPTANCE, recorded_at or at
            ),
        )
        need.refer(referral_id=referral_id, at=at)
        triage = self._triage(need)
        triage.accept(
            candidate_id=str(candidate_id),
            kind=decision.kind,
            referral_id=referral_id,
            policy_version=policy.version,
            by=coordinator,
            at=at,
            decided=as_decided(facts, judged, policy),
        )
        reserved = [] if reservation is None else [reservation]
        return self._commit("referral", referral, need, candidate, triage, *reserved, key=key)


def _require(decision: Decision) -> None:
    if not decision.eligible:
        reasons = "; ".join(f"{c.rule}: {c.reason}" for c in decision.checks if not c.passed)
        raise RuleViolation(f"{decision.name} cannot take this need — {reasons}")

"""The match queue: for every open need, its ranked candidates, kept current event by event."""

from __future__ import annotations

from typing import Any

from domain.funds.model import Fund
from domain.households.model import Household
from domain.households.place import cell_record
from domain.matching.model import MatchingPolicy, Triage
from domain.matching.policy_list import PolicyEntry
from domain.needs.model import Need, NeedStatus
from domain.supply.model import Offering, Provider
from projections.match_queue import judging as j
from projections.match_queue import policy_list, supply
from projections.match_queue.tables import ALL, levels
from projections.runtime.view import Handler, Row, Tx, View


class MatchQueue(View):
    """Needs, candidates and queue rows; each event re-judges only the pairs it can change."""

    name = "match_queue"
    tables = ALL
    # 2: households' places, decisions as made, the policy list; 3: the policy a need asks for;
    # 4: a household's place held as its cell (and sealed point), never an older clear point
    schema_version = 4

    def handlers(self) -> dict[type, Handler]:
        """Households, needs, supply, money, policy and the coordinators' triage."""
        household: dict[type, Handler] = {
            t: self._household
            for t in (
                Household.Discovered,
                Household.ReportedAgain,
                Household.AssistanceGranted,
                Household.AssistanceEnded,
                Household.Assessed,
                Household.Located,
            )
        }
        fund: dict[type, Handler] = {
            t: supply.fund
            for t in (
                Fund.DonationReceived,
                Fund.Earmarked,
                Fund.Allocated,
                Fund.AllocationCancelled,
                Fund.DonationRefunded,
            )
        }
        return {
            **household,
            **fund,
            Need.Raised: self._raised,
            Need.Referred: self._left_queue(NeedStatus.REFERRED),
            Need.Met: self._left_queue(NeedStatus.MET),
            Need.Closed: self._left_queue(NeedStatus.CLOSED),
            Need.Reopened: self._reopened,
            Provider.Registered: supply.provider,
            Offering.Published: supply.offering,
            Offering.Updated: supply.offering,
            Offering.Closed: supply.offering,
            Offering.CapacityUsed: supply.offering,
            Offering.CapacityReleased: supply.offering,
            Fund.Opened: supply.fund_opened,
            PolicyEntry.Listed: policy_list.entry,
            PolicyEntry.Revised: policy_list.entry,
            PolicyEntry.Withdrawn: policy_list.entry,
            MatchingPolicy.Adopted: self._policy,
            MatchingPolicy.Revised: self._policy,
            Triage.Opened: self._triage_opened,
            Triage.CandidateRejected: self._rejected,
            Triage.Escalated: self._escalated,
            Triage.CandidateAccepted: self._accepted,
        }

    # --- needs and households --------------------------------------------------------

    @staticmethod
    def _household(e: Any, tx: Tx, _: int) -> None:
        key = {"household_id": str(e.originator_id)}
        row = tx.get("match_households", **key) or {
            **key,
            "members": [],
            "household_group": None,
            "statuses": [],
            "circle": None,
            "place": None,
        }
        if isinstance(e, Household.Discovered | Household.ReportedAgain) and e.members:
            row["members"] = e.members
        elif isinstance(e, Household.AssistanceGranted):
            row["statuses"] = sorted({*row["statuses"], e.status})
        elif isinstance(e, Household.AssistanceEnded):
            row["statuses"] = [s for s in row["statuses"] if s != e.status]
        elif isinstance(e, Household.Assessed):
            row.update(household_group=e.group, circle=e.difficulty_circle)
        elif isinstance(e, Household.Located):
            row["place"] = cell_record(e.place)
        tx.upsert("match_households", row)
        if isinstance(e, Household.Discovered):
            return  # a new file has no needs yet
        facts = j.household_facts(row)
        for need in tx.find("match_needs", household_id=key["household_id"]):
            tx.update("match_needs", {"need_id": need["need_id"]}, **facts)
            if need["status"] == NeedStatus.OPEN.value:
                j.judge_need(tx, {**need, **facts}, e.timestamp)

    @staticmethod
    def _raised(e: Any, tx: Tx, _: int) -> None:
        need: Row = {
            "need_id": str(e.originator_id),
            "household_id": str(e.household_id),
            "region_code": e.region_code,
            **levels(e.region_code),
            "need_type": e.need_type,
            "category": e.category,
            "urgency": e.urgency,
            "description": e.description,
            "policy": getattr(e, "policy", ""),
            "raised_at": e.raised_at,
            "status": NeedStatus.OPEN.value,
            "owner_code": e.region_code,
            "department": e.raised_by,
            "rejected": {},
            **j.household_facts(tx.get("match_households", household_id=str(e.household_id))),
        }
        tx.upsert("match_needs", need)
        j.judge_need(tx, {**need, "raised_at": j.when(e.raised_at)}, e.timestamp)

    @staticmethod
    def _left_queue(status: NeedStatus) -> Handler:
        def handle(e: Any, tx: Tx, _: int) -> None:
            need_id = str(e.originator_id)
            tx.update("match_needs", {"need_id": need_id}, status=status.value)
            tx.delete("match_queue", need_id=need_id)
            tx.delete("match_summaries", need_id=need_id)
            for row in tx.find("match_candidates", need_id=need_id, live=True):
                tx.update(
                    "match_candidates",
                    {"need_id": need_id, "candidate_id": row["candidate_id"]},
                    live=False,
                )

        return handle

    @staticmethod
    def _reopened(e: Any, tx: Tx, _: int) -> None:
        need_id = str(e.originator_id)
        tx.update("match_needs", {"need_id": need_id}, status=NeedStatus.OPEN.value)
        need = tx.get("match_needs", need_id=need_id)
        if need is not None:
            j.judge_need(tx, need, e.timestamp)

    # --- policy and triage -------------------------------------------------------------

    @staticmethod
    def _policy(e: Any, tx: Tx, _: int) -> None:
        policy_id = str(e.originator_id)
        if isinstance(e, MatchingPolicy.Adopted):
            alliance, at = e.region_code, e.adopted_at
        else:
            earlier = tx.find("match_policies", policy_id=policy_id)
            if not earlier:
                return
            alliance, at = earlier[0]["alliance"], e.revised_at
        tx.upsert(
            "match_policies",
            {
                "alliance": alliance,
                "version": e.originator_version,
                "policy_id": policy_id,
                "settings": e.settings,
                "by_whom": e.by,
                "reason": e.reason,
                "adopted_at": at,
            },
        )
        policy = j.policy_for(tx, alliance)
        for need in tx.find("match_needs", county=alliance, status="open"):
            j.judge_need(tx, need, e.timestamp, policy)

    @staticmethod
    def _triage_opened(e: Any, tx: Tx, _: int) -> None:
        tx.upsert("match_triages", {"triage_id": str(e.originator_id), "need_id": str(e.need_id)})

    @staticmethod
    def _rejected(e: Any, tx: Tx, _: int) -> None:
        need = _need_of(e, tx)
        if need is None:
            return
        _record_decision(tx, need["need_id"], e, "rejected", e.reason, e.rejected_at)
        rejected = {**(need["rejected"] or {}), e.candidate_id: e.reason}
        tx.update("match_needs", {"need_id": need["need_id"]}, rejected=rejected)
        if need["status"] == NeedStatus.OPEN.value:
            j.judge_need(tx, {**need, "rejected": rejected}, e.timestamp)

    @staticmethod
    def _escalated(e: Any, tx: Tx, _: int) -> None:
        need = _need_of(e, tx)
        if need is None:
            return
        changes = {"owner_code": e.to_code, "department": e.to_department or need["department"]}
        tx.update("match_needs", {"need_id": need["need_id"]}, **changes)
        if need["status"] == NeedStatus.OPEN.value:
            j.judge_need(tx, {**need, **changes}, e.timestamp)

    @staticmethod
    def _accepted(e: Any, tx: Tx, _: int) -> None:
        need = _need_of(e, tx)
        if need is None:
            return
        _record_decision(tx, need["need_id"], e, "accepted", None, e.accepted_at)
        key = {"need_id": need["need_id"], "candidate_id": e.candidate_id}
        if tx.get("match_candidates", **key) is not None:
            tx.update("match_candidates", key, accepted=True, referral_id=str(e.referral_id))


def _record_decision(
    tx: Tx, need_id: str, e: Any, action: str, reason: str | None, at: Any
) -> None:
    """Keep a decision as it was made (events recorded before v2 carry no inputs: None)."""
    decided = getattr(e, "decided", None)
    tx.upsert(
        "match_decisions",
        {
            "need_id": need_id,
            "seq": e.originator_version,
            "candidate_id": e.candidate_id,
            "action": action,
            "by_whom": e.by,
            "reason": reason,
            "decided_at": at,
            "policy_version": decided["inputs"]["policy"]["version"]
            if decided
            else getattr(e, "policy_version", None),
            "decided": decided,
        },
    )


def _need_of(e: Any, tx: Tx) -> Row | None:
    link = tx.get("match_triages", triage_id=str(e.originator_id))
    return None if link is None else tx.get("match_needs", need_id=link["need_id"])

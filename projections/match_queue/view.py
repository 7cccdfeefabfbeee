"""The match queue: for every open need, its ranked candidates, kept current event by event."""

from __future__ import annotations

from typing import Any

from domain.funds.earmark import Earmark, key_of
from domain.funds.model import Fund
from domain.households.model import Household
from domain.matching.model import MatchingPolicy, Triage
from domain.matching.rules import load_part
from domain.needs.model import Need, NeedStatus
from domain.supply.model import Offering, Provider
from projections.match_queue import judging as j
from projections.match_queue.tables import ALL, levels
from projections.runtime.view import Handler, Row, Tx, View


class MatchQueue(View):
    """Needs, candidates and queue rows; each event re-judges only the pairs it can change."""

    name = "match_queue"
    tables = ALL

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
            )
        }
        fund: dict[type, Handler] = {
            t: self._fund
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
            Provider.Registered: self._provider,
            Offering.Published: self._offering,
            Offering.Updated: self._offering,
            Offering.Closed: self._offering,
            Offering.CapacityUsed: self._offering,
            Offering.CapacityReleased: self._offering,
            Fund.Opened: self._fund_opened,
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
        }
        if isinstance(e, Household.Discovered | Household.ReportedAgain) and e.members:
            row["members"] = e.members
        elif isinstance(e, Household.AssistanceGranted):
            row["statuses"] = sorted({*row["statuses"], e.status})
        elif isinstance(e, Household.AssistanceEnded):
            row["statuses"] = [s for s in row["statuses"] if s != e.status]
        elif isinstance(e, Household.Assessed):
            row.update(household_group=e.group, circle=e.difficulty_circle)
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

    # --- supply ------------------------------------------------------------------------

    @staticmethod
    def _provider(e: Any, tx: Tx, _: int) -> None:
        tx.upsert("match_providers", {"provider_id": str(e.originator_id), "name": e.name})

    def _offering(self, e: Any, tx: Tx, _: int) -> None:
        offering_id = str(e.originator_id)
        old = tx.get("match_offerings", offering_id=offering_id)
        if old is None and not isinstance(e, Offering.Published):
            return
        row = dict(old or {})
        if isinstance(e, Offering.Published):
            provider = tx.get("match_providers", provider_id=str(e.provider_id)) or {}
            row.update(
                offering_id=offering_id,
                provider_id=str(e.provider_id),
                provider_name=provider.get("name"),
                alliance=e.region_code[:6],
                open=True,
                usage={},
            )
        if isinstance(e, Offering.Published | Offering.Updated):
            row.update(
                name=e.name,
                need_type=e.need_type,
                category=e.category,
                areas=sorted(e.areas),
                eligibility=e.eligibility,
                capacity=e.capacity,
                location=e.location,
            )
        elif isinstance(e, Offering.Closed):
            row["open"] = False
        else:
            sign = 1 if isinstance(e, Offering.CapacityUsed) else -1
            usage = dict(row["usage"] or {})
            usage[e.period] = usage.get(e.period, 0) + sign * e.units
            row["usage"] = usage
        tx.upsert("match_offerings", row)
        period = f"{e.timestamp:%Y-%m}"
        if old is not None and _signature(old, period) == _signature(row, period):
            return  # a use that leaves the verdicts and the load tenth as they were
        self._reindex(tx, "offering", offering_id, old, row)
        self._rejudge(tx, "offering", offering_id, row, e.timestamp)

    @staticmethod
    def _fund_opened(e: Any, tx: Tx, _: int) -> None:
        fund_id = str(e.originator_id)
        row = {
            "fund_id": fund_id,
            "alliance": e.region_code[:6],
            "name": e.name,
            "region_code": e.region_code,
            "pools": {},
        }
        tx.upsert("match_funds", row)
        tx.upsert(
            "match_areas",
            {"area": e.region_code, "category": "*", "candidate_id": fund_id, "kind": "fund"},
        )

    def _fund(self, e: Any, tx: Tx, _: int) -> None:
        fund_id = str(e.originator_id)
        old = tx.get("match_funds", fund_id=fund_id)
        if old is None:
            return
        pools: dict[str, Any] = {k: dict(v) for k, v in old["pools"].items()}

        def move(key: str, earmark: Any, amount: int) -> None:
            pool = pools.setdefault(key, {"earmark": earmark, "available_fen": 0})
            pool["available_fen"] += amount

        if isinstance(e, Fund.DonationReceived):
            move(key_of(Earmark.from_record(e.earmark)), e.earmark, e.amount_fen)
        elif isinstance(e, Fund.Earmarked):
            for d in e.draws:
                move(d["pool"], None, -d["amount_fen"])
            move(key_of(Earmark.from_record(e.earmark)), e.earmark, e.amount_fen)
        elif isinstance(e, Fund.AllocationCancelled):
            found = tx.get("match_allocations", allocation_id=str(e.allocation_id))
            for d in found["draws"] if found else []:
                move(d["pool"], None, d["amount_fen"])
        else:  # allocated or refunded: the draws leave their pools
            for d in e.draws:
                move(d["pool"], None, -d["amount_fen"])
            if isinstance(e, Fund.Allocated):
                tx.upsert(
                    "match_allocations",
                    {"allocation_id": str(e.allocation_id), "fund_id": fund_id, "draws": e.draws},
                )
        row = {**old, "pools": pools}
        tx.upsert("match_funds", row)
        policy = j.policy_for(tx, old["alliance"])
        if _fund_signature(old, policy.grant_fen) != _fund_signature(row, policy.grant_fen):
            self._rejudge(tx, "fund", fund_id, row, e.timestamp)

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
        key = {"need_id": need["need_id"], "candidate_id": e.candidate_id}
        if tx.get("match_candidates", **key) is not None:
            tx.update("match_candidates", key, accepted=True, referral_id=str(e.referral_id))

    # --- re-judging the pairs a candidate's change can touch ---------------------------

    @staticmethod
    def _reindex(tx: Tx, kind: str, candidate_id: str, old: Row | None, row: Row) -> None:
        before = {(a, old["category"]) for a in old["areas"]} if old else set()
        after = {(a, row["category"]) for a in row["areas"]}
        for area, category in before - after:
            tx.delete("match_areas", area=area, category=category, candidate_id=candidate_id)
        for area, category in after - before:
            tx.upsert(
                "match_areas",
                {"area": area, "category": category, "candidate_id": candidate_id, "kind": kind},
            )

    @staticmethod
    def _rejudge(tx: Tx, kind: str, candidate_id: str, row: Row, at: Any) -> None:
        # The needs it was judged for, and the open needs its (new) areas and category reach.
        before = {
            r["need_id"]: r
            for r in tx.find("match_candidates", candidate_id=candidate_id, live=True)
        }
        needs: dict[str, Row | None] = dict.fromkeys(before)
        category = {"category": row["category"]} if kind == "offering" else {}
        areas = row["areas"] if kind == "offering" else [row["region_code"]]
        for area in areas:
            column = {6: "county", 9: "town", 12: "village"}.get(len(area))
            if column is None:  # an unusual prefix: look through the alliance, keep those inside
                found = tx.find("match_needs", county=row["alliance"], status="open", **category)
                needs.update((n["need_id"], n) for n in found if n["region_code"].startswith(area))
            else:
                found = tx.find("match_needs", status="open", **{column: area}, **category)
                needs.update((n["need_id"], n) for n in found)
        policy = j.policy_for(tx, row["alliance"])
        j.rejudge_candidate(tx, kind, row, needs, before, at, policy)


def _signature(row: Row, period: str) -> tuple[Any, ...]:
    """What of an offering the rules and scores depend on in a month."""
    facts = j.offering_facts(row, period)
    left = facts.remaining
    load = (left is None or left > 0, load_part(left, facts.capacity))
    return (
        facts.name,
        facts.need_type,
        facts.category,
        facts.areas,
        facts.open,
        load,
        repr(sorted(facts.eligibility.items())),
        repr(facts.location),
    )


def _fund_signature(row: Row, grant_fen: int) -> tuple[Any, ...]:
    """What of a fund the rules and scores depend on: each pool's depth in grants."""
    return tuple(
        (key, min(p["available_fen"] // grant_fen, 11)) for key, p in sorted(row["pools"].items())
    )


def _need_of(e: Any, tx: Tx) -> Row | None:
    link = tx.get("match_triages", triage_id=str(e.originator_id))
    return None if link is None else tx.get("match_needs", need_id=link["need_id"])

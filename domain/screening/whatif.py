"""What-if: a draft rule (or pack) judged over history, in memory, raising nothing.

The same fold as the alerts view (`HouseholdFacts`) runs over the log's events in order; at each
asked instant the draft and the rules then in force are judged over the region's households.
Nothing is written anywhere: the caller reads the log and gets counts and households back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.households.identity import household_id
from domain.households.model import Household
from domain.needs.model import Need
from domain.referrals.model import Referral
from domain.screening.facts import HouseholdFacts
from domain.screening.model import DepartmentList, RuleBook
from domain.screening.rules import Rule, RuleSet

RELEVANT = (Household, Need, Referral, DepartmentList, RuleBook)
# The events the fold reads (others of RELEVANT change no fact), by class name.
FOLDED = frozenset(
    {
        *(f"Household.{k}" for k in ("Discovered", "ReportedAgain", "AssistanceGranted")),
        *(f"Household.{k}" for k in ("AssistanceEnded", "TemporaryAidGranted", "Assessed")),
        *(f"Need.{k}" for k in ("Raised", "Referred", "Met", "Closed", "Reopened")),
        *(f"Referral.{k}" for k in ("Requested", "Accepted", "Routed", "FeedbackGiven")),
        *(f"Referral.{k}" for k in ("Completed", "FollowedUp", "Refused", "Reassigned")),
        *(f"DepartmentList.{k}" for k in ("Opened", "RowsRecorded", "RowsGone")),
        *(f"RuleBook.{k}" for k in ("Opened", "RuleAdopted", "RuleRetired")),
    }
)
MAX_LISTED = 1000


@dataclass
class FactBook:
    """Every household's facts and every alliance's rules, folded from events in log order."""

    households: dict[str, HouseholdFacts] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    lists: dict[str, tuple[str, str]] = field(default_factory=dict)  # list id → (alliance, name)
    books: dict[str, str] = field(default_factory=dict)  # rule book id → alliance
    rules: dict[str, dict[str, Rule]] = field(default_factory=dict)  # alliance → in force

    def _facts(self, hid: str, key: str = "") -> HouseholdFacts:
        return self.households.setdefault(hid, HouseholdFacts(household_key=key))

    def apply(self, e: Any) -> None:
        """Fold one domain event (others are ignored)."""
        self.apply_named(type(e).__qualname__, str(e.originator_id), e)

    def apply_named(self, name: str, rid: str, e: Any) -> None:
        """Fold one event named by its class ('Household.Discovered') from its record `rid`.

        `e` needs only the attributes the fold reads, so a stored event decoded straight from
        its JSON will do (`household_id` then as a string). The fold reads only fields present
        in every version of these event classes, so no upcasting is needed.
        """
        aggregate, _, kind = name.partition(".")
        if aggregate == "Household":
            self._facts(rid).apply_household(kind, e)
        elif aggregate in ("Need", "Referral"):
            if name in ("Need.Raised", "Referral.Requested"):
                self.links[rid] = str(e.household_id)
            hid = self.links.get(rid)
            if hid is None:
                return
            if aggregate == "Need":
                self._facts(hid).apply_need(kind, rid, e)
            else:
                self._facts(hid).apply_referral(kind, rid)
        elif name == "DepartmentList.Opened":
            self.lists[rid] = (e.region_code, f"{e.department}/{e.name}")
        elif name == "DepartmentList.RowsRecorded" and rid in self.lists:
            list_name = self.lists[rid][1]
            for key, _digest, facts in e.rows:
                self._facts(str(household_id(key)), key).apply_list_row(
                    list_name, e.edition, e.timestamp, facts
                )
        elif name == "DepartmentList.RowsGone" and rid in self.lists:
            for key in e.keys:
                self._facts(str(household_id(key)), key).apply_list_gone(self.lists[rid][1])
        elif name == "RuleBook.Opened":
            self.books[rid] = e.region_code
        elif name == "RuleBook.RuleAdopted":
            r = e.rule
            rule = Rule(r["rule_id"], r["version"], r["name"], r["expression"], r["fix"])
            self.rules.setdefault(self.books.get(rid, ""), {})[rule.rule_id] = rule
        elif name == "RuleBook.RuleRetired":
            self.rules.get(self.books.get(rid, ""), {}).pop(e.rule_id, None)


@dataclass(frozen=True)
class Judged:
    """One rule's hits at one instant."""

    rule_id: str
    households: int
    people: int
    keys: frozenset[str]


def judge(book: FactBook, rules: list[Rule], region: str, at: datetime) -> list[Judged]:
    """How many households (and people) in the region satisfy each rule at the instant."""
    rule_set = RuleSet(rules)
    hits: dict[str, list[HouseholdFacts]] = {r.rule_id: [] for r in rules}
    for facts in book.households.values():
        if not facts.region.startswith(region):
            continue
        for rule, yes in zip(rules, rule_set.evaluate(facts, at), strict=True):
            if yes:
                hits[rule.rule_id].append(facts)
    return [
        Judged(
            rid,
            len(found),
            sum(f.people for f in found),
            frozenset(f.household_key for f in found),
        )
        for rid, found in hits.items()
    ]


# One event as the fold takes it: class name ('Household.Discovered'), record id, recorded time,
# and the event (or anything with the attributes the fold reads).
Named = tuple[str, str, datetime, Any]


def what_if(
    events: Iterable[Any], draft: list[Rule], region: str, instants: list[datetime]
) -> list[dict[str, Any]]:
    """Judge the draft (and the rules then in force with the same ids) at each instant."""
    named = ((type(e).__qualname__, str(e.originator_id), e.timestamp, e) for e in events)
    return what_if_named(named, draft, region, instants)


def what_if_named(
    events: Iterable[Named], draft: list[Rule], region: str, instants: list[datetime]
) -> list[dict[str, Any]]:
    """`what_if` over events already named (see `FactBook.apply_named`), in log order."""
    book = FactBook()
    pending = sorted(instants)
    out: list[dict[str, Any]] = []

    def report(at: datetime) -> None:
        in_force = book.rules.get(region[:6], {})
        drafts = {j.rule_id: j for j in judge(book, draft, region, at)}
        current_rules = [in_force[r.rule_id] for r in draft if r.rule_id in in_force]
        current = {j.rule_id: j for j in judge(book, current_rules, region, at)}
        rules = []
        for rule in draft:
            d, c = drafts[rule.rule_id], current.get(rule.rule_id)
            entry: dict[str, Any] = {
                "rule_id": rule.rule_id,
                "households": d.households,
                "people": d.people,
                "household_keys": sorted(d.keys)[:MAX_LISTED],
                "in_force": None,
            }
            if c is not None:
                entry["in_force"] = {
                    "version": in_force[rule.rule_id].version,
                    "households": c.households,
                    "people": c.people,
                    "only_draft": sorted(d.keys - c.keys)[:MAX_LISTED],
                    "only_in_force": sorted(c.keys - d.keys)[:MAX_LISTED],
                }
            rules.append(entry)
        out.append({"at": at.isoformat(), "rules": rules})

    for name, rid, timestamp, e in events:
        while pending and timestamp > pending[0]:
            report(pending.pop(0))
        book.apply_named(name, rid, e)
    for at in pending:
        report(at)
    return out

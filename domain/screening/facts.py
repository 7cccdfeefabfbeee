"""The facts a screening rule sees about one household, built from the household's events.

One fold (`HouseholdFacts.apply_*`) is shared by the live alerts view and by what-if replays, so a
rule sees exactly the same facts in both. `as_cel()` is the fact map documented in the README.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from domain.households.vocabulary import Assistance

# The variables a rule may name, with their CEL types (documented in the README).
VARIABLES: dict[str, str] = {
    "region": "string — the household's 12-digit village code",
    "people": "int — members on the file (at least 1: the household itself)",
    "members_on_file": "int — members recorded on the file (0 when none were given)",
    "members": "list of {relation, age (-1 unknown), circumstances: list, disability_grade "
    "(0 none, 1–4)}",
    "disabled": "int — members with a disability grade or the disability circumstance",
    "max_disability_grade": "int — the most severe grade on the file, 1 most severe (0 none)",
    "circumstances": "list of string — every member circumstance on the file, once each",
    "statuses": "list of string — assistance statuses held now (cheaper than `assistance`)",
    "assistance": "map status → {since: timestamp, by}: statuses held now",
    "ended_assistance": "map status → {at: timestamp, reason}: statuses held before",
    "temporary_grants": "int — one-off temporary assistance payments (临时救助) granted",
    "temporary_aid": "list of {at: timestamp, amount_fen (0 unknown)}: those payments",
    "monitoring_risk": "string — 'not_eliminated', 'eliminated' or '' (a list row's `risk`)",
    "lists": "map 'department/list' → {edition, since: timestamp, …row facts}",
    "open_needs": "list of {need_type, category, urgency}",
    "open_referrals": "int — referrals not yet completed or refused",
    "referrals": "int — referrals ever made",
    "circle": "int — difficulty circle 1–3 (0 not assessed)",
    "group": "string — the assessed group ('' not assessed)",
    "now": "timestamp — the instant the rule is judged at",
}
MEMBER_FIELDS = frozenset({"relation", "age", "circumstances", "disability_grade"})
NEED_FIELDS = frozenset({"need_type", "category", "urgency"})
STATUS_FIELDS = frozenset({"since", "by", "at", "reason"})
# Row facts a department list may carry that rules may select with a dot (others with ["name"]).
ROW_FACTS = frozenset(
    {"edition", "since", "risk", "months", "level", "reason", "filed", "case_type", "amount_yuan"}
)
# Status names select from `assistance` / `ended_assistance` (assistance.dibao.since).
SELECTABLE = MEMBER_FIELDS | NEED_FIELDS | STATUS_FIELDS | ROW_FACTS | {a.value for a in Assistance}

_OPEN_REFERRAL = {"requested", "accepted", "routed", "feedback_given"}


def _age(birth_year: Any, now: datetime) -> int:
    return now.year - birth_year if isinstance(birth_year, int) else -1


@dataclass
class HouseholdFacts:
    """What is known about one household, as a plain JSON-able state."""

    household_key: str = ""
    region: str = ""
    members: list[dict[str, Any]] = field(default_factory=list)
    assistance: dict[str, dict[str, Any]] = field(default_factory=dict)
    ended: dict[str, dict[str, Any]] = field(default_factory=dict)
    lists: dict[str, dict[str, Any]] = field(default_factory=dict)
    needs: dict[str, dict[str, Any]] = field(default_factory=dict)  # open needs by id
    referrals: dict[str, str] = field(default_factory=dict)  # referral id → status
    circle: int = 0
    group: str = ""
    temporary: list[dict[str, Any]] = field(default_factory=list)

    # -- state as stored in a view row -------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The state as a JSON object (timestamps as ISO strings)."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> HouseholdFacts:
        """The state from `to_json()`."""
        return cls(**raw)

    @property
    def people(self) -> int:
        """Members on the file (at least one: the household itself)."""
        return max(1, len(self.members))

    # -- the fold ----------------------------------------------------------------------------
    def apply_household(self, kind: str, e: Any) -> None:
        """A household event (Discovered, ReportedAgain, AssistanceGranted/Ended, Assessed)."""
        if kind == "Discovered":
            self.household_key, self.region = e.household_key, e.region_code
            self.members = list(e.members)
        elif kind == "ReportedAgain" and e.members:
            self.members = list(e.members)
        elif kind == "AssistanceGranted":
            self.assistance[e.status] = {"since": _iso(e.granted_at), "by": e.by}
            self.ended.pop(e.status, None)
        elif kind == "AssistanceEnded":
            self.assistance.pop(e.status, None)
            self.ended[e.status] = {"at": _iso(e.ended_at), "reason": e.reason}
        elif kind == "TemporaryAidGranted":
            self.temporary.append({"at": _iso(e.granted_at), "amount_fen": e.amount_fen or 0})
        elif kind == "Assessed":
            self.circle, self.group = e.difficulty_circle, e.group

    def apply_need(self, kind: str, need_id: str, e: Any) -> None:
        """A need event: open needs are kept with their type and category."""
        if kind == "Raised":
            self.needs[need_id] = {
                "need_type": e.need_type,
                "category": e.category,
                "urgency": e.urgency,
            }
        elif kind in ("Referred", "Met", "Closed"):
            self.needs.pop(need_id, None)
        elif kind == "Reopened":
            self.needs.setdefault(need_id, {"need_type": "", "category": "", "urgency": ""})

    def apply_referral(self, kind: str, referral_id: str) -> None:
        """A referral step: its status, open or not."""
        status = {
            "Requested": "requested",
            "Accepted": "accepted",
            "Routed": "routed",
            "FeedbackGiven": "feedback_given",
            "Completed": "completed",
            "FollowedUp": "followed_up",
            "Refused": "refused",
            "Reassigned": "requested",
        }.get(kind)
        if status:
            self.referrals[referral_id] = status

    def apply_list_row(
        self, list_name: str, edition: str, at: datetime, row: dict[str, Any]
    ) -> None:
        """A department list's row for this household (new or changed in an edition)."""
        since = self.lists.get(list_name, {}).get("since") or _iso(at)
        self.lists[list_name] = {**row, "edition": edition, "since": since}

    def apply_list_gone(self, list_name: str) -> None:
        """The household is no longer on the list's latest edition."""
        self.lists.pop(list_name, None)

    # -- what a rule sees --------------------------------------------------------------------
    def as_cel(self, now: datetime, names: frozenset[str] | None = None) -> dict[str, Any]:
        """The fact map a rule is evaluated over: every variable, or only `names`."""
        wanted = VARIABLES.keys() if names is None else names
        return {name: _BUILDERS[name](self, now) for name in wanted if name in _BUILDERS}


def _members(f: HouseholdFacts, now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "relation": m.get("relation") or "",
            "age": _age(m.get("birth_year"), now),
            "circumstances": list(m.get("circumstances") or ()),
            "disability_grade": m.get("disability_grade") or 0,
        }
        for m in f.members
    ]


def _grades(f: HouseholdFacts) -> list[int]:
    return [int(m["disability_grade"]) for m in f.members if m.get("disability_grade")]


def _risk(f: HouseholdFacts) -> str:
    risk = ""
    for row in f.lists.values():
        if isinstance(row.get("risk"), str):
            risk = row["risk"]
    return risk


_BUILDERS: dict[str, Any] = {
    "region": lambda f, now: f.region,
    "people": lambda f, now: f.people,
    "members_on_file": lambda f, now: len(f.members),
    "members": _members,
    "disabled": lambda f, now: sum(
        1
        for m in f.members
        if m.get("disability_grade") or "disability" in (m.get("circumstances") or ())
    ),
    "max_disability_grade": lambda f, now: min(_grades(f), default=0),
    "circumstances": lambda f, now: sorted(
        {c for m in f.members for c in (m.get("circumstances") or ())}
    ),
    "statuses": lambda f, now: sorted(f.assistance),
    "assistance": lambda f, now: {k: _dated(v) for k, v in f.assistance.items()},
    "ended_assistance": lambda f, now: {k: _dated(v) for k, v in f.ended.items()},
    "monitoring_risk": lambda f, now: _risk(f),
    "temporary_grants": lambda f, now: len(f.temporary),
    "temporary_aid": lambda f, now: [_dated(t) for t in f.temporary],
    "lists": lambda f, now: {k: _dated(v) for k, v in f.lists.items()},
    "open_needs": lambda f, now: list(f.needs.values()),
    "open_referrals": lambda f, now: sum(1 for s in f.referrals.values() if s in _OPEN_REFERRAL),
    "referrals": lambda f, now: len(f.referrals),
    "circle": lambda f, now: f.circle,
    "group": lambda f, now: f.group,
    "now": lambda f, now: now,
}


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


def _dated(raw: dict[str, Any]) -> dict[str, Any]:
    out = dict(raw)
    for name in ("since", "at"):
        if isinstance(out.get(name), str):
            out[name] = datetime.fromisoformat(out[name])
    return out

"""Screening alerts: each household's facts, the rules in force, and the alerts they raise.

Alerts are derived from the log alone (the rule version and the facts at the event that made a
household satisfy it), so a rebuild raises the same alerts with the same ids; only their
outcomes are commands. An alert never disappears: stopping to satisfy its rule is a note on it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from domain.households.identity import household_id
from domain.households.model import Household
from domain.needs.model import Need
from domain.referrals.model import Referral
from domain.screening.facts import HouseholdFacts
from domain.screening.model import AlertOutcome, DepartmentList, RuleBook
from domain.screening.rules import Rule, RuleSet
from projections.alerts.judging import Prefetched, judge
from projections.runtime.tables import Table, cols
from projections.runtime.view import Handler, Row, Tx, View

RULES = Table(
    "screening_rules",
    cols(
        "alliance rule_id version:int name expression fix pack status actor reason"
        " adopted_at:ts retired_at:ts"
    ),
    key=("alliance", "rule_id", "version"),
    indexes=(("alliance", "status"),),
)
FACTS = Table(
    "screening_facts",
    cols("household_id household_key region_code alliance people:int state:json"),
    key=("household_id",),
    indexes=(("alliance",),),
)
LINKS = Table("screening_links", cols("record_id household_id"), key=("record_id",))
HITS = Table(
    "screening_hits",
    cols("household_id rule_id alliance region_code satisfied:bool people:int alert_id"),
    key=("household_id", "rule_id"),
    indexes=(("alliance", "rule_id", "satisfied"),),
)
ALERTS = Table(
    "screening_alerts",
    cols(
        "alert_id household_id household_key region_code rule_id rule_version:int rule_name"
        " fix evidence:json people:int raised_at:ts status satisfied:bool notes:json outcome"
        " outcome_reason need_id closed_at:ts closed_by"
    ),
    key=("alert_id",),
    indexes=(("status", "raised_at"), ("region_code",)),
)
# The rules in force per alliance in one row, so judging a household reads it by key (a batch
# caches it) instead of querying the rules table on every event.
IN_FORCE = Table("screening_in_force", cols("alliance rules:json"), key=("alliance",))
LISTS = Table(
    "screening_lists",
    cols("list_id alliance department list_name"),
    key=("list_id",),
)
EDITIONS = Table(
    "screening_editions",
    cols(
        "alliance department list_name edition previous_edition rows:int new:int known:int"
        " changed:int gone:int cadence_days:int compared_at:ts recorded_at:ts"
    ),
    key=("alliance", "department", "list_name", "edition"),
    indexes=(("alliance",),),
)


@lru_cache(maxsize=256)
def _rule_set(rules: tuple[tuple[str, int, str, str, str], ...]) -> RuleSet:
    return RuleSet([Rule(i, v, n, e, f) for i, v, n, e, f in rules])


def rules_in_force(tx: Tx, alliance: str) -> RuleSet:
    """The alliance's rules in force, compiled together (cached by their versions)."""
    row = tx.get("screening_in_force", alliance=alliance)
    return _rule_set(tuple(tuple(r) for r in row["rules"]) if row else ())


def _store_in_force(tx: Tx, alliance: str) -> None:
    rows = tx.find("screening_rules", alliance=alliance, status="in_force")
    rules = sorted([r["rule_id"], r["version"], r["name"], r["expression"], r["fix"]] for r in rows)
    tx.upsert("screening_in_force", {"alliance": alliance, "rules": rules})


class Alerts(View):
    """Household facts, rules with their versions, hits, alerts and list editions."""

    name = "screening_alerts"
    tables = (RULES, IN_FORCE, FACTS, LINKS, HITS, ALERTS, LISTS, EDITIONS)

    def handlers(self) -> dict[type, Handler]:
        """Every event that changes a household's facts, the rules, lists and outcomes."""
        handlers: dict[type, Handler] = {
            RuleBook.Opened: self._book_opened,
            RuleBook.RuleAdopted: self._rule_adopted,
            RuleBook.RuleRetired: self._rule_retired,
            DepartmentList.Opened: self._list_opened,
            DepartmentList.RowsRecorded: self._rows,
            DepartmentList.RowsGone: self._gone,
            DepartmentList.Compared: self._compared,
            AlertOutcome.Recorded: self._outcome,
        }
        for aggregate in (Household, Need, Referral):
            for event_class in vars(aggregate).values():
                if isinstance(event_class, type) and issubclass(event_class, aggregate.Event):
                    handlers[event_class] = self._fact_event
        return handlers

    # -- facts -------------------------------------------------------------------------------
    def _fact_event(self, e: Any, tx: Tx, position: int) -> None:
        kind = type(e).__qualname__.split(".")[-1]
        record_id = str(e.originator_id)
        if isinstance(e, Household.Event):
            hid = record_id
        elif isinstance(e, Need.Raised | Referral.Requested):
            hid = str(e.household_id)
            tx.upsert("screening_links", {"record_id": record_id, "household_id": hid})
        else:
            link = tx.get("screening_links", record_id=record_id)
            if link is None:
                return
            hid = link["household_id"]
        _, facts = _facts(tx, hid)
        if isinstance(e, Household.Event):
            facts.apply_household(kind, e)
        elif isinstance(e, Need.Event):
            facts.apply_need(kind, record_id, e)
        else:
            facts.apply_referral(kind, record_id)
        _save(tx, hid, facts)
        if facts.region:
            judge(tx, hid, facts, rules_in_force(tx, facts.region[:6]), e.timestamp, position)

    def _list_opened(self, e: Any, tx: Tx, _: int) -> None:
        tx.upsert(
            "screening_lists",
            {
                "list_id": str(e.originator_id),
                "alliance": e.region_code,
                "department": e.department,
                "list_name": e.name,
            },
        )

    def _rows(self, e: Any, tx: Tx, position: int) -> None:
        self._list_change(tx, e, position, [(key, facts) for key, _digest, facts in e.rows])

    def _gone(self, e: Any, tx: Tx, position: int) -> None:
        self._list_change(tx, e, position, [(key, None) for key in e.keys])

    def _list_change(
        self, tx: Tx, e: Any, position: int, changes: list[tuple[str, dict[str, Any] | None]]
    ) -> None:
        """Rows of a list edition (or keys gone from it), a chunk at a time."""
        info = tx.get("screening_lists", list_id=str(e.originator_id))
        if info is None:
            return
        name = f"{info['department']}/{info['list_name']}"
        # Judged by the rules of the household's own alliance (a list may name a household filed
        # in another county).
        rules = {info["alliance"]: rules_in_force(tx, info["alliance"])}
        ids = [str(household_id(key)) for key, _ in changes]
        known = Prefetched(tx, ids)
        for hid, (key, row_facts) in zip(ids, changes, strict=True):
            row = known.facts.get(hid)
            facts = HouseholdFacts.from_json(row["state"]) if row else HouseholdFacts(key)
            if row_facts is None:
                facts.apply_list_gone(name)
            else:
                facts.apply_list_row(name, e.edition, e.timestamp, row_facts)
            _save(tx, hid, facts)
            if facts.region:
                alliance = facts.region[:6]
                if alliance not in rules:
                    rules[alliance] = rules_in_force(tx, alliance)
                judge(tx, hid, facts, rules[alliance], e.timestamp, position, known)

    def _compared(self, e: Any, tx: Tx, _: int) -> None:
        info = tx.get("screening_lists", list_id=str(e.originator_id)) or {}
        tx.upsert(
            "screening_editions",
            {
                "alliance": info.get("alliance", ""),
                "department": info.get("department", e.actor),
                "list_name": info.get("list_name", ""),
                "edition": e.edition,
                "previous_edition": e.previous_edition,
                "rows": e.rows,
                "new": e.new,
                "known": e.known,
                "changed": e.changed,
                "gone": e.gone,
                "cadence_days": e.cadence_days,
                "compared_at": e.compared_at,
                "recorded_at": e.timestamp,
            },
        )

    # -- rules -------------------------------------------------------------------------------
    @staticmethod
    def _book_opened(e: Any, tx: Tx, _: int) -> None:
        # The rule book's later events name no region: remember the alliance of its id.
        tx.upsert(
            "screening_lists",
            {
                "list_id": f"book:{e.originator_id}",
                "alliance": e.region_code,
                "department": "",
                "list_name": "",
            },
        )

    def _rule_adopted(self, e: Any, tx: Tx, position: int) -> None:
        alliance = _alliance_of_book(tx, e)
        rule = e.rule
        for old in tx.find("screening_rules", alliance=alliance, rule_id=rule["rule_id"]):
            if old["status"] == "in_force":
                tx.update("screening_rules", _rule_key(old), status="changed")
        tx.upsert(
            "screening_rules",
            {
                "alliance": alliance,
                **{k: rule[k] for k in ("rule_id", "version", "name", "expression", "fix")},
                "pack": rule.get("pack", ""),
                "status": "in_force",
                "actor": e.actor,
                "reason": e.reason,
                "adopted_at": e.adopted_at,
                "retired_at": None,
            },
        )
        _store_in_force(tx, alliance)
        one = _rule_set(
            ((rule["rule_id"], rule["version"], rule["name"], rule["expression"], rule["fix"]),)
        )
        for row in tx.find("screening_facts", alliance=alliance):
            facts = HouseholdFacts.from_json(row["state"])
            judge(tx, row["household_id"], facts, one, e.timestamp, position)

    def _rule_retired(self, e: Any, tx: Tx, _: int) -> None:
        alliance = _alliance_of_book(tx, e)
        for old in tx.find("screening_rules", alliance=alliance, rule_id=e.rule_id):
            if old["status"] == "in_force":
                tx.update(
                    "screening_rules", _rule_key(old), status="retired", retired_at=e.retired_at
                )
        _store_in_force(tx, alliance)

    def _outcome(self, e: Any, tx: Tx, _: int) -> None:
        key = {"alert_id": str(e.alert_id)}
        if tx.get("screening_alerts", **key) is None:
            return
        tx.update(
            "screening_alerts",
            key,
            status="closed",
            outcome=e.outcome,
            outcome_reason=e.reason,
            need_id=str(e.need_id) if e.need_id else None,
            closed_at=e.recorded_at,
            closed_by=e.actor,
        )


def _facts(tx: Tx, hid: str, key: str = "") -> tuple[Row | None, HouseholdFacts]:
    row = tx.get("screening_facts", household_id=hid)
    facts = HouseholdFacts.from_json(row["state"]) if row else HouseholdFacts(household_key=key)
    return row, facts


def _save(tx: Tx, hid: str, facts: HouseholdFacts) -> None:
    tx.upsert(
        "screening_facts",
        {
            "household_id": hid,
            "household_key": facts.household_key,
            "region_code": facts.region,
            "alliance": facts.region[:6],
            "people": facts.people,
            "state": facts.to_json(),
        },
    )


def _rule_key(row: Row) -> Row:
    return {"alliance": row["alliance"], "rule_id": row["rule_id"], "version": row["version"]}


def _alliance_of_book(tx: Tx, e: Any) -> str:
    row = tx.get("screening_lists", list_id=f"book:{e.originator_id}")
    return row["alliance"] if row else ""

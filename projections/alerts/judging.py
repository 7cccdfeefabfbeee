"""Hits and alerts: the transitions of a household against each rule in force."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from domain.screening.facts import HouseholdFacts
from domain.screening.rules import RuleSet, evidence
from projections.runtime.view import Row, Tx

_ALERTS_NS = UUID("7d1e9a52-3c4b-4f8e-a6d2-9b0c1e2f3a4b")


class Prefetched:
    """The facts and hits of many households read in one query each (a list chunk)."""

    def __init__(self, tx: Tx, household_ids: list[str]) -> None:
        self.facts = {
            r["household_id"]: r for r in tx.find("screening_facts", household_id=household_ids)
        }
        self.hits = {
            (r["household_id"], r["rule_id"]): r
            for r in tx.find("screening_hits", household_id=household_ids)
        }


def judge(
    tx: Tx,
    hid: str,
    facts: HouseholdFacts,
    rules: RuleSet,
    now: datetime,
    position: int,
    known: Prefetched | None = None,
) -> None:
    """Judge one household against rules; raise an alert where a rule starts to hold, note
    one where it stops (the alert stays open until its outcome is recorded)."""
    if not rules.rules:
        return
    verdicts = rules.evaluate(facts, now)
    for rule, satisfied in zip(rules.rules, verdicts, strict=True):
        hit = (
            known.hits.get((hid, rule.rule_id))
            if known is not None
            else tx.get("screening_hits", household_id=hid, rule_id=rule.rule_id)
        )
        was = bool(hit and hit["satisfied"])
        alert_id = hit["alert_id"] if hit else None
        if satisfied == was:
            if hit and hit["people"] != facts.people:
                tx.update("screening_hits", _hit_key(hit), people=facts.people)
            continue
        alert = tx.get("screening_alerts", alert_id=alert_id) if alert_id else None
        if satisfied and (alert is None or alert["status"] != "open"):
            alert_id = str(uuid5(_ALERTS_NS, f"{hid}:{rule.rule_id}:{position}"))
            values = facts.as_cel(now, rules.names)
            tx.upsert(
                "screening_alerts",
                {
                    "alert_id": alert_id,
                    "household_id": hid,
                    "household_key": facts.household_key,
                    "region_code": facts.region,
                    "rule_id": rule.rule_id,
                    "rule_version": rule.version,
                    "rule_name": rule.name,
                    "fix": rule.fix,
                    "evidence": evidence(rule.expression, values),
                    "people": facts.people,
                    "raised_at": now,
                    "status": "open",
                    "satisfied": True,
                    "notes": [],
                },
            )
        elif alert is not None:
            note = {
                "at": now.isoformat(),
                "rule_version": rule.version,
                "note": "satisfies the rule again" if satisfied else "no longer satisfies",
            }
            tx.update(
                "screening_alerts",
                {"alert_id": alert_id},
                satisfied=satisfied,
                notes=[*alert["notes"], note],
            )
        tx.upsert(
            "screening_hits",
            {
                "household_id": hid,
                "rule_id": rule.rule_id,
                "alliance": facts.region[:6],
                "region_code": facts.region,
                "satisfied": satisfied,
                "people": facts.people,
                "alert_id": alert_id,
            },
        )


def _hit_key(row: Row) -> Row:
    return {"household_id": row["household_id"], "rule_id": row["rule_id"]}

"""Reading screening: the alerts queue, rules with versions, standing checks, list editions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.screening.feeds import feed_status
from projections.runtime.query import Page, ReadStore, Where, page
from projections.runtime.view import Row


def list_alerts(
    store: ReadStore,
    *,
    now: datetime,
    region: str | None = None,
    status: str | None = "open",
    rule_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Page, dict[str, int]]:
    """Alerts oldest first (they age like referrals), with totals in households and people."""
    where = Where(store.dialect).prefix("region_code", region).eq("status", status)
    where.eq("rule_id", rule_id)
    result = page(store, "screening_alerts", where, "raised_at, alert_id", limit, offset)
    for row in result.items:
        raised = datetime.fromisoformat(row["raised_at"])
        row["age_days"] = round((now - raised).total_seconds() / 86400, 2)
    people = store.scalar(f"SELECT SUM(people) FROM screening_alerts{where.sql()}", where.params)
    return result, {"households": result.total, "people": int(people or 0)}


def get_alert(store: ReadStore, alert_id: str) -> Row | None:
    """One alert by id."""
    rows = store.fetch(
        "SELECT * FROM screening_alerts WHERE alert_id = :a", {"a": alert_id}, "screening_alerts"
    )
    return rows[0] if rows else None


def list_rules(store: ReadStore, *, alliance: str) -> list[Row]:
    """Every version of every rule of the alliance, newest version first per rule."""
    return store.fetch(
        "SELECT * FROM screening_rules WHERE alliance = :a ORDER BY rule_id, version DESC",
        {"a": alliance},
        "screening_rules",
    )


def hit_counts(store: ReadStore, *, alliance: str, level: int = 9) -> list[Row]:
    """Households and people satisfying each rule now, per region at a code length."""
    rows = store.fetch(
        "SELECT rule_id, region_code, people FROM screening_hits"
        " WHERE alliance = :a AND satisfied = :yes",
        {"a": alliance, "yes": store.dialect.encode("bool", True)},
        "screening_hits",
    )
    counts: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        slot = counts.setdefault((row["rule_id"], row["region_code"][:level]), [0, 0])
        slot[0] += 1
        slot[1] += row["people"]
    return [
        {"rule_id": r, "region_code": g, "households": h, "people": p}
        for (r, g), (h, p) in sorted(counts.items())
    ]


def household_facts(store: ReadStore, household_id: str) -> Row | None:
    """The facts a rule sees about one household (as stored)."""
    rows = store.fetch(
        "SELECT * FROM screening_facts WHERE household_id = :h",
        {"h": household_id},
        "screening_facts",
    )
    return rows[0] if rows else None


def list_editions(store: ReadStore, *, alliance: str | None = None) -> list[Row]:
    """Every compared edition of every department list, in order of recording."""
    where = Where(store.dialect).eq("alliance", alliance)
    return store.fetch(
        f"SELECT * FROM screening_editions{where.sql()} ORDER BY department, list_name,"
        " recorded_at",
        where.params,
        "screening_editions",
    )


def alerts_by_rule(store: ReadStore, *, alliance: str) -> dict[str, dict[str, Any]]:
    """Open alerts per rule, in households and people."""
    rows = store.fetch(
        "SELECT rule_id, people FROM screening_alerts"
        " WHERE region_code LIKE :p AND status = 'open'",
        {"p": alliance + "%"},
        "screening_alerts",
    )
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        slot = out.setdefault(row["rule_id"], {"households": 0, "people": 0})
        slot["households"] += 1
        slot["people"] += row["people"]
    return out


def feed_report(store: ReadStore, *, now: datetime, alliance: str | None = None) -> list[Row]:
    """Completeness of every department list: silent, skipped editions (shared with /metrics)."""
    grouped: dict[tuple[str, str, str], list[Row]] = {}
    for row in list_editions(store, alliance=alliance):
        row["recorded_at"] = datetime.fromisoformat(row["recorded_at"])
        grouped.setdefault((row["alliance"], row["department"], row["list_name"]), []).append(row)
    return [
        {"alliance": a, "department": d, "list_name": n, **feed_status(editions, now)}
        for (a, d, n), editions in sorted(grouped.items())
    ]


def alert_rules(store: ReadStore, *, region: str | None = None) -> list[Row]:
    """The rules that raised alerts in a jurisdiction (for a filter), by id."""
    where = Where(store.dialect).prefix("region_code", region)
    return store.fetch(
        f"SELECT DISTINCT rule_id, rule_name FROM screening_alerts{where.sql()} ORDER BY rule_id",
        where.params,
        "screening_alerts",
    )

"""What an action acts on: its region (jurisdiction, the event's source), the facts the event
takes from the record rather than from the form, and the choices its form offers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.shared.errors import DomainError
from domain.shared.regions import check_region
from projections.alerts.queries import get_alert
from projections.match_queue.queries import need_row
from projections.needs_list.queries import list_needs
from projections.referral_board.queries import get_referral
from projections.runtime.query import ReadStore
from projections.supply_stats.queries import contract_items, get_contract
from services.container import Container
from services.web.render import label_of, yuan


@dataclass
class Target:
    """The record behind a form: where it lies, what the event copies from it, what to offer."""

    region: str
    data: dict[str, Any] = field(default_factory=dict)
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    summary: str = ""


def find_target(container: Container, record: str, values: Mapping[str, str]) -> Target | None:
    """The record an action names in its values, or None when there is no such record."""
    store = container.store
    if record == "need":
        need = need_row(store, values.get("need_id", ""))
        if need is None:
            return None
        return Target(need["region_code"], summary=str(need.get("description") or ""))
    if record == "referral":
        row = get_referral(store, values.get("referral_id", ""), now=container.clock())
        return None if row is None else Target(row["region_code"])
    if record == "alert":
        return _alert(container, values.get("alert_id", ""))
    if record == "contract":
        return _contract(container, values.get("contract_id", ""))
    try:
        return Target(check_region(values.get("region_code", "")))
    except DomainError:
        return None


def _alert(container: Container, alert_id: str) -> Target | None:
    row = get_alert(container.store, alert_id)
    if row is None:
        return None
    return Target(
        row["region_code"],
        data={"household": {"household_key": row["household_key"]}, "rule_id": row["rule_id"]},
        choices={"need_id": open_need_choices(container.store, row["household_id"])},
        summary=str(row["rule_name"]),
    )


def open_need_choices(store: ReadStore, household_id: str) -> list[tuple[str, str]]:
    """A household's needs not yet met, as (id, words) for an outcome's need menu."""
    needs = list_needs(store, household_id=household_id, statuses=("open", "referred"), limit=50)
    return [
        (
            n["need_id"],
            f"{label_of('need_type', n['need_type'])} · {label_of('category', n['category'])}:"
            f" {n['description']}",
        )
        for n in needs.items
    ]


def _contract(container: Container, contract_id: str) -> Target | None:
    row = get_contract(container.store, contract_id)
    if row is None:
        return None
    items = contract_items(container.store, contract_id)
    options = [
        (i["item_id"], f"{i.get('name') or i['item_id']} ({yuan(i['remaining_fen'])})")
        for i in items
    ]
    return Target(row["region_code"] or "", choices={"item_id": options}, summary=row["title"])

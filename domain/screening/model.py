"""Screening records: an alliance's rule book, a department's list, an alert's outcome."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.screening.rules import Rule
from domain.shared.errors import InvalidValue, RuleViolation

_NAMESPACE = UUID("0c6f5e8e-41a4-4d0e-9a51-6c7f3d2b1a90")


def rule_book_id(alliance: str) -> UUID:
    """One rule book per alliance."""
    return uuid5(_NAMESPACE, f"rules:{alliance}")


def list_id(alliance: str, department: str, name: str) -> UUID:
    """One record per department list (its editions are its events)."""
    return uuid5(_NAMESPACE, f"list:{alliance}:{department}:{name}")


class RuleBook(Aggregate):
    """The screening rules an alliance has adopted, each with its versions."""

    class Opened(Aggregate.Created):
        region_code: str

    class RuleAdopted(Aggregate.Event):
        rule: dict[str, Any]
        actor: str
        reason: str
        adopted_at: datetime

    class RuleRetired(Aggregate.Event):
        rule_id: str
        rule_version: int
        actor: str
        reason: str
        retired_at: datetime

    @staticmethod
    def create_id(region_code: str, **_: Any) -> UUID:
        """One rule book per alliance."""
        return rule_book_id(region_code)

    @event(Opened)
    def __init__(self, *, region_code: str) -> None:
        self.region_code = region_code
        self.in_force: dict[str, dict[str, Any]] = {}
        self.versions: dict[str, int] = {}

    def adopt(self, *, rule: Rule, actor: str, reason: str, at: datetime) -> Rule:
        """Adopt a rule, or a new version of it (changing it); returns the version adopted."""
        if not reason.strip():
            raise InvalidValue("reason", "adopting or changing a rule needs a reason")
        current = self.in_force.get(rule.rule_id)
        if current and all(current[k] == v for k, v in rule.as_record().items() if k != "version"):
            raise RuleViolation(f"rule {rule.rule_id!r} v{current['version']} already says this")
        version = self.versions.get(rule.rule_id, 0) + 1
        adopted = Rule(rule.rule_id, version, rule.name, rule.expression, rule.fix, rule.pack)
        self._adopt(rule=adopted.as_record(), actor=actor, reason=reason, adopted_at=at)
        return adopted

    @event(RuleAdopted)
    def _adopt(self, rule: dict[str, Any], actor: str, reason: str, adopted_at: datetime) -> None:
        self.in_force[rule["rule_id"]] = rule
        self.versions[rule["rule_id"]] = rule["version"]

    def retire(self, *, rule_id: str, actor: str, reason: str, at: datetime) -> None:
        """Retire a rule: it raises nothing more; its open alerts stay open."""
        if rule_id not in self.in_force:
            raise RuleViolation(f"no rule {rule_id!r} is in force")
        if not reason.strip():
            raise InvalidValue("reason", "retiring a rule needs a reason")
        version = self.in_force[rule_id]["version"]
        self._retire(
            rule_id=rule_id, rule_version=version, actor=actor, reason=reason, retired_at=at
        )

    @event(RuleRetired)
    def _retire(
        self, rule_id: str, rule_version: int, actor: str, reason: str, retired_at: datetime
    ) -> None:
        del self.in_force[rule_id]


class DepartmentList(Aggregate):
    """A department's list (e.g. the monitoring households): its editions, compared in turn.

    State is one short digest per household on the latest edition; events carry only what an
    edition changed (rows new or changed, in chunks; keys gone), so a list re-sent unchanged
    costs one small event, and replaying the record costs the churn, not rows × editions.
    """

    class Opened(Aggregate.Created):
        region_code: str
        department: str
        name: str

    class RowsRecorded(Aggregate.Event):
        edition: str
        rows: list[list[Any]]  # [household_key, digest, facts]

    class RowsGone(Aggregate.Event):
        edition: str
        keys: list[str]

    class Compared(Aggregate.Event):
        edition: str
        previous_edition: str
        actor: str
        compared_at: datetime
        rows: int
        new: int
        known: int
        changed: int
        gone: int
        cadence_days: int

    @staticmethod
    def create_id(region_code: str, department: str, name: str, **_: Any) -> UUID:
        """One record per list of a department in an alliance."""
        return list_id(region_code, department, name)

    @event(Opened)
    def __init__(self, *, region_code: str, department: str, name: str) -> None:
        self.region_code = region_code
        self.department = department
        self.name = name
        self.digests: dict[str, str] = {}
        self.editions: list[str] = []

    @event(RowsRecorded)
    def record_rows(self, edition: str, rows: list[list[Any]]) -> None:
        """Rows new or changed in an edition (one chunk)."""
        for key, digest, _facts in rows:
            self.digests[key] = digest

    @event(RowsGone)
    def record_gone(self, edition: str, keys: list[str]) -> None:
        """Households on the previous edition and not on this one."""
        for key in keys:
            self.digests.pop(key, None)

    def check_edition(self, edition: str) -> None:
        """An edition is compared once."""
        if edition in self.editions:
            raise RuleViolation(
                f"edition {edition!r} of {self.department}/{self.name} was already compared"
            )

    @event(Compared)
    def compared(
        self,
        edition: str,
        previous_edition: str,
        actor: str,
        compared_at: datetime,
        rows: int,
        new: int,
        known: int,
        changed: int,
        gone: int,
        cadence_days: int,
    ) -> None:
        """The comparison's result, recorded last (with the cadence the department promises)."""
        self.editions.append(edition)


class Outcome(StrEnum):
    """How an alert ends: checked and a need raised, dismissed with a reason, or merged."""

    NEED_RAISED = "need_raised"
    DISMISSED = "dismissed"
    MERGED = "merged"


class AlertOutcome(Aggregate):
    """The recorded end of one alert (its id is the alert's id): exactly one per alert."""

    class Recorded(Aggregate.Created):
        alert_id: UUID
        household_id: UUID
        region_code: str
        rule_id: str
        outcome: str
        reason: str
        need_id: UUID | None
        actor: str
        recorded_at: datetime

    @staticmethod
    def create_id(alert_id: UUID, **_: Any) -> UUID:
        """The outcome shares the alert's id, so an alert can end only once."""
        return alert_id

    @event(Recorded)
    def __init__(
        self,
        *,
        alert_id: UUID,
        household_id: UUID,
        region_code: str,
        rule_id: str,
        outcome: str,
        reason: str,
        need_id: UUID | None,
        actor: str,
        recorded_at: datetime,
    ) -> None:
        self.region_code = region_code
        self.outcome = outcome

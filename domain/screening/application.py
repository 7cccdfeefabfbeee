"""Screening commands: adopt and retire rules, compare a department's list, end an alert."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import RecordConflictError

from domain.households.identity import household_id
from domain.households.model import Household
from domain.ingest.model import EventKey, Outcome
from domain.needs.model import Need, NeedStatus
from domain.screening.model import (
    AlertOutcome,
    DepartmentList,
    RuleBook,
    list_id,
    rule_book_id,
)
from domain.screening.model import (
    Outcome as AlertEnd,
)
from domain.screening.packs import pack_rules
from domain.screening.rules import Rule, check_expression, check_rule_id
from domain.shared.commands import CommandHandler
from domain.shared.errors import ConcurrentUpdate, InvalidValue, RuleViolation
from domain.shared.names import required
from domain.shared.regions import alliance_of, check_region

# Rows per event: a commit stays well under Kafka's default 1 MB record (≈100 bytes a row).
CHUNK = 2000
MAX_ROWS = 100_000


def _digest(facts: dict[str, Any]) -> str:
    raw = json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()


class ScreeningCommands(CommandHandler):
    """Policy finds people: rules, department lists, alert outcomes."""

    def adopt_rule(
        self,
        *,
        region_code: str,
        rule_id: str,
        name: str,
        expression: str,
        reason: str,
        by: str,
        at: datetime,
        fix: str = "",
        key: EventKey | None = None,
    ) -> Outcome:
        """Adopt a screening rule, or change it (a new version); checked before anything."""
        check_expression(expression, "data.expression")
        rule = Rule(
            check_rule_id(rule_id), 0, required(name, "name", "names the rule"), expression, fix
        )
        return self._adopt(region_code, [rule], reason=reason, by=by, at=at, key=key)

    def adopt_pack(
        self,
        *,
        region_code: str,
        pack: str,
        reason: str,
        by: str,
        at: datetime,
        key: EventKey | None = None,
    ) -> Outcome:
        """Adopt every rule of a shipped pack (e.g. the six standing checks) in one commit."""
        return self._adopt(region_code, pack_rules(pack), reason=reason, by=by, at=at, key=key)

    def _adopt(
        self,
        region_code: str,
        rules: list[Rule],
        *,
        reason: str,
        by: str,
        at: datetime,
        key: EventKey | None,
    ) -> Outcome:
        if done := self._already_done(key):
            return done
        alliance = alliance_of(check_region(region_code))
        ident = rule_book_id(alliance)
        book = (
            self._load(RuleBook, ident) if self._exists(ident) else RuleBook(region_code=alliance)
        )
        actor = required(by, "actor", "names who adopts the rule")
        changed = 0
        for rule in rules:
            current = book.in_force.get(rule.rule_id)
            if len(rules) > 1 and current and current["expression"] == rule.expression:
                continue  # re-adopting a pack keeps the rules it already has
            book.adopt(rule=rule, actor=actor, reason=reason, at=at)
            changed += 1
        if not changed:
            raise RuleViolation("every rule of the pack is already in force as it is")
        return self._commit("rule_book", book, key=key)

    def retire_rule(
        self,
        *,
        region_code: str,
        rule_id: str,
        reason: str,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Retire a rule; its open alerts stay on the queue until each has an outcome."""
        if done := self._already_done(key):
            return done
        ident = rule_book_id(alliance_of(check_region(region_code)))
        book = self._load(RuleBook, ident, expected_version)
        book.retire(
            rule_id=rule_id,
            actor=required(by, "actor", "names who retires it"),
            reason=reason,
            at=at,
        )
        return self._commit("rule_book", book, key=key)

    def compare_list(
        self,
        *,
        region_code: str,
        department: str,
        list_name: str,
        edition: str,
        rows: list[tuple[str, dict[str, Any]]],
        at: datetime,
        cadence_days: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Compare a whole edition of a department's list with the previous one and record it."""
        if done := self._already_done(key):
            return done
        if len(rows) > MAX_ROWS:
            raise InvalidValue("data.rows", f"at most {MAX_ROWS} rows per edition")
        alliance = alliance_of(check_region(region_code))
        department = required(department, "department", "names the list's department")
        ident = list_id(alliance, department, list_name)
        record = (
            self._load(DepartmentList, ident)
            if self._exists(ident)
            else DepartmentList(region_code=alliance, department=department, name=list_name)
        )
        record.check_edition(edition)
        previous = record.digests
        seen: set[str] = set()
        changes: list[list[Any]] = []
        new = changed = 0
        for i, (household_key, facts) in enumerate(rows):
            if household_key in seen:
                raise InvalidValue(f"data.rows[{i}].household", "appears twice in this edition")
            seen.add(household_key)
            digest = _digest(facts)
            before = previous.get(household_key)
            if before == digest:
                continue
            new += before is None
            changed += before is not None
            changes.append([household_key, digest, facts])
        gone = sorted(k for k in previous if k not in seen)
        last = record.editions[-1] if record.editions else ""
        try:
            for start in range(0, len(changes), CHUNK):
                record.record_rows(edition, changes[start : start + CHUNK])
                self.save(record, partition_key=alliance)
            for start in range(0, len(gone), CHUNK * 5):
                record.record_gone(edition, gone[start : start + CHUNK * 5])
        except RecordConflictError:  # another comparison of the same list won the race
            raise ConcurrentUpdate(f"list {department}/{list_name} is being compared") from None
        record.compared(
            edition=edition,
            previous_edition=last,
            actor=department,
            compared_at=at,
            rows=len(rows),
            new=new,
            known=len(rows) - new - changed,
            changed=changed,
            gone=len(gone),
            cadence_days=cadence_days or 0,
        )
        return self._commit("department_list", record, key=key)

    def record_alert_outcome(
        self,
        *,
        alert_id: UUID,
        household_key: str,
        rule_id: str,
        outcome: AlertEnd,
        by: str,
        at: datetime,
        reason: str = "",
        need_id: UUID | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """End an alert with what was done: a need raised, dismissed with a reason, or merged."""
        if done := self._already_done(key):
            return done
        household = self._load(Household, household_id(household_key))
        if outcome is AlertEnd.DISMISSED and not reason.strip():
            raise InvalidValue("data.reason", "dismissing an alert needs the reason")
        if outcome is not AlertEnd.DISMISSED:
            if need_id is None:
                raise InvalidValue("data.need_id", f"a {outcome.value} outcome names the need")
            need = self._load(Need, need_id)
            if need.household_id != household.id:
                raise RuleViolation(f"need {need_id} belongs to another household")
            if outcome is AlertEnd.MERGED and need.status is not NeedStatus.OPEN:
                raise RuleViolation(
                    f"need {need_id} is {need.status.value}: merge into an open case"
                )
        if self._exists(alert_id):
            raise RuleViolation(f"alert {alert_id} already has its outcome")
        end = AlertOutcome(
            alert_id=alert_id,
            household_id=household.id,
            region_code=household.region_code,
            rule_id=rule_id,
            outcome=outcome.value,
            reason=reason,
            need_id=need_id,
            actor=required(by, "actor", "names who checked the household"),
            recorded_at=at,
        )
        return self._commit("alert_outcome", end, key=key)

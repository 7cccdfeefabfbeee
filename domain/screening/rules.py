"""Screening rules: CEL expressions over a household's facts, checked when adopted.

CEL (Common Expression Language) is evaluated by the `common-expression-language` package (a
Rust interpreter); the measurement that chose it is in the README. Checking at adoption catches
what the interpreter only finds at evaluation: unknown variables and misspelt fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import cel
import orjson

from domain.screening.facts import SELECTABLE, VARIABLES, HouseholdFacts
from domain.shared.errors import InvalidValue

MAX_EXPRESSION = 4000
_STRINGS = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"")
_BOUND = re.compile(r"\.\s*(?:exists_one|exists|all|map|filter)\(\s*([A-Za-z_]\w*)\s*,")
_SELECTED = re.compile(r"\.\s*([A-Za-z_]\w*)\b(?!\s*\()")
_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


@dataclass(frozen=True)
class Rule:
    """One version of a rule as adopted: what it says, what to do about a hit."""

    rule_id: str
    version: int
    name: str
    expression: str
    fix: str = ""
    pack: str = ""

    def as_record(self) -> dict[str, Any]:
        """The rule as events and view rows store it."""
        return {
            "rule_id": self.rule_id,
            "version": self.version,
            "name": self.name,
            "expression": self.expression,
            "fix": self.fix,
            "pack": self.pack,
        }


def check_rule_id(rule_id: str) -> str:
    """A rule id is a short lower-case slug."""
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise InvalidValue("rule_id", "must be 1–60 of a-z, 0-9, '-' or '_' (e.g. 'risk-disabled')")
    return rule_id


def check_expression(expression: str, field: str = "expression") -> cel.Program:
    """Compile a rule; raise InvalidValue naming a syntax error, an unknown variable or field."""
    if not isinstance(expression, str) or not expression.strip():
        raise InvalidValue(field, "is required: a CEL expression over the household's facts")
    if len(expression) > MAX_EXPRESSION:
        raise InvalidValue(field, f"is longer than {MAX_EXPRESSION} characters")
    try:
        program = cel.compile(expression)
    except (ValueError, RuntimeError) as error:
        lines = str(error).splitlines()
        detail = next((ln for ln in lines if "ERROR" in ln), lines[0] if lines else "")
        raise InvalidValue(field, f"is not valid CEL: {detail.strip()}") from None
    bare = _STRINGS.sub('""', expression)
    bound = set(_BOUND.findall(bare))
    unknown = sorted(set(program.variables()) - set(VARIABLES) - bound)
    if unknown:
        raise InvalidValue(
            field,
            f"names unknown fact(s) {', '.join(unknown)}; the facts are "
            f"{', '.join(sorted(VARIABLES))}",
        )
    fields = sorted(set(_SELECTED.findall(bare)) - SELECTABLE - set(VARIABLES))
    if fields:
        raise InvalidValue(
            field,
            f"selects unknown field(s) {', '.join(fields)}; fields are "
            f'{", ".join(sorted(SELECTABLE))} (other list row facts: lists[…]["name"])',
        )
    probe = HouseholdFacts(region="330106002051").as_cel(datetime(2026, 1, 1, tzinfo=UTC))
    try:
        result = program.execute(probe)
    except (RuntimeError, KeyError, ValueError, TypeError):
        return program  # depends on facts the empty probe lacks: judged per household
    if not isinstance(result, bool):
        raise InvalidValue(field, f"must be true or false, not a {type(result).__name__}")
    return program


@lru_cache(maxsize=1024)
def compiled(expression: str) -> cel.Program:
    """The compiled program of an already-checked expression (cached by text)."""
    return cel.compile(expression)


def satisfies(expression: str, facts: dict[str, Any]) -> bool:
    """Whether the facts satisfy the rule; an evaluation error (a missing key) counts as no."""
    try:
        return compiled(expression).execute(facts) is True
    except (RuntimeError, KeyError, ValueError, TypeError):
        return False


def evidence(expression: str, facts: dict[str, Any]) -> dict[str, Any]:
    """The facts the rule names, as JSON values: what made it true."""
    names = [n for n in compiled(expression).variables() if n in VARIABLES and n != "now"]
    return {n: _json(facts[n]) for n in names if n in facts}


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


class RuleSet:
    """Rules in force, evaluated together: one fact map and one CEL call per household.

    Passing a Python map into CEL costs far more than evaluating it (README, Screening), so the
    rules are joined into one list expression over only the facts they name, and households whose
    named facts are equal share one evaluation (a district has few distinct combinations); if one
    rule errors on a household (a missing list key), the rules are evaluated one by one for it.
    """

    MEMO = 100_000

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = list(rules)
        joined = "[" + ", ".join(f"({r.expression})" for r in self.rules) + "]"
        self._program = compiled(joined) if self.rules else None
        self.names = frozenset(
            n for r in self.rules for n in compiled(r.expression).variables() if n in VARIABLES
        )
        self._memo: dict[bytes, list[bool]] = {}

    def evaluate(self, facts: HouseholdFacts, now: datetime) -> list[bool]:
        """Whether the household satisfies each rule, in the order of `rules`."""
        if self._program is None:
            return []
        values = facts.as_cel(now, self.names)
        key = orjson.dumps(values, option=orjson.OPT_SORT_KEYS)
        known = self._memo.get(key)
        if known is not None:
            return known
        try:
            verdicts = [v is True for v in self._program.execute(values)]
        except (RuntimeError, KeyError, ValueError, TypeError):
            verdicts = [satisfies(r.expression, values) for r in self.rules]
        if len(self._memo) >= self.MEMO:
            self._memo.clear()
        self._memo[key] = verdicts
        return verdicts

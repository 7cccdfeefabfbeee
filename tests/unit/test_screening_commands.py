"""Screening commands: rule versions, list editions compared, alert outcomes, what-if."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.alliance import Alliance
from domain.households.identity import pseudonymise
from domain.households.vocabulary import Channel, Member
from domain.needs.model import Need
from domain.screening.model import DepartmentList, Outcome, RuleBook, list_id, rule_book_id
from domain.screening.rules import Rule
from domain.screening.whatif import what_if
from domain.shared.errors import InvalidValue, NotFound, RuleViolation
from domain.shared.taxonomy import Category, NeedType, Urgency
from harness.households import EXAMPLE_RULE
from tests.builders import NOW, VILLAGE

KEYS = [pseudonymise(f"3301061980010100{i:02d}", "test-secret") for i in range(6)]


@pytest.fixture
def app() -> Alliance:
    return Alliance(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def discover(app: Alliance, key: str, disabled: bool = True) -> None:
    member = Member("head", 1960, (), 1 if disabled else None)
    app.report_discovery(
        household_key=key,
        region_code=VILLAGE,
        channel=Channel.DATA_COMPARISON,
        reported_by="civil-affairs",
        at=NOW,
        members=[member],
    )


def compare(app: Alliance, rows: dict[str, str], edition: str, days: int = 0):
    return app.compare_list(
        region_code="330106",
        department="rural-revitalization",
        list_name="monitoring",
        edition=edition,
        rows=[(k, {"risk": r}) for k, r in rows.items()],
        at=NOW + timedelta(days=days),
    )


def last_comparison(app: Alliance) -> DepartmentList.Compared:
    ident = list_id("330106", "rural-revitalization", "monitoring")
    events = list(app.repository.event_store.get(ident))
    compared = [e for e in events if isinstance(e, DepartmentList.Compared)]
    return compared[-1]


def adopt(app: Alliance, expression: str = EXAMPLE_RULE, reason: str = "agreed"):
    return app.adopt_rule(
        region_code="330106",
        rule_id="risk-disabled",
        name="risk, disabled, no dibao",
        expression=expression,
        reason=reason,
        by="civil-affairs",
        at=NOW,
    )


def test_adopting_a_rule_again_with_a_new_expression_makes_version_two(app) -> None:
    adopt(app)
    adopt(app, EXAMPLE_RULE + " && people > 1", reason="stricter")
    book = app.repository.get(rule_book_id("330106"))
    assert isinstance(book, RuleBook)
    assert book.in_force["risk-disabled"]["version"] == 2


def test_adopting_the_same_rule_unchanged_is_refused(app) -> None:
    adopt(app)
    with pytest.raises(RuleViolation, match="already says this"):
        adopt(app)


def test_a_rule_naming_an_unknown_fact_is_refused_and_nothing_is_stored(app) -> None:
    with pytest.raises(InvalidValue, match="unknown fact"):
        adopt(app, "risk == 1")
    assert rule_book_id("330106") not in app.repository


def test_a_retired_rule_is_no_longer_in_force_and_cannot_be_retired_twice(app) -> None:
    adopt(app)
    app.retire_rule(region_code="330106", rule_id="risk-disabled", reason="done", by="ca", at=NOW)
    with pytest.raises(RuleViolation, match="no rule"):
        app.retire_rule(
            region_code="330106", rule_id="risk-disabled", reason="done", by="ca", at=NOW
        )


def test_a_list_compared_twice_gives_already_known(app) -> None:
    rows = {KEYS[0]: "not_eliminated", KEYS[1]: "eliminated"}
    compare(app, rows, "2026-10")
    first = last_comparison(app)
    assert (first.new, first.known, first.changed, first.gone) == (2, 0, 0, 0)
    compare(app, rows, "2026-11", days=30)
    second = last_comparison(app)
    assert (second.new, second.known, second.changed, second.gone) == (0, 2, 0, 0)
    assert second.previous_edition == "2026-10"


def test_a_new_edition_counts_new_changed_and_gone_rows(app) -> None:
    compare(app, {KEYS[0]: "not_eliminated", KEYS[1]: "eliminated", KEYS[2]: "x"}, "2026-10")
    compare(app, {KEYS[0]: "eliminated", KEYS[1]: "eliminated", KEYS[3]: "x"}, "2026-11")
    result = last_comparison(app)
    assert (result.rows, result.new, result.known, result.changed, result.gone) == (
        3,
        1,
        1,
        1,
        1,
    )


def test_the_same_edition_cannot_be_compared_twice(app) -> None:
    compare(app, {KEYS[0]: "x"}, "2026-10")
    with pytest.raises(RuleViolation, match="already compared"):
        compare(app, {KEYS[0]: "x"}, "2026-10")


def test_a_household_twice_in_one_edition_is_refused_naming_the_row(app) -> None:
    with pytest.raises(InvalidValue, match=r"rows\[1\]"):
        app.compare_list(
            region_code="330106",
            department="rr",
            list_name="monitoring",
            edition="1",
            rows=[(KEYS[0], {}), (KEYS[0], {})],
            at=NOW,
        )


def test_a_large_edition_is_recorded_in_chunks_and_only_changes_are_recorded_again(app) -> None:
    keys = [f"hh_{i:032x}" for i in range(4500)]
    app.compare_list(
        region_code="330106",
        department="rr",
        list_name="big",
        edition="1",
        rows=[(k, {"risk": "x"}) for k in keys],
        at=NOW,
    )
    ident = list_id("330106", "rr", "big")
    chunks = [
        e for e in app.repository.event_store.get(ident) if type(e).__name__ == "RowsRecorded"
    ]
    assert [len(c.rows) for c in chunks] == [2000, 2000, 500]
    app.compare_list(
        region_code="330106",
        department="rr",
        list_name="big",
        edition="2",
        rows=[(k, {"risk": "y" if i == 7 else "x"}) for i, k in enumerate(keys)],
        at=NOW,
    )
    events = list(app.repository.event_store.get(ident))
    assert [len(e.rows) for e in events if type(e).__name__ == "RowsRecorded"][-1] == 1


def test_an_alert_dismissed_without_a_reason_is_refused(app) -> None:
    discover(app, KEYS[0])
    with pytest.raises(InvalidValue, match="reason"):
        app.record_alert_outcome(
            alert_id=uuid4(),
            household_key=KEYS[0],
            rule_id="r",
            outcome=Outcome.DISMISSED,
            by="ca",
            at=NOW,
        )


def test_an_alert_ends_once_and_only_merged_into_an_open_need_of_the_same_household(app) -> None:
    discover(app, KEYS[0])
    discover(app, KEYS[1])
    need = app.raise_need(
        household_key=KEYS[1],
        need_type=NeedType.SURVIVAL,
        category=Category.MEDICAL,
        urgency=Urgency.HIGH,
        description="x",
        raised_by="ca",
        at=NOW,
    ).aggregate_id
    alert = uuid4()
    with pytest.raises(RuleViolation, match="another household"):
        app.record_alert_outcome(
            alert_id=alert,
            household_key=KEYS[0],
            rule_id="r",
            outcome=Outcome.MERGED,
            need_id=need,
            by="ca",
            at=NOW,
        )
    app.record_alert_outcome(
        alert_id=alert,
        household_key=KEYS[1],
        rule_id="r",
        outcome=Outcome.MERGED,
        need_id=need,
        by="ca",
        at=NOW,
    )
    assert isinstance(app.repository.get(need), Need)
    with pytest.raises(RuleViolation, match="already has its outcome"):
        app.record_alert_outcome(
            alert_id=alert,
            household_key=KEYS[1],
            rule_id="r",
            outcome=Outcome.DISMISSED,
            reason="x",
            by="ca",
            at=NOW,
        )


def test_an_outcome_for_a_household_without_a_file_is_not_found(app) -> None:
    with pytest.raises(NotFound):
        app.record_alert_outcome(
            alert_id=uuid4(),
            household_key=KEYS[5],
            rule_id="r",
            outcome=Outcome.DISMISSED,
            reason="x",
            by="ca",
            at=NOW,
        )


def log(app: Alliance) -> list:
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 10_000)]


def test_what_if_judges_a_draft_per_instant_against_the_rule_in_force_and_writes_nothing(
    app,
) -> None:
    for key in KEYS[:4]:
        discover(app, key, disabled=key != KEYS[3])
    adopt(app)
    compare(app, {k: "not_eliminated" for k in KEYS[:4]}, "2026-10")
    before = len(log(app))
    draft = [Rule("risk-disabled", 0, "draft", EXAMPLE_RULE + ' && region == "none"')]
    events = log(app)
    instants = [events[0].timestamp - timedelta(seconds=1), events[-1].timestamp]
    (empty, now) = what_if(events, draft, "330106", instants)
    assert empty["rules"][0]["households"] == 0 and empty["rules"][0]["in_force"] is None
    (rule,) = now["rules"]
    assert rule["households"] == 0
    assert rule["in_force"]["households"] == 3
    assert sorted(rule["in_force"]["only_in_force"]) == sorted(KEYS[:3])
    assert len(log(app)) == before

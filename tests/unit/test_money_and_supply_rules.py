"""Money in whole fen; offerings' capacity; contracts spent item by item."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from domain.contracts.application import check_items
from domain.contracts.model import Contract
from domain.shared.errors import InvalidValue, NotFound, RuleViolation
from domain.shared.money import fen_to_yuan, show, yuan_to_fen
from domain.supply.model import Offering
from domain.supply.terms import OfferingTerms

AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "fen"), [("2500", 250_000), ("12.30", 1_230), ("0.01", 1), ("1234.56", 123_456)]
)
def test_yuan_text_converts_to_fen_exactly(text: str, fen: int) -> None:
    assert yuan_to_fen(text) == fen
    assert yuan_to_fen(fen_to_yuan(fen)) == fen


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12.345", "more than two decimal places"),
        ("-1", "more than zero"),
        ("abc", "not a decimal"),
    ],
)
def test_yuan_text_that_is_not_whole_fen_is_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidValue, match=reason):
        yuan_to_fen(text)


def test_amounts_read_as_yuan_with_thousands_separators() -> None:
    assert show(550_000_000) == "5,500,000.00 yuan"


def terms(**overrides: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "name": "Home care",
        "need_type": "care",
        "category": "care",
        "areas": ["330106"],
        "capacity": 3,
    }
    return {**OfferingTerms.parse({**raw, **overrides}).as_record()}


def offering(**overrides: Any) -> Offering:
    return Offering(
        id=uuid4(),
        provider_id=uuid4(),
        region_code="330106",
        published_by="civil-affairs",
        published_at=AT,
        **terms(**overrides),
    )


def test_offering_terms_need_an_area_and_a_known_category() -> None:
    with pytest.raises(InvalidValue, match="areas"):
        terms(areas=[])
    with pytest.raises(InvalidValue, match="category"):
        terms(category="food")
    with pytest.raises(InvalidValue, match="maximum_age"):
        terms(eligibility={"minimum_age": 60, "maximum_age": 50})


def test_capacity_is_counted_per_month_and_refused_beyond_what_is_left() -> None:
    o = offering()
    o.use(period="2026-11", units=2, reference="d1", at=AT)
    with pytest.raises(RuleViolation, match="has 1 of 3 2026-11 capacity left; 2 requested"):
        o.use(period="2026-11", units=2, reference="d2", at=AT)
    o.use(period="2026-12", units=3, reference="d3", at=AT)
    o.release(period="2026-11", units=2, reference="d1", at=AT)
    assert o.remaining("2026-11") == 3


def test_a_closed_offering_gives_no_more_capacity() -> None:
    o = offering(capacity=None)
    o.close(by="civil-affairs", reason="provider left", at=AT)
    with pytest.raises(RuleViolation, match="is closed"):
        o.use(period="2026-11", units=1, reference="d", at=AT)


def contract() -> Contract:
    items = check_items(
        [
            {
                "item_id": "home-care",
                "name": "Home care",
                "need_type": "care",
                "category": "care",
                "budget_fen": 10_000,
                "capacity": 5,
            }
        ],
        50_000,
    )
    return Contract(
        id=uuid4(),
        provider_id=uuid4(),
        region_code="330106",
        title="2026 services",
        budget_fen=50_000,
        funding_source="district budget",
        items=items,
        signed_by="civil-affairs",
        signed_at=AT,
    )


def deliver(c: Contract, person_times: int, cost_fen: int, item: str = "home-care") -> None:
    c.record_delivery(
        delivery_id=uuid4(),
        item_id=item,
        household_id=uuid4(),
        region_code="330106002051",
        offering_id=None,
        person_times=person_times,
        cost_fen=cost_fen,
        note="",
        by="xinyuan",
        at=AT,
    )


def test_a_delivery_beyond_the_items_remaining_budget_is_refused_and_changes_nothing() -> None:
    c = contract()
    deliver(c, 1, 8_000)
    version = c.version
    with pytest.raises(RuleViolation, match=r"has 20\.00 yuan left of 100\.00 yuan; .* 30\.00"):
        deliver(c, 1, 3_000)
    assert c.version == version
    assert c.items["home-care"]["spent_fen"] == 8_000


def test_a_delivery_beyond_the_items_person_times_is_refused() -> None:
    c = contract()
    deliver(c, 4, 100)
    with pytest.raises(RuleViolation, match="has 1 of 5 person-times left; this delivery counts 2"):
        deliver(c, 2, 100)


def test_a_delivery_against_an_item_the_contract_lacks_names_the_items_it_has() -> None:
    with pytest.raises(NotFound, match="home-care"):
        deliver(contract(), 1, 100, item="meals")


def test_items_may_not_add_up_to_more_than_the_packaged_budget() -> None:
    item = {"item_id": "a", "need_type": "care", "category": "care", "budget_fen": 600}
    with pytest.raises(
        InvalidValue, match=r"add up to 12\.00 yuan, more than the budget of 10\.00"
    ):
        check_items([item, {**item, "item_id": "b"}], 1_000)

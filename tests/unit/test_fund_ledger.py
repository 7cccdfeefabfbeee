"""Fund: a ledger whose balances come only from its events, traceable to the fen."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.funds.earmark import Earmark
from domain.funds.model import Fund
from domain.shared.errors import NotFound, RuleViolation

AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
MEDICAL = Earmark.parse({"category": "medical"})
SINGLE_PARENT = Earmark.parse({"group": "single_parent"})


def fund() -> Fund:
    return Fund(
        id=uuid4(),
        name="community fund",
        region_code="330106",
        managed_by="charity-federation",
        description="",
        opened_at=AT,
    )


def give(f: Fund, amount: int, earmark: Earmark | None = None, donor: str = "Lvyuan Co.") -> UUID:
    donation = uuid4()
    f.receive(
        donation_id=donation,
        donor=donor,
        donor_kind="company",
        amount_fen=amount,
        earmark=earmark,
        by="charity-federation",
        at=AT,
    )
    return donation


def allocate(
    f: Fund,
    amount: int,
    earmark: Earmark | None = None,
    *,
    category: str = "medical",
    labels: frozenset[str] = frozenset(),
    region: str = "330106002051",
) -> UUID:
    allocation = uuid4()
    f.allocate(
        allocation_id=allocation,
        household_id=uuid4(),
        need_id=uuid4(),
        region_code=region,
        category=category,
        labels=set(labels),
        earmark=earmark,
        amount_fen=amount,
        by="charity-federation",
        at=AT,
    )
    return allocation


def test_money_earmarked_by_its_donor_is_not_free_money() -> None:
    f = fund()
    give(f, 10_000)
    give(f, 5_000, MEDICAL)
    assert f.available() == 10_000
    assert f.available(MEDICAL) == 5_000
    assert f.available_total() == 15_000


def test_an_allocation_draws_on_the_oldest_donations_of_its_pool_first() -> None:
    f = fund()
    first, second = give(f, 1_000, donor="A"), give(f, 1_000, donor="B")
    allocate(f, 1_500)
    (allocated,) = [e for e in f.collect_events() if isinstance(e, Fund.Allocated)]
    assert allocated.draws == [
        {"donation_id": str(first), "pool": "", "amount_fen": 1_000},
        {"donation_id": str(second), "pool": "", "amount_fen": 500},
    ]


def test_allocating_more_than_the_pool_holds_is_refused_and_changes_nothing() -> None:
    f = fund()
    give(f, 10_000)
    give(f, 5_000, MEDICAL)
    version = f.version
    with pytest.raises(RuleViolation, match=r"has 50\.00 yuan of money earmarked for category"):
        allocate(f, 5_001, MEDICAL)
    assert f.version == version
    assert f.available(MEDICAL) == 5_000


def test_earmarked_money_cannot_go_to_a_need_outside_its_earmark() -> None:
    f = fund()
    give(f, 5_000, SINGLE_PARENT)
    with pytest.raises(RuleViolation, match="earmarked for group single_parent cannot go"):
        allocate(f, 100, SINGLE_PARENT, labels=frozenset({"elderly_alone"}))
    allocate(f, 100, SINGLE_PARENT, labels=frozenset({"single_parent"}))
    assert f.available(SINGLE_PARENT) == 4_900


def test_earmarking_moves_free_money_into_the_earmark_and_refuses_more_than_is_free() -> None:
    f = fund()
    give(f, 3_000)
    assert SINGLE_PARENT is not None
    f.set_aside(earmark=SINGLE_PARENT, amount_fen=2_000, by="board", at=AT)
    assert (f.available(), f.available(SINGLE_PARENT)) == (1_000, 2_000)
    with pytest.raises(RuleViolation, match=r"has 10\.00 yuan of free money"):
        f.set_aside(earmark=SINGLE_PARENT, amount_fen=1_001, by="board", at=AT)


def test_cancelling_an_allocation_returns_its_money_to_the_pools_it_came_from() -> None:
    f = fund()
    give(f, 2_000, MEDICAL)
    allocation = allocate(f, 1_200, MEDICAL)
    f.cancel(allocation_id=allocation, reason="need met by insurance", by="cf", at=AT)
    assert f.available(MEDICAL) == 2_000


def test_an_allocation_is_paid_once_and_a_paid_one_cannot_be_cancelled() -> None:
    f = fund()
    give(f, 2_000)
    allocation = allocate(f, 2_000)
    f.disburse(allocation_id=allocation, reference="bank transfer", by="cf", at=AT)
    with pytest.raises(RuleViolation, match="is disbursed"):
        f.disburse(allocation_id=allocation, reference="again", by="cf", at=AT)
    with pytest.raises(RuleViolation, match="is disbursed"):
        f.cancel(allocation_id=allocation, reason="late", by="cf", at=AT)
    with pytest.raises(NotFound):
        f.disburse(allocation_id=uuid4(), reference="", by="cf", at=AT)


def test_only_unspent_money_of_a_donation_can_be_refunded() -> None:
    f = fund()
    donation = give(f, 1_000)
    allocate(f, 700)
    with pytest.raises(RuleViolation, match=r"has 3\.00 yuan unspent"):
        f.refund(donation_id=donation, amount_fen=301, reason="donor asked", by="cf", at=AT)
    f.refund(donation_id=donation, amount_fen=300, reason="donor asked", by="cf", at=AT)
    assert f.unspent(donation) == 0


# --- every command order keeps the ledger whole ---------------------------------------------

POOLS = [None, MEDICAL, SINGLE_PARENT]
command = st.one_of(
    st.tuples(st.just("give"), st.integers(1, 5_000), st.sampled_from(POOLS)),
    st.tuples(st.just("earmark"), st.integers(1, 5_000), st.sampled_from(POOLS[1:])),
    st.tuples(st.just("allocate"), st.integers(1, 5_000), st.sampled_from(POOLS)),
    st.tuples(st.just("cancel"), st.integers(0, 20), st.none()),
    st.tuples(st.just("disburse"), st.integers(0, 20), st.none()),
    st.tuples(st.just("refund"), st.integers(1, 5_000), st.integers(0, 20)),
)


def _run(f: Fund, step: tuple[str, int, Any], donations: list[UUID], allocs: list[UUID]) -> None:
    kind, amount, extra = step
    if kind == "give":
        donations.append(give(f, amount, extra))
    elif kind == "earmark":
        f.set_aside(earmark=extra, amount_fen=amount, by="board", at=AT)
    elif kind == "allocate":
        labels = frozenset({"single_parent"})
        allocs.append(allocate(f, amount, extra, labels=labels))
    elif kind in ("cancel", "disburse") and allocs:
        target = allocs[amount % len(allocs)]
        if kind == "cancel":
            f.cancel(allocation_id=target, reason="r", by="cf", at=AT)
        else:
            f.disburse(allocation_id=target, reference="r", by="cf", at=AT)
    elif kind == "refund" and donations:
        target = donations[extra % len(donations)]
        f.refund(donation_id=target, amount_fen=amount, reason="r", by="cf", at=AT)


@settings(max_examples=150, deadline=None)
@given(st.lists(command, max_size=40))
def test_every_command_order_keeps_each_fen_accounted_for_from_donor_to_household(
    steps: list[tuple[str, int, Any]],
) -> None:
    f = fund()
    donations: list[UUID] = []
    allocs: list[UUID] = []
    for step in steps:
        # A refused command must leave no trace; the checks below prove it.
        with contextlib.suppress(RuleViolation):
            _run(f, step, donations, allocs)
    events = f.collect_events()
    received = sum(e.amount_fen for e in events if isinstance(e, Fund.DonationReceived))
    refunded = sum(e.amount_fen for e in events if isinstance(e, Fund.DonationRefunded))
    cancelled = {e.allocation_id for e in events if isinstance(e, Fund.AllocationCancelled)}
    live = [e for e in events if isinstance(e, Fund.Allocated) and e.allocation_id not in cancelled]
    # Every pool holds a non-negative amount of every donation.
    assert all(v >= 0 for pool in f.pools.values() for v in pool.values())
    # What came in is either still available, committed to a household, or given back.
    assert received == f.available_total() + sum(a.amount_fen for a in live) + refunded
    # Each allocation's draws name donations and add up to its amount.
    for a in live:
        assert sum(d["amount_fen"] for d in a.draws) == a.amount_fen
    # Per donation: what is left + what went to households + refunds = what was given.
    for e in events:
        if isinstance(e, Fund.DonationReceived):
            d = str(e.donation_id)
            spent = sum(x["amount_fen"] for a in live for x in a.draws if x["donation_id"] == d)
            back = sum(
                x.amount_fen
                for x in events
                if isinstance(x, Fund.DonationRefunded) and str(x.donation_id) == d
            )
            assert f.unspent(e.donation_id) + spent + back == e.amount_fen
    # The events alone rebuild the same ledger: no balance is stored anywhere else.
    copy: Any = None
    for e in events:
        copy = e.mutate(copy)
    assert copy.pools == f.pools and copy.allocations == f.allocations

"""A grant a coordinator chooses when accepting a fund: named, within the policy's bounds."""

from __future__ import annotations

from domain.shared.errors import InvalidValue
from domain.shared.money import check_fen, show


def chosen_grant(amount_fen: int | None, low: int, high: int) -> int:
    """The grant named, within `low`..`high` fen; never a default."""
    bounds = f"from {show(low)} to {show(high)}"
    if amount_fen is None:
        raise InvalidValue(
            "amount", f"accepting a fund names the grant (amount_fen or amount_yuan), {bounds}"
        )
    amount = check_fen(amount_fen, "amount")
    if not low <= amount <= high:
        raise InvalidValue(
            "amount", f"{show(amount)} is outside the policy's bounds: a grant is {bounds}"
        )
    return amount

"""Money is whole fen (分), never float: parsing yuan text exactly and showing amounts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from domain.shared.errors import InvalidValue

MAX_FEN = 10**15  # a trillion yuan: far beyond any fund, small enough for every store's BIGINT


def check_fen(amount: object, field: str, *, allow_zero: bool = False) -> int:
    """Return a positive (or, if allowed, zero) whole number of fen, else raise InvalidValue."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidValue(field, f"{amount!r} is not a whole number of fen")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise InvalidValue(
            field, "must be more than zero" if not allow_zero else "must not be negative"
        )
    if amount > MAX_FEN:
        raise InvalidValue(field, f"{amount} fen is beyond the largest amount accepted")
    return amount


def yuan_to_fen(text: str, field: str = "amount_yuan") -> int:
    """Parse a decimal yuan string such as '2500' or '12.30' into fen, exactly."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidValue(field, "must be a decimal string of yuan, e.g. '2500.00'")
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidValue(field, f"{text!r} is not a decimal number of yuan") from None
    if not value.is_finite():
        raise InvalidValue(field, f"{text!r} is not a decimal number of yuan")
    fen = value * 100
    if fen != fen.to_integral_value():
        raise InvalidValue(field, f"{text!r} has more than two decimal places (1 fen = 0.01 yuan)")
    return check_fen(int(fen), field)


def fen_to_yuan(fen: int) -> str:
    """Fen as exact yuan text with two decimals, e.g. 250000 → '2500.00'."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def show(fen: int) -> str:
    """Fen for a person to read in a message, e.g. '2,500.00 yuan'."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d} yuan"

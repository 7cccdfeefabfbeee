"""Erasure of a household's personal data (crypto-shredding): the rules of the command.

The key that seals the household's personal fields lives outside the log and is destroyed by
the edge when this command is accepted; the log keeps the erasure as an event, with who asked,
under which legal reason and reference, so an auditor can see that and why it was done.
"""

from __future__ import annotations

from datetime import datetime

from domain.shared.errors import InvalidValue, RuleViolation


def check_erasure(*, reason: str, erased_at: datetime | None) -> None:
    """An erasure needs its legal reason, and happens once."""
    if not reason.strip():
        raise InvalidValue("reason", "an erasure needs its legal reason")
    if erased_at is not None:
        raise RuleViolation(f"the household was already erased at {erased_at.isoformat()}")

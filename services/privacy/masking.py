"""What a caller sees instead of a personal value it may not, or can no longer, read."""

from __future__ import annotations

REDACTED = "[redacted]"  # the caller's role does not need this household's personal fields
ERASED = "[erased]"  # the household was erased: its key is destroyed, nobody can read it
UNREADABLE = "[unreadable]"  # no key, or a value that does not open (edited or moved)


def mask_household_key(key: str) -> str:
    """A household key: the secret's id and the first four digits of the pseudonym."""
    head, sep, rest = key.partition("_")
    return f"{head}{sep}{rest[:4]}****" if sep else "****"

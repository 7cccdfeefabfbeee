"""Names that commands require: a department, a worker, a reason."""

from __future__ import annotations

from domain.shared.errors import InvalidValue


def required(value: str, field: str, reason: str = "is required") -> str:
    """The value without surrounding spaces; refuse an empty one, naming the field."""
    if not value.strip():
        raise InvalidValue(field, reason)
    return value.strip()

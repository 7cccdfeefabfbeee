"""The event catalogue: every CloudEvents type a department may publish, declared once.

Each definition (in `households`, `referrals`, `supply`, `money`, `matching`) yields its current
type and the older versions still accepted; everything else — schemas, dispatch, examples, the
README table — is derived from it.
"""

from __future__ import annotations

# Importing a module declares its types, in this order.
from services.ingest.catalogue import (
    consent,
    households,
    matching,
    money,
    pairings,
    referrals,
    screening,
    standards,
    supply,
    vocabulary,
)
from services.ingest.catalogue.definition import (
    PREFIX,
    REGISTRY,
    Context,
    Definition,
    Effect,
    EventData,
    EventType,
)

_ORDER = [
    m.__name__
    for m in (
        households,
        consent,
        referrals,
        standards,
        pairings,
        supply,
        money,
        matching,
        vocabulary,
        screening,
    )
]
DEFINITIONS: list[Definition] = sorted(REGISTRY, key=lambda d: _ORDER.index(d.data.__module__))

CATALOGUE: dict[str, EventType] = {t.name: t for d in DEFINITIONS for t in d.types()}


def current(name: str) -> str:
    """The current CloudEvents type of the definition with this name."""
    for definition in DEFINITIONS:
        if definition.name == name:
            return f"{PREFIX}{name}.v{definition.version}"
    raise KeyError(name)


__all__ = [
    "CATALOGUE",
    "DEFINITIONS",
    "PREFIX",
    "Context",
    "Definition",
    "Effect",
    "EventData",
    "EventType",
    "current",
]

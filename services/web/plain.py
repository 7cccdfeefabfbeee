"""Refusals in plain words: the domain's most common refusals said in the page's language.

The ingest path answers in English for departments' systems; a person at a page gets the same
refusal, translated where its shape is known, and otherwise as the service said it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from services.web.render import N_, label_of
from services.web.render import gettext as _

# Field reasons the domain gives (English msgids), translated through the catalogue.
KNOWN_REASONS = (
    N_("dismissing an alert needs the reason"),
    N_("adopting or changing a rule needs a reason"),
    N_("retiring a rule needs a reason"),
    N_("routing needs the unit that will handle the referral"),
    N_("feedback must say something"),
    N_("completing needs the outcome"),
)


def _statuses(names: str) -> str:
    return "、".join(label_of("referral_status", n.strip()) for n in names.split(","))


_SHAPES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"^referral \S+ is (\w+); .+ needs it to be (.+)$"),
        lambda m: _(
            "This referral is %(status)s; this step needs it to be %(needed)s.",
            status=label_of("referral_status", m[1]),
            needed=_statuses(m[2]),
        ),
    ),
    (
        re.compile(r"^referral \S+ is held by '(.+)'; '(.+)' cannot .+ it$"),
        lambda m: _(
            "Only the department holding this referral (%(holder)s) may take this step;"
            " you act for %(actor)s.",
            holder=label_of("department", m[1]),
            actor=label_of("department", m[2]),
        ),
    ),
    (
        re.compile(r"^alert \S+ already has its outcome$"),
        lambda m: _("This alert already has its outcome."),
    ),
    (
        re.compile(r"^a (\w+) outcome names the need$"),
        lambda m: _("Choose the need this outcome names."),
    ),
]


def plain(text: str) -> str:
    """A refusal's words in the page's language when their shape is known."""
    for shape, say in _SHAPES:
        found = shape.match(text)
        if found:
            return say(found)
    return _(text) if text in KNOWN_REASONS else text

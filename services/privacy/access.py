"""Who reads a household's personal fields in clear: the one place that decides it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.auth.principal import Principal, Role


@dataclass(frozen=True)
class HouseholdScope:
    """What the decision needs to know about a household."""

    region_code: str | None
    holders: frozenset[str]  # departments and providers its referrals were addressed to


def may_read_clear(principal: Principal | None, scope: Callable[[], HouseholdScope]) -> bool:
    """Whether this caller needs a household's personal fields in clear.

    Coordinators and auditors of the household's jurisdiction do, and the provider (or
    department) a referral of the household was addressed to; publishers and administrators do
    not. Without a principal — before authentication is wired in — the caller is trusted, as
    every caller is today.
    """
    if principal is None:
        return True
    if principal.role in (Role.COORDINATOR, Role.AUDITOR):
        return principal.covers(scope().region_code)
    if principal.role is Role.PROVIDER:
        names = {principal.actor, principal.provider, principal.department} - {None, ""}
        return bool(names & scope().holders)
    return False

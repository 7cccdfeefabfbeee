"""Jurisdiction on reads: every list is cut to the caller's region prefix, and a single record
outside it is 404, exactly as a missing one.

The middleware puts the request's principal in a context variable, so the read helpers the
routers already call (`services.api.deps.region_prefix`, the pages' region filter) apply it
without each router passing the request along.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, TypeVar

from services.auth.principal import Principal, Role
from services.errors import Problem

T = TypeVar("T")
current: ContextVar[Principal | None] = ContextVar("principal", default=None)


def scoped_region(asked: str | None) -> str | None:
    """The region a list is filtered on: the one asked for, inside the caller's jurisdiction.

    A region wider than the jurisdiction is narrowed to it; one outside it is 403 (region
    codes are public, so refusing says nothing about households, and an empty list would
    pass silently for "nothing there").
    """
    principal = current.get()
    mine = principal.region if principal is not None else ""
    if not mine:
        return asked
    if not asked or mine.startswith(asked):
        return mine
    if asked.startswith(mine):
        return asked
    raise Problem(403, "Outside your jurisdiction", f"region {asked} is outside your region {mine}")


def check_record(region_code: str | None, what: str) -> None:
    """404 for a record outside the caller's jurisdiction, worded as a missing one."""
    principal = current.get()
    if principal is not None and not principal.covers(region_code):
        raise Problem(404, "Not found", f"no {what}")


def provider_scope() -> str | None:
    """The provider a provider's caller is limited to (None for every other role)."""
    principal = current.get()
    if principal is None or principal.role is not Role.PROVIDER:
        return None
    return principal.provider or principal.actor


def visible(row: T | None) -> T | None:
    """The record if the caller may see it, else None (the router answers 404 as for a missing
    one). Judged on its region code; a provider sees only referrals it holds."""
    if row is None:
        return None
    principal = current.get()
    if principal is None:
        return row
    fields: Any = row
    region = fields.get("region_code", fields.get("region"))
    if not principal.covers(region):
        return None
    provider = provider_scope()
    if provider is not None and "holder" in fields and fields["holder"] != provider:
        return None
    return row

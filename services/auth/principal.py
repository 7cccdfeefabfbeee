"""The caller of a request, as every part of the service sees it.

Authentication (tokens, sessions, an external OpenID Connect issuer) resolves a request to one
`Principal`; everything else — publishing rules, jurisdiction, consent, the access log — reads
only this value. A request nobody authenticated carries no principal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from fastapi import Request


class Role(StrEnum):
    """What a caller may do; deny by default, one role per credential."""

    PUBLISHER = "publisher"  # a department system: its own event types, under its sources
    COORDINATOR = "coordinator"  # a person: needs, queues, referrals, matching in a region
    PROVIDER = "provider"  # a provider's people or system: its offerings, referrals, deliveries
    AUDITOR = "auditor"  # read-only, everything, history, as-of views, the access log
    ADMINISTRATOR = "administrator"  # accounts and clients; no casework


@dataclass(frozen=True)
class Principal:
    """An authenticated caller.

    `subject` is the stable id of the credential's owner (a client id or an account name);
    `actor` is who the alliance's events say acted (a department, a provider, or a person);
    `region` is the jurisdiction, a division-code prefix ("" = the whole alliance).
    """

    subject: str
    kind: str  # "client" (a department system) or "account" (a person)
    role: Role
    actor: str
    region: str = ""
    department: str | None = None
    provider: str | None = None  # the provider's name in the alliance's events (its actor)
    provider_record: str | None = None  # its record id in the log (contracts name this one)
    sources: tuple[str, ...] = ()  # CloudEvents source prefixes a publisher may use
    event_types: tuple[str, ...] = ()  # types (or "prefix.*" patterns) a publisher may send
    scopes: frozenset[str] = field(default_factory=frozenset)

    def covers(self, region_code: str | None) -> bool:
        """Whether a record in this region lies inside the caller's jurisdiction."""
        return not self.region or (region_code or "").startswith(self.region)


def principal_of(request: Request) -> Principal | None:
    """The principal authentication attached to this request, if any."""
    principal: Principal | None = getattr(request.state, "principal", None)
    return principal

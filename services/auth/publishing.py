"""Who may publish which events: types by credential or role, sources, and the actor.

The ingestor calls `authorize` for every event a known principal sends (one, binary, each item
of a batch), before the event is parsed:

- **Types.** A department system (publisher) sends only the types its credential lists: exact
  names or `prefix.*` patterns (`cn.zhulian.referral.*`). Coordinators and providers acting from
  the API or the pages send the types their role allows (`ROLE_TYPES`). Auditors and
  administrators publish nothing.
- **Sources.** `source` + `id` identify an event, so an id space belongs to its source: a caller
  sends only under its own source prefixes (a whole path segment: `/330106/hrss` covers
  `/330106/hrss/visits`, not `/330106/hrss-x`). Nobody can take another department's next id.
  A person's account without registered sources publishes under `/accounts/<subject>`.
- **The actor.** A caller acts only as itself: the event's actor is set from the credential;
  an actor in `data` that names anybody else is refused, naming both.

Events without a principal — the demo seeding, the clock, the Kafka inbox — are not checked
here: the inbox topic is trusted by its ACL (only the department gateways may produce to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.shared.acting import Acting
from services.auth.principal import Principal, Role
from services.errors import Problem

# The definitions (type names without prefix and version) a role may publish from the API/pages.
ROLE_TYPES: dict[Role, frozenset[str]] = {
    Role.COORDINATOR: frozenset(
        {
            "need.raised",
            "need.closed",
            "referral.requested",
            "referral.reassigned",
            "referral.followed_up",
            "match.candidate_accepted",
            "match.candidate_rejected",
            "match.need_escalated",
            "reservation.released",
            # A department's people sign in as coordinators acting for their department: they
            # take the steps of the referrals their department holds (the domain refuses anyone
            # but the holder), record the deliveries of the contracts it purchased, and adopt
            # their alliance's matching policy and screening rules from the pages (issue 18).
            "referral.accepted",
            "referral.routed",
            "referral.feedback_given",
            "referral.completed",
            "referral.refused",
            "contract.delivery_recorded",
            "match.policy_adopted",
            "screening.rule_adopted",
            "screening.pack_adopted",
            "screening.rule_retired",
            "alert.outcome_recorded",
            "household.consent.given",
            "household.consent.withdrawn",
            "household.legal_basis.recorded",
        }
    ),
    Role.PROVIDER: frozenset(
        {
            "offering.published",
            "offering.updated",
            "offering.closed",
            "referral.accepted",
            "referral.routed",
            "referral.feedback_given",
            "referral.completed",
            "referral.refused",
            "contract.delivery_recorded",
        }
    ),
}
ACCOUNT_SOURCES = "/accounts/"


@dataclass(frozen=True)
class Kind:
    """What the rules need of an event's type (the ingestor looks it up in the catalogue)."""

    name: str  # the CloudEvents type, e.g. "cn.zhulian.referral.accepted.v2"
    definition: str  # without prefix and version, e.g. "referral.accepted"
    actor_field: str = "actor"  # what this version calls the actor in `data`


def forbidden(reason: str, field: str) -> Problem:
    """403 with a plain reason naming the attribute refused."""
    return Problem(403, "Forbidden", reason, [{"field": field, "reason": reason}])


def sources_of(principal: Principal) -> tuple[str, ...]:
    """The source prefixes a caller publishes under."""
    return principal.sources or (f"{ACCOUNT_SOURCES}{principal.subject}",)


def source_for(principal: Principal) -> str:
    """The source the API and the pages give the events a person sends."""
    return sources_of(principal)[0]


def under(source: str, prefix: str) -> bool:
    """Whether a source lies under a prefix, on a path-segment boundary."""
    base = prefix.rstrip("/")
    return source == base or source.startswith(base + "/")


def type_matches(type_name: str, pattern: str) -> bool:
    """An exact type name, a `prefix.*` pattern, or `*`: every type (an explicit grant)."""
    if pattern == "*":
        return True
    if pattern.endswith(".*"):
        return type_name.startswith(pattern[:-1])
    return type_name == pattern


def may_send(principal: Principal, kind: Kind) -> bool:
    """Whether the caller's credential or role lets it publish this type."""
    if principal.role is Role.PUBLISHER:
        return any(type_matches(kind.name, p) for p in principal.event_types)
    return kind.definition in ROLE_TYPES.get(principal.role, frozenset())


def authorize(principal: Principal, raw: dict[str, Any], kind: Kind) -> dict[str, Any]:
    """Check a CloudEvent of a known type against the caller; return it with the actor set.

    Raises a 403 problem with a plain reason for another's type, source or actor.
    """
    if not may_send(principal, kind):
        raise forbidden(
            f"{principal.subject!r} ({principal.role.value}) may not publish {kind.name}", "type"
        )
    source = raw.get("source")
    allowed = sources_of(principal)
    if isinstance(source, str) and not any(under(source, p) for p in allowed):
        raise forbidden(
            f"source {source!r} is not under the sources of {principal.subject!r} "
            f"({', '.join(allowed)}); an event id space belongs to its source",
            "source",
        )
    data = raw.get("data")
    if not isinstance(data, dict):
        return raw
    name = kind.actor_field
    given = data.get(name)
    if given is not None and given != principal.actor:
        raise forbidden(
            f"data.{name} is {given!r} but the credential acts as {principal.actor!r}; "
            "a caller acts only as itself (leave the actor out: it is set from the credential)",
            f"data.{name}",
        )
    return {**raw, "data": {**data, name: principal.actor}}


def acting_of(principal: Principal) -> Acting:
    """What the domain's rules of who may act need to know of the caller."""
    return Acting(
        actor=principal.actor,
        coordinator_of=principal.region if principal.role is Role.COORDINATOR else None,
        # a provider's credential acts only on its own record's contracts; one not linked to
        # a record ("") acts on none — never on all
        provider_id=(principal.provider_record or "") if principal.role is Role.PROVIDER else None,
    )

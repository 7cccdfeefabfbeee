"""Who acts on a record, as the caller's credential says, and the rules of who may act.

Commands receive the actor as a name (`by`); when the caller was authenticated they also receive
an `Acting`: the same actor plus what the credential makes of it (a coordinator over a region, a
provider's record). Internal callers (the demo seeding, the clock, the trusted Kafka inbox) pass
none, and the rules below then trust the actor named in the event, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.shared.errors import NotPermitted


@dataclass(frozen=True)
class Acting:
    """An authenticated actor: who, and whether a coordinator (of a region) or a provider."""

    actor: str
    coordinator_of: str | None = None  # a division-code prefix ("" = the whole alliance)
    provider_id: str | None = None  # the provider record a provider's credential speaks for

    def coordinates(self, region_code: str) -> bool:
        """Whether this actor is a coordinator whose region covers the record's region."""
        return self.coordinator_of is not None and region_code.startswith(self.coordinator_of)


def require_one_of(
    acting: Acting | None,
    *,
    action: str,
    record: str,
    parties: tuple[str, ...],
    region_code: str,
    coordinator: bool = True,
) -> None:
    """Refuse unless the actor is one of the record's parties or (if allowed) its coordinator."""
    if acting is None:  # an internal caller: the event's actor is trusted
        return
    if acting.actor in parties or (coordinator and acting.coordinates(region_code)):
        return
    named = " or ".join(repr(p) for p in parties if p) or "its parties"
    who = f"{named} or a coordinator of region {region_code}" if coordinator else named
    raise NotPermitted(f"{acting.actor!r} cannot {action} {record}: only {who} may")


def require_in_region(acting: Acting | None, *, action: str, record: str, region_code: str) -> None:
    """A coordinator acts only inside its region; other actors are judged by other rules."""
    if acting is None or acting.coordinator_of is None or acting.coordinates(region_code):
        return
    raise NotPermitted(
        f"{acting.actor!r} coordinates region {acting.coordinator_of or 'all'}; {record} lies in"
        f" {region_code}, outside it: it cannot {action} it"
    )

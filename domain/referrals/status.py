"""Where a referral stands in its loop."""

from __future__ import annotations

from enum import StrEnum


class ReferralStatus(StrEnum):
    """Where a referral stands in its loop."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    ROUTED = "routed"
    FEEDBACK_GIVEN = "feedback_given"
    COMPLETED = "completed"
    FOLLOWED_UP = "followed_up"
    REFUSED = "refused"


OPEN_STATUSES = frozenset(
    {
        ReferralStatus.REQUESTED,
        ReferralStatus.ACCEPTED,
        ReferralStatus.ROUTED,
        ReferralStatus.FEEDBACK_GIVEN,
    }
)
AWAITING_FEEDBACK = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.ROUTED})

"""One readable line per event, for the household timeline."""

from __future__ import annotations

from typing import Any

from domain.households.consent import Sharing
from domain.households.model import Household
from domain.needs.model import Need
from domain.referrals.model import Referral

_TEMPLATES: dict[type, str] = {
    Household.Discovered: "File opened after a {channel} report by {reported_by}",
    Household.ReportedAgain: "Reported again ({channel}) by {reported_by}",
    Household.AssistanceGranted: "{status} granted by {by}",
    Household.AssistanceEnded: "{status} ended by {by}: {reason}",
    Household.ApplicationReceived: "Self-application received; first answer due"
    " {due_at:%Y-%m-%d %H:%M}",
    Household.ApplicationAnswered: "Application answered by {by}: {answer}",
    Household.ApplicationOverdue: "Missed deadline: the application's answer was due"
    " {due_at:%Y-%m-%d %H:%M}",
    Household.Escalated: "Escalated from {from_region} to {to_region}: application unanswered",
    Household.TemporaryAidGranted: "Temporary assistance (临时救助) paid by {by}: {reason}",
    Household.Assessed: "Assessed by {by}: circle {difficulty_circle}, group {group}",
    Sharing.ConsentGiven: "Consent to share the file with {recipient} for {purpose}, recorded"
    " by {by} ({document})",
    Sharing.ConsentWithdrawn: "Consent to share with {recipient} withdrawn, recorded by {by}",
    Sharing.LegalBasisRecorded: "Legal basis to share with {recipient} recorded by {by}: {article}",
    Need.Raised: "{urgency} {need_type}/{category} need raised by {raised_by}: {description}",
    Need.Referred: "Need referred",
    Need.Reopened: "Need back in the queue: {reason}",
    Need.Met: "Need met",
    Need.Closed: "Need closed by {by}: {reason}",
    Referral.Requested: "Referred from {from_department} to {to_department}",
    Referral.Accepted: "Referral accepted by {actor}; feedback due"
    " {feedback_due_at:%Y-%m-%d %H:%M}",
    Referral.Routed: "Referral routed by {actor} to {to_unit}",
    Referral.FeedbackGiven: "Feedback from {actor}: {content}",
    Referral.Completed: "Referral completed by {actor}: {outcome}",
    Referral.FollowedUp: "Follow-up visit by {actor}: {note}",
    Referral.Refused: "Referral refused by {actor}: {reason}",
    Referral.Reassigned: "Referral moved from {from_department} to {to_department}: {reason}",
    Referral.DeadlineBreached: "Missed deadline: {holder}'s {step} was due {due_at:%Y-%m-%d %H:%M}",
    Referral.Escalated: "Escalated from {from_region} to {to_region} after the missed {step}",
}


def summarise(event: Any) -> str:
    """A one-line summary of an event, from its own fields."""
    template = _TEMPLATES.get(type(event))
    if template is None:
        return type(event).__qualname__
    return template.format(**vars(event))

"""One readable line per event, for the household timeline."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from string import Formatter
from typing import Any

from domain.contracts.model import Contract
from domain.funds.model import Fund
from domain.households.consent import Sharing
from domain.households.model import Household
from domain.matching.model import Triage
from domain.needs.model import Need
from domain.referrals.model import Referral
from domain.reservations.model import Reservation
from domain.shared.money import show
from domain.shared.months import ALLIANCE_TIME

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
    Triage.CandidateAccepted: "Candidate {candidate_id} ({kind}) chosen by {by} under matching"
    " policy v{policy_version}",
    Triage.CandidateRejected: "Candidate {candidate_id} ruled out by {by}: {reason}",
    Triage.Escalated: "Need escalated by {by} from {from_code} to {to_code}: {reason}",
    Reservation.Used: "Reservation used by a {used_by} ({reference})",
    Reservation.Released: "Reservation released ({cause}) by {by}: {reason}",
    Reservation.Expired: "Reservation expired: {reason}",
    Fund.Allocated: "{amount_fen:yuan} allocated by {by} from the fund",
    Fund.AllocationCancelled: "Allocation {allocation_id} cancelled by {by}: {reason}",
    Fund.Disbursed: "{amount_fen:yuan} paid by {by}: {reference}",
    Contract.DeliveryRecorded: "Service delivered ({item_id}): {person_times} person-time(s),"
    " {cost_fen:yuan}, recorded by {recorded_by}",
}


class _Fen(int):
    """An amount in fen that `{x:yuan}` shows in yuan."""

    def __format__(self, spec: str) -> str:
        return show(int(self)) if spec == "yuan" else format(int(self), spec)


def _shown(value: Any) -> Any:
    if isinstance(value, datetime):  # days and hours on the alliances' clock
        return value.astimezone(ALLIANCE_TIME) if value.tzinfo else value
    if isinstance(value, int) and not isinstance(value, bool):
        return _Fen(value)
    return value


def _reserved(e: Any) -> str:
    held = f"{e.units} unit(s) in {e.period}" if e.kind == "capacity" else show(e.amount_fen)
    until = _shown(e.expires_at)
    return f"{held} reserved by {e.made_by} for the referral, until {until:%Y-%m-%d %H:%M}"


def summarise(event: Any) -> str:
    """A one-line summary of an event, from its own fields."""
    if isinstance(event, Reservation.Made):
        return _reserved(event)
    template = _TEMPLATES.get(type(event))
    if template is None:
        return type(event).__qualname__
    fields = vars(event)
    return template.format(**{k: _shown(fields[k]) for k in _named(template)})


@cache
def _named(template: str) -> tuple[str, ...]:
    """The event fields a template shows (only they are converted for it)."""
    return tuple({name for _, name, _, _ in Formatter().parse(template) if name})

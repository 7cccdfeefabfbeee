"""Every action a page offers: which CloudEvent type it produces and the inputs it asks for.

Labels are English msgids (translated where shown); `record` names what the action acts on, so
the route can find its region (jurisdiction and the event's `source`).
"""

from __future__ import annotations

from dataclasses import replace

from services.web.forms import Action, Field
from services.web.render import N_
from services.web.render import gettext as _

REASON = Field("reason", N_("Reason"), "textarea")
NOTE = Field("note", N_("Note"), "textarea", required=False)
NEED = Field("need_id", N_("Need"), "hidden")
CANDIDATE = Field("candidate_id", N_("Candidate"), "hidden")
REFERRAL = Field("referral_id", N_("Referral"), "hidden")
COUNTY = Field("region_code", N_("Alliance (county code)"), "hidden")
DEPARTMENT = Field("to_department", N_("To department"), "select", options="department")
YES_NO = (("yes", N_("Yes")), ("no", N_("No")))

ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "accept-candidate",
            "match.candidate_accepted.v2",
            N_("Accept this service"),
            (NEED, CANDIDATE, Field("units", N_("Units of capacity"), "int", required=False), NOTE),
            "need",
            N_("Accept"),
            done=N_("The candidate was accepted: a referral was made."),
        ),
        Action(
            "accept-fund",
            "match.candidate_accepted.v2",
            N_("Accept this fund with an amount"),
            (
                NEED,
                CANDIDATE,
                Field(
                    "amount_yuan",
                    N_("Amount (yuan)"),
                    "yuan",
                    hint=N_("The yuan reserved for this need, e.g. 2500.00"),
                ),
                NOTE,
            ),
            "need",
            N_("Accept"),
            done=N_("The fund was accepted: the amount is reserved for the need."),
        ),
        Action(
            "reject-candidate",
            "match.candidate_rejected.v2",
            N_("Rule this candidate out"),
            (NEED, CANDIDATE, REASON),
            "need",
            N_("Reject"),
            done=N_("The candidate was ruled out for this need."),
        ),
        Action(
            "escalate-need",
            "match.need_escalated.v2",
            N_("Escalate to the next level"),
            (NEED, REASON, replace(DEPARTMENT, required=False)),
            "need",
            N_("Escalate"),
            done=N_("The need moved to the next level's queue."),
        ),
        Action(
            "request-referral",
            "referral.requested.v2",
            N_("Refer to a department"),
            (NEED, DEPARTMENT, NOTE),
            "need",
            N_("Refer"),
            done=N_("The referral was requested."),
        ),
        Action(
            "accept-referral",
            "referral.accepted.v2",
            N_("Accept the referral (受理)"),
            (REFERRAL,),
            "referral",
            N_("Accept"),
            done=N_("The referral was accepted."),
        ),
        Action(
            "route-referral",
            "referral.routed.v2",
            N_("Pass to a handling unit (流转)"),
            (REFERRAL, Field("to_unit", N_("Handling unit")), NOTE),
            "referral",
            N_("Route"),
            done=N_("The referral was routed."),
        ),
        Action(
            "give-feedback",
            "referral.feedback_given.v2",
            N_("Report back (反馈)"),
            (REFERRAL, Field("content", N_("Feedback"), "textarea")),
            "referral",
            N_("Give feedback"),
            done=N_("The feedback was recorded."),
        ),
        Action(
            "complete-referral",
            "referral.completed.v2",
            N_("Close the case (办结)"),
            (REFERRAL, Field("outcome", N_("Outcome"), "textarea")),
            "referral",
            N_("Complete"),
            done=N_("The referral was completed."),
        ),
        Action(
            "follow-up",
            "referral.followed_up.v2",
            N_("Follow-up visit (回访)"),
            (
                REFERRAL,
                Field("satisfied", N_("Was the household satisfied?"), "bool", choices=YES_NO),
                NOTE,
            ),
            "referral",
            N_("Record the visit"),
            done=N_("The follow-up visit was recorded."),
        ),
        Action(
            "record-delivery",
            "contract.delivery_recorded.v2",
            N_("Record a delivery"),
            (
                Field("contract_id", N_("Contract"), "hidden"),
                Field("item_id", N_("Item"), "select"),
                Field("household", N_("Household key"), "household"),
                Field("person_times", N_("Person-times"), "int"),
                Field("cost_yuan", N_("Cost (yuan)"), "yuan"),
                NOTE,
            ),
            "contract",
            N_("Record"),
            done=N_("The delivery was recorded."),
        ),
        Action(
            "adopt-policy",
            "match.policy_adopted.v2",
            N_("Adopt a matching policy"),
            (
                COUNTY,
                Field(
                    "settings",
                    N_("Settings (JSON)"),
                    "json",
                    hint=N_("Weights, switches and exclusions; the version in force is shown."),
                ),
                REASON,
            ),
            "region",
            N_("Adopt"),
            done=N_("The matching policy was adopted as a new version."),
        ),
        Action(
            "alert-outcome",
            "alert.outcome_recorded.v1",
            N_("End this alert"),
            (
                Field("alert_id", N_("Alert"), "hidden"),
                Field(
                    "outcome",
                    N_("Outcome"),
                    "select",
                    choices=(
                        ("need_raised", N_("Checked: a need was raised")),
                        ("dismissed", N_("Checked: dismissed (give the reason)")),
                        ("merged", N_("Merged into an open case")),
                    ),
                ),
                Field("reason", N_("Reason"), "textarea", required=False),
                Field("need_id", N_("The need (raised or merged into)"), "select", required=False),
            ),
            "alert",
            N_("Record the outcome"),
            done=N_("The alert's outcome was recorded."),
        ),
        Action(
            "adopt-rule",
            "screening.rule_adopted.v1",
            N_("Adopt or change a rule"),
            (
                COUNTY,
                Field("rule_id", N_("Rule id"), hint=N_("Lower-case letters, digits and dashes")),
                Field("name", N_("Name")),
                Field("expression", N_("Expression (CEL)"), "textarea"),
                Field("fix", N_("The fix it calls for"), "textarea", required=False),
                REASON,
            ),
            "region",
            N_("Adopt"),
            done=N_("The rule was adopted as a new version."),
        ),
        Action(
            "adopt-pack",
            "screening.pack_adopted.v1",
            N_("Adopt a rule pack"),
            (COUNTY, Field("pack", N_("Pack"), "select", options="screening_pack"), REASON),
            "region",
            N_("Adopt the pack"),
            done=N_("The pack's rules were adopted."),
        ),
        Action(
            "retire-rule",
            "screening.rule_retired.v1",
            N_("Retire this rule"),
            (COUNTY, Field("rule_id", N_("Rule id"), "hidden"), REASON),
            "region",
            N_("Retire"),
            done=N_("The rule was retired; its open alerts stay open."),
        ),
    )
}


def done_message(name: str | None) -> str:
    """What a page says after one of its forms was recorded (`?done=<action>`)."""
    action = ACTIONS.get(name or "")
    return _(action.done) if action else ""

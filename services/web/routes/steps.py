"""A referral on its own page with the step forms its status allows (usable on a phone), and
the matching policy with its versions and the form to adopt a new one."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from projections.match_queue.queries import policy_versions
from projections.referral_board.queries import get_referral
from services.auth.principal import principal_of
from services.web.actions import ACTIONS
from services.web.render import gettext as _
from services.web.render import render
from services.web.routes.act import not_found
from services.web.routes.common import ContainerDep
from services.web.routes.screening import County, alliance_of_page, county_choices

router = APIRouter(include_in_schema=False)

# The closed loop: which steps a holder may take next, by the referral's status.
NEXT_STEPS = {
    "requested": ("accept-referral",),
    "accepted": ("route-referral", "give-feedback"),
    "routed": ("give-feedback",),
    "feedback_given": ("give-feedback", "complete-referral"),
    "completed": ("follow-up",),
}


@router.get("/ui/referrals/{referral_id}")
def referral_page(referral_id: UUID, request: Request, container: ContainerDep) -> Response:
    """Where a referral stands, its deadline, and the forms of its next steps."""
    row = get_referral(container.store, str(referral_id), now=container.clock())
    principal = principal_of(request)
    if row is None or (principal is not None and not principal.covers(row["region_code"])):
        return not_found(request)
    return render(
        request,
        "referral.html",
        title=_("Referral"),
        referral=row,
        steps=[ACTIONS[name] for name in NEXT_STEPS.get(row["status"], ())],
    )


def publishable(settings: dict[str, Any]) -> dict[str, Any]:
    """Stored settings as a department would publish them: an exclusion's empty `target` is
    stored as "" but published by leaving it out (the schema wants an id when it is there)."""
    exclusions = [
        {k: v for k, v in e.items() if v not in ("", None)} for e in settings.get("exclusions", [])
    ]
    return {**settings, "exclusions": exclusions} if exclusions else dict(settings)


@router.get("/ui/matching-policy")
def policy_page(
    request: Request,
    container: ContainerDep,
    county: County = None,
    settings: Annotated[str | None, Query(max_length=20_000)] = None,
) -> Response:
    """Every version of the alliance's matching policy; the form starts from the one in force."""
    alliance = alliance_of_page(request, container, county)
    versions = policy_versions(container.store, alliance)
    current = publishable(versions[0]["settings"]) if versions else {}
    shown = orjson.dumps(current, option=orjson.OPT_INDENT_2).decode()
    return render(
        request,
        "policy.html",
        title=_("Matching policy"),
        alliance=alliance,
        counties=county_choices(container, alliance),
        versions=versions,
        adopt=ACTIONS["adopt-policy"],
        values={"region_code": alliance, "settings": settings or shown},
        as_json=lambda v: orjson.dumps(v, option=orjson.OPT_INDENT_2).decode(),
    )

"""The landing page: today's headline counts, each a link to the list behind it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from projections.alerts.queries import list_alerts
from projections.household_file.queries import list_households
from projections.match_queue.queries import match_queue
from projections.needs_list.queries import list_needs
from projections.referral_board.queries import list_referrals
from services.web.render import gettext as _
from services.web.render import render
from services.web.routes.common import ContainerDep, Region, region_filter
from services.web.routes.needs import ACTIVE
from services.web.routes.referrals import end_of_today

router = APIRouter(include_in_schema=False)


@router.get("/")
def landing(request: Request, container: ContainerDep, region: Region = None) -> Response:
    """Overdue referrals, feedback due today, gaps, open alerts, needs not yet met, files."""
    prefix = region_filter(region)
    store, now = container.store, container.clock()
    suffix = f"&region={region}" if region else ""  # as asked; the scope applies anyway
    counts = [
        (
            "danger",
            _("Overdue referrals"),
            list_referrals(store, now=now, region=prefix, overdue_only=True, limit=1).total,
            "/ui/referrals?due=overdue" + suffix,
        ),
        (
            "warn",
            _("Answers due today"),
            list_referrals(store, now=now, region=prefix, due_by=end_of_today(now), limit=1).total,
            "/ui/referrals?due=today" + suffix,
        ),
        (
            "warn",
            _("Gaps: needs no service can take"),
            match_queue(store, region=prefix, gaps_only=True, limit=1).total,
            "/ui/match-queue?gaps=1" + suffix,
        ),
        (
            "warn",
            _("Screening alerts without an outcome"),
            list_alerts(store, now=now, region=prefix, status="open", limit=1)[0].total,
            "/ui/alerts?status=open" + suffix,
        ),
        (
            "",
            _("Needs not yet met"),
            list_needs(store, region=prefix, statuses=ACTIVE, limit=1).total,
            "/ui/needs?status=active" + suffix,
        ),
        (
            "",
            _("Household files"),
            list_households(store, region=prefix, limit=1).total,
            "/ui/households?" + suffix.lstrip("&"),
        ),
    ]
    return render(
        request,
        "home.html",
        title=_("The alliance today"),
        counts=counts,
        profile=container.settings.profile,
        head=container.runner.head(),
    )

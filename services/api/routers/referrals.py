"""The referral board and one referral by id."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query, Request

from domain.referrals.model import ReferralStatus
from projections.referral_board.queries import get_referral, list_referrals
from services.api.deps import ContainerDep, PagingDep, Region, page_of, region_prefix
from services.api.models.casework import Referral, ReferralPage
from services.api.routers.reading import NOT_FOUND, read_router
from services.auth.jurisdiction import provider_scope, visible
from services.errors import Problem

router = read_router("referrals")


@router.get("/referrals", summary="The referral board", response_model=ReferralPage)
def referrals(
    request: Request,
    container: ContainerDep,
    paging: PagingDep,
    region: Region = None,
    holder: Annotated[str | None, Query(description="Department holding the referral")] = None,
    status: ReferralStatus | None = None,
    open_only: Annotated[bool, Query(alias="open", description="Only open referrals")] = True,
    overdue: Annotated[bool, Query(description="Only those past their deadline")] = False,
    escalated_to: Annotated[
        str | None,
        Query(
            pattern="^([0-9]{6}|[0-9]{9})$",
            description="Only those a missed deadline escalated to this town or county",
        ),
    ] = None,
) -> dict[str, object]:
    """Referrals with who holds them and their feedback deadline; overdue first."""
    result = list_referrals(
        container.store,
        now=container.clock(),
        region=region_prefix(region),
        holder=provider_scope() or holder,  # a provider sees the referrals it holds
        status=status and status.value,
        open_only=open_only,
        overdue_only=overdue,
        escalated_to=escalated_to,
        limit=paging.limit,
        offset=paging.offset,
    )
    return page_of(request, result)


@router.get(
    "/referrals/{referral_id}",
    summary="One referral",
    response_model=Referral,
    responses=NOT_FOUND,
)
def referral(referral_id: UUID, container: ContainerDep) -> dict[str, object]:
    """The referral with its holder, step dates and whether its feedback is overdue."""
    found = visible(get_referral(container.store, str(referral_id), now=container.clock()))
    if found is None:
        raise Problem(404, "Not found", f"no referral {referral_id}")
    return found

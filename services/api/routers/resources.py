"""The resource list (力量清单/资源清单): forces, money, contracts and policies in one answer."""

from __future__ import annotations

from domain.shared.money import fen_to_yuan
from projections.fund_ledger import queries as money
from projections.services_list.queries import ServiceFilter, list_offerings, list_providers
from projections.supply_stats.queries import list_contracts
from services.api.deps import ContainerDep, Region, period_of, region_prefix
from services.api.models.reports import Resources
from services.api.routers.funds import Row, fund_of, with_yuan
from services.api.routers.reading import read_router

router = read_router("resources")
LIMIT = 500  # of each kind; the lists themselves page through everything


@router.get(
    "/resources",
    summary="The resource list: forces, money, contracts, policies",
    response_model=Resources,
)
def resources(container: ContainerDep, region: Region = None) -> dict[str, object]:
    """Everything the alliance can give (the first 500 of each kind)."""
    where = region_prefix(region)
    forces: dict[str, list[Row]] = {}
    for p in list_providers(container.store, region=where, limit=LIMIT).items:
        forces.setdefault(p["kind"], []).append(p)
    funds = [
        fund_of(container, f)
        for f in money.list_funds(container.store, region=where, limit=LIMIT).items
    ]
    offerings = list_offerings(
        container.store,
        ServiceFilter(region=where),
        period=period_of(container, None),
        limit=LIMIT,
    )
    policies = [
        {
            "offering_id": o["offering_id"],
            "offering": o["name"],
            "provider": o["provider_name"],
            "need_type": o["need_type"],
            "category": o["category"],
            "areas": o["areas"],
            **o["eligibility"],
        }
        for o in offerings.items
    ]
    total = sum(f["available_fen"] for f in funds)
    reserved_fen, reserved_units = money.held(container.store, region=where)
    contracts = list_contracts(container.store, region=where, limit=LIMIT).items
    return {
        "forces": forces,
        "money": {
            "funds": funds,
            "total_available_fen": total,
            "total_available_yuan": fen_to_yuan(total),
            "reserved_fen": reserved_fen,
            "reserved_yuan": fen_to_yuan(reserved_fen),
            "reserved_units": reserved_units,
        },
        "contracts": [with_yuan(c) for c in contracts],
        "policies": policies,
    }

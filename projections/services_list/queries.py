"""Reading the services list: by type, category, coverage of a village, eligibility, capacity."""

from __future__ import annotations

from dataclasses import dataclass

from projections.runtime.query import Page, ReadStore, Where, page
from projections.runtime.view import Row

_USED = (
    "COALESCE((SELECT u.used FROM services_usage u WHERE u.offering_id ="
    " services_offerings.offering_id AND u.period = :period), 0)"
)


@dataclass(frozen=True)
class ServiceFilter:
    """What a coordinator asks of the services list; every field is optional."""

    need_type: str | None = None
    category: str | None = None
    region: str | None = None  # the offering's own alliance or jurisdiction (prefix)
    covers: str | None = None  # a division code the offering must cover
    statuses: tuple[str, ...] | None = None  # the household's assistance statuses
    groups: tuple[str, ...] | None = None  # the household's groups / circumstances
    age: int | None = None
    disabled: bool | None = None
    provider_id: str | None = None
    status: str | None = "active"
    with_capacity: bool = False


def _in(where: Where, name: str, values: tuple[str, ...] | list[str]) -> str:
    names = [f"{name}_{i}" for i in range(len(values))]
    where.params.update(zip(names, values, strict=True))
    return ", ".join(":" + n for n in names)


def _eligible(where: Where, kind: str, values: tuple[str, ...], yes: object) -> None:
    column = f"{kind}es_any" if kind == "status" else f"{kind}s_any"
    where.params[f"{kind}_yes"] = yes
    where.params[f"{kind}_kind"] = kind
    if not values:
        where.clauses.append(f"{column} = :{kind}_yes")
        return
    where.clauses.append(
        f"({column} = :{kind}_yes OR offering_id IN (SELECT offering_id FROM services_eligibility"
        f" WHERE kind = :{kind}_kind AND value IN ({_in(where, kind + '_v', values)})))"
    )


def list_offerings(
    store: ReadStore, f: ServiceFilter, *, period: str, limit: int = 50, offset: int = 0
) -> Page:
    """Offerings matching the filter, with `used` and `remaining` capacity in the period."""
    yes = store.dialect.encode("bool", True)
    where = (
        Where(store.dialect)
        .eq("need_type", f.need_type)
        .eq("category", f.category)
        .prefix("region_code", f.region)
        .eq("provider_id", f.provider_id)
        .eq("status", f.status)
    )
    where.params["period"] = period
    if f.covers:
        prefixes = [f.covers[:n] for n in range(2, len(f.covers) + 1)]
        where.clauses.append(
            "offering_id IN (SELECT offering_id FROM services_areas WHERE area IN"
            f" ({_in(where, 'cover', prefixes)}))"
        )
    if f.statuses is not None:
        _eligible(where, "status", f.statuses, yes)
    if f.groups is not None:
        _eligible(where, "group", f.groups, yes)
    if f.age is not None:
        where.clauses.append(
            "(minimum_age IS NULL OR minimum_age <= :age) AND (maximum_age IS NULL OR"
            " maximum_age >= :age)"
        )
        where.params["age"] = f.age
    if f.disabled is False:
        where.clauses.append("disability_required = :not_required")
        where.params["not_required"] = store.dialect.encode("bool", False)
    if f.with_capacity:
        where.clauses.append(f"(capacity IS NULL OR capacity > {_USED})")
    return page(
        store,
        "services_offerings",
        where,
        "category, need_type, name, offering_id",
        limit,
        offset,
        columns=f"*, {_USED} AS used, capacity - {_USED} AS remaining",
        extra={"period": period},
    )


def get_offering(store: ReadStore, offering_id: str, period: str) -> Row | None:
    """One offering with its usage in the period, or None."""
    rows = store.fetch(
        f"SELECT *, {_USED} AS used, capacity - {_USED} AS remaining FROM services_offerings"
        " WHERE offering_id = :id",
        {"id": offering_id, "period": period},
        "services_offerings",
    )
    return rows[0] if rows else None


def list_providers(
    store: ReadStore,
    *,
    region: str | None = None,
    kind: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> Page:
    """Providers (the forces of the resource list), by kind and name."""
    where = Where(store.dialect).prefix("region_code", region).eq("kind", kind)
    return page(store, "services_providers", where, "kind, name, provider_id", limit, offset)


def all_offerings(store: ReadStore, region: str | None = None) -> list[Row]:
    """Every offering of a jurisdiction, open and closed, for export."""
    where = Where(store.dialect).prefix("region_code", region)
    return store.fetch(
        f"SELECT * FROM services_offerings{where.sql()} ORDER BY provider_id, offering_id",
        where.params,
        "services_offerings",
    )

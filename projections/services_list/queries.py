"""Reading the services list: by type, category, coverage, eligibility, capacity; providers."""

from __future__ import annotations

from dataclasses import dataclass

from domain.households.labels import DISABILITY
from domain.matching.eligibility import (
    age_check,
    covering_areas,
    disability_check,
    group_check,
    status_check,
)
from projections.runtime.query import Page, ReadStore, Where, page
from projections.runtime.view import Row

_USED = (
    "COALESCE((SELECT u.used FROM services_usage u WHERE u.offering_id ="
    " services_offerings.offering_id AND u.period = :period), 0)"
)


@dataclass(frozen=True)
class ServiceFilter:
    """What a coordinator asks of the services list; every field is optional.

    `household_id` reads the stored verdicts of the eligibility rule for that household;
    `statuses`, `groups`, `age` and `disabled` ask the same rule about the facts given.
    """

    need_type: str | None = None
    category: str | None = None
    region: str | None = None  # the offering's own alliance or jurisdiction (prefix)
    covers: str | None = None  # a division code the offering must cover
    household_id: str | None = None  # only offerings admitting this household
    statuses: tuple[str, ...] | None = None  # assistance statuses held
    groups: tuple[str, ...] | None = None  # groups / circumstances
    age: int | None = None
    disabled: bool | None = None
    provider_id: str | None = None
    status: str | None = "active"
    with_capacity: bool = False

    def asks_facts(self) -> bool:
        """Whether the filter names facts to judge (not only stored verdicts)."""
        return any(v is not None for v in (self.statuses, self.groups, self.age, self.disabled))


def _in(where: Where, name: str, values: tuple[str, ...] | list[str]) -> str:
    names = [f"{name}_{i}" for i in range(len(values))]
    where.params.update(zip(names, values, strict=True))
    return ", ".join(":" + n for n in names)


def _admits(row: Row, f: ServiceFilter, year: int) -> bool:
    """The eligibility rule on the facts the filter gives (each only when given)."""
    rule = row["eligibility"] or {}
    disabled = (DISABILITY,) if f.disabled else ()
    checks = [
        None if f.statuses is None else status_check(rule, f.statuses),
        None if f.groups is None else group_check(rule, f.groups),
        None if f.age is None else age_check(rule, (year - f.age,), year),
        None if f.disabled is None else disability_check(rule, disabled),
    ]
    return all(c is None or c.passed for c in checks)


def household_region(store: ReadStore, household_id: str) -> str | None:
    """The division code of a household the services list knows, or None."""
    rows = store.fetch(
        "SELECT region_code FROM services_households WHERE household_id = :id",
        {"id": household_id},
        "services_households",
    )
    return str(rows[0]["region_code"]) if rows else None


def list_offerings(
    store: ReadStore, f: ServiceFilter, *, period: str, limit: int = 50, offset: int = 0
) -> Page:
    """Offerings matching the filter, with `used` and `remaining` capacity in the period."""
    year = int(period[:4])
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
        where.clauses.append(
            "offering_id IN (SELECT offering_id FROM services_areas WHERE area IN"
            f" ({_in(where, 'cover', list(covering_areas(f.covers)))}))"
        )
    if f.household_id is not None:
        # The stored verdicts of domain.matching.eligibility: no rule is restated here.
        where.clauses.append(
            "(admits_anyone = :anyone OR offering_id IN (SELECT offering_id FROM"
            " services_admitted WHERE household_id = :household AND first_year <= :year"
            " AND last_year >= :year))"
        )
        where.params.update(
            anyone=store.dialect.encode("bool", True), household=f.household_id, year=year
        )
    if f.with_capacity:
        where.clauses.append(f"(capacity IS NULL OR capacity > {_USED})")
    columns = f"*, {_USED} AS used, capacity - {_USED} AS remaining"
    order = "category, need_type, name, offering_id"
    if not f.asks_facts():
        return page(
            store, "services_offerings", where, order, limit, offset, columns, {"period": period}
        )
    rows = store.fetch(
        f"SELECT {columns} FROM services_offerings{where.sql()} ORDER BY {order}",
        where.params,
        "services_offerings",
    )
    kept = [r for r in rows if _admits(r, f, year)]
    return Page(kept[offset : offset + limit], len(kept), limit, offset)


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


def get_provider(store: ReadStore, provider_id: str) -> Row | None:
    """One provider, or None."""
    rows = store.fetch(
        "SELECT * FROM services_providers WHERE provider_id = :id",
        {"id": provider_id},
        "services_providers",
    )
    return rows[0] if rows else None


def all_offerings(store: ReadStore, region: str | None = None) -> list[Row]:
    """Every offering of a jurisdiction, open and closed, for export."""
    where = Where(store.dialect).prefix("region_code", region)
    return store.fetch(
        f"SELECT * FROM services_offerings{where.sql()} ORDER BY provider_id, offering_id",
        where.params,
        "services_offerings",
    )

"""Offerings (the services list) and providers as the read API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from services.api.models.common import Model, Page


class Eligibility(Model):
    """Who an offering is for; empty admits everyone."""

    statuses: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    minimum_age: int | None = None
    maximum_age: int | None = None
    disability_required: bool = False
    description: str = ""


class Offering(Model):
    """One offering of the services list (服务清单) with its capacity in a month."""

    offering_id: str
    provider_id: str
    provider_name: str | None
    provider_kind: str | None
    region_code: str
    name: str
    description: str | None
    need_type: str
    category: str
    areas: list[str] = Field(description="Division-code prefixes it covers")
    location: dict[str, Any] | None
    capacity: int | None = Field(description="Units a month; null: no limit")
    unit: str | None
    eligibility: Eligibility
    admits_anyone: bool = Field(description="Its eligibility restricts nobody")
    cost_fen: int | None
    funding_source: str | None
    status: str = Field(description="active or closed")
    published_at: datetime | None
    updated_at: datetime | None
    closed_reason: str | None
    version: int | None
    used: int = Field(description="Units used in the month")
    remaining: int | None = Field(description="Units left in the month; null: no limit")


class OfferingPage(Page[Offering]):
    """A page of the services list."""

    period: str = Field(description="The month capacity is counted in (YYYY-MM)")


class Provider(Model):
    """A department, provider, social organisation, volunteer team or charity."""

    provider_id: str
    name: str
    kind: str
    region_code: str
    description: str | None
    registered_at: datetime | None
    offerings_open: int
    version: int | None


class ProviderPage(Page[Provider]):
    """A page of providers."""

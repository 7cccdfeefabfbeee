"""Commands on the supply side: register providers, publish, update and close offerings."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from domain.ingest.model import EventKey, Outcome
from domain.shared.commands import CommandHandler
from domain.shared.names import required
from domain.shared.regions import check_region
from domain.supply.model import Offering, Provider
from domain.supply.terms import OfferingTerms
from domain.supply.vocabulary import ProviderKind


def _required_name(value: str, field: str) -> str:
    return required(value, field, "must name the department, provider or worker")


class SupplyCommands(CommandHandler):
    """Keeping the services list (服务清单) and the forces of the resource list current."""

    def register_provider(
        self,
        *,
        name: str,
        kind: ProviderKind,
        region_code: str,
        description: str,
        by: str,
        at: datetime,
        key: EventKey | None = None,
    ) -> Outcome:
        """Add a department, provider, social organisation or volunteer team to the alliance."""
        if done := self._already_done(key):
            return done
        provider = Provider(
            id=key.derived_id("provider") if key else uuid4(),
            name=_required_name(name, "name"),
            kind=kind.value,
            region_code=check_region(region_code),
            description=description.strip(),
            registered_by=_required_name(by, "registered_by"),
            registered_at=at,
        )
        return self._commit("provider", provider, key=key)

    def publish_offering(
        self,
        *,
        provider_id: UUID,
        terms: OfferingTerms,
        by: str,
        at: datetime,
        key: EventKey | None = None,
    ) -> Outcome:
        """Publish a service a provider offers; it joins the provider's alliance's list."""
        if done := self._already_done(key):
            return done
        provider = self._load(Provider, provider_id)
        offering = Offering(
            id=key.derived_id("offering") if key else uuid4(),
            provider_id=provider.id,
            region_code=provider.region_code,
            published_by=_required_name(by, "published_by"),
            published_at=at,
            **terms.as_record(),
        )
        return self._commit("offering", offering, key=key)

    def update_offering(
        self,
        *,
        offering_id: UUID,
        terms: OfferingTerms,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Replace the terms of an open offering."""
        return self._change(
            Offering,
            offering_id,
            lambda offering: offering.update(
                by=_required_name(by, "updated_by"), at=at, terms=terms.as_record()
            ),
            key=key,
            expected_version=expected_version,
        )

    def close_offering(
        self,
        *,
        offering_id: UUID,
        by: str,
        reason: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Stop offering a service, with the reason."""
        return self._change(
            Offering,
            offering_id,
            lambda offering: offering.close(
                by=_required_name(by, "department"), reason=reason, at=at
            ),
            key=key,
            expected_version=expected_version,
        )

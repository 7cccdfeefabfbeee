"""Commands on needs: raise one for a household on file, close one that will not be met."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from domain.households.identity import household_id
from domain.households.model import Household
from domain.ingest.model import EventKey, Outcome
from domain.needs.model import Need
from domain.shared.acting import Acting, require_in_region
from domain.shared.errors import InvalidValue, NotFound
from domain.shared.regions import check_region
from domain.shared.taxonomy import Category, NeedType, Urgency
from domain.vocabulary.application import VocabularyCommands


class NeedCommands(VocabularyCommands):
    """Keeping the needs list (需求清单) current."""

    def raise_need(
        self,
        *,
        household_key: str,
        need_type: NeedType,
        category: Category,
        urgency: Urgency,
        description: str,
        raised_by: str,
        at: datetime,
        region_code: str | None = None,
        policy: str | None = None,
        key: EventKey | None = None,
        acting: Acting | None = None,
    ) -> Outcome:
        """Record a new need of a household that has a file (a coordinator: in its region)."""
        if done := self._already_done(key):
            return done
        try:
            household = self._load(Household, household_id(household_key))
        except NotFound:
            raise NotFound(
                "household", f"{household_key} (publish its discovery before its needs)"
            ) from None
        self.check_words(household.region_code, category=category.value)
        for where in {household.region_code, region_code or household.region_code}:
            require_in_region(
                acting,
                action="raise a need for",
                record=f"household {household.id}",
                region_code=where,
            )
        if not description.strip():
            raise InvalidValue("description", "say what the household needs")
        if not raised_by.strip():
            raise InvalidValue("raised_by", "must name the department or worker")
        need = Need(
            id=key.derived_id("need") if key else uuid4(),
            household_id=household.id,
            region_code=check_region(region_code or household.region_code),
            need_type=need_type.value,
            category=category.value,
            urgency=urgency.value,
            description=description.strip(),
            raised_by=raised_by.strip(),
            raised_at=at,
            policy=(policy or "").strip(),
        )
        return self._commit("need", need, key=key)

    def close_need(
        self,
        *,
        need_id: UUID,
        by: str,
        reason: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
        acting: Acting | None = None,
    ) -> Outcome:
        """Close an open need without meeting it (a coordinator: one in its region)."""

        def close(need: Need) -> None:
            require_in_region(
                acting, action="close", record=f"need {need.id}", region_code=need.region_code
            )
            need.close(by=by, reason=reason, at=at)

        return self._change(
            Need,
            need_id,
            close,
            key=key,
            expected_version=expected_version,
        )

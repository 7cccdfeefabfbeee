"""At ingest, after validation and before the command: personal fields become tokens.

The household comes from the event itself (`household`) or from the record it names (a need,
a referral or a pairing knows its household). An erasure destroys the household's key before
its command runs, so nothing later in the same unit can still use it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.households.identity import household_id
from services.errors import Problem
from services.privacy.session import Erased, KeySession
from services.privacy.tokens import seal

ERASURE = "household.erased"
# Arguments naming a record whose household the personal fields belong to, in order of trust.
_RECORDS = ("need_id", "referral_id", "pairing_id")


class Sealing:
    """Seals one event's personal fields with one key session (a request's or a unit's)."""

    def __init__(self, keys: KeySession) -> None:
        self.keys = keys

    def protect(
        self,
        definition: Any,
        app: Any,
        arguments: dict[str, Any],
        expected_version: int | None,
    ) -> dict[str, Any]:
        """The command's arguments with every personal value replaced by its token."""
        if definition.name == ERASURE:
            self._shred_first(app, arguments, expected_version)
            return arguments
        personal = {
            field: argument
            for field, argument in definition.personal.items()
            if isinstance(arguments.get(argument), str) and arguments[argument]
        }
        if not personal:
            return arguments
        household = self._household(app, arguments)
        try:
            key = self.keys.cipher_to_seal(household)
        except Erased as error:
            raise Problem(
                409,
                "Household erased",
                f"{error}: events about it may not carry personal fields"
                f" ({', '.join('data.' + f for f in personal)})",
                [{"field": f"data.{f}", "reason": "the household was erased"} for f in personal],
            ) from None
        sealed = dict(arguments)
        for field, argument in personal.items():
            sealed[argument] = seal(key, household, f"data.{field}", arguments[argument])
        return sealed

    def _household(self, app: Any, arguments: dict[str, Any]) -> UUID:
        if "household_key" in arguments:
            return household_id(arguments["household_key"])
        for name in _RECORDS:
            if arguments.get(name) is None:
                continue
            try:
                record = app.repository.get(UUID(str(arguments[name])))
            except AggregateNotFoundError:
                raise Problem(
                    404,
                    "Not found",
                    f"data.{name}: no such record",
                    [{"field": f"data.{name}", "reason": "no such record"}],
                ) from None
            found = getattr(record, "household_id", None)
            if isinstance(found, UUID):
                return found
            raise Problem(
                404,
                "Not found",
                f"data.{name}: not a record of a household",
                [{"field": f"data.{name}", "reason": "not a record of a household"}],
            )
        raise AssertionError("a type with personal fields must name its household")

    def _shred_first(self, app: Any, arguments: dict[str, Any], expected: int | None) -> None:
        # Only when the command can succeed: the file exists and the precondition holds.
        ident = household_id(arguments["household_key"])
        try:
            household = app.repository.get(ident)
        except AggregateNotFoundError:
            return  # the command answers 404
        erased = getattr(household, "erased_at", None) is not None
        if erased or expected is None or expected == household.version:
            self.keys.shred(ident)  # a retry after an unknown outcome shreds again: harmless

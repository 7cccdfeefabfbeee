"""Ingest: a checked CloudEvent becomes one command, once; a batch, one result per item."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache, partial
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import OperationalError

from domain.alliance import Alliance
from domain.households.identity import HouseholdKeyring, HouseholdKeys, household_id
from domain.ingest.model import DIGEST_V2, EventKey, Outcome
from domain.shared.unit_of_work import UnitOfWork
from services.auth.principal import Principal
from services.auth.publishing import Kind, acting_of, authorize
from services.errors import PartUnavailable, Problem, is_part_failure, problem_for
from services.ingest.catalogue import CATALOGUE, Context
from services.ingest.envelope import Envelope, parse
from services.privacy.keystore import KeyStore
from services.privacy.sealing import Sealing
from services.privacy.session import KeyRace, KeySession
from services.store.lookahead import recorded_among

Clock = Callable[[], datetime]
UNIT_ITEMS = 500  # items whose changes share a commit, at most
UNIT_EVENTS = 600  # events held before they are saved (one Kafka record must hold them)


def utc_now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Result:
    """What happened to one submitted event."""

    id: str | None
    source: str | None
    outcome: Outcome | None = None
    problem: Problem | None = None

    @property
    def status(self) -> int:
        """HTTP status for this item: 201 stored, 200 duplicate, else the problem's."""
        if self.problem is not None:
            return self.problem.status
        assert self.outcome is not None
        return 200 if self.outcome.duplicate else 201

    def as_json(self) -> dict[str, Any]:
        """The item's result as the API reports it."""
        body: dict[str, Any] = {"id": self.id, "source": self.source, "status": self.status}
        if self.outcome is not None:
            body.update(
                result="duplicate" if self.outcome.duplicate else "stored",
                record=self.outcome.kind,
                record_id=str(self.outcome.aggregate_id),
                version=self.outcome.version,
            )
        if self.problem is not None:
            body.update(result="rejected", problem=self.problem.as_json())
        return body


def batch_answer(
    submit_batch: Callable[[list[Any], Principal | None], list[Result]],
    raws: list[Any],
    principal: Principal | None,
) -> bytes:
    """Run a batch and encode its answer: every item's result and the counts by result."""
    items = [result.as_json() for result in submit_batch(raws, principal)]
    counts = dict.fromkeys(("stored", "duplicate", "rejected"), 0)
    for item in items:
        if item.get("result") in counts:
            counts[item["result"]] += 1
    return orjson.dumps({"results": items, **counts})


class Ingestor:
    """Turns department events into commands on the alliance application."""

    def __init__(
        self,
        app: Alliance,
        keyring: HouseholdKeyring,
        clock: Clock = utc_now,
        keys: KeyStore | None = None,
    ) -> None:
        self.app = app
        self.keys = keys  # households' data keys: personal fields are sealed with them
        self._keyring = keyring
        self._keys = HouseholdKeys(keyring, self._household_exists)
        self._secret = keyring.digest_secret()
        self.clock = clock

    def _household_exists(self, key: str) -> bool:
        return household_id(key) in self.app.repository

    def _digest(self, envelope: Envelope, subject: Any = None) -> str:
        # Keyed, so the digest of an event naming a registration number reveals nothing.
        # A re-send is a duplicate only when type, subject, time and data are all the same.
        when = envelope.time.isoformat() if envelope.time is not None else None
        body = orjson.dumps(
            [envelope.type.short_name, subject, when, envelope.data], option=orjson.OPT_SORT_KEYS
        )
        return DIGEST_V2 + hmac.new(self._secret, body, hashlib.sha256).hexdigest()

    def _legacy_digest(self, envelope: Envelope) -> str:
        # What receipts written before DIGEST_V2 hold: the type without its common prefix (the
        # first catalogue named types so, e.g. "household.discovered.v1") and the data only.
        body = orjson.dumps([envelope.type.short_name, envelope.data], option=orjson.OPT_SORT_KEYS)
        return hmac.new(self._secret, body, hashlib.sha256).hexdigest()

    def submit(
        self, raw: Any, keys: KeySession | None = None, *, principal: Principal | None = None
    ) -> Result:
        """Check and apply one event; domain refusals become a problem, nothing is stored.

        With a principal (a caller the API authenticated) the event must be one it may publish,
        under its sources, and it acts as the credential's actor (services/auth/publishing.py);
        without one (the demo seeding, the clock, the trusted Kafka inbox) it is taken as sent.
        """
        if keys is None and self.keys is not None:
            keys = self.keys.session()
        ident = raw.get("id") if isinstance(raw, dict) else None
        source = raw.get("source") if isinstance(raw, dict) else None
        now = self.clock()
        try:
            if principal is not None:
                raw = _authorized(principal, raw)
            envelope = parse(raw, now)
            key = EventKey(
                envelope.source,
                envelope.id,
                envelope.type.short_name,
                self._digest(envelope, raw.get("subject")),
                legacy_digest_of=partial(self._legacy_digest, envelope),
            )
            context = Context(
                key,
                envelope.time or now,
                self._keys,
                envelope.expected_version,
                recorded_at=now,
                acting=acting_of(principal) if principal is not None else None,
                privacy=None if keys is None else Sealing(keys),
            )
            outcome = envelope.type.dispatch(self.app, envelope.payload, context)
        except Exception as error:
            if is_part_failure(error):  # outcome unknown: the caller answers 503
                if isinstance(error, OperationalError):
                    raise
                raise PartUnavailable(str(error)) from error
            return Result(ident, source, problem=problem_for(error))
        return Result(envelope.id, envelope.source, outcome)

    def submit_batch(self, raws: list[Any], principal: Principal | None = None) -> list[Result]:
        """Apply each event in order, many per commit; an unavailable store stops the batch.

        Items run in units of work: each item keeps its own receipt, result and refusal, while
        a unit's changes are saved in one commit per partition. A partition
        whose commit loses to another writer has its items run again one by one, so each gets
        the outcome it would have had alone. Items after an unavailable store are unattempted.
        """
        results: list[Result] = []
        while len(results) < len(raws):
            try:
                results.extend(self._submit_unit(raws[len(results) :], principal))
            except OperationalError as error:
                unavailable = problem_for(error)
                for rest in raws[len(results) :]:
                    ident = rest.get("id") if isinstance(rest, dict) else None
                    source = rest.get("source") if isinstance(rest, dict) else None
                    results.append(Result(ident, source, problem=unavailable))
        return results

    def _look_ahead(self, unit: UnitOfWork, raws: list[Any]) -> None:
        """Ask the store once which households the unit's items name it holds; the rest are
        absent for the whole unit (one query per unit instead of one per item). A household
        another writer creates meanwhile makes the unit's commit conflict on its version 1, and
        the unit's items run again one by one."""
        ids: set[UUID] = set()
        for raw in raws:
            named = raw.get("data") if isinstance(raw, dict) else None
            named = named.get("household") if isinstance(named, dict) else None
            if isinstance(named, dict):
                named = named.get("registration_number")
            if not isinstance(named, str) or not named:
                continue
            for kid in self._keyring.secrets:
                ids.add(household_id(self._keyring.issue(named, kid)))
        try:
            present = recorded_among(self.app.recorder, sorted(ids)) if ids else None
        except Exception:  # only a shortcut: the items look up alone and answer their failure
            return
        if present is not None:
            unit.absent.update(ids - present)

    def _submit_unit(self, raws: list[Any], principal: Principal | None) -> list[Result]:
        """Run items from the front of `raws` in one unit until it is full; save it."""
        part: list[Result] = []
        # New households' keys are made for the unit and stored in one go before its events.
        keys = None if self.keys is None else self.keys.session(deferred=True)
        with self.app.unit_of_work() as unit:
            self._look_ahead(unit, raws[:UNIT_ITEMS])
            for raw in raws[:UNIT_ITEMS]:
                unit.item = len(part)
                part.append(self.submit(raw, keys, principal=principal))
                if unit.events >= UNIT_EVENTS:
                    break
        if keys is not None:
            try:
                keys.flush()
            except KeyRace:  # another writer keyed a household first: run the items alone
                return [self.submit(raw, principal=principal) for raw in raws[: len(part)]]
        failed = self.app.save_unit(unit)
        for index in sorted({i for key in failed for i in unit.items.get(key, set())}):
            part[index] = self.submit(raws[index], principal=principal)
        return part


def _authorized(principal: Principal, raw: Any) -> Any:
    """The event checked against its caller, its actor set from the credential.

    An event that is not an object or names no known type is left to the envelope check.
    """
    name = raw.get("type") if isinstance(raw, dict) else None
    kind = _kind(name) if isinstance(name, str) else None
    if kind is None:
        return raw
    return authorize(principal, raw, kind)


@lru_cache(maxsize=512)
def _kind(name: str) -> Kind | None:
    """What authorization needs of a catalogued type (made once per type, not per event)."""
    event_type = CATALOGUE.get(name)
    if event_type is None:
        return None
    legacy = event_type.legacy
    return Kind(
        event_type.name,
        event_type.definition.name,
        legacy.field_name("actor") if legacy is not None else "actor",
    )

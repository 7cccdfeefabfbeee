"""The deadline clock: records overdue answers (breaches), their escalations and expired
reservations, once each.

Any number may run (the embedded API process runs one; `python -m services.workers.clock` runs
one alone): the board only proposes candidates, each is re-judged against the referral itself,
and a breach is a new version of the referral, so of two clocks racing one records it and the
other finds it recorded. Breaches that fell while no clock ran are recorded at the next sweep,
with their true due time.
"""

from __future__ import annotations

import logging
import threading
from uuid import UUID

from domain.alliance import Alliance
from domain.shared.errors import ConcurrentUpdate, NotFound
from projections.fund_ledger.queries import reservations_due
from projections.household_file.queries import applications_overdue
from projections.referral_board.queries import breaches_due
from projections.runtime.query import ReadStore
from services.ingest.service import Clock

log = logging.getLogger(__name__)


class DeadlineClock:
    """Sweeps the board for overdue answers and records each breach once."""

    def __init__(self, app: Alliance, store: ReadStore, clock: Clock) -> None:
        self.app = app
        self.store = store
        self.clock = clock

    def sweep(self) -> int:
        """Record every breach due by now; the number recorded by this sweep."""
        now = self.clock()
        recorded = 0
        for referral_id in breaches_due(self.store, now=now):
            try:
                if self.app.record_breach(referral_id=UUID(referral_id), now=now):
                    recorded += 1
            except (ConcurrentUpdate, NotFound) as error:
                log.info("breach of %s left for the next sweep: %s", referral_id, error)
        for household_id in applications_overdue(self.store, now=now):
            try:
                if self.app.record_application_overdue(household=UUID(household_id), now=now):
                    recorded += 1
            except (ConcurrentUpdate, NotFound) as error:
                log.info("overdue answer of %s left for the next sweep: %s", household_id, error)
        for reservation_id in reservations_due(self.store, now=now):
            try:
                if self.app.expire_reservation(reservation=UUID(reservation_id), now=now):
                    recorded += 1
            except (ConcurrentUpdate, NotFound) as error:
                log.info("expiry of %s left for the next sweep: %s", reservation_id, error)
        return recorded

    def run(self, stop: threading.Event, interval: float) -> None:
        """Sweep until stopped."""
        while not stop.is_set():
            try:
                if count := self.sweep():
                    log.info("recorded %d deadline breaches", count)
            except Exception:
                log.exception("clock sweep failed; trying again")
            stop.wait(interval)

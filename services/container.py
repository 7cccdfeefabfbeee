"""Builds the application, the view store and the projection runner for a profile."""

from __future__ import annotations

import logging
import threading
from typing import cast

from domain.alliance import Alliance
from domain.households.identity import HouseholdKeyring
from projections.alerts.view import Alerts
from projections.alliance_vocabulary.view import AllianceVocabulary
from projections.fund_ledger.outcomes import OutcomeLedger
from projections.fund_ledger.view import FundLedger
from projections.household_file.view import HouseholdFile
from projections.match_queue.view import MatchQueue
from projections.needs_list.view import NeedsList
from projections.pairings.view import Pairings
from projections.referral_board.view import ReferralBoard
from projections.runtime.postgres_store import PostgresViewStore
from projections.runtime.runner import Runner
from projections.runtime.sqlite_store import SQLiteViewStore
from projections.runtime.store import SqlViewStore
from projections.runtime.view import View
from projections.services_list.view import ServicesList
from projections.supply_stats.view import SupplyStats
from services.access_log.store import open_access_log
from services.deadline_clock import DeadlineClock
from services.hsds.identifiers import HsdsIdentifiers
from services.ingest.gate import WriteGate
from services.ingest.service import Clock, Ingestor, utc_now
from services.observability.ingest import ObservedIngestor
from services.observability.metrics import time_produce
from services.observability.readiness import Readiness
from services.observability.settings import OperationsSettings
from services.privacy.reveal import Revealer
from services.privacy.scope import view_scope
from services.privacy.setup import open_key_store
from services.settings import Settings
from services.transparency.setup import open_transparency
from services.view_worker import ViewWorker

log = logging.getLogger(__name__)


def all_views() -> list[View]:
    """Every view the alliance keeps."""
    return [
        NeedsList(),
        ReferralBoard(),
        HouseholdFile(),
        ServicesList(),
        FundLedger(),
        SupplyStats(),
        MatchQueue(),
        AllianceVocabulary(),
        Alerts(),
        Pairings(),
        HsdsIdentifiers(),
        OutcomeLedger(),
    ]


class Container:
    """The parts of one running process, built once from settings."""

    def __init__(self, settings: Settings, clock: Clock = utc_now, serving: bool = False) -> None:
        self.settings = settings
        # `zhulian serve` on the embedded profile applies the views in a child process (the
        # API's core stays with requests); tests and other commands apply them in this one.
        wanted = settings.view_worker
        self.view_worker: ViewWorker | None = (
            ViewWorker()
            if wanted == "process"
            or (wanted == "auto" and serving and settings.profile == "embedded")
            else None
        )
        self.clock = clock
        self.app = Alliance(env=settings.event_store_env())
        self.store: SqlViewStore = (
            SQLiteViewStore(settings.views_path())
            if settings.profile == "embedded"
            else PostgresViewStore(settings.database_url)
        )
        self.views = all_views()
        self.runner = Runner(self.app.recorder, self.app.mapper, self.store, self.views)
        self.keyring = HouseholdKeyring(settings.household_secrets(), settings.household_secret_id)
        # Counted and refusals logged; the same interface as the Ingestor it wraps.
        # Households' data keys, outside the log: personal fields sealed at ingest, read back
        # (or masked) on the way out of every response.
        self.keys = open_key_store(settings)
        self.revealer = Revealer(self.keys, view_scope(self.store))
        self.ingestor = cast(
            Ingestor, ObservedIngestor(Ingestor(self.app, self.keyring, clock, keys=self.keys))
        )
        self.transparency = open_transparency(settings, self.app.recorder)
        self.access_log = open_access_log(settings, self.app.recorder)  # apart from the log
        self.writes = WriteGate(settings.write_workers, settings.write_queue)
        self.deadline_clock = DeadlineClock(self.app, self.store, clock)
        # The Kafka store (production) when there is one: readiness and metrics look into it.
        store = getattr(self.app.recorder, "store", None)
        self.kafka_store = store if hasattr(store, "producer") else None
        time_produce(self.kafka_store)
        self.readiness = Readiness(
            database_url=settings.database_url if settings.profile == "production" else None,
            kafka_store=self.kafka_store,
            container=self,
            bounds=OperationsSettings().bounds(),
        )
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Follow the log, and keep the clock, in background threads (as the settings say)."""
        if self.settings.run_projections and self.view_worker is not None:
            self.view_worker.start()
        elif self.settings.run_projections:
            self._threads.append(
                threading.Thread(
                    target=self.runner.run,
                    args=(self._stop, self.settings.runner_interval, self.settings.runner_min_gap),
                    name="projection-runner",
                    daemon=True,
                )
            )
        if self.settings.run_clock:
            self._threads.append(
                threading.Thread(
                    target=self.deadline_clock.run,
                    args=(self._stop, self.settings.clock_interval),
                    name="deadline-clock",
                    daemon=True,
                )
            )
        if self.settings.tree_head_interval > 0:
            self._threads.append(
                threading.Thread(target=self._publish_heads, name="tree-heads", daemon=True)
            )
        for thread in self._threads:
            thread.start()

    def _publish_heads(self) -> None:
        """Sign a head of every log that grew, every tree_head_interval seconds."""
        while not self._stop.wait(self.settings.tree_head_interval):
            try:
                self.transparency.publish(only_if_grown=True)
            except Exception:
                log.exception("publishing signed tree heads failed; retrying next interval")

    def nudge(self) -> None:
        """Tell the runner new events were written."""
        self.runner.wakeup.set()

    def close(self) -> None:
        """Stop following and release the stores."""
        self._stop.set()
        self.runner.wakeup.set()
        if self.view_worker is not None:
            self.view_worker.close()
        for thread in self._threads:
            thread.join(timeout=10)
        self.readiness.close()
        self.transparency.db.close()
        self.access_log.close()
        self.writes.close()
        self.store.close()
        self.keys.close()
        self.app.close()

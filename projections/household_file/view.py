"""The household file (一户一档) and its timeline: every event that touched the household."""

from __future__ import annotations

from typing import Any

from domain.contracts.model import Contract
from domain.funds.model import Fund
from domain.households.consent import Sharing
from domain.households.model import Household
from domain.households.vocabulary import Assistance
from domain.matching.model import Triage
from domain.needs.model import Need
from domain.referrals.model import Referral
from domain.reservations.model import Reservation
from projections.household_file.sharing import sharing_after
from projections.household_file.summaries import summarise
from projections.runtime.event_time import occurred_at
from projections.runtime.tables import Table, cols
from projections.runtime.view import Handler, Tx, View

HOUSEHOLDS = Table(
    "household_files",
    cols(
        "household_id household_key region_code members:json assistance:json"
        " temporary_grants:json answer_due_at:ts answered_at:ts answer_late:bool"
        " last_overdue_due_at:ts escalated_to sharing:json"
        " difficulty_circle:int household_group plan discovered_at:ts first_channel"
        " reports:int needs_open:int needs_total:int updated_at:ts version:int erasure:json"
    ),
    key=("household_id",),
    indexes=(("region_code",), ("household_key",)),
)
TIMELINE = Table(
    "household_timeline",
    cols(
        "household_id position:int occurred_at:ts recorded_at:ts record_kind record_id"
        " record_version:int event_type summary by_whom"
    ),
    key=("household_id", "position", "record_id"),
    append_only=True,
)
_NEW_FILE = dict.fromkeys(HOUSEHOLDS.column_names)
# Needs and referrals name their household only when created; later steps look it up here.
LINKS = Table("household_links", cols("record_id household_id"), key=("record_id",))

_OPEN_DELTA: dict[type, int] = {
    Need.Raised: 1,
    Need.Reopened: 1,
    Need.Referred: -1,
    Need.Closed: -1,
}


SHARING = (Sharing.ConsentGiven, Sharing.ConsentWithdrawn, Sharing.LegalBasisRecorded)
TEMPORARY = Assistance.TEMPORARY.value  # a one-off grant, not a status held


def _with_grant(row: dict[str, Any], at: Any, amount_fen: int | None, by: str) -> list[Any]:
    grant = {"granted_at": at.isoformat(), "amount_fen": amount_fen, "by": by}
    return [*(row.get("temporary_grants") or []), grant]


# Events of records that are not the household's own but concern it (money, deliveries,
# matches, reservations): where the event names the household, or a record that does.
_ABOUT: tuple[type, ...] = (
    Fund.Allocated,
    Fund.AllocationCancelled,
    Fund.Disbursed,
    Contract.DeliveryRecorded,
)


def _event_name(e: Any) -> str:
    """`Household.ConsentGiven` for the household's sharing events too (declared on its base)."""
    kind = type(e)
    name = _NAMES.get(kind)
    if name is None:  # once per event class: a rebuild asks for every event
        name = kind.__qualname__
        if name.startswith("Sharing."):
            name = "Household." + name.split(".", 1)[1]
        _NAMES[kind] = name
    return name


_NAMES: dict[type, str] = {}


def _by(e: Any) -> str | None:
    for attr in (
        "actor",
        "by",
        "reported_by",
        "raised_by",
        "from_department",
        "recorded_by",
        "made_by",
    ):
        if hasattr(e, attr):
            return str(getattr(e, attr))
    return None


def _household_of_money(e: Any, tx: Tx) -> str | None:
    """The household a fund's allocation or a contract's delivery went to."""
    if isinstance(e, Fund.Allocated):
        found = str(e.household_id)
        tx.upsert(
            "household_links", {"record_id": f"allocation:{e.allocation_id}", "household_id": found}
        )
        return found
    if isinstance(e, Fund.AllocationCancelled):
        link = tx.get("household_links", record_id=f"allocation:{e.allocation_id}")
        return link["household_id"] if link else None
    household: Any = getattr(e, "household_id", None)
    return str(household) if household is not None else None


class HouseholdFile(View):
    """One row per household file, and one timeline row per event about it."""

    name = "household_file"
    tables = (HOUSEHOLDS, TIMELINE, LINKS)
    # 2: temporary assistance as one-off grants; 3: applications answered; 4: money, deliveries,
    # candidate decisions, escalations of needs and reservations on the timeline; 5: consents
    # and legal bases (the sharing column); 6: the erasure (when, by whom, why) on the file
    schema_version = 6

    def handlers(self) -> dict[type, Handler]:
        """Every event of a household, its sharing, needs, referrals, triage and reservations,
        and the money and deliveries that reached it, lands on its timeline."""
        handlers: dict[type, Handler] = dict.fromkeys(_ABOUT, self._on_event)
        for aggregate in (Household, Sharing, Need, Referral, Triage, Reservation):
            for event_class in vars(aggregate).values():
                if isinstance(event_class, type) and issubclass(event_class, aggregate.Event):
                    handlers[event_class] = self._on_event
        return handlers

    def _on_event(self, e: Any, tx: Tx, position: int) -> None:
        record_id = str(e.originator_id)
        household_id = self._household_of(e, tx)
        if household_id is None:
            return
        self._update_file(e, tx, household_id)
        event_type = _event_name(e)
        tx.upsert(
            "household_timeline",
            {
                "household_id": household_id,
                "position": position,
                "occurred_at": occurred_at(e),
                "recorded_at": e.timestamp,
                "record_kind": event_type.split(".")[0].lower(),
                "record_id": record_id,
                "record_version": e.originator_version,
                "event_type": event_type,
                "summary": summarise(e),
                "by_whom": _by(e),
            },
        )

    @staticmethod
    def _household_of(e: Any, tx: Tx) -> str | None:
        record_id = str(e.originator_id)
        if isinstance(e, Sharing.Event):  # every household event (consents are Sharing's)
            return record_id
        if isinstance(e, Fund.Event | Contract.Event):  # a fund or contract serves many
            return _household_of_money(e, tx)
        if isinstance(e, Triage.Opened):  # the triage of a need: the need's household
            need = tx.get("household_links", record_id=str(e.need_id))
            found = need["household_id"] if need else None
            if found:
                tx.upsert("household_links", {"record_id": record_id, "household_id": found})
            return found
        if isinstance(e, Need.Raised | Referral.Requested | Reservation.Made):
            tx.upsert(
                "household_links", {"record_id": record_id, "household_id": str(e.household_id)}
            )
            return str(e.household_id)
        link = tx.get("household_links", record_id=record_id)
        return link["household_id"] if link else None

    @staticmethod
    def _update_file(e: Any, tx: Tx, household_id: str) -> None:
        key = {"household_id": household_id}
        if isinstance(e, Household.Discovered):
            tx.upsert(
                "household_files",
                {
                    **_NEW_FILE,  # a whole row: a new file needs no read of what is not there
                    **key,
                    "household_key": e.household_key,
                    "region_code": e.region_code,
                    "members": e.members,
                    "assistance": [],
                    "temporary_grants": [],
                    "sharing": [],
                    "difficulty_circle": None,
                    "household_group": None,
                    "plan": "",
                    "discovered_at": e.discovered_at,
                    "first_channel": e.channel,
                    "reports": 1,
                    "needs_open": 0,
                    "needs_total": 0,
                    "updated_at": e.timestamp,
                    "version": e.originator_version,
                    "erasure": None,
                },
            )
            return
        row = tx.get("household_files", **key)
        if row is None:
            return
        changes: dict[str, Any] = {"updated_at": e.timestamp}
        if isinstance(e, Sharing.Event):
            changes["version"] = e.originator_version
        if isinstance(e, Household.ReportedAgain):
            changes["reports"] = row["reports"] + 1
            if e.members:
                changes["members"] = e.members
        elif isinstance(e, Household.AssistanceGranted) and e.status == TEMPORARY:
            changes["temporary_grants"] = _with_grant(row, e.granted_at, None, e.by)
        elif isinstance(e, Household.ApplicationReceived):
            changes.update(answer_due_at=e.due_at, answered_at=None, answer_late=None)
        elif isinstance(e, Household.ApplicationAnswered):
            changes.update(answer_due_at=None, answered_at=e.answered_at, answer_late=e.late)
        elif isinstance(e, Household.ApplicationOverdue):
            changes["last_overdue_due_at"] = e.due_at
        elif isinstance(e, Household.Escalated):
            changes["escalated_to"] = e.to_region
        elif isinstance(e, Household.TemporaryAidGranted):
            changes["temporary_grants"] = _with_grant(row, e.granted_at, e.amount_fen, e.by)
        elif isinstance(e, Household.AssistanceGranted):
            changes["assistance"] = sorted({*row["assistance"], e.status})
        elif isinstance(e, Household.AssistanceEnded):
            changes["assistance"] = [s for s in row["assistance"] if s != e.status]
        elif isinstance(e, SHARING):
            changes["sharing"] = sharing_after(row.get("sharing") or [], e)
        elif isinstance(e, Household.Erased):  # readable by design: it must name no person
            changes["erasure"] = {
                "erased_at": e.erased_at.isoformat(),
                "by": e.by,
                "reason": e.reason,
                "reference": e.reference,
            }
        elif isinstance(e, Household.Assessed):
            changes.update(
                difficulty_circle=e.difficulty_circle, household_group=e.group, plan=e.plan
            )
        if isinstance(e, Need.Raised):
            changes["needs_total"] = row["needs_total"] + 1
        delta = _OPEN_DELTA.get(type(e), 0)
        if delta:
            changes["needs_open"] = row["needs_open"] + delta
        tx.update("household_files", key, **changes)

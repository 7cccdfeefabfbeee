"""The alliance application: every command of every context, on one log of record."""

from __future__ import annotations

from typing import Any, ClassVar

from domain.contracts.application import ContractCommands
from domain.contracts.model import Contract
from domain.funds.application import FundCommands
from domain.funds.model import Fund
from domain.households.application import HouseholdCommands
from domain.households.model import Household
from domain.matching.application import MatchingCommands
from domain.matching.model import MatchingPolicy
from domain.matching.policy_list_commands import PolicyListCommands
from domain.needs.application import NeedCommands
from domain.pairings.application import PairingCommands
from domain.referrals.application import ReferralCommands
from domain.screening.application import ScreeningCommands
from domain.supply.application import SupplyCommands
from domain.supply.model import Offering, Provider
from domain.vocabulary.application import VocabularyCommands


class Alliance(
    HouseholdCommands,
    NeedCommands,
    ReferralCommands,
    SupplyCommands,
    FundCommands,
    ContractCommands,
    MatchingCommands,
    PolicyListCommands,
    VocabularyCommands,
    ScreeningCommands,
    PairingCommands,
):
    """The command side of zhulian; its persistence is chosen by environment."""

    name = "zhulian"
    # Records that collect events for years (a district fund takes thousands of donations, an
    # offering is used every day) start from a snapshot, so a cold load replays at most one
    # interval. Snapshots are derived data: they live beside the index, never in the log.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        Fund: 1000,
        Offering: 200,
        Contract: 200,
        Household: 100,
        Provider: 100,
        MatchingPolicy: 100,
    }
    # Warm loads come from a cache fast-forwarded from the store on every load (so another
    # process's commits are seen, G4), and copied for each command (so a refused command
    # leaves no trace).
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": "5000"}

"""The alliance application: every command of every context, on one log of record."""

from __future__ import annotations

from domain.contracts.application import ContractCommands
from domain.funds.application import FundCommands
from domain.households.application import HouseholdCommands
from domain.matching.application import MatchingCommands
from domain.needs.application import NeedCommands
from domain.pairings.application import PairingCommands
from domain.referrals.application import ReferralCommands
from domain.supply.application import SupplyCommands
from domain.vocabulary.application import VocabularyCommands


class Alliance(
    HouseholdCommands,
    NeedCommands,
    ReferralCommands,
    SupplyCommands,
    FundCommands,
    ContractCommands,
    MatchingCommands,
    VocabularyCommands,
    PairingCommands,
):
    """The command side of zhulian; its persistence is chosen by environment."""

    name = "zhulian"

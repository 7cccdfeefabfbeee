"""The alliance application: every command of every context, on one log of record."""

from __future__ import annotations

from domain.households.application import HouseholdCommands
from domain.needs.application import NeedCommands
from domain.referrals.application import ReferralCommands


class Alliance(HouseholdCommands, NeedCommands, ReferralCommands):
    """The command side of zhulian; its persistence is chosen by environment."""

    name = "zhulian"

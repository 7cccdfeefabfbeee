"""Commands of the policy list (政策清单): list or change a policy, withdraw it."""

from __future__ import annotations

from datetime import datetime

from domain.ingest.model import EventKey, Outcome
from domain.matching.policy_list import PolicyEntry, PolicyTerms, policy_entry_id
from domain.shared.commands import CommandHandler
from domain.shared.names import required
from domain.shared.regions import alliance_of, check_region


class PolicyListCommands(CommandHandler):
    """The alliance's policy list: each policy, its eligibility rule, its department."""

    def list_policy(
        self,
        *,
        region_code: str,
        code: str,
        terms: PolicyTerms,
        by: str,
        at: datetime,
        key: EventKey | None = None,
    ) -> Outcome:
        """Put a policy on the alliance's list, or change its terms (a new version)."""
        if done := self._already_done(key):
            return done
        alliance = alliance_of(check_region(region_code))
        actor = required(by, "actor")
        ident = policy_entry_id(alliance, code)
        if self._exists(ident):
            entry = self._load(PolicyEntry, ident)
            entry.revise(terms=terms, by=actor, at=at)
        else:
            entry = PolicyEntry(
                region_code=alliance, code=code, terms=terms.as_record(), by=actor, listed_at=at
            )
        return self._commit("policy_entry", entry, key=key)

    def withdraw_policy(
        self,
        *,
        region_code: str,
        code: str,
        reason: str,
        by: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Take a policy off the alliance's list, with the reason."""
        if done := self._already_done(key):
            return done
        ident = policy_entry_id(alliance_of(check_region(region_code)), code)
        entry = self._load(PolicyEntry, ident, expected_version)
        entry.withdraw(reason=reason, by=required(by, "actor"), at=at)
        return self._commit("policy_entry", entry, key=key)

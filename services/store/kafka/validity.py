"""The validity rule: first writer wins by log order. Pure, so every reader applies it alike.

A commit at its position in a partition's log is valid iff
- its id has not been decided before (a re-delivered copy of a decided commit changes nothing),
- each aggregate it touches lives in this partition (or is new),
- each aggregate's versions within the commit are consecutive, and its first new version is the
  aggregate's last valid version + 1 — or 0 or 1 for an aggregate with no valid events yet
  (eventsourcing aggregates start at 1; eventsourcing's own recorder contract also uses 0).
Events of invalid commits are never indexed; they still consume notification-id positions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from services.store.kafka.commits import Commit, notification_id

NEW_AGGREGATE_VERSIONS = (0, 1)


@dataclass(frozen=True, slots=True)
class Tip:
    """Last valid version of an aggregate and the partition it lives in."""

    version: int
    partition: int


@dataclass(slots=True)
class Judgement:
    """The rule's decision for one commit of a record."""

    commit: Commit
    first_index: int
    valid: bool
    reason: str | None = None
    duplicate: bool = False


@dataclass(slots=True)
class RecordJudge:
    """Applies the rule to records in log order, remembering what earlier records decided."""

    partition: int
    tips: dict[UUID | str, Tip]
    decided: set[UUID]
    judgements: list[tuple[int, Judgement]] = field(default_factory=list)
    last_offset: int = -1

    def judge_record(self, offset: int, commits: Iterable[Commit]) -> None:
        """Decide every commit of the record at `offset`, in order."""
        self.last_offset = offset
        index = 0
        for commit in commits:
            judgement = self._judge(commit, index)
            self.judgements.append((offset, judgement))
            index += len(commit.events)

    def _judge(self, commit: Commit, first_index: int) -> Judgement:
        if commit.commit_id in self.decided:
            return Judgement(commit, first_index, valid=False, duplicate=True)
        self.decided.add(commit.commit_id)
        reason = self._conflict(commit)
        if reason is not None:
            return Judgement(commit, first_index, valid=False, reason=reason)
        for e in commit.events:
            self.tips[e.originator_id] = Tip(e.originator_version, self.partition)
        return Judgement(commit, first_index, valid=True)

    def _conflict(self, commit: Commit) -> str | None:
        if not commit.events:
            return "empty commit"
        expected: dict[UUID | str, int] = {}
        for e in commit.events:
            oid, version = e.originator_id, e.originator_version
            if oid in expected:
                if version != expected[oid]:
                    return f"versions of {oid} are not consecutive within the commit"
            else:
                tip = self.tips.get(oid)
                if tip is None:
                    if version not in NEW_AGGREGATE_VERSIONS:
                        return f"{oid} does not exist; version {version} cannot start it"
                elif tip.partition != self.partition:
                    return f"{oid} lives in partition {tip.partition}, not {self.partition}"
                elif version != tip.version + 1:
                    return f"{oid} is at version {tip.version}; version {version} conflicts"
            expected[oid] = version + 1
        return None

    def valid_rows(self) -> list[tuple[UUID | str, int, str, bytes, int]]:
        """Index rows (originator, version, topic, state, notification id) of valid commits."""
        rows = []
        for offset, j in self.judgements:
            if j.valid:
                for i, e in enumerate(j.commit.events):
                    nid = notification_id(self.partition, offset, j.first_index + i)
                    rows.append(
                        (e.originator_id, e.originator_version, e.topic, bytes(e.state), nid)
                    )
        return rows

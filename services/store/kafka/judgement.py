"""The index's pure part: records and outcomes, which records to decide now, and the rule's
verdicts over them as the rows the index writes (no I/O; `index.py` runs the transactions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.store.kafka.commits import (
    MAX_OFFSET,
    Commit,
    CommitOutcome,
    notification_id,
    partition_of,
)
from services.store.kafka.validity import RecordJudge, Tip

PIPELINE_MAX_EVENTS = 200


@dataclass(frozen=True, slots=True)
class LogRecord:
    """A record read back from (or just acknowledged by) the log; commits None if undecodable."""

    offset: int
    commits: Sequence[Commit] | None


@dataclass(frozen=True, slots=True)
class Applied:
    """Where the partition's index stands after `apply`, and outcomes decided by this call."""

    next_offset: int
    outcomes: dict[UUID, CommitOutcome]


def outcome_from_row(
    partition: int,
    offset: int,
    first: int,
    count: int,
    valid: bool,
    reason: str | None,
    commit_id: UUID,
) -> CommitOutcome:
    """Rebuild a commit's outcome from its store_commits row."""
    if not valid:
        return CommitOutcome(commit_id, None, reason)
    ids = [notification_id(partition, offset, first + i) for i in range(count)]
    return CommitOutcome(commit_id, ids)


def guessable(records: Sequence[LogRecord]) -> bool:
    """A small, decoded, contiguous run of records (what a writer produced itself)."""
    if not records or any(r.commits is None for r in records):
        return False
    offsets = [r.offset for r in records]
    contiguous = offsets == list(range(offsets[0], offsets[0] + len(offsets)))
    return contiguous and sum(event_count(r) for r in records) <= PIPELINE_MAX_EVENTS


def guessed_tips(partition: int, commits: Sequence[Commit]) -> dict[UUID | str, Tip | None]:
    """Per aggregate, in first-seen order: the tip its first version in these commits expects."""
    guessed: dict[UUID | str, Tip | None] = {}
    for commit in commits:
        for e in commit.events:
            if e.originator_id not in guessed:
                version = e.originator_version
                guessed[e.originator_id] = Tip(version - 1, partition) if version >= 2 else None
    return guessed


def columns(rows: Sequence[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows as `width` column lists (empty lists when there are no rows)."""
    if not rows:
        return [[] for _ in range(width)]
    return [list(column) for column in zip(*rows, strict=True)]


def event_count(record: LogRecord) -> int:
    return sum(len(c.events) for c in record.commits or ())


def oids(commits: Sequence[Commit]) -> list[UUID | str]:
    return list({e.originator_id for c in commits for e in c.events})


def judge(
    partition: int,
    todo: Sequence[LogRecord],
    tip_rows: Sequence[tuple[Any, ...]],
    decided_rows: Sequence[tuple[Any, ...]],
) -> RecordJudge:
    """Apply the rule to the records in log order, given the index's tips and decided ids."""
    tips = {oid: Tip(version, partition_of(nid)) for oid, version, nid in tip_rows}
    judge = RecordJudge(partition, tips, {row[0] for row in decided_rows})
    for record in todo:
        if record.offset > MAX_OFFSET:
            raise OverflowError(f"offset {record.offset} exceeds the notification-id layout")
        judge.judge_record(record.offset, record.commits or ())
    return judge


def outcome_rows(partition: int, judge: RecordJudge) -> list[tuple[Any, ...]]:
    return [
        (j.commit.commit_id, partition, off, j.first_index, len(j.commit.events), j.valid, j.reason)
        for off, j in judge.judgements
        if not j.duplicate
    ]


def outcomes(partition: int, judge: RecordJudge) -> dict[UUID, CommitOutcome]:
    return {
        j.commit.commit_id: CommitOutcome(
            j.commit.commit_id,
            [
                notification_id(partition, off, j.first_index + i)
                for i in range(len(j.commit.events))
            ]
            if j.valid
            else None,
            j.reason,
        )
        for off, j in judge.judgements
        if not j.duplicate
    }


def runnable(
    records: Sequence[LogRecord], next_offset: int, only_from_next: bool
) -> list[LogRecord]:
    """Records to decide now: those at or past next (or only a contiguous run from next)."""
    ordered = sorted(records, key=lambda r: r.offset)
    if not only_from_next:
        return [r for r in ordered if r.offset >= next_offset]
    run: list[LogRecord] = []
    expected = next_offset
    for r in ordered:
        if r.offset < expected:
            continue
        if r.offset != expected:
            break
        run.append(r)
        expected += 1
    return run

"""The record format and the validity rule on their own (no servers needed, fast)."""

from __future__ import annotations

from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent
from hypothesis import given, settings
from hypothesis import strategies as st

from services.store.kafka.codec import decode_record, encode_record, encoded_size_bound
from services.store.kafka.commits import Commit
from services.store.kafka.partitioning import partition_for
from services.store.kafka.validity import RecordJudge

events = st.builds(
    StoredEvent,
    originator_id=st.uuids(version=4),
    originator_version=st.integers(min_value=0, max_value=2**40),
    topic=st.text(min_size=1, max_size=40),
    state=st.binary(max_size=300)
    | st.just(b'{"n":1180591620717411303424,"f":1e+16,"s":"\\u00e9"}'),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(events, min_size=1, max_size=5), min_size=1, max_size=5))
def test_records_decode_to_byte_identical_events(commits: list[list[StoredEvent]]) -> None:
    """Any bytes, JSON or not, come back exactly, and the packing bound is an upper bound."""
    originals = [Commit(uuid4(), es) for es in commits]
    value = encode_record(originals)
    assert decode_record(value, "uuid") == originals
    assert len(value) <= sum(encoded_size_bound(c.events) for c in originals) + 16


def test_partition_keys_map_stably_to_partitions() -> None:
    """Same key, same partition, in every process (murmur2, not Python's salted hash)."""
    assert partition_for(None, 8) == 0
    assert partition_for("110101", 1) == 0
    assert [partition_for(k, 8) for k in ("110101", "310104", "440305")] == [
        partition_for(k, 8) for k in ("110101", "310104", "440305")
    ]
    assert len({partition_for(f"{n:06d}", 8) for n in range(110101, 110201)}) == 8


def test_the_first_writer_in_log_order_wins_and_a_redelivery_changes_nothing() -> None:
    """Rule: consecutive versions from the tip; a later claim on a taken version conflicts."""
    oid = UUID(int=1)
    first = Commit(uuid4(), [StoredEvent(oid, 1, "A", b""), StoredEvent(oid, 2, "B", b"")])
    rival = Commit(uuid4(), [StoredEvent(oid, 2, "X", b"")])
    gap = Commit(uuid4(), [StoredEvent(oid, 4, "Y", b"")])
    shuffled = Commit(uuid4(), [StoredEvent(oid, 4, "Z", b""), StoredEvent(oid, 3, "Z", b"")])
    next_one = Commit(uuid4(), [StoredEvent(oid, 3, "C", b"")])
    judge = RecordJudge(partition=0, tips={}, decided=set())
    judge.judge_record(0, [first, rival, gap, shuffled])
    judge.judge_record(1, [first, next_one])
    verdicts = [(j.valid, j.duplicate) for _, j in judge.judgements]
    assert verdicts == [
        (True, False),
        (False, False),
        (False, False),
        (False, False),
        (False, True),
        (True, False),
    ]
    assert [row[1] for row in judge.valid_rows()] == [1, 2, 3]

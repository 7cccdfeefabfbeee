"""Per-process knowledge of how far the index has got, so waiting writers wake promptly."""

from __future__ import annotations

import threading


class IndexProgress:
    """Highest next-offset seen per partition, with a condition writers wait on."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next: dict[int, int] = {}
        # Offsets a writer of this process is indexing itself right now (the indexer thread
        # leaves them alone instead of decoding them and queueing on the same lock).
        self._claims: dict[int, set[int]] = {}

    def advance(self, partition: int, next_offset: int) -> None:
        """Record that the index has decided every offset below next_offset in the partition."""
        with self._cond:
            if next_offset > self._next.get(partition, 0):
                self._next[partition] = next_offset
                self._cond.notify_all()

    def next_offset(self, partition: int) -> int:
        """Next undecided offset of the partition as far as this process knows."""
        with self._cond:
            return self._next.get(partition, 0)

    def wait_beyond(self, partition: int, offset: int, timeout: float) -> bool:
        """Wait until the partition's index passes `offset` (True) or timeout (False)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._next.get(partition, 0) > offset, timeout)

    def claim(self, partition: int, offsets: set[int]) -> None:
        """A local writer is about to index these offsets itself."""
        with self._cond:
            self._claims.setdefault(partition, set()).update(offsets)

    def release(self, partition: int, offsets: set[int]) -> None:
        """The local writer is done with these offsets (indexed or not)."""
        with self._cond:
            self._claims.get(partition, set()).difference_update(offsets)
            self._cond.notify_all()

    def wait_while_all_claimed(self, partition: int, offsets: set[int], timeout: float) -> None:
        """Wait (bounded) while local writers are indexing every one of these offsets.

        Only when all are claimed: an unclaimed earlier offset may be exactly what a claiming
        writer is waiting for, so the indexer must go ahead then.
        """
        with self._cond:
            self._cond.wait_for(lambda: not offsets <= self._claims.get(partition, set()), timeout)

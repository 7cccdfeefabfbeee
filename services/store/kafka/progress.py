"""Per-process knowledge of how far the index has got, so waiting writers wake promptly."""

from __future__ import annotations

import threading


class IndexProgress:
    """Highest next-offset seen per partition, with a condition writers wait on."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next: dict[int, int] = {}

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

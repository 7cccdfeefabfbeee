"""Commands run off the event loop, a bounded number at a time; beyond the queue, 503."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from services.errors import Problem

T = TypeVar("T")


class WritesFull(Problem):
    """Every writer is busy and the queue is full: come back later (503 + Retry-After)."""

    def __init__(self, workers: int, queue: int) -> None:
        super().__init__(
            503,
            "Too many writes",
            f"{workers} writes are running and {queue} are waiting; retry the same events later",
        )


class WriteGate:
    """A pool of writer threads with a bounded waiting line, so reads never wait for writes.

    The event loop only awaits; the commands (store round trips, schema checks, replays) run in
    the pool. When `workers` commands run and `queue` more wait, a new one is refused at once
    rather than piling up behind them (backpressure: the client retries with the same ids).
    """

    def __init__(self, workers: int, queue: int) -> None:
        if workers < 1 or queue < 0:
            raise ValueError("a write gate needs at least one worker and a queue of 0 or more")
        self.workers = workers
        self.queue = queue
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="writer")
        self._lock = threading.Lock()
        self._admitted = 0

    @property
    def admitted(self) -> int:
        """Commands running or waiting now."""
        return self._admitted

    async def run(self, command: Callable[[], T]) -> T:
        """Run one command in the pool; WritesFull at once when the line is full."""
        with self._lock:
            if self._admitted >= self.workers + self.queue:
                raise WritesFull(self.workers, self.queue)
            self._admitted += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, command)
        finally:
            with self._lock:
                self._admitted -= 1

    def close(self) -> None:
        """Finish what was admitted, then stop the threads."""
        self._pool.shutdown(wait=True)

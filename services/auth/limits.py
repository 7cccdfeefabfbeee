"""Abuse limits: token buckets per principal (writes) and per name and per address (logins)."""

from __future__ import annotations

import math
import threading
import time


class Buckets:
    """A token bucket per key: `burst` at once, refilled at `rate` per second."""

    def __init__(self, burst: int, rate: float, max_keys: int = 100_000) -> None:
        self.burst = burst
        self.rate = rate
        self._max_keys = max_keys
        self._state: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 if the key may act now (one token taken), else seconds until it may."""
        now = time.monotonic()
        with self._lock:
            tokens, then = self._state.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            if tokens >= 1:
                if len(self._state) >= self._max_keys:
                    self._state.clear()  # bounded memory; a reset only forgives
                self._state[key] = (tokens - 1, now)
                return 0.0
            self._state[key] = (tokens, now)
            return (1 - tokens) / self.rate


def retry_after(seconds: float) -> str:
    """The Retry-After header value: whole seconds, at least one."""
    return str(max(1, math.ceil(seconds)))

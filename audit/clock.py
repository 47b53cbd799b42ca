"""The time that waiting logic reads and spends: real by default, virtual in tests.

Retry backoff, ``Retry-After``, per-host politeness delays and the company budget read ``now()`` and wait
with ``sleep()`` of a ``Clock`` handed to the fetcher, the host gates and the crawler (as httpie hands its
commands an ``Environment``). Production uses ``SYSTEM_CLOCK``; a test passes a ``VirtualClock`` and
asserts the exact delays asked for, in milliseconds of real time. Timings that are measurements of the
network (TTFB, connect time) stay on the real clock.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    """Monotonic seconds and a way to wait."""

    def now(self) -> float:
        """Seconds on a monotonic scale (only differences mean anything)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""
        ...


class SystemClock:
    """The real clock: ``time.monotonic`` and ``time.sleep``."""

    def now(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """``time.sleep(seconds)``."""
        time.sleep(seconds)


SYSTEM_CLOCK: Clock = SystemClock()


class VirtualClock:
    """Time that passes only when slept: ``sleep`` returns at once, advances ``now`` and is recorded."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()
        self.sleeps: list[float] = []  # every wait asked for, in order

    def now(self) -> float:
        """The virtual time."""
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        """Record ``seconds`` and advance the virtual time by it, without waiting."""
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass without anyone sleeping (work that took time)."""
        with self._lock:
            self._now += seconds

"""A Redis-backed gate for API hosts that every company's audit shares (GitHub, Bluesky, Mastodon, YouTube).

In one process, ``HostGates`` spaces requests per host. A distributed scan has many processes on many
machines, each with its own gates, so N workers would send N times an API's allowance. ``RedisGate``
gives every request to a shared host a turn from one Redis key per host: a Lua script, atomic on the
server, hands out slots ``interval`` seconds apart (Redis's own clock, so machines' clocks do not
matter), and the caller sleeps until its slot.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlsplit

#: Seconds between requests to each public API host, all workers together. GitHub allows 60 requests an
#: hour without a token; the others' published limits are far higher, so they get a polite 0.2–1 s.
API_INTERVALS_S: dict[str, float] = {
    "api.github.com": 60.0,
    "public.api.bsky.app": 0.2,
    "mastodon.social": 1.0,
    "www.googleapis.com": 0.5,
    "www.youtube.com": 1.0,
}

#: The slot script: KEYS[1] the host's key; ARGV[1] the interval (ms). Returns the ms to wait.
_SLOT_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nxt)
redis.call('SET', KEYS[1], slot + interval, 'PX', math.floor(interval + 60000))
return {slot - now, slot}
"""


def shared_hosts(
    api_bases: Mapping[str, str], intervals: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Host → interval for the public APIs, and for the hosts ``--api-base`` points them at (those keep
    the interval of the API they stand for: the first match by name, else 1 s)."""
    table = dict(API_INTERVALS_S if intervals is None else intervals)
    by_name = {"github": "api.github.com", "bluesky": "public.api.bsky.app", "youtube": "www.youtube.com"}
    for name, base in api_bases.items():
        served = (urlsplit(base).hostname or "").lower()
        if served:
            table.setdefault(served, table.get(by_name.get(name, ""), 1.0))
    return table


class RedisGate:
    """Slots per shared host from Redis (``covers``/``wait`` for ``HostGates``)."""

    def __init__(
        self,
        url: str,
        hosts: Mapping[str, float],
        prefix: str = "engage:gate:",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.hosts = {h.lower(): float(s) for h, s in hosts.items()}
        self.prefix = prefix
        self.sleep = sleep
        self._slot = self.client.register_script(_SLOT_SCRIPT)

    def covers(self, host: str) -> bool:
        return host.lower() in self.hosts

    def reserve(self, host: str) -> tuple[float, int]:
        """Take the host's next slot: (seconds to wait, the slot in Redis milliseconds)."""
        interval_ms = int(self.hosts[host.lower()] * 1000)
        wait_ms, slot = self._slot(keys=[self.prefix + host.lower()], args=[interval_ms])
        return max(0.0, int(wait_ms) / 1000.0), int(slot)

    def wait(self, host: str) -> None:
        wait, _ = self.reserve(host)
        if wait:
            self.sleep(wait)

    def slots(self, host: str, n: int) -> Iterable[int]:
        """``n`` consecutive slots for ``host`` without waiting (for checks and the benchmark)."""
        return [self.reserve(host)[1] for _ in range(n)]

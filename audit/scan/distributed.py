"""Celery with a Redis broker: Engage's own configuration, the two tasks, and the scan's side of it.

Celery's defaults are wrong for this work, so Engage sets them and users never write Celery settings:

* ``task_acks_late`` and ``task_reject_on_worker_lost``: a job is acknowledged when it has finished, so
  a worker that dies (SIGKILL, OOM, a lost machine) leaves its job to be delivered again;
* ``worker_prefetch_multiplier = 1``: a worker holds no more jobs than it runs, none waits behind a slow
  company while another worker is idle;
* a hard time limit below the Redis ``visibility_timeout`` (600 s and 900 s by default): Redis delivers a
  job again when it has not been acknowledged within the visibility timeout, so a job must never be
  allowed to run that long; a soft limit before it records the attempt as failed;
* ``task_acks_on_failure_or_timeout = False``: a job killed at the hard limit is put back, not dropped;
* retries with exponential backoff, capped below the visibility timeout (a delayed job sits unacknowledged
  in a worker until it is due).

Delivery is at least once; correctness comes from the store (upserts fenced by attempt, a lease, a
finalize that happens once). ``ENGAGE_VISIBILITY_TIMEOUT`` (seconds) scales every limit together, for
tests that kill workers and cannot wait 15 minutes for Redis to hand a job out again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from audit.scan.jobs import AUDIT_QUEUE, RENDER_QUEUE, all_stored, audit_company, finalize, queue_for
from audit.scan.store import ScanStore

DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
#: Seconds the finalize job may take at least (it renders market.pdf).
FINALIZE_LIMIT_S = 600.0


@dataclass(frozen=True)
class Limits:
    """Visibility timeout, hard and soft time limits, and the longest retry backoff, in seconds."""

    visibility_timeout: float
    hard_limit: float
    soft_limit: float
    max_backoff: float

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Limits:
        env = os.environ if environ is None else environ
        raw = env.get("ENGAGE_VISIBILITY_TIMEOUT", "").strip()
        visibility = float(raw) if raw else 900.0
        if not visibility > 0:
            raise ValueError(f"ENGAGE_VISIBILITY_TIMEOUT must be a positive number of seconds, not {raw!r}")
        hard = visibility * 2 / 3
        return cls(visibility, hard, hard * 0.9, visibility / 3)


def celery_config(broker: str, limits: Limits | None = None) -> dict[str, Any]:
    """The whole Celery configuration Engage runs with."""
    limits = limits or Limits.from_environment()
    return {
        "broker_url": broker,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {
            "visibility_timeout": limits.visibility_timeout,
            # sweep for jobs of dead workers often enough to see them soon after the timeout
            "unacked_restore_interval": max(1, int(limits.visibility_timeout / 10)),
            "unacked_restore_throttle": 1,
        },
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_acks_on_failure_or_timeout": False,
        "worker_prefetch_multiplier": 1,
        "task_time_limit": limits.hard_limit,
        "task_soft_time_limit": limits.soft_limit,
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,
        "result_backend": None,
        "task_default_queue": AUDIT_QUEUE,
        "worker_hijack_root_logger": False,
        "worker_max_tasks_per_child": 200,  # a long scan's memory stays flat
    }


_stores: dict[str, ScanStore] = {}


def store_for(url: str) -> ScanStore:
    """One store per database URL per worker process."""
    store = _stores.get(url)
    if store is None:
        store = _stores[url] = ScanStore(url)
    return store


def backoff(retries: int, limits: Limits) -> float:
    """Seconds before retry ``retries`` + 1: 5, 10, 20 … capped below the visibility timeout."""
    return float(min(5.0 * 2**retries, limits.max_backoff))


def make_app(broker: str) -> Any:
    """The Celery app with Engage's configuration and its tasks ``engage.audit_company`` and
    ``engage.finalize``."""
    from celery import Celery

    limits = Limits.from_environment()
    app = Celery("engage")
    app.conf.update(celery_config(broker, limits))

    @app.task(name="engage.audit_company", bind=True, max_retries=50)
    def audit_company_task(self: Any, db_url: str, scan_id: int, host: str) -> str:
        store = store_for(db_url)
        outcome = audit_company(store, scan_id, host, gates_for=lambda s: gates(broker, s))
        if outcome == "retry":
            raise self.retry(countdown=backoff(self.request.retries, limits))
        if outcome == "busy":  # another job holds the company's lease: look again later
            raise self.retry(countdown=min(limits.max_backoff, 5.0))
        if all_stored(store, scan_id):
            finalize_task.apply_async((db_url, scan_id), queue=AUDIT_QUEUE)
        return outcome

    # The finalize writes the PDF (seconds, minutes for a huge market): it gets the production limits
    # whatever the visibility timeout. Running past it only means a second, harmless finalize.
    finalize_limit = max(limits.hard_limit, FINALIZE_LIMIT_S)

    @app.task(name="engage.finalize", time_limit=finalize_limit, soft_time_limit=finalize_limit * 0.9)
    def finalize_task(db_url: str, scan_id: int) -> bool:
        return finalize(store_for(db_url), scan_id)

    return app


def gates(broker: str, settings: Any) -> Any:
    """Per-host gates whose shared API hosts take their turns from Redis."""
    from audit.politeness import HostGates
    from audit.scan.gate import RedisGate, shared_hosts

    return HostGates(settings, shared=RedisGate(broker, shared_hosts(settings.api_bases)))


def check_broker(broker: str) -> None:
    """Fail with one line unless ``broker`` is a reachable Redis URL."""
    from audit.status import ExitStatus, fail

    if not broker.startswith(("redis://", "rediss://", "unix://")):
        fail(f"--broker {broker}: only Redis brokers are supported (redis://host:port/db)", ExitStatus.USAGE)
    import redis

    try:
        redis.Redis.from_url(broker, socket_connect_timeout=5).ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        fail(f"--broker {broker}: cannot reach Redis ({exc})")


def enqueue_scan(broker: str, db_url: str, scan_id: int) -> int:
    """Send a job for every company of the scan not stored yet (all of them, or the rest on
    ``--resume``); returns how many. Jobs already queued may be sent again: they are idempotent."""
    check_broker(broker)
    store = store_for(db_url)
    info = store.scan(scan_id)
    queue = queue_for(info.settings)
    app = make_app(broker)
    task = app.tasks["engage.audit_company"]
    rows = store.companies(scan_id, statuses=("pending", "running"))
    for row in rows:
        task.apply_async((db_url, scan_id, row["host"]), queue=queue)
    if not rows:  # everything is stored: only the finalize may be missing
        app.tasks["engage.finalize"].apply_async((db_url, scan_id), queue=AUDIT_QUEUE)
    return len(rows)


def wait_for_scan(
    store: ScanStore, scan_id: int, progress: Callable[[str], None], poll_s: float = 1.0
) -> None:
    """Wait until the workers have stored every company and one of them has finalized the scan."""
    last = -1
    while True:
        info = store.scan(scan_id)
        if info.stored != last:
            progress(f"scan {scan_id}: {info.stored}/{info.total} stored")
            last = info.stored
        if info.status == "complete":
            return
        time.sleep(poll_s)


def run_worker(broker: str, queues: list[str], concurrency: int, loglevel: str) -> None:
    """Run a Celery worker (prefork pool) until it is stopped."""
    check_broker(broker)
    app = make_app(broker)
    argv = [
        "worker",
        f"--queues={','.join(queues)}",
        f"--concurrency={concurrency}",
        f"--loglevel={loglevel}",
    ]
    argv += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--pool=prefork"]
    app.worker_main(argv)


__all__ = ["AUDIT_QUEUE", "DEFAULT_BROKER", "RENDER_QUEUE", "celery_config", "make_app"]

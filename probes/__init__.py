"""Probes: one module per channel kind, each reading a ``SiteCapture`` and returning ``Evidence``.

The registry is an explicit tuple (no import side effects). ``run_probes`` isolates failures: a probe
that raises becomes an ``Evidence`` with status ``error``, never a crash and never an empty "not found".
A probe that builds on another declares ``REQUIRES`` and reads its memoized evidence (``probes.computed``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from audit.models import Evidence, SiteCapture
from probes import (
    blog,
    chat_widgets,
    community,
    contact,
    faq,
    feeds,
    functions,
    github_activity,
    help_center,
    manual,
    newsletter,
    reply_promise,
    response_times,
    social_activity,
    social_profiles,
    trust,
)
from probes.computed import probe_run, run_order, run_probe

#: Every probe module, in report order of the channels they fill.
PROBES: tuple[ModuleType, ...] = (
    social_profiles,
    chat_widgets,
    faq,
    help_center,
    community,
    blog,
    feeds,
    newsletter,
    contact,
    functions,
    trust,
    response_times,
    social_activity,
    github_activity,
    reply_promise,
    manual,
)


def probe_names() -> list[str]:
    """The ids of all registered probes."""
    return [str(module.NAME) for module in PROBES]


def planners() -> list[tuple[str, Any]]:
    """(probe name, plan function) of the probes that declare requests for the gather stage."""
    return [(str(m.NAME), m.plan) for m in PROBES if hasattr(m, "plan")]


def channels_of(name: str) -> tuple[str, ...]:
    """The ``audit.json`` channel kinds a probe's findings fill."""
    module = next((m for m in PROBES if name == m.NAME), None)
    return tuple(module.CHANNELS) if module is not None else ()


def probe_module(name: str) -> ModuleType:
    """The registered probe module called ``name``."""
    module = next((m for m in PROBES if name == m.NAME), None)
    if module is None:
        raise KeyError(f"no probe named {name!r}")
    return module


def run_probes(
    capture: SiteCapture,
    modules: tuple[ModuleType, ...] = PROBES,
    budget_s: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> list[Evidence]:
    """Every probe's evidence for one capture, in registry order; each probe runs once, after what it
    requires.

    ``budget_s`` bounds the company's probing: once spent, the probes not yet run are errors that say
    so (a probe is not stopped mid-way; per-page work is linear, so one probe's time is bounded by the
    capture's size).
    """
    deadline = clock() + budget_s if budget_s is not None else None
    with probe_run(capture, (*PROBES, *modules)) as run:
        for module in run_order(modules, PROBES):
            name = str(module.NAME)
            if deadline is not None and clock() > deadline and name not in run.results:
                run.results[name] = Evidence(
                    probe=name,
                    status="error",
                    error=f"not run: the probe time budget of {budget_s:g}s for this company was spent",
                )
                continue
            run_probe(module, capture)
        return [run.results[str(module.NAME)] for module in modules]

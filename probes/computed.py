"""Evidence one probe needs from another, computed once per capture (Lighthouse's computed artifacts).

A probe that builds on another declares it, ``REQUIRES = ("social_profiles",)``, and reads it with
``required(capture, "social_profiles")`` instead of calling that probe itself. Inside ``run_probes`` every
probe runs once per capture, in an order that puts what is required first, and asking for a probe that is
not declared is an error. Outside a run (a unit test calling one probe) the evidence is computed on demand.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import ModuleType

from audit.models import Evidence, SiteCapture


class RequirementError(RuntimeError):
    """A probe asked for evidence it did not declare, a requirement failed, or the declarations cycle."""


@dataclass
class _Run:
    capture: SiteCapture
    modules: dict[str, ModuleType]
    results: dict[str, Evidence] = field(default_factory=dict)
    current: list[str] = field(default_factory=list)


_RUN: ContextVar[_Run | None] = ContextVar("probe_run", default=None)


def requires(module: ModuleType) -> tuple[str, ...]:
    """The probe names a probe module declares it needs."""
    return tuple(getattr(module, "REQUIRES", ()))


def run_order(modules: Sequence[ModuleType], registry: Sequence[ModuleType]) -> list[ModuleType]:
    """``modules`` and what they require (from ``registry``), each after its requirements; no cycles."""
    by_name = {str(m.NAME): m for m in registry} | {str(m.NAME): m for m in modules}
    order: list[ModuleType] = []
    state: dict[str, str] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise RequirementError(f"probe requirements form a cycle: {' → '.join((*path, name))}")
        if name not in by_name:
            raise RequirementError(f"{path[-1]} requires unknown probe {name!r}")
        state[name] = "visiting"
        for needed in requires(by_name[name]):
            visit(needed, (*path, name))
        state[name] = "done"
        order.append(by_name[name])

    for module in modules:
        visit(str(module.NAME), ())
    return order


@contextmanager
def probe_run(capture: SiteCapture, registry: Sequence[ModuleType]) -> Iterator[_Run]:
    """A scope in which each probe's evidence for ``capture`` is computed at most once."""
    run = _Run(capture, {str(m.NAME): m for m in registry})
    token = _RUN.set(run)
    try:
        yield run
    finally:
        _RUN.reset(token)


@contextmanager
def running(run: _Run, name: str) -> Iterator[None]:
    """Mark ``name`` as the probe now running (so its ``required`` calls are checked)."""
    run.current.append(name)
    try:
        yield
    finally:
        run.current.pop()


def required(capture: SiteCapture, name: str) -> Evidence:
    """The evidence of probe ``name`` for ``capture``: memoized inside a run, declared by the caller."""
    run = _RUN.get()
    if run is None or run.capture is not capture:
        return _checked(name, probe_module(name).probe(capture))
    if run.current:
        caller = run.current[-1]
        if name not in requires(run.modules[caller]):
            raise RequirementError(f"probe {caller} uses {name} without declaring it in REQUIRES")
    if name not in run.results:
        run.results[name] = run_probe(run.modules[name], capture)
    return _checked(name, run.results[name])


def _checked(name: str, evidence: Evidence) -> Evidence:
    if evidence.status == "error":
        raise RequirementError(f"required probe {name} failed: {evidence.error}")
    return evidence


def probe_module(name: str) -> ModuleType:
    """The probe module called ``name``: ``probes.<name>`` (a probe's ``NAME`` is its module's name)."""
    try:
        module = importlib.import_module(f"probes.{name}")
    except ModuleNotFoundError:
        raise KeyError(f"no probe named {name!r}") from None
    if getattr(module, "NAME", None) != name or not hasattr(module, "probe"):
        raise KeyError(f"no probe named {name!r}")
    return module


def run_probe(module: ModuleType, capture: SiteCapture) -> Evidence:
    """One probe's evidence; an exception becomes ``status="error"`` evidence."""
    run = _RUN.get()
    try:
        if run is not None and run.capture is capture:
            if str(module.NAME) in run.results:
                return run.results[str(module.NAME)]
            with running(run, str(module.NAME)):
                evidence: Evidence = module.probe(capture)
            run.results[str(module.NAME)] = evidence
        else:
            evidence = module.probe(capture)
    except Exception as exc:  # one broken probe must not sink the audit
        evidence = Evidence(probe=str(module.NAME), status="error", error=f"{type(exc).__name__}: {exc}")
        if run is not None and run.capture is capture:
            run.results[str(module.NAME)] = evidence
    return evidence

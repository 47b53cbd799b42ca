"""Storing ``engage audit --db URL`` runs: a ``running`` row first, the results in the final transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

from audit.status import fail

F = TypeVar("F", bound=Callable[..., Any])


def target_dicts(targets: Sequence[Any]) -> list[dict[str, Any]]:
    """``Target``s as JSON for the ``runs`` row."""
    return [{"url": t.url, "role": t.role, "name": t.name} for t in targets]


def describe(exc: BaseException) -> str:
    """One line for a failed run's ``error`` column."""
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def records_history(fn: F) -> F:
    """Wrap ``pipeline.run_audit`` so that, with ``settings.db`` set, the run is stored.

    The run is inserted as ``running`` before crawling (a bad URL or unreachable database fails before
    any network use); when the audit raises (error, Ctrl-C) it is marked ``failed``; when it returns, the
    ``audit.json`` it wrote is stored and the run marked done, in one transaction.
    """

    @wraps(fn)
    def wrapper(targets: Sequence[Any], settings: Any, out: Path, *args: Any, **kwargs: Any) -> Any:
        if not settings.db:
            return fn(targets, settings, out, *args, **kwargs)
        from audit import __version__
        from audit.history.store import Store, StoreError
        from audit.runner import ExitStatus, public_settings

        try:
            store = Store(settings.db)
            run_id = store.begin_run(target_dicts(targets), public_settings(settings), __version__)
        except StoreError as exc:
            fail(str(exc))
        try:
            status = fn(targets, settings, out, *args, **kwargs)
            audit = json.loads((Path(out) / "audit.json").read_text(encoding="utf-8"))
            replay = kwargs.get("replay") or (args[0] if args else None)
            store.finish_run(
                run_id,
                audit,
                status="failed" if status == ExitStatus.ERROR else None,
                out_dir=Path(out).resolve(),
                capture_path=Path(replay) if replay else Path(out) / "capture.warc.gz",
            )
        except BaseException as exc:
            store.fail_run(run_id, describe(exc))
            raise
        finally:
            store.close()
        return status

    return cast(F, wrapper)

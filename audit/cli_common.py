"""What every ``engage`` command shares: error translation (``guarded``), the progress reporter, exits and
option parsing. ``audit.cli`` and ``audit.cli_history`` import it; it imports neither."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar, cast

import click

from audit.status import EngageError, ExitStatus

if TYPE_CHECKING:
    from audit.progress import Reporter

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("pdf", "html", "json", "csv")


def guarded(fn: F) -> F:
    """Turn expected failures and Ctrl-C into one line on stderr and the right exit status."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from audit.consultant import ConsultantError
        from audit.interrupts import handled
        from audit.runner import RenderUnavailable
        from audit.settings import SettingsError
        from audit.urls import BadURL
        from audit.validation import NonFiniteError
        from audit.warc import WarcError
        from scoring.model import ModelError

        try:
            with handled():  # SIGTERM as Ctrl-C; only the first one interrupts, the run then writes
                return fn(*args, **kwargs)
        except EngageError as exc:
            stop(f"engage: error: {exc}", exc.status)
        except (BadURL, SettingsError, ConsultantError) as exc:
            stop(f"engage: error: {exc}", ExitStatus.USAGE)
        except (ModelError, WarcError, RenderUnavailable, NonFiniteError) as exc:
            stop(f"engage: error: {exc}", ExitStatus.ERROR)
        except KeyboardInterrupt:
            stop("engage: interrupted", ExitStatus.INTERRUPTED)
        finally:
            report = current_reporter()
            if report is not None:
                report.close()  # an unexpected traceback must not be drawn under a live table

    return cast(F, wrapper)


REPORTER_KEY = "engage.reporter"


def start_reporter(quiet: bool) -> Reporter:
    """This command's reporter: a live table when stderr is a terminal (not ``--quiet``), else warnings
    and the summary line only; ``guarded`` ends it on failure."""
    from audit.progress import make_reporter

    report = make_reporter(quiet)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[REPORTER_KEY] = report
    return report


def current_reporter() -> Reporter | None:
    """The reporter :func:`start_reporter` made for the running command, if any."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(REPORTER_KEY) if ctx is not None else None


def stop(message: str, status: ExitStatus) -> NoReturn:
    """End the command with ``message`` on stderr (then the run's summary, when it wrote results)."""
    from audit.safe_text import terminal

    report = current_reporter()
    if report is None:
        click.echo(terminal(message), err=True)
    else:
        report.failed(int(status), message)
    sys.exit(int(status))


def conclude(report: Reporter, status: int) -> NoReturn:
    """End a command that ran to its end: the summary line, then exit ``status``."""
    report.finish(int(status))
    sys.exit(int(status))


def parse_formats(raw: str) -> tuple[str, ...]:
    """``pdf,html`` → ("pdf", "html"); unknown names are a usage error."""
    names = tuple(dict.fromkeys(n.strip().lower() for n in raw.split(",") if n.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise click.BadParameter(f"unknown format {unknown[0]!r} (choose from {', '.join(FORMATS)})")
    return names

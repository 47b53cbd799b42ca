"""What every ``engage`` command shares: error translation (``guarded``, and ``guarded_history`` for the
commands that use the history database), the progress reporter, exits, shared options and their parsing.
Every module of ``audit.cli`` imports it; it imports none of them."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import wraps
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar, cast

import click

from audit.status import EngageError, ExitStatus, fail

if TYPE_CHECKING:
    from audit.history.diff import FailUnder
    from audit.history.store import Store
    from audit.progress import Reporter
    from audit.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("pdf", "html", "json", "csv")
QUIET_HELP = "No progress display; warnings and the summary line still go to stderr."
DB_HELP = (
    "History database: a URL (sqlite:///…, postgresql://…) or a file. "
    "Default: ENGAGE_DB, else XDG_DATA_HOME/engage/history.db."
)

PDF_VARIANT_OPTION = click.option(
    "--pdf-variant",
    type=click.Choice(["pdf/ua-1", "pdf/ua-2", "pdf/a-3b"]),
    default=None,
    help="Write a PDF variant: pdf/ua-1 is a tagged, accessible PDF (title, language, alt text).",
)


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


def guarded_history(fn: F) -> F:
    """:func:`guarded` plus the history's expected failures: a bad project or schedule (exit 2), a
    database that cannot be used (exit 1)."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import sqlalchemy as sa

        from audit.history.projects import ProjectError
        from audit.history.schedule import ScheduleError
        from audit.history.store import StoreError, database_problem

        def run() -> Any:
            try:
                return fn(*args, **kwargs)
            except (ProjectError, ScheduleError) as exc:
                fail(str(exc), ExitStatus.USAGE)
            except StoreError as exc:
                fail(str(exc))
            except sa.exc.SQLAlchemyError as exc:  # a database that opened but fails a query
                fail(str(database_problem(kwargs.get("db") or "the history database", exc)))

        return guarded(run)()

    return cast(F, wrapper)


def open_store(db: str | None) -> Store:
    """The history database ``db`` (``--db``; default ``ENGAGE_DB``, else the user's history file)."""
    from audit.history.store import Store

    return Store(db)


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


def parse_gate(value: str | None) -> FailUnder | None:
    """``--fail-under`` as a gate (``L3`` or ``60``); a bad value is a usage error."""
    from audit.history.diff import parse_fail_under

    if value is None:
        return None
    try:
        return parse_fail_under(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def gate_callback(_ctx: click.Context, _param: click.Parameter, value: str | None) -> FailUnder | None:
    """``parse_gate`` as a click option callback."""
    return parse_gate(value)


def parse_api_bases(values: Sequence[str]) -> dict[str, str]:
    """``NAME=URL`` pairs → dict; malformed pairs are a usage error."""
    out = {}
    for item in values:
        name, sep, url = item.partition("=")
        if not sep or not name or not url.startswith(("http://", "https://")):
            raise click.BadParameter(f"{item!r}: expected NAME=http(s)://…", param_hint="--api-base")
        out[name.strip().lower()] = url.strip()
    return out


def crawl_options(fn: F) -> F:
    """Options shared by every command that crawls."""
    options = [
        click.option(
            "--max-pages", type=click.IntRange(1, 10_000), help="Pages fetched per company (default 60)."
        ),
        click.option(
            "--render",
            type=click.Choice(["auto", "always", "never"]),
            help="Render key pages in Chromium (auto: when Chromium is installed).",
        ),
        click.option("--proxy", metavar="URL", help="HTTP proxy for every request, the browser's included."),
        click.option(
            "--ca-bundle",
            type=click.Path(dir_okay=False),
            help="PEM file of CAs to trust as well as certifi's (else REQUESTS_CA_BUNDLE, SSL_CERT_FILE).",
        ),
        click.option(
            "--allow-private",
            is_flag=True,
            default=None,
            help="Allow loopback/private addresses (refused by default).",
        ),
        click.option(
            "--api-base",
            "api_bases",
            multiple=True,
            metavar="NAME=URL",
            help="Point an API client elsewhere, e.g. discourse=http://127.0.0.1:8080.",
        ),
        click.option(
            "--config", type=click.Path(dir_okay=False), help="Settings file (default ./engage.toml)."
        ),
        click.option("--quiet", "-q", is_flag=True, help=QUIET_HELP),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def make_settings(config: str | None, **cli: Any) -> Settings:
    """Settings from all layers, with the command line's values on top."""
    from audit.settings import load_settings

    api_bases = cli.pop("api_bases", ())
    if api_bases:
        cli["api_bases"] = parse_api_bases(api_bases)
    return load_settings(config, **cli)

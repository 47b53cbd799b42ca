"""``engage project init|run``: a client and its competitors, re-audited over time (project files)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from audit.cli.common import (
    DB_HELP,
    QUIET_HELP,
    conclude,
    gate_callback,
    guarded_history,
    start_reporter,
)
from audit.consultant import look_options
from audit.paths import ensure_dir
from audit.status import ExitStatus, fail

if TYPE_CHECKING:
    from audit.history.diff import FailUnder


@click.group()
def project() -> None:
    """Projects: a client and its competitors, re-audited over time (project files in TOML)."""


@project.command("init")
@click.argument("name")
@click.option("--client", metavar="URL", help="The client's URL.")
@click.option(
    "--competitor", "-c", "competitors", multiple=True, metavar="URL", help="A competitor (repeatable)."
)
@click.option("--name", "client_name", help="The client's display name.")
@click.option("--webhook", metavar="URL", default="", help="Slack-compatible webhook for changes.")
@click.option("--every", default="monthly", show_default=True, help="weekly | monthly | daily | CRON.")
@click.option(
    "--demo",
    "demo_proxy",
    metavar="PROXY_URL",
    help="A project for the embedded fictional market, served by `engage demo --serve` at PROXY_URL.",
)
@click.option("--file", "file", type=click.Path(dir_okay=False), help="Where to write (default ./NAME.toml).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@guarded_history
def project_init(
    name: str,
    client: str | None,
    competitors: tuple[str, ...],
    client_name: str | None,
    webhook: str,
    every: str,
    demo_proxy: str | None,
    file: str | None,
    force: bool,
) -> None:
    """Write a project file NAME.toml: client, competitors, options, report theme, schedule, webhook.

    \b
    Example:
      engage project init acme --client https://acme.example -c https://rival.example
      engage demo --serve --port 8899 &  engage project init ledger --demo http://127.0.0.1:8899
      engage project run acme
    """
    from audit.history.projects import NAME, demo_project_toml, load_project, project_toml
    from audit.history.schedule import parse_every
    from audit.urls import normalize_target

    if not NAME.match(name):
        fail(f"project name {name!r}: letters, digits, '.', '_' and '-' only", ExitStatus.USAGE)
    parse_every(every)
    path = Path(file or f"{name}.toml")
    if path.exists() and not force:
        fail(f"{path} exists (use --force to overwrite)", ExitStatus.USAGE)
    if demo_proxy:
        text = demo_project_toml(name, demo_proxy)
    elif client:
        text = project_toml(
            name,
            normalize_target(client),
            [normalize_target(c) for c in competitors],
            client_name=client_name or "",
            webhook=webhook,
            every=every,
        )
    else:
        fail("give --client URL (or --demo PROXY_URL)", ExitStatus.USAGE)

    ensure_dir(path.parent, f"directory for {path}")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"{path}: cannot write the project file ({exc.strerror or exc})", ExitStatus.USAGE)
    load_project(path)  # what we write must read back
    click.echo(f"wrote {path} — run it with: engage project run {path}")


@project.command("run")
@click.argument("ref", metavar="NAME|FILE")
@click.option("--db", metavar="URL", help=DB_HELP)
@click.option(
    "--out", "-o", "out_dir", type=click.Path(file_okay=False), help="Output directory for this run."
)
@click.option(
    "--fail-under",
    metavar="LEVEL_OR_SCORE",
    callback=gate_callback,
    help="Exit 4 when the client is under this level (L3) or overall score (60).",
)
@click.option(
    "--fail-on-regression",
    is_flag=True,
    help="Exit 4 when the client's level or score fell, or one of its channels disappeared.",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help=QUIET_HELP,
)
@look_options
@guarded_history
def project_run(
    ref: str,
    db: str | None,
    out_dir: str | None,
    fail_under: FailUnder | None,
    fail_on_regression: bool,
    quiet: bool,
    consultant: str | None,
    logo: str | None,
    page_size: str | None,
    theme_file: str | None,
    notes: str | None,
) -> None:
    """Audit a project, store the run, add the trend and "since last audit" changes, render the report.

    \b
    Exit status: 0 done, 1 error, 2 usage error, 3 partial, 4 a gate failed (--fail-under,
    --fail-on-regression; results are stored and written all the same), 130 interrupted.
    Example:
      engage project run acme --fail-under L3 --fail-on-regression
      engage project run acme --consultant "Jane Doe Consulting" --logo logo.png --notes notes.md
    """
    from dataclasses import replace

    from audit.consultant import Look, check_look
    from audit.history.diff import summarize
    from audit.history.projects import find_project, load_project
    from audit.runs import run_project

    proj = load_project(find_project(ref))
    look = Look(consultant, logo, page_size, theme_file, notes)  # over the project file's [report]/[theme]
    if any(v is not None for v in (consultant, logo, page_size, theme_file, notes)):
        proj = replace(
            proj,
            theme={**proj.theme, **look.theme()},
            consultant=(consultant or "").strip() or proj.consultant,
            page_size=page_size or proj.page_size,
            notes=str(Path(notes).resolve()) if notes else proj.notes,
        )
        from audit.settings import Settings

        check_look(replace(Settings(), theme=proj.theme, notes=proj.notes))  # before any crawling
    report = start_reporter(quiet)
    result = run_project(
        proj,
        db=db,
        out=Path(out_dir) if out_dir else None,
        fail_under=fail_under,
        fail_on_regression=fail_on_regression,
        progress=report,  # a webhook that cannot be delivered is a warning there, as it happens
    )
    report.close()
    history = result.audit["history"]
    if not quiet:
        click.echo(f"run {result.run_id} stored → {result.out}")
        if history["previous_run_id"] is not None:
            click.echo(f"since run {history['previous_run_id']}: {len(result.changes)} change(s)")
            if result.changes:
                click.echo(summarize(result.changes, limit=20))
        for note in history["notes"]:
            click.echo(note)
    for failure in result.gate_failures:
        click.echo(f"engage: gate failed: {failure}", err=True)
    conclude(report, result.status)


COMMANDS: list[click.Command] = [project]

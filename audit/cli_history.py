"""The history commands: ``project init|run``, ``history``, ``diff``, ``rescore``, ``schedule``.

Registered on the main group by ``audit/cli.py`` (``COMMANDS``). Each command's docstring is its
``--help``. What both modules share (``guarded``, the reporter, exits) is in ``audit.cli_common``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar, cast

import click

from audit.cli_common import conclude, parse_formats, start_reporter
from audit.cli_common import guarded as cli_guarded
from audit.consultant import look_options
from audit.paths import ensure_dir
from audit.status import fail

F = TypeVar("F", bound=Callable[..., Any])

DB_HELP = (
    "History database: a URL (sqlite:///…, postgresql://…) or a file. "
    "Default: ENGAGE_DB, else XDG_DATA_HOME/engage/history.db."
)


def _fail(message: str, usage: bool = False) -> NoReturn:
    from audit.status import ExitStatus

    fail(message, ExitStatus.USAGE if usage else ExitStatus.ERROR)


def guarded(fn: F) -> F:
    """``audit.cli.guarded`` plus this package's expected failures (one line, exit 1 or 2)."""

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
                _fail(str(exc), usage=True)
            except StoreError as exc:
                _fail(str(exc))
            except sa.exc.SQLAlchemyError as exc:  # a database that opened but fails a query
                _fail(str(database_problem(kwargs.get("db") or "the history database", exc)))

        return cli_guarded(run)()

    return cast(F, wrapper)


def _store(db: str | None) -> Any:
    from audit.history.store import Store

    return Store(db)


def _parse_fail_under(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    from audit.history.diff import parse_fail_under

    if value is None:
        return None
    try:
        return parse_fail_under(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


# -- project ---------------------------------------------------------------------------------------------


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
@guarded
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
        _fail(f"project name {name!r}: letters, digits, '.', '_' and '-' only", usage=True)
    parse_every(every)
    path = Path(file or f"{name}.toml")
    if path.exists() and not force:
        _fail(f"{path} exists (use --force to overwrite)", usage=True)
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
        _fail("give --client URL (or --demo PROXY_URL)", usage=True)

    ensure_dir(path.parent, f"directory for {path}")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"{path}: cannot write the project file ({exc.strerror or exc})", usage=True)
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
    callback=_parse_fail_under,
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
    help="No progress display; warnings and the summary line still go to stderr.",
)
@look_options
@guarded
def project_run(
    ref: str,
    db: str | None,
    out_dir: str | None,
    fail_under: Any,
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
    from audit.history.projects import find_project, load_project, run_project

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


# -- history, diff ---------------------------------------------------------------------------------------


def _match_company(store: Any, query: str) -> tuple[str, str]:
    companies = store.companies()
    q = query.strip().lower()
    exact = [c for c in companies if q in (c[0].lower(), c[1].lower())]
    found = exact or [c for c in companies if q in c[0].lower() or q in c[1].lower()]
    if not found:
        _fail(f"no company matching {query!r} in the history", usage=True)
    if len(found) > 1:
        _fail(f"{query!r} matches {', '.join(n for _, n in found)}: be more precise", usage=True)
    return cast(tuple[str, str], found[0])


@click.command()
@click.argument("company", required=False)
@click.option("--project", "project_name", metavar="NAME", help="Only this project's runs.")
@click.option("--db", metavar="URL", help=DB_HELP)
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=12, show_default=True, help="Most recent runs."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@guarded
def history(company: str | None, project_name: str | None, db: str | None, limit: int, fmt: str) -> None:
    """Scores over time: every company's overall score per run, or one COMPANY's dimensions per run.

    Only runs scored under the latest run's model (id and version) are shown side by side; runs under
    another model are counted in a note (re-score them with `engage rescore`).

    \b
    Example:
      engage history --project acme
      engage history "Acme Books" --format json
    """
    from audit.history.trend import sparkline

    with _store(db) as store:
        runs = store.runs(project=project_name)
        if not runs:
            if fmt == "json":  # the same shape as with runs, so scripts need no special case
                click.echo(json.dumps(_history_data([], [], None), indent=2, allow_nan=False))
            else:
                click.echo("no finished runs in the history yet")
            return
        latest = runs[-1]
        same = [r for r in runs if (r.model_id, r.model_version) == (latest.model_id, latest.model_version)][
            -limit:
        ]
        rows = store.score_rows([r.id for r in same])
        host = _match_company(store, company)[0] if company else None
    other = sum(1 for r in runs if (r.model_id, r.model_version) != (latest.model_id, latest.model_version))
    data = _history_data(same, rows, host)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))
        return
    _print_history(data, sparkline, host is not None)
    if other:
        click.echo(
            f"{other} run(s) scored under another model are not shown (this view: {latest.model_label}); "
            "re-score them with `engage rescore RUN --model FILE`."
        )


def _history_data(runs: Sequence[Any], rows: Sequence[Any], host: str | None) -> dict[str, Any]:
    by_run: dict[int, dict[str, dict[str, Any]]] = {}
    names: dict[str, str] = {}
    for r in rows:
        if host and r.host != host:
            continue
        names[r.host] = r.name
        entry = by_run.setdefault(r.run_id, {}).setdefault(r.host, {})
        if r.dimension == "overall":
            entry.update(overall=r.score, level=r.level, rank=r.rank)
        else:
            entry[r.dimension] = r.score
    return {
        "model": runs[-1].model if runs else None,
        "companies": {h: names[h] for h in sorted(names, key=lambda h: names[h].lower())},
        "runs": [
            {
                "run_id": r.id,
                "finished_at": r.finished_at,
                "project": r.project,
                "status": r.status,
                "source_run_id": r.source_run_id,
                "scores": by_run.get(r.id, {}),
            }
            for r in runs
        ],
    }


def _cell(entry: dict[str, Any] | None, key: str = "overall") -> str:
    if not entry or entry.get(key) is None:
        return "—"
    value = f"{entry[key]:.0f}"
    return f"{value} L{entry['level']}" if key == "overall" and entry.get("level") else value


def _print_history(
    data: dict[str, Any], sparkline: Callable[[Sequence[float | None]], str], one: bool
) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(100, Console().width))
    runs = data["runs"]
    model = data["model"] or {}
    title = f"Scores over time — model {model.get('id')} {model.get('version')}"
    table = Table(title=title, show_lines=False)
    if one:
        ((host, name),) = data["companies"].items() or [("", "")]
        dims = sorted(
            {k for r in runs for k in r["scores"].get(host, {}) if k not in ("overall", "level", "rank")}
        )
        table.title = f"{name} — {title}"
        for col in ("run", "finished", "overall", *dims):
            table.add_column(col, justify="right" if col not in ("finished",) else "left")
        for r in runs:
            entry = r["scores"].get(host)
            table.add_row(
                str(r["run_id"]), r["finished_at"] or "", _cell(entry), *(_cell(entry, d) for d in dims)
            )
        console.print(table)
        trend = [(r["scores"].get(host) or {}).get("overall") for r in runs]
        console.print(f"overall {sparkline(trend)}  {' → '.join(_cell({'overall': v}) for v in trend)}")
        return
    table.add_column("company")
    for r in runs:
        table.add_column(f"#{r['run_id']}\n{(r['finished_at'] or '')[:10]}", justify="right")
    table.add_column("trend")
    for host, name in data["companies"].items():
        cells = [_cell(r["scores"].get(host)) for r in runs]
        trend = [(r["scores"].get(host) or {}).get("overall") for r in runs]
        table.add_row(name, *cells, sparkline(trend))
    console.print(table)


def _run_ref(store: Any, ref: str) -> int:
    """``7`` → 7; ``latest`` / ``previous`` → the last / second-to-last finished run."""
    if ref.isdigit():
        return int(ref)
    runs = store.runs()
    pick = {"latest": -1, "previous": -2}.get(ref.lower())
    if pick is None:
        _fail(f"run {ref!r}: expected a run id, latest or previous", usage=True)
    if len(runs) < -pick:
        _fail(f"no {ref} run in the history")
    return int(runs[pick].id)


@click.command()
@click.argument("run_a")
@click.argument("run_b")
@click.option("--db", metavar="URL", help=DB_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@guarded
def diff(run_a: str, run_b: str, db: str | None, fmt: str) -> None:
    """What changed from RUN_A to RUN_B: channels gained/lost, levels, scores and metrics beyond noise.

    Every change lists its evidence URLs. Scores are compared only when both runs used the same model.
    RUN is a run id (see `engage history --format json`), `latest` or `previous`.

    \b
    Example:
      engage diff previous latest
      engage diff 3 7 --format json
    """
    from audit.history.diff import audit_changes, same_model

    with _store(db) as store:
        a, b = _run_ref(store, run_a), _run_ref(store, run_b)
        for run_id in (a, b):  # "run 99 not found" rather than "run 1 did not finish"
            store.run(run_id)
        before, after = store.result(a), store.result(b)
    changes = audit_changes(before, after)
    if fmt == "json":
        click.echo(
            json.dumps(
                {"from": a, "to": b, "same_model": same_model(before, after), "changes": changes},
                indent=2,
                ensure_ascii=False,
                allow_nan=False,
            )
        )
        return
    click.echo(
        f"run {a} ({before.get('finished_at')}) → run {b} ({after.get('finished_at')}): "
        f"{len(changes)} change(s)"
    )
    if not same_model(before, after):
        ma, mb = before.get("model", {}), after.get("model", {})
        click.echo(
            f"note: different models ({ma.get('id')} {ma.get('version')} → "
            f"{mb.get('id')} {mb.get('version')}): scores and levels are not compared"
        )
    for ch in changes:
        click.echo(f"[{ch['kind']}] {ch['text']}")
        for url in ch.get("evidence", []):
            click.echo(f"    {url}")


# -- rescore ---------------------------------------------------------------------------------------------


@click.command()
@click.argument("run_ref", metavar="RUN")
@click.option("--model", required=True, type=click.Path(dir_okay=False), help="The maturity model TOML.")
@click.option("--db", metavar="URL", help=DB_HELP)
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Also write audit.json (and reports) here.",
)
@click.option(
    "--format", "formats", default="json", show_default=True, help="With --out: json, pdf, html, csv."
)
@guarded
def rescore(run_ref: str, model: str, db: str | None, out_dir: str | None, formats: str) -> None:
    """Re-score a stored run's capture under another model, stored as a new run. Never re-crawls.

    The run's capture (its WARC, whose path and SHA-256 are stored with the run) is read again, the
    probes and MODEL applied, and the result stored as a new run (`source_run_id` = RUN) with the
    original crawl times, so trends under the new model can include old audits.

    \b
    Example:
      engage rescore 7 --model my-model-v2.toml
    """
    from audit import __version__
    from audit.history.recording import describe
    from audit.history.store import _sha256
    from audit.pipeline import load_model_for
    from audit.runner import analyse, exit_status, write_json_atomic
    from audit.warc import read_capture

    wanted = parse_formats(formats)
    m = load_model_for(model)
    with _store(db) as store:
        source = store.run(_run_ref(store, run_ref))
        if source.status not in ("complete", "partial"):
            _fail(f"run {source.id} is {source.status}: nothing to re-score")
        capture = Path(source.capture_path or "")
        if not source.capture_path or not capture.is_file():
            _fail(f"run {source.id}: its capture {source.capture_path or '(none)'} is gone; cannot re-score")
        if source.capture_sha256 and _sha256(capture) != source.capture_sha256:
            _fail(f"run {source.id}: {capture} changed since the run (SHA-256 differs); cannot re-score")
        original = store.result(source.id)
        new_id = store.begin_run(
            [{"url": c["url"], "role": c["role"], "name": c["name"]} for c in original.get("companies", [])],
            original.get("settings", {}),
            __version__,
            project=source.project,
            source_run_id=source.id,
        )
        try:
            captures, run = read_capture(capture)
            audit = analyse(captures, m, run)
            audit["rescored_from"] = source.id
            if out_dir:
                out = ensure_dir(Path(out_dir))
                write_json_atomic(out / "audit.json", audit)
                others = [f for f in wanted if f != "json"]
                if others:
                    from report_templates.render import write_reports

                    write_reports(audit, out, others)
            store.finish_run(
                new_id, audit, out_dir=Path(out_dir).resolve() if out_dir else None, capture_path=capture
            )
        except BaseException as exc:
            store.fail_run(new_id, describe(exc))
            raise
    mod = audit["model"]
    click.echo(f"run {source.id} re-scored under {mod['id']} {mod['version']} → run {new_id}")
    sys.exit(int(exit_status(audit)))


# -- schedule --------------------------------------------------------------------------------------------


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--every", help="weekly | monthly | daily | a cron expression (default: the project's [schedule])."
)
@click.option("--at", "at", help="Time of day for weekly/monthly/daily, HH:MM (default 06:00).")
@click.option("--systemd", is_flag=True, help="A systemd timer + service pair instead of a crontab line.")
@click.option("--install", is_flag=True, help="Write it: into your crontab, or ~/.config/systemd/user.")
@click.option("--db", metavar="URL", help="Pass this --db to the scheduled run.")
@guarded
def schedule(
    file: str, every: str | None, at: str | None, systemd: bool, install: bool, db: str | None
) -> None:
    """Print (or --install) a crontab line or a systemd timer that re-audits project FILE on schedule.

    \b
    Example:
      engage schedule acme.toml --every weekly
      engage schedule acme.toml --every "0 7 1,15 * *" --install
      engage schedule acme.toml --every monthly --systemd --install
    """
    import os

    from audit.history import schedule as sched
    from audit.history.projects import load_project

    proj = load_project(Path(file))
    plan = sched.parse_every(every or proj.every or "monthly", at or proj.at)
    path = Path(file)
    if not systemd:
        log = proj.out_root() / "engage-schedule.log"
        line = sched.crontab_line(proj.name, path, plan, log, db)
        if install:
            sched.install_crontab(proj.name, line)
            click.echo(f"installed in your crontab:\n{line}")
        else:
            click.echo(line)
        return
    units = sched.systemd_units(proj.name, path, plan, db)
    if install:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "systemd" / "user"
        for written in sched.install_systemd(units, base):
            click.echo(f"wrote {written}")
        click.echo(
            "enable it: systemctl --user daemon-reload && "
            f"systemctl --user enable --now engage-{proj.name}.timer"
        )
        return
    for filename, text in units.items():
        click.echo(f"# {filename}\n{text}")


#: Registered on ``engage`` by ``audit/cli.py``.
COMMANDS: list[click.Command] = [project, history, diff, rescore, schedule]

"""``engage history`` (scores over time), ``engage diff`` (what changed between two runs) and
``engage rescore`` (a stored run under another model)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from audit.cli.common import DB_HELP, guarded_history, open_store, parse_formats
from audit.status import ExitStatus, fail

if TYPE_CHECKING:
    from audit.history.store import RunInfo, ScoreRow, Store


def _match_company(store: Store, query: str) -> tuple[str, str]:
    """The one company of the history that ``query`` names (host or name; exact, else a part)."""
    companies = store.companies()
    q = query.strip().lower()
    exact = [c for c in companies if q in (c[0].lower(), c[1].lower())]
    found = exact or [c for c in companies if q in c[0].lower() or q in c[1].lower()]
    if not found:
        fail(f"no company matching {query!r} in the history", ExitStatus.USAGE)
    if len(found) > 1:
        fail(f"{query!r} matches {', '.join(n for _, n in found)}: be more precise", ExitStatus.USAGE)
    return found[0]


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
@guarded_history
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

    with open_store(db) as store:
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


def _history_data(runs: Sequence[RunInfo], rows: Sequence[ScoreRow], host: str | None) -> dict[str, Any]:
    """The ``--format json`` document: the model, the companies, each run's scores by company."""
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


def _run_ref(store: Store, ref: str) -> int:
    """``7`` → 7; ``latest`` / ``previous`` → the last / second-to-last finished run."""
    if ref.isdigit():
        return int(ref)
    runs = store.runs()
    pick = {"latest": -1, "previous": -2}.get(ref.lower())
    if pick is None:
        fail(f"run {ref!r}: expected a run id, latest or previous", ExitStatus.USAGE)
    if len(runs) < -pick:
        fail(f"no {ref} run in the history")
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
@guarded_history
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

    with open_store(db) as store:
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
@guarded_history
def rescore(run_ref: str, model: str, db: str | None, out_dir: str | None, formats: str) -> None:
    """Re-score a stored run's capture under another model, stored as a new run. Never re-crawls.

    The run's capture (its WARC, whose path and SHA-256 are stored with the run) is read again, the
    probes and MODEL applied, and the result stored as a new run (`source_run_id` = RUN) with the
    original crawl times, so trends under the new model can include old audits.

    \b
    Example:
      engage rescore 7 --model my-model-v2.toml
    """
    from audit.pipeline import load_model_for
    from audit.runner import exit_status
    from audit.runs import run_rescore

    wanted = parse_formats(formats)
    m = load_model_for(model)
    with open_store(db) as store:
        out = Path(out_dir) if out_dir else None
        done = run_rescore(store, _run_ref(store, run_ref), m, out, wanted)
    mod = done.audit["model"]
    click.echo(f"run {done.source_id} re-scored under {mod['id']} {mod['version']} → run {done.run_id}")
    sys.exit(int(exit_status(done.audit)))


COMMANDS: list[click.Command] = [history, diff, rescore]

"""The stages: ``engage audit`` (all three), ``gather``, ``score`` and ``report``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from audit.cli.common import (
    PDF_VARIANT_OPTION,
    conclude,
    crawl_options,
    gate_callback,
    guarded,
    make_settings,
    parse_formats,
    start_reporter,
)
from audit.consultant import look_options
from audit.paths import ensure_dir
from audit.status import ExitStatus, fail

if TYPE_CHECKING:  # the runner pulls in the crawler, the browser and the probes: import it per command
    from audit.history.diff import FailUnder
    from audit.runner import Target


def make_targets(
    url: str | None, competitors: Sequence[str], name: str | None, companies: str | None = None
) -> list[Target]:
    """The client and competitor targets, URLs normalised (a bad URL is a usage error). A competitor
    may carry its display name (``-c "Northwind Ledger=https://northwind.example"``); ``companies`` is
    a ``--companies`` CSV (name,url,role) adding companies."""
    from audit.consultant import merge_targets, read_companies
    from audit.runner import Target
    from audit.urls import normalize_target

    rows = read_companies(companies) if companies else []
    (client_url, client_name), rivals = merge_targets(url, name, competitors, rows)
    client = normalize_target(client_url)
    targets = [Target(client, "client", client_name)]
    seen = {client}
    for raw, rival_name in rivals:
        comp = normalize_target(raw)
        if comp not in seen:
            seen.add(comp)
            targets.append(Target(comp, "competitor", rival_name))
    return targets


@click.command()
@click.argument("url", required=False)
@click.option(
    "--competitor",
    "-c",
    "competitors",
    multiple=True,
    metavar="[NAME=]URL",
    help='A competitor, optionally with its display name: -c "Northwind Ledger=https://northwind.example".',
)
@click.option(
    "--out", "-o", "out_dir", required=True, type=click.Path(file_okay=False), help="Output directory."
)
@click.option("--name", help="The client's display name (default: from its home page).")
@click.option(
    "--companies",
    type=click.Path(dir_okay=False),
    help="A CSV of companies with the header name,url,role (role: client or competitor).",
)
@click.option(
    "--format",
    "formats",
    default="pdf,html,json,csv",
    show_default=True,
    help="Outputs besides audit.json: pdf, html, json, csv.",
)
@click.option(
    "--model", type=click.Path(dir_okay=False), help="Maturity model TOML (default: the shipped one)."
)
@click.option("--db", metavar="URL", help="History database URL (stored for later history commands).")
@click.option(
    "--benchmark",
    "benchmark_scan",
    type=int,
    metavar="SCAN_ID",
    help="Place the client against a finished market scan's benchmark (in --db): audit.json's market.",
)
@click.option(
    "--replay",
    type=click.Path(dir_okay=False, exists=True),
    help="Rebuild the capture from this WARC instead of crawling (no network).",
)
@click.option(
    "--evidence",
    "evidence_file",
    type=click.Path(dir_okay=False),
    help="Manual observations (TOML: mystery-shopper e-mail, chat and phone waits) to add as evidence.",
)
@PDF_VARIANT_OPTION
@click.option(
    "--fail-under",
    metavar="LEVEL_OR_SCORE",
    callback=gate_callback,
    help="Exit 4 when the client scores under this (e.g. L3 or 60); every output is still written.",
)
@look_options
@crawl_options
@guarded
def audit(
    url: str | None,
    competitors: tuple[str, ...],
    out_dir: str,
    name: str | None,
    companies: str | None,
    formats: str,
    model: str | None,
    db: str | None,
    benchmark_scan: int | None,
    replay: str | None,
    evidence_file: str | None,
    pdf_variant: str | None,
    fail_under: FailUnder | None,
    config: str | None,
    quiet: bool,
    consultant: str | None,
    logo: str | None,
    page_size: str | None,
    theme_file: str | None,
    notes: str | None,
    **crawl: Any,
) -> None:
    """Audit URL (the client) against competitors and write the report.

    \b
    Writes into --out: audit.json, report.pdf, report.html, scores.csv, findings.csv, capture.warc.gz.
    Exit status: 0 done, 1 error, 2 usage error, 3 partial (some company or probe failed), 4 the client
    is under --fail-under, 130 interrupted.

    \b
    Example:
      engage audit https://acme.example --competitor https://rival.example --out reports/acme
      engage audit http://acme.test -c http://northwind.test --proxy http://127.0.0.1:8899 --out out
      engage audit https://acme.example -c https://rival.example --evidence observations.toml --out out
      engage audit https://acme.example -c https://rival.example --pdf-variant pdf/ua-1 --out out
      engage audit https://acme.example -c https://rival.example --fail-under L3 --out out   # CI gate
      engage audit https://acme.example -c "Northwind Ledger=https://northwind.example" \
        --consultant "Jane Doe Consulting" --logo logo.svg --notes notes.md --out out
      engage audit --companies companies.csv --page-size Letter --theme brand.toml --out out
    """
    from audit.consultant import Look, check_look
    from audit.pipeline import check_replay, run_audit

    settings = make_settings(
        config, model=model, db=db, formats=parse_formats(formats), pdf_variant=pdf_variant, **crawl
    )
    settings = Look(consultant, logo, page_size, theme_file, notes).apply(settings)
    check_look(settings)
    targets = make_targets(url, competitors, name, companies)
    market = load_benchmark(db, benchmark_scan) if benchmark_scan is not None else None  # before crawling
    if replay:
        check_replay(Path(replay), targets)  # a capture of other companies is a usage error, not an audit
    ensure_dir(Path(out_dir))
    observations = load_evidence(evidence_file, targets) if evidence_file else []
    report = start_reporter(quiet)
    status = run_audit(
        targets,
        settings,
        Path(out_dir),
        replay=Path(replay) if replay else None,
        progress=report,
        observations=observations,
    )
    report.close()
    if market is not None:
        place_in_market(Path(out_dir), benchmark_scan, market)
    if fail_under is not None:
        status = gate_status(Path(out_dir), fail_under, status)
    conclude(report, status)


def load_benchmark(db: str | None, scan_id: int) -> dict[str, Any]:
    """A finished scan's benchmark for ``--benchmark`` (an unknown or unfinished scan: exit 2)."""
    from audit.history.store import StoreError
    from audit.scan.store import ScanStore

    try:
        with ScanStore(db) as store:
            return cast(dict[str, Any], store.benchmark(scan_id))
    except StoreError as exc:
        fail(f"--benchmark {scan_id}: {exc}", ExitStatus.USAGE)


def place_in_market(out: Path, scan_id: int | None, benchmark: dict[str, Any]) -> None:
    """Add ``market`` to the written audit.json: the client's scores against the scan's benchmark (its
    segment when it was scanned, else the whole market), and print where it stands."""
    from audit.runner import write_json_atomic
    from audit.scan.benchmark import ALL, placement
    from audit.urls import host

    path = out / "audit.json"
    audit = json.loads(path.read_text(encoding="utf-8"))
    client = next((c for c in audit["companies"] if c["role"] == "client"), audit["companies"][0])
    key = host(client["url"]).removeprefix("www.")
    segment = next((e["segment"] for e in benchmark["leaderboard"] if e["host"] == key), ALL)
    market = {"scan_id": scan_id, **placement(client, benchmark, segment)}
    audit["market"] = market
    write_json_atomic(path, audit)
    names = {f"dimension:{k}": v for k, v in benchmark["dimensions"].items()} | {"overall": "Overall"}
    click.echo(
        f"engage: market scan {scan_id} ({market['segment']}, {market['companies']} companies):", err=True
    )
    for row in market["scores"]:
        where = "n/a" if row["percentile"] is None else f"percentile {row['percentile']:g}"
        click.echo(
            f"  {names.get(row['name'], row['name'])}: {row['score']} (median {row['median']}, {where})",
            err=True,
        )


def gate_status(out: Path, gate: FailUnder, status: ExitStatus) -> ExitStatus:
    """4 when the written audit's client is under ``gate``, else ``status`` unchanged."""
    from audit.history.diff import fail_under_problem

    audit = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    problem = fail_under_problem(audit, gate)
    if problem is None:
        return status
    click.echo(f"engage: gate failed: --fail-under: {problem}", err=True)
    return ExitStatus.GATE_FAILED


def load_evidence(path: str, targets: Sequence[Target]) -> list[Any]:
    """Validated manual observations for ``--evidence`` (a bad file or unknown company: exit 2)."""
    from audit.urls import host
    from probes.manual import ObservationError, companies_of, load_observations

    try:
        observations = load_observations(Path(path))
    except ObservationError as exc:
        fail(str(exc), ExitStatus.USAGE)
    audited = {host(t.url).removeprefix("www.") for t in targets}
    unknown = sorted(companies_of(observations) - audited)
    if unknown:
        fail(
            f"{path}: company {unknown[0]!r} is not audited (use the host of an audited URL)",
            ExitStatus.USAGE,
        )
    return observations


@click.command()
@click.argument("url")
@click.option(
    "--competitor", "-c", "competitors", multiple=True, metavar="URL", help="A competitor (repeatable)."
)
@click.option(
    "--out", "-o", "out_dir", required=True, type=click.Path(file_okay=False), help="Output directory."
)
@click.option("--name", help="The client's display name (default: from its home page).")
@crawl_options
@guarded
def gather(
    url: str,
    competitors: tuple[str, ...],
    out_dir: str,
    name: str | None,
    config: str | None,
    quiet: bool,
    **crawl: Any,
) -> None:
    """Stage 1: crawl URL and competitors into DIR/capture.warc.gz (the only stage that uses the network).

    \b
    Example:
      engage gather https://acme.example -c https://rival.example --out work/acme
      engage score work/acme && engage report work/acme
    """
    from audit.pipeline import run_gather

    settings = make_settings(config, **crawl)
    targets = make_targets(url, competitors, name)
    report = start_reporter(quiet)
    conclude(report, run_gather(targets, settings, Path(out_dir), progress=report))


@click.command()
@click.argument("source", type=click.Path(exists=True))
@click.option(
    "--out", "-o", "out_dir", type=click.Path(file_okay=False), help="Output directory (default: SOURCE's)."
)
@click.option(
    "--model", type=click.Path(dir_okay=False), help="Maturity model TOML (default: the shipped one)."
)
@guarded
def score(source: str, out_dir: str | None, model: str | None) -> None:
    """Stage 2: run the probes and the model over a capture (DIR or WARC) and write audit.json. No network.

    \b
    Example (re-scoring an old audit under a new model never re-crawls):
      engage score reports/acme/capture.warc.gz --model my-model.toml --out reports/acme-v2
    """
    from audit.pipeline import run_score

    src = Path(source)
    warc = src / "capture.warc.gz" if src.is_dir() else src
    out = Path(out_dir) if out_dir else warc.parent
    report = start_reporter(quiet=True)  # no progress display: the summary line (and warnings) only
    conclude(report, run_score(warc, out, model, progress=report))


@click.command()
@click.argument("source", type=click.Path(exists=True))
@click.option(
    "--out", "-o", "out_dir", type=click.Path(file_okay=False), help="Output directory (default: SOURCE's)."
)
@click.option("--format", "formats", default="pdf,html,csv", show_default=True, help="pdf, html, csv.")
@look_options
@PDF_VARIANT_OPTION
@click.option("--config", type=click.Path(dir_okay=False), help="Settings file (default ./engage.toml).")
@guarded
def report(
    source: str,
    out_dir: str | None,
    formats: str,
    consultant: str | None,
    logo: str | None,
    page_size: str | None,
    theme_file: str | None,
    notes: str | None,
    pdf_variant: str | None,
    config: str | None,
) -> None:
    """Stage 3: render report.pdf, report.html and the CSVs from audit.json (DIR or file). No network.

    \b
    The theme (consultant, logo, accent colour, client name) comes from engage.toml's [theme] table.
    Example:
      engage report reports/acme --format pdf --page-size Letter
      engage report reports/acme --format pdf --pdf-variant pdf/ua-1
    """
    from audit.pipeline import run_report

    src = Path(source)
    audit_path = src / "audit.json" if src.is_dir() else src
    out = Path(out_dir) if out_dir else audit_path.parent
    from audit.consultant import Look, check_look

    settings = make_settings(config, pdf_variant=pdf_variant)
    settings = Look(consultant, logo, page_size, theme_file, notes).apply(settings)
    check_look(settings)
    report = start_reporter(quiet=True)  # the summary line only
    report.writes_to(out, "reported on", source=audit_path)
    conclude(report, run_report(audit_path, out, parse_formats(formats), settings))


COMMANDS: list[click.Command] = [audit, gather, score, report]

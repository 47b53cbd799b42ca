"""The ``engage`` command line. Each command's docstring is its ``--help``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from audit import __version__
from audit.cli_common import (
    QUIET_HELP,
    conclude,
    crawl_options,
    guarded,
    make_settings,
    parse_formats,
    start_reporter,
)
from audit.consultant import look_options
from audit.paths import ensure_dir
from audit.status import EngageError, ExitStatus, fail

Failure = EngageError  # the name tests and older callers use

if TYPE_CHECKING:  # the runner pulls in the crawler, the browser and the probes: import it per command
    from audit.runner import Target

if TYPE_CHECKING:
    pass

F = TypeVar("F", bound=Callable[..., Any])


PDF_VARIANT_OPTION = click.option(
    "--pdf-variant",
    type=click.Choice(["pdf/ua-1", "pdf/ua-2", "pdf/a-3b"]),
    default=None,
    help="Write a PDF variant: pdf/ua-1 is a tagged, accessible PDF (title, language, alt text).",
)


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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="engage")
def main() -> None:
    """Engage audits how well companies engage their customers online — forums, FAQs and help
    centers, social accounts, live chat, blogs and newsletters, contact options, response times —
    side by side with competitors, and writes a PDF report with every score backed by evidence.

    \b
    Try it on the embedded fictional market (no internet needed):
      engage demo --out reports/demo
    """


@main.command()
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
    callback=lambda _ctx, _param, value: parse_gate(value),
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
    fail_under: Any,
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


def parse_gate(value: str | None) -> Any:
    """``--fail-under`` as a gate (``L3`` or ``60``); a bad value is a usage error."""
    from audit.history.diff import parse_fail_under

    if value is None:
        return None
    try:
        return parse_fail_under(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def gate_status(out: Path, gate: Any, status: ExitStatus) -> ExitStatus:
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


@main.command()
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


@main.command()
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


@main.command()
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


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--url", help="The URL the page was saved from (links resolve against it).")
@click.option(
    "--urls",
    "manifest",
    type=click.Path(exists=True, dir_okay=False),
    help="A CSV with columns file,url: each file's URL (files relative to the CSV's folder).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text", "jsonl"]),
    default="json",
    show_default=True,
    help="Output: json (one object), jsonl (one object per line, for many files) or text.",
)
@guarded
def inspect(files: tuple[str, ...], url: str | None, manifest: str | None, fmt: str) -> None:
    """Run every static probe on saved pages and print the channels found. No network at all.

    One FILE with --url prints one JSON object. Many files (--format jsonl) print one object per line, with
    "file" and "ms" (the probes' time for that page) added; with --urls and no FILE, every file of the
    manifest. A file that cannot be read or has no URL gets an "error" line, the others still run, and the
    exit status is then 3 (1 when no page could be inspected).

    \b
    Example:
      curl -s https://example.com/ > page.html
      engage inspect page.html --url https://example.com/
      engage inspect saved/*.html --urls saved/manifest.csv --format jsonl
    """
    from audit.decoding import clean_strings
    from audit.inspect_batch import ManifestError, inspect_batch, read_manifest
    from audit.urls import normalize_target
    from probes.inspect import inspect_html

    if (url is None) == (manifest is None):
        fail("give exactly one of --url URL or --urls MANIFEST.csv", ExitStatus.USAGE)
    try:
        rows = read_manifest(Path(manifest)) if manifest else []
    except (ManifestError, UnicodeDecodeError) as exc:
        fail(str(exc), ExitStatus.USAGE)
    if not files and not rows:
        fail("no FILE given (and no manifest rows)", ExitStatus.USAGE)
    if fmt == "jsonl" or len(files) != 1 or manifest:
        if fmt != "jsonl":
            fail("several files (or --urls) print one line per page: add --format jsonl", ExitStatus.USAGE)
        page_url = normalize_target(url) if url else None
        sys.exit(int(inspect_batch(files, page_url, rows, _page_text, click.echo)))
    page_url = normalize_target(cast(str, url))
    file = files[0]
    try:
        html = _page_text(file)
    except OSError as exc:
        fail(f"{file}: {exc.strerror}")
    result = clean_strings(inspect_html(html, page_url))
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False))
        return
    from audit.safe_text import terminal

    for key, value in result.items():  # the text format is for a person: no bidi control reorders it
        click.echo(terminal(f"{key}: {json.dumps(value, ensure_ascii=False, allow_nan=False)}"))


def _page_text(file: str) -> str:
    """A saved page's text, as ``engage inspect`` reads it: the one decoding path (``<meta charset>``)."""
    from audit.decoding import decode_text

    return decode_text(Path(file).read_bytes())


@main.command()
@click.option(
    "--out",
    "-o",
    "out_dir",
    default="reports/demo",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Output directory.",
)
@click.option("--serve", is_flag=True, help="Only serve the fictional market until interrupted.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port for --serve (default: any free)."
)
@click.option(
    "--market-size",
    type=click.IntRange(1, 100_000),
    help="With --serve: a generated market of N companies instead (writes its companies.csv).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generated market.")
@click.option(
    "--latency-scale",
    type=click.FloatRange(0, 100),
    default=1.0,
    show_default=True,
    help="Generated market: its companies' latency times this (0: none).",
)
@click.option("--format", "formats", default="pdf,html,json,csv", show_default=True, help="Outputs.")
@click.option(
    "--ca-bundle",
    type=click.Path(exists=True, dir_okay=False),
    help="More CAs to trust (the fixture web's own CA is always trusted).",
)
@click.option("--quiet", "-q", is_flag=True, help=QUIET_HELP)
@guarded
def demo(
    out_dir: str,
    serve: bool,
    port: int,
    market_size: int | None,
    seed: int,
    latency_scale: float,
    formats: str,
    ca_bundle: str | None,
    quiet: bool,
) -> None:
    """Audit the embedded fictional market: a client against four competitors, on loopback.

    \b
    Starts the fixture web in-process (an HTTP and HTTPS server that is also a forward proxy for *.test,
    with a throw-away CA that the audit trusts), audits its client against its competitors through it,
    and writes the report.
    Example:
      engage demo --out reports/demo
      engage demo --serve --port 8899
      engage demo --serve --market-size 500 --seed 7 --out market   # for engage scan market/companies.csv
      engage audit https://acme.test/ -c https://northwind.test/ --proxy http://127.0.0.1:8899 \
        --ca-bundle CA.pem --out mine     # CA.pem: the path --serve prints
    """
    from audit.pipeline import run_demo, serve_demo, serve_market

    if market_size is not None:
        if not serve:
            fail("--market-size needs --serve (the generated market is for engage scan)", ExitStatus.USAGE)
        serve_market(port, market_size, seed, ensure_dir(Path(out_dir)), latency_scale)
        return
    if serve:
        serve_demo(port)
        return
    report = start_reporter(quiet)
    conclude(report, run_demo(Path(out_dir), parse_formats(formats), progress=report, extra_ca=ca_bundle))


@main.group()
def model() -> None:
    """Inspect and validate maturity models."""


@model.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
@guarded
def model_validate(file: str) -> None:
    """Check a model file: unknown evidence, bad weights, overlapping bands, unreadable conditions.

    \b
    Example:
      engage model validate my-model.toml
    """
    from probes import probe_names
    from scoring.model import load_model

    m = load_model(file, known_probes=set(probe_names()))
    click.echo(f"{file}: ok — {m.id} {m.version}, {len(m.dimensions)} dimensions, {len(m.rules)} rules")


@model.command("show")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@guarded
def model_show(file: str | None) -> None:
    """Print a model's levels, dimensions, weights and rules (the shipped model by default).

    \b
    Example:
      engage model show
    """
    from probes import probe_names
    from scoring.model import load_model

    m = load_model(file, known_probes=set(probe_names()))
    click.echo(f"{m.name} — {m.id} {m.version}\n\nLevels")
    for lv in m.levels:
        click.echo(f"  {lv.level} {lv.name}: {lv.description}")
    total = sum(d.weight for d in m.dimensions)
    click.echo("\nDimensions and rules")
    for d in m.dimensions:
        click.echo(f"  {d.name} [{d.id}] — {100 * d.weight / total:.0f}% of overall")
        for r in m.rules_of(d.id):
            click.echo(f"      {r.id} ({r.kind}, weight {r.weight:g}, evidence: {r.probe})")


from audit.cli_history import COMMANDS as HISTORY_COMMANDS  # noqa: E402 - project, history, diff, rescore, schedule
from audit.cli_scan import COMMANDS as SCAN_COMMANDS  # noqa: E402 - scan (run, status, report), worker

for _command in (*HISTORY_COMMANDS, *SCAN_COMMANDS):
    main.add_command(_command)

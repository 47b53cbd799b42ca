"""Tools around the audit: ``engage inspect`` (saved pages, no network), ``engage demo`` (the fictional
market) and ``engage model validate|show``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import cast

import click

from audit.cli.common import QUIET_HELP, conclude, guarded, parse_formats, start_reporter
from audit.paths import ensure_dir
from audit.status import ExitStatus, fail


@click.command()
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


@click.command()
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


@click.group()
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


COMMANDS: list[click.Command] = [inspect, demo, model]

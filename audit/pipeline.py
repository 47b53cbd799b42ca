"""What each command does, in terms of the stages; file layout of an audit directory.

An audit directory holds ``capture.warc.gz`` (gather), ``audit.json`` (score) and the report files
(report). Whatever was gathered is written before anything that could fail later.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from audit.models import SiteCapture
from audit.paths import ensure_dir
from audit.progress import reporter_of
from audit.runner import (
    ExitStatus,
    Progress,
    Target,
    _quiet,
    analyse,
    exit_status,
    gather,
    public_settings,
    write_json_atomic,
)
from audit.settings import Settings, load_settings
from audit.status import fail
from audit.warc import extract_screenshots, read_capture
from report_templates.options import ReportOptions

if TYPE_CHECKING:
    from audit.history.store import RecordedRun

CAPTURE = "capture.warc.gz"
AUDIT = "audit.json"


def run_gather(
    targets: Sequence[Target], settings: Settings, out: Path, progress: Progress = _quiet
) -> ExitStatus:
    """Crawl into ``out/capture.warc.gz``; 3 when some company could not be gathered."""

    check_renderer(settings)
    ensure_dir(out)
    reporter_of(progress).writes_to(out, "gathered")
    captures, run = gather(targets, settings, out / CAPTURE, progress)  # a failed company is a warning
    if run.get("interrupted"):
        raise KeyboardInterrupt  # the WARC holds what was gathered, flagged interrupted; exit 130
    failed = [c for c in captures if c.errors]
    if failed and len(failed) == len(captures):
        fail(failed[0].errors[0])
    return ExitStatus.PARTIAL if failed else ExitStatus.OK


def check_renderer(settings: Settings) -> None:
    """Fail before crawling when ``--render always`` cannot be honoured."""
    from audit.render import chromium_path
    from audit.runner import RenderUnavailable

    if settings.render == "always" and chromium_path(settings) is None:
        raise RenderUnavailable(
            f"--render always, but no Chromium at {settings.chromium} (set ENGAGE_CHROMIUM)"
        )


def load_model_for(path: str | None) -> Any:
    """The model to score with, validated against the registered probes."""
    from probes import probe_names
    from scoring.model import load_model

    return load_model(path, known_probes=set(probe_names()))


def score_captures(
    captures: list[SiteCapture], run: dict[str, Any], model: Any, out: Path, progress: Progress
) -> dict[str, Any]:
    """Probe and score ``captures`` under ``model`` and write ``audit.json``; returns the document."""
    audit = analyse(captures, model, run, progress)
    write_json_atomic(out / AUDIT, audit)
    return audit


def run_score(warc: Path, out: Path, model_path: str | None, progress: Progress = _quiet) -> ExitStatus:
    """Score a stored capture (no network) into ``out/audit.json``."""

    model = load_model_for(model_path)  # a bad model fails before the capture is read
    ensure_dir(out)
    reporter_of(progress).writes_to(out, "scored")
    captures, run = read_capture(warc)
    audit = score_captures(captures, run, model, out, progress)
    return exit_status(audit)


def run_report(audit_path: Path, out: Path, formats: Sequence[str], settings: Settings) -> ExitStatus:
    """Render the report files from an ``audit.json``."""
    from report_templates.render import write_reports

    audit = read_audit(audit_path)
    ensure_dir(out)
    try:
        write_reports(audit, out, report_options(settings, audit_path.parent, formats))
    except ValueError as exc:  # a theme logo that is missing or not an image, an unknown variant
        fail(str(exc), ExitStatus.USAGE)
    except (KeyError, TypeError, AttributeError, IndexError) as exc:  # valid by the schema, yet unusable
        fail(f"{audit_path}: cannot render the report ({type(exc).__name__}: {exc})")
    return ExitStatus.OK


AUDIT_SCHEMA = Path(__file__).with_name("audit.schema.json")


def read_audit(path: Path) -> dict[str, Any]:
    """An ``audit.json`` given to ``engage report``, checked against the shipped schema (one-line errors)."""
    from audit.validation import format_path, load_schema, loads, schema_errors

    try:
        audit = loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"{path}: cannot read audit.json ({exc.strerror})")
    except UnicodeDecodeError as exc:
        fail(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})")
    except ValueError as exc:
        fail(f"{path}: not valid JSON ({exc})")
    errors = schema_errors(audit, load_schema(AUDIT_SCHEMA))
    if errors:
        where, message = errors[0]
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        fail(f"{path}: {format_path(where) + ': ' if where else ''}{message}{more}")
    return cast(dict[str, Any], audit)


def report_options(settings: Settings, run_dir: Path, formats: Sequence[str] | None = None) -> ReportOptions:
    """The report as ``settings`` describe it — formats (unless ``formats`` are given), page size,
    consultant, theme, PDF variant, notes — with the run's screenshots read from ``run_dir``."""
    return ReportOptions(
        formats=tuple(settings.formats if formats is None else formats),
        page_size=settings.page_size,
        consultant=settings.consultant,
        theme=dict(settings.theme),
        pdf_variant=settings.pdf_variant,
        notes=settings.notes,
        run_dir=run_dir,
    )


def write_report_files(
    audit: dict[str, Any], out: Path, options: ReportOptions, progress: Progress = _quiet
) -> None:
    """The report files ``options`` ask for (the ``report`` stage; when only JSON is asked, nothing). A
    theme logo that is missing or not an image, or an unknown page size or PDF variant, is a usage error."""
    from report_templates.render import write_reports

    if not options.files:
        return
    reporter_of(progress).stage(None, "report")
    try:
        write_reports(audit, out, options)
    except ValueError as exc:
        fail(str(exc), ExitStatus.USAGE)


def site_key(url: str) -> tuple[str, str]:
    """What makes two typed URLs the same site for ``--replay``: the host without ``www.`` (a port
    kept), the path without its trailing slash; the scheme does not matter."""
    from urllib.parse import urlsplit

    from audit.urls import canonicalize

    parts = urlsplit(canonicalize(url))
    return parts.netloc.removeprefix("www."), parts.path.rstrip("/")


def replay_mismatch(targets: Sequence[Target], held: Sequence[tuple[str, str]]) -> str | None:
    """Why ``targets`` cannot be audited from a capture holding ``held`` (URL, role) pairs, or None.

    Every URL given must be in the capture (the capture may hold more: those are audited too), and the
    client given must be the capture's client.
    """
    roles = {site_key(url): role for url, role in held}
    holds = ", ".join(f"{url} ({role})" for url, role in held)
    missing = [t.url for t in targets if site_key(t.url) not in roles]
    if missing:
        return f"missing from the capture: {', '.join(missing)}; it holds {holds}"
    client = next((t for t in targets if t.role == "client"), None)
    if client is not None and roles[site_key(client.url)] != "client":
        role = roles[site_key(client.url)]
        return f"{client.url} is a {role} in the capture, not its client; it holds {holds}"
    return None


def check_replay(warc: Path, targets: Sequence[Target]) -> None:
    """Fail (usage error) unless ``warc`` is a readable capture of the URLs given."""
    from audit.warc import capture_companies

    problem = replay_mismatch(targets, capture_companies(warc))
    if problem:
        fail(f"--replay {warc}: {problem}", ExitStatus.USAGE)


def rename_captures(captures: Sequence[SiteCapture], targets: Sequence[Target]) -> None:
    """Display names given now (``--name``, ``-c "Name=URL"``, ``--companies``) over the recorded ones."""
    names = {site_key(t.url): t.name for t in targets if t.name}
    for capture in captures:
        name = names.get(site_key(capture.url))
        if name:
            capture.name = name


def target_dicts(targets: Sequence[Target]) -> list[dict[str, Any]]:
    """``Target``s as the history store records them."""
    return [{"url": t.url, "role": t.role, "name": t.name} for t in targets]


def written_audit(out: Path) -> dict[str, Any]:
    """The ``audit.json`` a run wrote into ``out``, as stored (read back from the file)."""
    return cast(dict[str, Any], json.loads((out / AUDIT).read_text(encoding="utf-8")))


@contextmanager
def recorded_run(db: str, targets: Sequence[Target], settings: Settings) -> Iterator[RecordedRun]:
    """A run recorded in the history database ``db`` (:meth:`Store.recorded_run`); a database that
    cannot be opened is an error before any work."""
    from audit.history.store import Store, StoreError

    try:
        store = Store(db)
    except StoreError as exc:
        fail(str(exc))
    with store, store.recorded_run(target_dicts(targets), public_settings(settings)) as run:
        yield run


def run_audit(
    targets: Sequence[Target],
    settings: Settings,
    out: Path,
    replay: Path | None = None,
    progress: Progress = _quiet,
    observations: Sequence[Any] = (),
) -> ExitStatus:
    """Gather (or replay), score and report. Partial results are always written.

    With ``settings.db`` (``--db``, ``ENGAGE_DB``) the run is stored in the history database: inserted as
    ``running`` before crawling (an unreachable database fails before any network use), marked ``failed``
    when the audit raises (error, Ctrl-C), and stored with the ``audit.json`` it wrote when it returns.
    """
    if not settings.db:
        return audit_and_report(targets, settings, out, replay, progress, observations)
    with recorded_run(settings.db, targets, settings) as run:
        status = audit_and_report(targets, settings, out, replay, progress, observations)
        run.finish_with(
            written_audit(Path(out)),
            status="failed" if status == ExitStatus.ERROR else None,
            out_dir=Path(out).resolve(),
            capture_path=Path(replay) if replay else Path(out) / CAPTURE,
        )
    return status


def audit_and_report(
    targets: Sequence[Target],
    settings: Settings,
    out: Path,
    replay: Path | None = None,
    progress: Progress = _quiet,
    observations: Sequence[Any] = (),
) -> ExitStatus:
    """:func:`gather_and_score`, then the report files the settings ask for."""
    audit = gather_and_score(targets, settings, out, replay, progress, observations)
    write_report_files(audit, out, report_options(settings, out), progress)
    reporter_of(progress).stage(None, "done")  # the summary line says what was written where
    return exit_status(audit)


def gather_and_score(
    targets: Sequence[Target],
    settings: Settings,
    out: Path,
    replay: Path | None = None,
    progress: Progress = _quiet,
    observations: Sequence[Any] = (),
) -> dict[str, Any]:
    """Gather (or replay) and score into ``out/audit.json``; returns the document. The theme logo, the
    notes, the model and the renderer are checked before any crawling."""
    ensure_dir(out)
    report = reporter_of(progress)
    report.writes_to(out)
    if settings.theme.get("logo") and not Path(settings.theme["logo"]).is_file():
        fail(f"theme logo not found: {settings.theme['logo']}", ExitStatus.USAGE)  # before crawling
    if settings.notes:
        from audit.consultant import ConsultantError, read_notes

        try:
            read_notes(settings.notes)  # before crawling
        except ConsultantError as exc:
            fail(str(exc), ExitStatus.USAGE)
    model = load_model_for(settings.model)  # a bad model fails before any crawling
    check_renderer(settings)
    if replay is not None:
        captures, run = read_capture(replay)
        rename_captures(captures, targets)
        extract_screenshots(replay, out)
        progress(f"replayed {len(captures)} capture(s) from {replay}")
    else:
        captures, run = gather(targets, settings, out / CAPTURE, progress)
    audit = analyse(captures, model, run, progress, observations, probe_budget=settings.probe_budget)
    write_json_atomic(out / AUDIT, audit)  # always, even when nothing could be audited: it says why
    if run.get("interrupted"):
        raise KeyboardInterrupt  # audit.json and the WARC are written and flagged partial; exit 130
    if all(c.errors for c in captures) and len(captures) == 1:
        fail(captures[0].errors[0])
    return audit


def demo_settings(proxy_url: str, formats: Sequence[str], ca_bundle: str | None = None) -> Settings:
    """Settings for auditing the fixture web through its proxy (API clients pointed at its API hosts).

    ``ca_bundle`` is the fixture web's CA (``FixtureWeb.ca_pem_path``): trusted in addition to certifi.
    """
    from audit.fixture_web.activity import API_BASES

    return load_settings(
        proxy=proxy_url,
        formats=tuple(formats),
        company_budget=120.0,
        api_bases=dict(API_BASES),
        ca_bundle=ca_bundle,
    )


def run_demo(
    out: Path, formats: Sequence[str], progress: Progress = _quiet, extra_ca: str | None = None
) -> ExitStatus:
    """Audit the embedded fictional market's client against its competitors (trusting its CA)."""
    from audit.fixture_web.market import load_market
    from audit.fixture_web.server import FixtureWeb

    market = load_market()
    with FixtureWeb() as web:
        apply_demo_latency(web)
        progress(f"fixture web at {web.proxy_url}: {', '.join(c.host for c in market.companies)}")
        targets = [Target(c.url, c.role, c.name) for c in market.companies]
        targets.sort(key=lambda t: t.role != "client")
        ca = web.ca_pem_path
        if extra_ca:
            ca = ca.with_name("demo-trust.pem")
            ca.write_bytes(web.ca_pem_path.read_bytes() + b"\n" + Path(extra_ca).read_bytes())
        settings = demo_settings(web.proxy_url, formats, str(ca))
        return run_audit(targets, settings, out, progress=progress)


#: Per-host latency (ms) injected in the demo so page response times differ as in a real market.
DEMO_LATENCY_MS = {
    "northwind.test": 60,
    "acme.test": 180,
    "brightbooks.test": 250,
    "quillpay.test": 320,
    "tallybook.test": 600,
}


def apply_demo_latency(web: Any) -> None:
    """Give each demo company's hosts (subdomains included) the latency of DEMO_LATENCY_MS."""
    for served in web.hosts:
        for site, ms in DEMO_LATENCY_MS.items():
            if served == site or served.endswith("." + site):
                web.set_latency(served, ms)


def serve_market(port: int, size: int, seed: int, directory: Path, latency_scale: float = 1.0) -> None:
    """Serve a generated market of ``size`` companies (written to ``directory``) until interrupted,
    printing the proxy URL and the companies file for ``engage scan``."""
    import click

    from audit.fixture_web.generated import generate_market
    from audit.fixture_web.server import FixtureWeb

    market = generate_market(size, seed=seed, directory=directory)
    web = FixtureWeb(directory)
    web.start(port=port)
    market.apply_latency(web, latency_scale)
    click.echo(
        f"Fixture web serving a generated market of {size} companies (seed {seed}) — proxy: {web.proxy_url}"
    )
    click.echo(f"Companies file: {market.csv_path}")
    click.echo(
        f"\nTry: engage scan {market.csv_path} --proxy {web.proxy_url} --render never --out reports/market"
    )
    click.echo("Press Ctrl-C to stop.")
    try:
        while True:
            time.sleep(3600)
    finally:
        web.stop()


def serve_demo(port: int) -> None:
    """Serve the fictional market until interrupted, printing the proxy URL and the companies' URLs."""
    import click

    from audit.fixture_web.market import load_market
    from audit.fixture_web.server import FixtureWeb

    market = load_market()
    web = FixtureWeb()
    web.start(port=port)
    apply_demo_latency(web)
    click.echo(f"Fixture web serving {market.name} — proxy: {web.proxy_url}")
    for c in market.companies:
        click.echo(f"  {c.role:<10} {c.name:<20} {c.url}")
    others = " ".join(f"-c {c.url}" for c in market.companies if c.role != "client")
    from audit.fixture_web.activity import API_BASES

    others += "".join(f" --api-base {name}={url}" for name, url in API_BASES.items())
    client = next(c for c in market.companies if c.role == "client")
    click.echo(f"CA certificate (HTTPS): {web.ca_pem_path}  SPKI sha256: {web.ca_spki_sha256}")
    click.echo(
        f"\nTry: engage audit {client.url} {others} --proxy {web.proxy_url} --ca-bundle {web.ca_pem_path}"
        " --out reports/mine"
    )
    click.echo("Press Ctrl-C to stop.")
    try:
        while True:
            time.sleep(3600)
    finally:
        web.stop()

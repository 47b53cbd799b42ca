"""The pipeline: gather (network) → probes (evidence) → scoring (model) → audit.json → report files.

Each stage is callable on its own (``gather``, ``analyse``, ``write_outputs``) so the CLI can run them
apart and ``--replay`` can skip the network entirely.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag

from audit import __version__
from audit.clock import SYSTEM_CLOCK, Clock
from audit.crawl import SiteCrawler, truncation_note
from audit.credentials import redact, redact_all, without_password
from audit.decoding import clean_strings, clean_text
from audit.fetch import Fetcher
from audit.metrics import REQUIRED as REQUIRED_METRICS
from audit.models import CHANNEL_KINDS, Evidence, Role, SiteCapture, explain, utc_now
from audit.politeness import HostGates
from audit.progress import reporter_of
from audit.settings import Settings
from audit.status import ExitStatus  # re-exported: `from audit.runner import ExitStatus` keeps working
from audit.urls import host
from audit.validation import finite, format_path, non_finite_path
from audit.warc import SCREENSHOT_URI, WarcRecorder, rendered_uri
from probes import PROBES, channels_of, planners, probe_names, run_probes
from probes.computed import probe_run
from scoring.benchmark import Scored, benchmark_summary, competitive_gaps, rank_companies, recommendations
from scoring.engine import score_company
from scoring.model import Model

SCHEMA_VERSION = "1"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Target:
    """A company to audit."""

    url: str
    role: Role
    name: str | None = None


def _quiet(_: str) -> None:
    return None


def gather(
    targets: Sequence[Target],
    settings: Settings,
    warc_path: Path,
    progress: Progress = _quiet,
    clock: Clock = SYSTEM_CLOCK,
    gates: HostGates | None = None,
) -> tuple[list[SiteCapture], dict[str, Any]]:
    """Crawl every target (companies in parallel) into ``warc_path``; returns captures and run metadata.

    ``clock`` is what backoff, politeness delays and company budgets wait on (a ``VirtualClock`` in tests).
    ``gates``: the per-host politeness gates (a scan's workers pass ones that share API hosts' limits).
    """
    warc_path.parent.mkdir(parents=True, exist_ok=True)
    recorder = WarcRecorder(warc_path)
    fetcher = Fetcher(settings, recorder=recorder, clock=clock)
    gates = gates if gates is not None else HostGates(settings, clock=clock)
    started = utc_now()
    captures: list[SiteCapture] = []
    stop = threading.Event()
    run: dict[str, Any] = {}
    pool = ThreadPoolExecutor(settings.workers, thread_name_prefix="fetch")
    sites = ThreadPoolExecutor(max(1, len(targets)), thread_name_prefix="site")
    abandoned = False
    report = reporter_of(progress)
    try:
        try:

            def crawl(t: Target) -> SiteCapture:
                crawler = SiteCrawler(
                    settings,
                    fetcher,
                    gates,
                    pool,
                    planners(),
                    stop=stop,
                    on_page=lambda page: report.page_done(t.url, page.ok),
                    plan_scope=lambda capture: probe_run(capture, PROBES),
                    clock=clock,
                )
                capture = crawler.crawl(t.name or "", t.url, t.role)
                capture.name = t.name or safe_site_name(capture)
                report.company_finished(t.url, capture)
                return capture

            for t in targets:  # all start at once: the site pool has a thread per company
                report.company_started(
                    t.url, t.name or host(t.url), settings.max_pages, settings.company_budget
                )
            # Companies crawl in parallel, each within its budget; past budget + grace a crawl is abandoned
            # (a bug of ours, not the site's) so one company can never hold the audit.
            grace = settings.request_deadline * (settings.retries + 1) + WATCHDOG_SLACK_S
            deadline = time.monotonic() + settings.company_budget + grace
            futures = [sites.submit(crawl, t) for t in targets]
            try:
                captures = [_result(f, t, deadline) for f, t in zip(futures, targets, strict=True)]
            except KeyboardInterrupt:
                # Ctrl-C: crawlers stop taking new pages; what they gathered is kept and flagged
                progress("interrupted: stopping the crawl, keeping what was gathered")
                stop.set()
                deadline = time.monotonic() + grace
                captures = [_result(f, t, deadline) for f, t in zip(futures, targets, strict=True)]
            abandoned = not all(f.done() for f in futures)
            for capture in captures:
                if any(e.startswith(ABANDONED) for e in capture.errors):
                    progress(f"warning: {capture.errors[0]}")
        finally:
            sites.shutdown(wait=not abandoned, cancel_futures=True)
            pool.shutdown(wait=not abandoned, cancel_futures=True)
        if not stop.is_set():
            try:
                render_captures(captures, settings, recorder, progress)
            except KeyboardInterrupt:
                progress("interrupted while rendering: keeping the static capture")
                stop.set()
                _mark_unrendered(captures, "interrupted before rendering finished")
            except RenderUnavailable:
                raise
            except Exception as exc:  # the browser is an extra: without it the audit is static-only
                progress(f"warning: rendering failed ({type(exc).__name__}: {exc}); static-only audit")
                _mark_unrendered(captures, f"rendering failed: {type(exc).__name__}: {exc}")
    finally:
        run = {
            "tool_version": __version__,
            "started_at": started,
            "finished_at": utc_now(),
            "settings": public_settings(settings),
            "interrupted": stop.is_set(),
        }
        recorder.write_captures(captures, run)
        recorder.close()
    return captures, run


#: Seconds past a company's budget (and its last request's deadline) before its crawl is abandoned.
WATCHDOG_SLACK_S = 60.0
ABANDONED = "crawl abandoned"


def _result(future: Future[SiteCapture], target: Target, deadline: float) -> SiteCapture:
    """A company's capture; a crawler that raised or overran gives a failed capture, never a lost audit."""
    try:
        return future.result(timeout=max(0.0, deadline - time.monotonic()))
    except TimeoutError:
        capture = SiteCapture(name=target.name or host(target.url), url=target.url, role=target.role)
        capture.errors.append(
            f"{ABANDONED}: {target.url} did not finish within its time budget and grace "
            "(an Engage bug: please report it with capture.warc.gz)"
        )
        return capture
    except Exception as exc:
        capture = SiteCapture(name=target.name or host(target.url), url=target.url, role=target.role)
        capture.errors.append(f"{target.url}: internal error while crawling: {type(exc).__name__}: {exc}")
        return capture


def render_captures(
    captures: list[SiteCapture], settings: Settings, recorder: WarcRecorder, progress: Progress = _quiet
) -> None:
    """Render each company's key pages in Chromium (``--render``); the gap is recorded when it cannot."""
    from audit.render import chromium_path, key_pages, render_all, screenshot_name, write_screenshot
    from probes.chat_widgets import vendors

    if settings.render == "never":
        _mark_unrendered(captures, "rendering switched off (--render never)")
        return
    executable = chromium_path(settings)
    if executable is None:
        reason = f"Chromium not found at {settings.chromium}: static-only audit"
        if settings.render == "always":
            raise RenderUnavailable(reason)
        progress(f"warning: {reason}")
        _mark_unrendered(captures, reason)
        return
    todo = [c for c in captures if not c.errors]
    report = reporter_of(progress)
    for capture in todo:
        report.stage(capture.url, "rendering")
    pages_by_company = [key_pages(c.pages, settings.render_pages, settings.render_max_pages) for c in todo]
    progress(f"rendering {sum(len(p) for p in pages_by_company)} page(s) in Chromium")
    jobs = [[p.final_url or p.url for p in pages] for pages in pages_by_company]
    all_results = render_all(
        settings,
        executable,
        [g for v in vendors() for g in v.globals],
        jobs,
        launchers=[sel for v in vendors() for sel in v.selectors],
    )
    for capture, pages, results in zip(todo, pages_by_company, all_results, strict=True):
        for page, result in zip(pages, results, strict=True):
            name = None
            if result.screenshot:
                name = screenshot_name(capture.url, page.final_url or page.url)
                recorder.write_resource(SCREENSHOT_URI + name, "image/png", result.screenshot)
                write_screenshot(recorder.path.parent, name, result.screenshot)
            if result.html is not None:
                page.rendered_html = result.html
                recorder.write_resource(
                    _rendered_uri(capture.url, page.final_url or page.url),
                    "text/html; charset=utf-8",
                    result.html.encode(),
                )
            launcher = None
            if result.launcher_screenshot:
                launcher = screenshot_name(capture.url, page.final_url or page.url, "chat")
                recorder.write_resource(SCREENSHOT_URI + launcher, "image/png", result.launcher_screenshot)
                write_screenshot(recorder.path.parent, launcher, result.launcher_screenshot)
            page.render = result.summary(name, launcher)
        capture.stats["rendered"] = True
        capture.stats["rendered_pages"] = sum(1 for p in pages if p.render and not p.render["error"])
        failed = [p.render["error"] for p in pages if p.render and p.render["error"]]
        if pages and len(failed) == len(pages):  # the browser died, or every page failed: say it
            capture.stats["rendered"] = False
            capture.stats["render_gap"] = f"no page could be rendered ({render_words(failed[0])})"


class RenderUnavailable(Exception):
    """``--render always`` without a usable Chromium."""


def _rendered_uri(company: str, url: str) -> str:
    return rendered_uri(company, url)


def _mark_unrendered(captures: list[SiteCapture], reason: str) -> None:
    for capture in captures:
        capture.stats["rendered"] = False
        capture.stats["render_gap"] = reason


def safe_site_name(capture: SiteCapture) -> str:
    """:func:`site_name`, or the host when the home page cannot be read for one."""
    try:
        return site_name(capture)
    except Exception:  # a name is a nicety; a page that breaks the parser must not cost the audit
        return host(capture.url).removeprefix("www.")


def site_name(capture: SiteCapture) -> str:
    """A company's name from its home page (og:site_name, application-name, title), else its host."""
    home = next((p for p in capture.pages if p.ok and p.is_html and p.found_via == "start"), None)
    if home is not None and home.text:
        soup = BeautifulSoup(home.text, "lxml")
        for key, value in (("property", "og:site_name"), ("name", "application-name")):
            tag = soup.find("meta", attrs={key: value})
            if isinstance(tag, Tag) and str(tag.get("content", "")).strip():
                return str(tag["content"]).strip()
        if soup.title and soup.title.string:
            first = re.split(r"\s+[|–—:-]\s+", soup.title.string.strip())[0].strip()
            brand = _header_brand(soup)
            if brand and first.startswith(brand):
                return brand  # "TallyBook Accounting Software" with a "TallyBook" logo → TallyBook
            if first:
                return first
    return host(capture.url).removeprefix("www.")


def _header_brand(soup: BeautifulSoup) -> str:
    """The short brand text or logo alt at the start of the page header, if any."""
    header = soup.find("header")
    if not isinstance(header, Tag):
        return ""
    for tag in header.find_all(["img", "b", "strong", "span", "a"], limit=4):
        text = str(tag.get("alt", "")) if tag.name == "img" else tag.get_text(" ", strip=True)
        if 0 < len(text) <= 40:
            return text.strip()
    return ""


def public_settings(settings: Settings) -> dict[str, Any]:
    """Settings worth recording with a run (no secrets: API bases are URLs, tokens never live here)."""
    keys = (
        "max_pages",
        "max_depth",
        "render",
        "obey_robots",
        "per_host_concurrency",
        "company_budget",
        "proxy",
        "allow_private",
    )
    public = {k: getattr(settings, k) for k in keys}
    public["proxy"] = without_password(settings.proxy)  # http://me:[redacted]@proxy:3128
    return public


def analyse(
    captures: Sequence[SiteCapture],
    model: Model,
    run: dict[str, Any],
    progress: Progress = _quiet,
    observations: Sequence[Any] = (),
    probe_budget: float | None = None,
) -> dict[str, Any]:
    """The ``audit.json`` document: probes over each capture, scores, ranks, gaps, recommendations.

    ``observations``: manual evidence (``probes.manual``, ``--evidence FILE``), joined as probe ``manual``.
    ``probe_budget``: seconds of probing per company (``Settings.probe_budget``); None for no bound.
    """
    from probes.manual import evidence_for

    evidence_by_company: list[dict[str, Evidence]] = []
    scored: list[Scored] = []
    interrupted = False
    report = reporter_of(progress)
    for capture in captures:
        report.stage(capture.url, "probing", capture.name)
        if not interrupted:
            try:
                found = run_probes(capture, budget_s=probe_budget)
                evidence = {e.probe: finite_metrics(e) for e in found}
            except KeyboardInterrupt:  # Ctrl-C while probing: what is probed is kept, the rest flagged
                interrupted = run["interrupted"] = True
        if interrupted:
            evidence = {
                name: Evidence(probe=name, status="error", error="interrupted before this company was probed")
                for name in probe_names()
            }
        manual = evidence_for(list(observations), capture.url) if observations else None
        if manual is not None:
            evidence[manual.probe] = finite_metrics(manual)
        if capture.errors:  # the site itself could not be gathered: nothing can be judged
            evidence = {
                name: Evidence(probe=name, status="error", error="; ".join(capture.errors))
                for name in evidence
            }
        evidence_by_company.append(evidence)
        report.stage(capture.url, "failed" if capture.errors else "scored")
        scored.append(Scored(capture.name, capture.url, capture.role, score_company(model, evidence)))
    overall_ranks, dim_ranks = rank_companies(scored)
    companies = [
        company_entry(c, cap, ev, overall_ranks[i], {d: r[i] for d, r in dim_ranks.items()})
        for i, (c, cap, ev) in enumerate(zip(scored, captures, evidence_by_company, strict=True))
    ]
    client = next((c for c in scored if c.role == "client"), scored[0] if scored else None)
    if run.get("interrupted"):
        message = "interrupted while probing" if interrupted else "interrupted: the crawl was stopped early"
        for c in companies:
            c["errors"].insert(0, {"stage": "gather", "message": message})
    failed = any(
        c["errors"] and any(e["stage"] in ("gather", "probe") for e in c["errors"]) for c in companies
    )
    document = scrub_non_finite(
        {
            "schema_version": SCHEMA_VERSION,
            "tool_version": __version__,
            "status": "partial" if failed else "complete",
            "model": model.summary(),
            "started_at": run.get("started_at", ""),
            "finished_at": run.get("finished_at", ""),
            "client": host(client.url).removeprefix("www.") if client else "",
            "settings": run.get("settings", {}),
            "companies": companies,
            "benchmark": benchmark_summary(model, scored),
            "gaps": competitive_gaps(model, scored),
            "recommendations": recommendations(model, client) if client else [],
        }
    )
    # text from pages' JSON may hold lone surrogates; no error text may carry a credential
    return dict(redact_all(clean_strings(document)))


def scrub_non_finite(audit: dict[str, Any]) -> dict[str, Any]:
    """``audit`` with any NaN or infinity left (a probe's finding, a computed figure) made null, each one
    recorded in the company's ``errors`` (or the top-level ``errors``): caught here, never written."""
    if non_finite_path(audit) is None:
        return audit
    audit = json.loads(json.dumps(audit))  # tuples become lists, so every value can be replaced in place
    for company in audit.get("companies", []):
        for where in _null_non_finite(company):
            company["errors"].append({"stage": "output", "message": _non_finite_note(where)})
    rest = {k: v for k, v in audit.items() if k != "companies"}
    for where in _null_non_finite(rest):
        audit.setdefault("errors", []).append({"stage": "output", "message": _non_finite_note(where)})
    return audit


def _null_non_finite(data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    found = []
    while (where := non_finite_path(data)) is not None:
        parent: Any = data
        for key in where[:-1]:
            parent = parent[key]
        parent[where[-1]] = None
        found.append(where)
    return found


def _non_finite_note(where: tuple[str | int, ...]) -> str:
    return f"{format_path(where)} was not a finite number; written as null"


def finite_metrics(ev: Evidence) -> Evidence:
    """``ev`` with each NaN or infinite metric made null, the reason in a note: never scored or written."""
    bad = {m: v for m, v in ev.metrics.items() if v is not None and not finite(v)}
    if not bad:
        return ev
    metrics = {m: None if m in bad else v for m, v in ev.metrics.items()}
    notes, reasons = list(ev.notes), dict(ev.reasons)
    for m, v in bad.items():
        explain(notes, reasons, m, f"not a finite number ({v!r}); not used")
    return replace(ev, metrics=metrics, notes=notes, reasons=reasons)


def company_entry(
    c: Scored,
    capture: SiteCapture,
    evidence: dict[str, Evidence],
    rank: int | None,
    dim_ranks: dict[str, int | None],
) -> dict[str, Any]:
    """One ``companies[]`` entry of ``audit.json``."""
    channels: dict[str, list[dict[str, Any]]] = {kind: [] for kind in CHANNEL_KINDS}
    absences: dict[str, list[str]] = {}
    metrics: dict[str, float | None] = {}
    errors: list[dict[str, str]] = [{"stage": "gather", "message": m} for m in capture.errors]
    errors += [{"stage": "gather", "message": m} for m in capture.facts.incomplete]
    errors += page_errors(capture)
    for name in sorted(evidence):
        ev = evidence[name]
        for f in ev.findings:
            channels.setdefault(f.channel, []).append(f.to_channel_item())
        metrics.update(ev.metrics)
        if ev.status == "error" and not capture.errors:
            errors.append({"stage": "probe", "probe": name, "message": ev.error or "failed"})
        for metric, value in ev.metrics.items():
            if value is None and ev.notes:
                errors.append(
                    {
                        "stage": "measure",
                        "probe": name,
                        "metric": metric,
                        "message": _reason(ev, metric),
                    }
                )
    for kind in CHANNEL_KINDS:
        if not channels[kind]:
            tried = sorted({t for ev in evidence.values() if kind in _channels_of(ev) for t in ev.tried})
            absences[kind] = tried
    for required in REQUIRED_METRICS:
        if required not in metrics:
            metrics[required] = None
            errors.append(
                {
                    "stage": "measure",
                    "metric": required,
                    "message": "not measured: no probe in this version measures it for this site",
                }
            )
    dims = []
    for d in c.score.dimensions:
        d.rank = dim_ranks.get(d.id)
        dims.append(d.to_dict())
    return {
        "name": c.name,
        "url": c.url,
        "role": c.role,
        "rank": rank,
        "overall": {"score": c.score.overall, "level": c.score.level, "level_name": c.score.level_name},
        "dimensions": dims,
        "channels": {
            k: sorted(v, key=lambda i: (i["url"], json.dumps(i, sort_keys=True, allow_nan=False)))
            for k, v in channels.items()
        },
        "absences": absences,
        "metrics": dict(sorted(metrics.items())),
        "crawl": {
            "pages": capture.stats.get("pages_ok", 0),
            "requests": capture.stats.get("pages", 0),
            "duration_s": capture.stats.get("duration_s"),
            "robots_excluded": capture.stats.get("robots_excluded", 0),
            "truncated": truncated_bodies(capture),
            "rendered": bool(capture.stats.get("rendered")),
            "render_gap": capture.stats.get("render_gap"),
            "screenshots": [
                {"url": p.final_url or p.url, "file": p.render[key], "kind": kind}
                for p in capture.pages
                for key, kind in (("screenshot", "page"), ("launcher_screenshot", "chat launcher"))
                if p.render and p.render.get(key)
            ],
            "started_at": capture.started_at,
            "finished_at": capture.finished_at,
        },
        "errors": errors,
    }


def truncated_bodies(capture: SiteCapture) -> int:
    """Bodies cut short (size cap, decompression cap, deadline): pages, and robots.txt or sitemaps."""
    return sum(1 for p in capture.pages if p.truncated) + len(capture.facts.truncated_fetches)


def render_words(error: str) -> str:
    """A page's render error in words: a browser that closed or crashed is said as such."""
    if "has been closed" in error or "crashed" in error.lower() or "Connection closed" in error:
        return "the browser closed or crashed while rendering"
    return error


#: At most this many page problems are listed per company; the rest are counted in one more line.
MAX_PAGE_ERRORS = 25


def page_errors(capture: SiteCapture) -> list[dict[str, str]]:
    """Pages that failed or were odd (stage ``page``: the company was still audited from the others).

    A transport failure (timeout, reset, size cap, redirect loop), a body cut at the size cap, a lying
    charset, a page whose links could not be read. 404s of guessed paths are not errors.
    """
    found: list[dict[str, str]] = []
    if capture.errors:
        return found  # the company failed as a whole; its home page error says why
    for page in capture.pages:
        url = page.final_url or page.url
        if page.truncated:  # cut at the size or decompression cap or the deadline: said as such
            found.append({"stage": "page", "message": truncation_note(page)})
            problems = [w for w in page.warnings if "body truncated" not in w]
        else:
            problems = [*([page.error] if page.error else []), *page.warnings]
        found += [{"stage": "page", "message": f"{url}: {p}"} for p in problems]
        if page.render and page.render.get("error"):  # a page the browser could not render (or died on)
            found.append(
                {"stage": "page", "message": f"{url}: not rendered ({render_words(page.render['error'])})"}
            )
    facts = capture.facts
    found += [{"stage": "page", "message": m} for m in facts.truncated_fetches]
    found += [{"stage": "page", "message": m} for m in facts.fetch_errors]
    if len(found) > MAX_PAGE_ERRORS:
        rest = len(found) - MAX_PAGE_ERRORS + 1
        found = [
            *found[: MAX_PAGE_ERRORS - 1],
            {"stage": "page", "message": f"… and {rest} more page problems"},
        ]
    return found


def _reason(ev: Evidence, metric: str) -> str:
    """Why ``metric`` has no value: the probe's general notes and its reasons for this metric (or a prefix
    of it), in the order the probe noted them."""
    picked = []
    for note in ev.notes:
        key = ev.reason_of(note)
        if key is None:
            picked.append(note)
        elif metric == key or metric.startswith(key + "."):
            picked.append(note.removeprefix(f"{key}: "))
    if not picked:  # no note of its own: the probe's notes say why, without another metric's id as a head
        picked = [note.removeprefix(f"{key}: ") if (key := ev.reason_of(note)) else note for note in ev.notes]
    return "; ".join(dict.fromkeys(picked))


def _channels_of(ev: Evidence) -> set[str]:
    return set(channels_of(ev.probe))


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write JSON to ``path`` via a temp file and rename, so readers never see half a file."""
    from audit.safe_files import write_file
    from audit.validation import dumps

    text = dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"  # NaN refused, never written
    # a JSON string from a page may hold a surrogate; a credential is never written
    write_file(path, redact(clean_text(text)).encode("utf-8"))


def exit_status(audit: dict[str, Any]) -> ExitStatus:
    """0 when complete, 3 when partial, 1 when no company could be audited."""
    companies = audit.get("companies", [])
    if companies and all(_not_audited(c) for c in companies):
        return ExitStatus.ERROR
    return ExitStatus.PARTIAL if audit.get("status") == "partial" else ExitStatus.OK


def _not_audited(company: dict[str, Any]) -> bool:
    """No score at all, because the site could not be gathered."""
    overall = company.get("overall") or {}
    return overall.get("score") is None and any(e["stage"] == "gather" for e in company["errors"])

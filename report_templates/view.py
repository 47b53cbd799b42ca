"""The report's view model: everything the templates show, prepared in Python from ``audit.json``.

Templates only place what is here: numbers are already formatted, lists ordered, labels chosen and
"found / not found / not measured" decided. Nothing in this module fetches or scores.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from audit import metrics as catalogue
from audit.safe_text import for_display
from report_templates.charts import Chart, dimension_chart, overall_chart, reply_chart, trend_chart
from report_templates.responsiveness import PromiseRow, RangeRow, promise_row, range_rows
from report_templates.theme import Image, Theme, run_image, theme_from

#: Channel kinds in report order, with their labels (CONTRACT.md ``channels``).
CHANNEL_LABELS: dict[str, str] = {
    "social": "Social accounts",
    "chat": "Live chat",
    "faq": "FAQ",
    "help_center": "Help center",
    "community": "Forum / community",
    "blog": "Blog",
    "feeds": "Feeds (RSS / Atom)",
    "newsletter": "Newsletter",
    "contact": "Contact options",
    "functions": "Other functions",
    "trust": "Trust signals",
}

#: Probe names whose errors make a channel "not measured" (an error may also name its ``channel``).
PROBE_CHANNELS: dict[str, str] = {
    "social_profiles": "social",
    "chat_widgets": "chat",
    "help_centers": "help_center",
    "community_links": "community",
    "blog": "blog",
    "feeds": "feeds",
    "newsletter_form": "newsletter",
    "contact_emails": "contact",
    "contact_options": "contact",
}

#: The keys that name what a channel item is, in the order they are preferred.
KIND_KEYS: tuple[str, ...] = (
    "platform",
    "vendor",
    "kind",
    "function",
    "signal",
    "email",
    "handle",
    "qa_pairs",
    "form",
)

#: Metrics listed first in the appendix's metric table (the rest follow in catalogue order).
METRIC_ORDER: tuple[str, ...] = (
    "site.ttfb_ms_median",
    "community.first_reply_hours_median",
    "community.first_staff_reply_hours_median",
    "community.topics_per_week",
    "contact.promised_reply_hours",
)

MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

NOT_MEASURED = "not measured"
#: The outcome words (decided in scoring, ``rules[].outcome``) and their CSS class.
OUTCOME_CSS: dict[str, str] = {
    "found": "found",
    "not found": "missing",
    "not measured": "unknown",
    "error": "error",
}
#: Evidence excerpts are cut here: the appendix shows where to look, the CSV/JSON keep it all.
SNIPPET_CHARS = 160
#: Per rule in the dimension sections: evidence items shown and their excerpt length (all in the appendix).
RULE_EVIDENCE = 3
RULE_SNIPPET_CHARS = 100
#: URLs listed for a "not found" before "and N more" (the full list is in audit.json).
TRIED_URLS = 4
SCREENSHOTS_PER_COMPANY = 6


@dataclass(frozen=True)
class Tried:
    """What was checked for a "not found": the methods, a few of the URLs and how many more."""

    checks: tuple[str, ...]
    urls: tuple[str, ...]
    more: str

    def __bool__(self) -> bool:
        return bool(self.checks or self.urls)


@dataclass(frozen=True)
class LevelBadge:
    """A level as a 5-step pill: number, name and which of the five steps are filled."""

    level: int | None
    name: str
    label: str
    steps: tuple[bool, ...]


@dataclass(frozen=True)
class Link:
    """A URL shown as text and, when it is a web address, as a link."""

    url: str
    href: str
    snippet: str = ""
    method: str = ""


@dataclass(frozen=True)
class ScoreCell:
    score: str
    level: LevelBadge
    status: str
    css: str


@dataclass(frozen=True)
class ScoreRow:
    company: str
    is_client: bool
    rank: str
    overall: ScoreCell
    cells: tuple[ScoreCell, ...]


@dataclass(frozen=True)
class ChannelCell:
    state: str  # "found" | "missing" | "unknown"
    symbol: str
    text: str


@dataclass(frozen=True)
class ChannelRow:
    channel: str
    label: str
    cells: tuple[ChannelCell, ...]


@dataclass(frozen=True)
class MetricCell:
    value: str
    measured: bool
    reason: str


@dataclass(frozen=True)
class MetricRow:
    metric: str
    label: str
    cells: tuple[MetricCell, ...]


@dataclass(frozen=True)
class RuleView:
    id: str
    title: str
    status: str
    status_label: str
    display: str
    explanation: str
    evidence: tuple[Link, ...]
    tried: Tried
    evidence_more: str = ""


@dataclass(frozen=True)
class CompanyDimension:
    company: str
    is_client: bool
    score: str
    level: LevelBadge
    status: str
    rank: str
    rules: tuple[RuleView, ...]
    appendix_anchor: str = ""


@dataclass(frozen=True)
class PeerCell:
    """One competitor's verdict on one rule, as a table cell."""

    text: str
    status: str


@dataclass(frozen=True)
class PeerTable:
    """Competitors side by side on one dimension's rules (the client's card carries the evidence)."""

    columns: tuple[str, ...]
    scores: tuple[str, ...]
    levels: tuple[LevelBadge, ...]
    rows: tuple[tuple[str, tuple[PeerCell, ...]], ...]


@dataclass(frozen=True)
class DimensionSection:
    id: str
    anchor: str
    name: str
    description: str
    weight: str
    peer_median: str
    companies: tuple[CompanyDimension, ...]
    peer_tables: tuple[PeerTable, ...] = ()

    @property
    def client(self) -> CompanyDimension | None:
        """The client's card (shown in full, with evidence)."""
        return next((c for c in self.companies if c.is_client), None)


#: Competitors per side-by-side table (wider tables would not fit the page).
PEERS_PER_TABLE = 5


def peer_tables(entries: list[CompanyDimension]) -> tuple[PeerTable, ...]:
    """The competitors' rule verdicts, ``PEERS_PER_TABLE`` companies to a table, rules in model order."""
    peers = [e for e in entries if not e.is_client]
    titles = list(dict.fromkeys(r.title for e in peers for r in e.rules))
    tables = []
    for start in range(0, len(peers), PEERS_PER_TABLE):
        chunk = peers[start : start + PEERS_PER_TABLE]
        rows = []
        for title in titles:
            cells = []
            for e in chunk:
                rule = next((r for r in e.rules if r.title == title), None)
                status = rule.status if rule else "unknown"
                text = (rule.display or rule.status_label) if rule else NOT_MEASURED
                cells.append(PeerCell(text, status))
            rows.append((title, tuple(cells)))
        tables.append(
            PeerTable(
                columns=tuple(e.company for e in chunk),
                scores=tuple(e.score for e in chunk),
                levels=tuple(e.level for e in chunk),
                rows=tuple(rows),
            )
        )
    return tuple(tables)


@dataclass(frozen=True)
class Highlight:
    """A strength or gap in the executive summary."""

    title: str
    detail: str


@dataclass(frozen=True)
class GapView:
    kind: str
    capability: str
    text: str
    have: str
    lack: str
    evidence: tuple[Link, ...]


@dataclass(frozen=True)
class RecommendationView:
    number: str
    title: str
    text: str
    why: str
    points: str
    effort: str
    dimension: str


@dataclass(frozen=True)
class LevelDef:
    level: int
    name: str
    description: str
    badge: LevelBadge


@dataclass(frozen=True)
class DimensionDef:
    name: str
    weight: str
    share: str
    description: str


@dataclass(frozen=True)
class CrawlRow:
    company: str
    pages: str
    requests: str
    duration: str
    robots_excluded: str
    rendered: str
    render_gap: str
    screenshots: str
    errors: str


@dataclass(frozen=True)
class CurveView:
    rule: str
    dimension: str
    input: str
    kind: str
    points: str


@dataclass(frozen=True)
class TrendChange:
    """One dated change since the previous audit, in words."""

    kind: str
    text: str


@dataclass(frozen=True)
class TrendView:
    """``audit.json``'s ``history`` block: scores across runs (charted), and what changed since the
    previous audit — level changes, channels gained and lost, scores and metrics that moved beyond
    their noise threshold — in words with units."""

    audits: str
    period: str
    levels: tuple[str, ...] = ()
    channels: tuple[TrendChange, ...] = ()
    moves: tuple[TrendChange, ...] = ()
    notes: tuple[str, ...] = ()
    thresholds: str = ""
    charts: tuple[Chart, ...] = ()


@dataclass(frozen=True)
class ErrorView:
    company: str
    where: str
    message: str
    stage: str = ""


@dataclass(frozen=True)
class AppendixEntry:
    channel: str
    kind: str
    link: Link
    source: Link


@dataclass(frozen=True)
class FoundItem:
    link: Link
    kind: str


@dataclass(frozen=True)
class AppendixGroup:
    """One channel of one company: what was found and the pages it was found on (each once)."""

    channel: str
    items: tuple[FoundItem, ...]
    sources: tuple[Link, ...]


@dataclass(frozen=True)
class AbsenceView:
    channel: str
    tried: Tried


@dataclass(frozen=True)
class AppendixCompany:
    company: str
    url: str
    anchor: str
    entries: tuple[AppendixEntry, ...]
    absences: tuple[AbsenceView, ...]
    groups: tuple[AppendixGroup, ...] = ()
    screenshots: tuple[Image, ...] = ()
    screenshots_more: str = ""


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    title: str
    level: int


@dataclass
class ReportView:
    """Everything the report templates show."""

    title: str
    client: str
    client_url: str
    competitors: tuple[str, ...]
    competitors_text: str
    date: str
    consultant: str
    model_name: str
    model_id: str
    model_version: str
    tool_version: str
    status_note: str
    level: LevelBadge
    level_description: str
    overall_score: str
    rank_text: str
    strengths: tuple[Highlight, ...]
    gaps_summary: tuple[Highlight, ...]
    company_names: tuple[str, ...]
    client_flags: tuple[bool, ...]
    dimension_names: tuple[str, ...]
    score_rows: tuple[ScoreRow, ...]
    channel_rows: tuple[ChannelRow, ...]
    metric_rows: tuple[MetricRow, ...]
    response_rows: tuple[RangeRow, ...]
    response_unmeasured: str
    page_rows: tuple[RangeRow, ...]
    page_note: str
    promise_rows: tuple[PromiseRow, ...]
    dimension_sections: tuple[DimensionSection, ...]
    gaps: tuple[GapView, ...]
    advantages: tuple[GapView, ...]
    recommendations: tuple[RecommendationView, ...]
    levels: tuple[LevelDef, ...]
    dimension_defs: tuple[DimensionDef, ...]
    crawl_rows: tuple[CrawlRow, ...]
    curves: tuple[CurveView, ...]
    errors: tuple[ErrorView, ...]
    unmeasured: tuple[ErrorView, ...]
    appendix: tuple[AppendixCompany, ...]
    toc: tuple[TocEntry, ...]
    trend: TrendView | None = None
    story: tuple[str, ...] = ()
    top_recommendations: tuple[RecommendationView, ...] = ()
    strengths_note: str = ""
    notes_html: str = ""
    logo: Image | None = None
    accent: str = ""
    charts: dict[str, Chart] = field(default_factory=dict)


# --- formatting -------------------------------------------------------------------------------------


def format_date(stamp: str) -> str:
    """``2026-11-23T09:14:51Z`` → ``23 November 2026`` (locale-independent); unparsable → as given."""
    try:
        day = date.fromisoformat(stamp[:10])
    except ValueError:
        return stamp
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_score(score: float | None) -> str:
    return NOT_MEASURED if score is None else f"{score:.0f}"


def format_number(value: float) -> str:
    """Whole numbers without decimals, others with one."""
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"


def format_metric(name: str, value: float) -> str:
    """A metric value with its unit from the metrics catalogue (``audit/metrics.py``)."""
    return catalogue.format_value(name, value)


def badge(level: int | None, name: str = "") -> LevelBadge:
    if level is None:
        return LevelBadge(None, "", NOT_MEASURED, (False,) * 5)
    return LevelBadge(level, name, f"Level {level} · {name}" if name else f"Level {level}", _steps(level))


def _steps(level: int) -> tuple[bool, ...]:
    return tuple(step <= level for step in range(1, 6))


def link(url: str, snippet: str = "", method: str = "") -> Link:
    """Only web and mail addresses become links; anything else is shown as text only."""
    lowered = url.strip().lower()
    href = url if lowered.startswith(("http://", "https://", "mailto:")) else ""
    return Link(url=url, href=href, snippet=shorten(snippet), method=method)


def shorten(text: str, limit: int = SNIPPET_CHARS) -> str:
    """Whitespace collapsed, cut at ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


#: The start of text that is a program's, not a reader's: exception reprs and urllib3's wrappers.
_RAW = re.compile(
    r"\b(?:[A-Z]\w*(?:Error|Exception|Pool|Connection)\(|_\w+Pool\(|Max retries exceeded|Caused by|Traceback)"
)
_EXCEPTION = re.compile(r"\b[A-Z]\w*(?:Error|Exception|Warning|Interrupt): ")


def in_words(message: str, probe: str = "", stage: str = "") -> str:
    """A recorded error as a client may read it: no exception names or library reprs (``audit.json``
    keeps the full text). A probe's own failure is said plainly rather than quoted."""
    if stage == "probe":
        check = probe.replace("_", " ") if probe else "a"
        return f"Engage's {check} check failed on this site (an internal error; the detail is in audit.json)"
    text = " ".join(message.split())
    raw = _RAW.search(text) or _EXCEPTION.search(text)
    if raw is None:
        return text
    head = text[: raw.start()].rstrip(" :;,(")
    return (
        f"{head} (the detail is in audit.json)" if head else "an internal error (the detail is in audit.json)"
    )


def tried_summary(items: Iterable[Any]) -> Tried:
    """Split "what was tried" into the checks made and the URLs looked at (a few, then a count)."""
    checks: list[str] = []
    urls: list[str] = []
    for item in items:
        text = str(item)
        (urls if "://" in text and " " not in text else checks).append(text)
    shown = tuple(urls[:TRIED_URLS])
    rest = len(urls) - len(shown)
    more = f"and {rest} more URL{'s' if rest != 1 else ''}" if rest else ""
    return Tried(checks=tuple(checks), urls=shown, more=more)


def ordinal_rank(rank: int | None, total: int) -> str:
    return "–" if rank is None else f"{rank} of {total}"


def anchor(prefix: str, key: str) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in key.lower()).strip("-")
    return f"{prefix}-{safe}"


def join_names(names: Iterable[str]) -> str:
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- helpers over audit.json ------------------------------------------------------------------------


def page_timing_note(audit: Mapping[str, Any]) -> str:
    """How to read the page-response table: what the connection phases measure, and a proxy's share."""
    note = (
        "Connection phases (DNS lookup, TCP connect, TLS handshake) are medians over the requests that "
        "opened a new connection, as curl -w reports them; time to first and last byte count from the "
        "start of the request."
    )
    if (audit.get("settings") or {}).get("proxy"):
        note += (
            " This audit went through a proxy: the DNS lookup and TCP connect are the proxy's (TCP "
            "includes its tunnel to the site); the TLS handshake and byte times are end to end."
        )
    return note


def ordered_companies(audit: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Client first, then competitors by rank (unranked last), then by name."""
    companies = list(audit.get("companies", []))

    def key(company: Mapping[str, Any]) -> tuple[int, int, str]:
        rank = company.get("rank")
        return (
            0 if company.get("role") == "client" else 1,
            rank if rank is not None else 10**6,
            company["name"],
        )

    return sorted(companies, key=key)


def by_rank(companies: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    def key(company: Mapping[str, Any]) -> tuple[int, str]:
        rank = company.get("rank")
        return (rank if rank is not None else 10**6, company["name"])

    return sorted(companies, key=key)


def client_of(companies: list[dict[str, Any]]) -> dict[str, Any]:
    for company in companies:
        if company.get("role") == "client":
            return company
    return companies[0]


def dimension_of(company: Mapping[str, Any], dim_id: str) -> dict[str, Any] | None:
    for dim in company.get("dimensions", []):
        if dim.get("id") == dim_id:
            return dict(dim)
    return None


def dimension_score(company: Mapping[str, Any], dim_id: str) -> float | None:
    dim = dimension_of(company, dim_id)
    if dim is None or dim.get("status") == "error":
        return None
    score = dim.get("score")
    return None if score is None else float(score)


def benchmark_median(
    benchmark: Mapping[str, Any] | None, competitors: list[dict[str, Any]], dim_id: str
) -> float | None:
    """The peer median scoring recorded in ``audit.json["benchmark"]``; computed from the companies only
    for an ``audit.json`` without a benchmark block."""
    row = (benchmark or {}).get(dim_id)
    if isinstance(row, Mapping) and "peer_median" in row:
        value = row.get("peer_median")
        return None if value is None else float(value)
    return peer_median(competitors, dim_id)


def peer_median(competitors: list[dict[str, Any]], dim_id: str) -> float | None:
    scores = [s for s in (dimension_score(c, dim_id) for c in competitors) if s is not None]
    return statistics.median(scores) if scores else None


def model_dimensions(audit: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The model's dimensions; when the model lists none, those seen on companies, in first-seen order."""
    dims = list(audit.get("model", {}).get("dimensions", []))
    if dims:
        return dims
    seen: dict[str, dict[str, Any]] = {}
    for company in audit.get("companies", []):
        for dim in company.get("dimensions", []):
            seen.setdefault(dim["id"], {"id": dim["id"], "name": dim["name"], "weight": 0, "description": ""})
    return list(seen.values())


def level_names(audit: Mapping[str, Any]) -> dict[int, str]:
    return {int(lv["level"]): lv["name"] for lv in audit.get("model", {}).get("levels", [])}


def channel_errors(company: Mapping[str, Any]) -> set[str]:
    """Channels whose probe failed on this company ("error"). Errors of the ``measure`` stage are
    metrics left unmeasured (a forum not found has no reply times), not a failed search."""
    channels: set[str] = set()
    for error in company.get("errors", []):
        if error.get("stage") == "measure":
            continue
        channel = error.get("channel") or PROBE_CHANNELS.get(error.get("probe", ""), error.get("probe", ""))
        if channel in CHANNEL_LABELS:
            channels.add(channel)
    return channels


def kind_of(item: Mapping[str, Any]) -> str:
    for key in KIND_KEYS:
        value = item.get(key)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, str | int | float) and str(value):
            return str(value)
    return ""


def kind_key_of(item: Mapping[str, Any]) -> str:
    for key in KIND_KEYS:
        if key in item:
            return key
    return ""


# --- sections ---------------------------------------------------------------------------------------


def _score_cell(dim: Mapping[str, Any] | None, names: dict[int, str]) -> ScoreCell:
    if dim is None:
        return ScoreCell(NOT_MEASURED, badge(None), "error", "cell-unknown")
    status = str(dim.get("status", "ok"))
    if status == "error" or dim.get("score") is None:
        label = "error" if status == "error" else NOT_MEASURED
        return ScoreCell(label, badge(None), status, "cell-unknown")
    level = dim.get("level")
    return ScoreCell(
        format_score(dim["score"]), badge(level, names.get(level, "") if level else ""), status, ""
    )


def score_rows(companies: list[dict[str, Any]], dims: list[dict[str, Any]], names: dict[int, str]) -> tuple:
    total = len(companies)
    rows = []
    for company in by_rank(companies):
        overall = company.get("overall", {})
        overall_cell = _score_cell(
            {"score": overall.get("score"), "level": overall.get("level"), "status": "ok"}, names
        )
        cells = tuple(_score_cell(dimension_of(company, d["id"]), names) for d in dims)
        rows.append(
            ScoreRow(
                company=company["name"],
                is_client=company.get("role") == "client",
                rank=ordinal_rank(company.get("rank"), total),
                overall=overall_cell,
                cells=cells,
            )
        )
    return tuple(rows)


def channel_rows(companies: list[dict[str, Any]]) -> tuple[ChannelRow, ...]:
    rows = []
    for channel, label in CHANNEL_LABELS.items():
        cells = tuple(_channel_cell(company, channel) for company in companies)
        rows.append(ChannelRow(channel=channel, label=label, cells=cells))
    return tuple(rows)


def _channel_cell(company: Mapping[str, Any], channel: str) -> ChannelCell:
    items = company.get("channels", {}).get(channel, [])
    if items:
        return ChannelCell("found", "●", f"found ({len(items)})")
    if company.get("status") == "error" or not company.get("crawl", {"pages": 1}).get("pages", 1):
        return ChannelCell("unknown", "–", NOT_MEASURED)
    if channel in channel_errors(company):
        return ChannelCell("error", "×", "error")
    return ChannelCell("missing", "○", "not found")


def metric_rows(companies: list[dict[str, Any]]) -> tuple[MetricRow, ...]:
    """Every metric measured for at least one company (those measured nowhere are listed as errors)."""
    names: list[str] = sorted(
        {
            name
            for company in companies
            for name, value in company.get("metrics", {}).items()
            if value is not None
        }
    )
    known = [name for name in METRIC_ORDER if name in names]
    listed = [name for name in catalogue.CATALOGUE if name in names and name not in known]
    ordered = known + listed + [name for name in names if name not in known and name not in listed]
    return tuple(
        MetricRow(
            metric=name,
            label=catalogue.label(name),
            cells=tuple(_metric_cell(company, name) for company in companies),
        )
        for name in ordered
    )


def _metric_cell(company: Mapping[str, Any], name: str) -> MetricCell:
    metrics = company.get("metrics", {})
    value = metrics.get(name)
    if value is not None:
        return MetricCell(format_metric(name, float(value)), True, "")
    reasons = [e.get("message", "") for e in company.get("errors", []) if e.get("metric") == name]
    reason = (
        catalogue.without_ids(in_words(reasons[0]))
        if reasons
        else ("not reported" if name not in metrics else "no reason recorded")
    )
    return MetricCell(NOT_MEASURED, False, reason)


def _rule_view(rule: Mapping[str, Any]) -> RuleView:
    listed = list(rule.get("evidence", []))
    evidence = tuple(
        Link(
            **{
                **vars(link(str(ev.get("url", "")), "", str(ev.get("method", "")))),
                "snippet": shorten(str(ev.get("snippet", "")), RULE_SNIPPET_CHARS),
            }
        )
        for ev in listed[:RULE_EVIDENCE]
    )
    rest = len(listed) - len(evidence)
    outcome = outcome_of(rule)
    display = str(rule.get("display", ""))
    if outcome in ("not measured", "error") or display in ("found", "not found", "n/a", ""):
        display = ""  # the outcome badge says it; the explanation says why
    return RuleView(
        id=str(rule.get("id", "")),
        title=str(rule.get("title", "")),
        status=OUTCOME_CSS[outcome],
        status_label=outcome,
        display=display,
        explanation=rule_explanation(rule, outcome),
        evidence=evidence,
        tried=tried_summary(rule.get("tried", [])),
        evidence_more=f"and {rest} more (see the appendix)" if rest > 0 else "",
    )


def outcome_of(rule: Mapping[str, Any]) -> str:
    """The rule's outcome as scoring decided it (``rules[].outcome``); for an ``audit.json`` written
    before outcomes were recorded, the same decision from its status and display."""
    outcome = str(rule.get("outcome", ""))
    if outcome in OUTCOME_CSS:
        return outcome
    status = str(rule.get("status", "ok"))
    if status == "error":
        return "error"
    if status == "n/a":
        return "not measured"
    display = str(rule.get("display", ""))
    return "not found" if display in ("not found", "0") else "found"


def rule_explanation(rule: Mapping[str, Any], outcome: str) -> str:
    """What the rule saw, in words: the reason for "not measured", what failed for "error", else the
    explanation without its "Checked: …" tail (the appendix lists what was checked, once per company)."""
    detail = str(rule.get("outcome_detail", ""))
    text = str(rule.get("explanation", ""))
    if outcome == "not measured":
        reason = detail or text.removeprefix("Nothing to judge: ").removeprefix("Not measured: ")
        return _sentence(catalogue.without_ids(in_words(reason)).rstrip(".")) + "."
    if outcome == "error":
        return _sentence(in_words(detail or text).rstrip(".")) + "."
    return catalogue.without_ids(in_words(text.split(" Checked: ")[0]))


def dimension_sections(
    companies: list[dict[str, Any]],
    competitors: list[dict[str, Any]],
    dims: list[dict[str, Any]],
    names: dict[int, str],
    benchmark: Mapping[str, Any] | None = None,
) -> tuple[DimensionSection, ...]:
    total_weight = sum(float(d.get("weight", 0)) for d in dims) or 1.0
    sections = []
    for dim in dims:
        entries = []
        for company in companies:
            data = dimension_of(company, dim["id"]) or {"score": None, "level": None, "status": "error"}
            cell = _score_cell(data, names)
            entries.append(
                CompanyDimension(
                    company=company["name"],
                    is_client=company.get("role") == "client",
                    score=cell.score,
                    level=cell.level,
                    status=str(data.get("status", "ok")),
                    rank=ordinal_rank(data.get("rank"), len(companies)),
                    rules=tuple(_rule_view(rule) for rule in data.get("rules", [])),
                    appendix_anchor=anchor("appendix", company["name"]),
                )
            )
        median = benchmark_median(benchmark, competitors, dim["id"])
        sections.append(
            DimensionSection(
                id=dim["id"],
                anchor=anchor("dim", dim["id"]),
                name=dim["name"],
                description=str(dim.get("description", "")),
                weight=f"{float(dim.get('weight', 0)) / total_weight:.0%}",
                peer_median=format_score(median),
                companies=tuple(entries),
                peer_tables=peer_tables(entries),
            )
        )
    return tuple(sections)


def strengths_and_gaps(
    audit: Mapping[str, Any],
    client: dict[str, Any],
    competitors: list[dict[str, Any]],
    dims: list[dict[str, Any]],
) -> tuple[tuple[Highlight, ...], tuple[Highlight, ...]]:
    """Up to three strengths — dimensions where scoring placed the client ahead of the peer median on
    measured evidence (``benchmark[dim].position == "ahead"``) — and up to three gaps: the audit's
    capability gaps, else the dimensions where it is behind. Nothing is recomputed here."""
    rows = [(d, _benchmark_row(audit, client, competitors, d["id"])) for d in dims]
    ahead = sorted(
        ((d, r) for d, r in rows if r.get("position") == "ahead"),
        key=lambda dr: (-float(dr[1].get("delta_to_median") or 0), dr[0]["name"]),
    )[:3]
    strengths = tuple(Highlight(d["name"], _delta_text(r)) for d, r in ahead)
    listed = [g for g in audit.get("gaps", []) if g.get("kind") == "gap"][:3]
    if listed:
        gaps = tuple(Highlight(capability_name(audit, g), str(g["text"])) for g in listed)
    else:
        behind = sorted(
            ((d, r) for d, r in rows if r.get("position") == "behind"),
            key=lambda dr: (float(dr[1].get("delta_to_median") or 0), dr[0]["name"]),
        )[:3]
        gaps = tuple(Highlight(d["name"], _delta_text(r)) for d, r in behind)
    return strengths, gaps


def _benchmark_row(
    audit: Mapping[str, Any], client: dict[str, Any], competitors: list[dict[str, Any]], dim_id: str
) -> dict[str, Any]:
    """``audit.json["benchmark"][dim_id]``; for an audit written before positions were recorded, the
    same fields derived from its scores (ahead only when none of the client's rules went unmeasured)."""
    row = dict((audit.get("benchmark") or {}).get(dim_id) or {})
    if "position" in row:
        return row
    own = client.get("overall", {}).get("score") if dim_id == "overall" else dimension_score(client, dim_id)
    median = row.get("peer_median") if "peer_median" in row else peer_median(competitors, dim_id)
    row.update(client_score=own, peer_median=median)
    if own is None or median is None:
        row.update(position="not comparable", delta_to_median=None)
        return row
    dim = dimension_of(client, dim_id) or {}
    unmeasured = [r for r in dim.get("rules", []) if r.get("status") != "ok"]
    delta = round(float(own) - float(median), 1)
    position = "ahead" if delta >= 2 else "behind" if delta <= -2 else "level"
    if position == "ahead" and unmeasured:
        position = "not comparable"
    row.update(position=position, delta_to_median=delta)
    return row


def _delta_text(row: Mapping[str, Any]) -> str:
    own, median = float(row.get("client_score") or 0), float(row.get("peer_median") or 0)
    delta = round(own) - round(median)
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    return f"{own:.0f} against a peer median of {median:.0f} ({sign}{abs(delta)})"


def capability_name(audit: Mapping[str, Any], gap: Mapping[str, Any]) -> str:
    """A gap's capability in words: the title of the rule it names (``community-forum``), else as given."""
    capability = str(gap.get("capability", ""))
    for company in audit.get("companies", []):
        for dim in company.get("dimensions", []):
            for rule in dim.get("rules", []):
                if rule.get("id") == capability and rule.get("title"):
                    return str(rule["title"])
    return _sentence(capability)


def gap_views(audit: Mapping[str, Any], kind: str) -> tuple[GapView, ...]:
    return tuple(
        GapView(
            kind=kind,
            capability=capability_name(audit, g),
            text=str(g["text"]),
            have=join_names(g.get("have", [])) or "none",
            lack=join_names(g.get("lack", [])) or "none",
            evidence=tuple(link(str(u)) for u in g.get("evidence", [])),
        )
        for g in audit.get("gaps", [])
        if g.get("kind") == kind
    )


def recommendation_views(audit: Mapping[str, Any], dims: list[dict[str, Any]]) -> tuple:
    dim_names = {d["id"]: d["name"] for d in dims}
    return tuple(
        RecommendationView(
            number=str(index),
            title=str(rec["title"]),
            text=str(rec["text"]),
            why=str(rec.get("why", "")),
            points=f"+{format_number(float(rec['points']))} points",
            effort=f"{rec['effort']} effort",
            dimension=dim_names.get(str(rec.get("dimension", "")), str(rec.get("dimension", ""))),
        )
        for index, rec in enumerate(audit.get("recommendations", []), start=1)
    )


def crawl_rows(companies: list[dict[str, Any]]) -> tuple[CrawlRow, ...]:
    def num(value: Any, suffix: str = "") -> str:
        if value is None:
            return NOT_MEASURED
        if isinstance(value, bool):
            return "yes" if value else "no"
        return f"{format_number(float(value))}{suffix}"

    rows = []
    for company in companies:
        crawl = company.get("crawl") or {}
        rendered = crawl.get("rendered")
        rows.append(
            CrawlRow(
                company=company["name"],
                pages=num(crawl.get("pages")),
                requests=num(crawl.get("requests")),
                duration=num(crawl.get("duration_s"), " s"),
                robots_excluded=num(crawl.get("robots_excluded")),
                rendered="on" if rendered else "off" if rendered is not None else NOT_MEASURED,
                render_gap=_render_gap(crawl.get("render_gap")),
                screenshots=str(len(crawl.get("screenshots") or [])),
                errors=str(sum(1 for e in company.get("errors", []) if e.get("stage") != "measure")),
            )
        )
    return tuple(rows)


def _render_gap(gap: Any) -> str:
    """``crawl.render_gap``: why pages were not rendered (a string, or a dict with a reason)."""
    if not gap:
        return "none"
    if isinstance(gap, Mapping):
        return shorten(str(gap.get("reason") or gap.get("message") or gap), 120)
    return shorten(str(gap), 120)


def curve_views(audit: Mapping[str, Any], dims: list[dict[str, Any]]) -> tuple[CurveView, ...]:
    """The model's curves (``model.curves``) in words: control points and the scores they give."""
    names = {d["id"]: d["name"] for d in dims}
    views = []
    for curve in audit.get("model", {}).get("curves", []):
        unit = str(curve.get("unit", ""))
        if "." in str(curve.get("input", "")) and catalogue.unit(str(curve["input"])) == "share":
            unit = "share"
        if curve.get("kind") == "lognormal":
            kind = "log-normal"
            points = (
                f"{_point(curve.get('p10'), unit)} scores 90 · {_point(curve.get('median'), unit)} scores 50"
            )
        else:
            kind = "bands"
            points = " · ".join(
                f"≥ {_point(t, unit)} → {float(score) * 100:.0f}" for t, score in curve.get("bands", [])
            )
        views.append(
            CurveView(
                rule=str(curve.get("title", curve.get("rule", ""))),
                dimension=names.get(str(curve.get("dimension", "")), str(curve.get("dimension", ""))),
                input=_input_label(str(curve.get("input", ""))),
                kind=kind,
                points=points,
            )
        )
    return tuple(views)


def _input_label(name: str) -> str:
    """A curve's input in words: a metric's catalogue label, or what a count rule counts."""
    if "." in name:
        return catalogue.label(name)
    return name.replace("_", " ")


def _point(value: Any, unit: str) -> str:
    if unit == "share":
        return catalogue.format_in("share", float(value or 0))
    number = f"{float(value or 0):,g}"
    return f"{number} {unit}" if unit in ("h", "ms", "min", "s", "days") else number


def trend_view(
    audit: Mapping[str, Any], dims: list[dict[str, Any]], client: str, charts: bool = True, accent: str = ""
) -> TrendView | None:
    """The trend section from ``audit.json["history"]``; ``None`` (no section) without a history."""
    history = audit.get("history")
    if not isinstance(history, Mapping):
        return None
    runs = [r for r in history.get("runs", []) if isinstance(r, Mapping)]
    dates = [short_date(str(r.get("finished_at", ""))) for r in runs]
    earlier = max(len(runs) - 1, 0)
    first, last = (
        (format_date(str(r.get("finished_at", ""))) for r in (runs[:1] + runs[-1:])[:2]) if runs else ("", "")
    )
    if len(runs) <= 1:
        audits = "The first audit under this model: the next audit will show what changed"
    elif first and last:
        audits = f"{len(runs)} audits under this model, from {first} to {last}"
    else:
        audits = f"{len(runs)} audits under this model"
    previous = runs[-2] if len(runs) > 1 else None
    before = format_date(str(previous.get("finished_at", ""))) if previous is not None else ""
    if previous is None:
        period = ""
    elif before and last:
        period = f"Changes between {before} and {last}"
    else:
        period = "Changes since the previous audit"
    changes = [c for c in history.get("changes", []) if isinstance(c, Mapping)]
    dim_names = {d["id"]: d["name"] for d in dims}
    levels = tuple(_level_steps(runs, client, dates))
    channels = tuple(
        TrendChange(str(c["kind"]), _change_text(c, dim_names))
        for c in changes
        if c.get("kind") in ("channel_gained", "channel_lost")
    )
    moves = tuple(
        TrendChange(str(c["kind"]), _change_text(c, dim_names))
        for c in changes
        if c.get("kind") in ("metric_moved", "level_changed")
    )
    view_charts: tuple[Chart, ...] = ()
    if charts and len(runs) > 1:
        view_charts = trend_charts(runs, dates, dims, client, accent)
    return TrendView(
        audits=audits,
        period=period,
        levels=levels,
        channels=channels,
        moves=moves,
        notes=tuple(str(n) for n in history.get("notes", []) if str(n).strip() and earlier),
        thresholds=_threshold_text(history.get("thresholds")),
        charts=view_charts,
    )


def short_date(stamp: str) -> str:
    """``2026-11-23T09:14:51Z`` → ``23 Nov 2026`` for chart axes."""
    try:
        day = date.fromisoformat(stamp[:10])
    except ValueError:
        return stamp[:10]
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def trend_charts(
    runs: list[Mapping[str, Any]], dates: list[str], dims: list[dict[str, Any]], client: str, accent: str
) -> tuple[Chart, ...]:
    """Overall score of every company across runs, and the client's score per dimension."""
    names = list(dict.fromkeys(n for r in runs for n in (r.get("scores") or {})))
    names.sort(key=lambda n: (n != client, n))

    def score(run: Mapping[str, Any], name: str, key: str) -> float | None:
        value = ((run.get("scores") or {}).get(name) or {}).get(key)
        return None if value is None else float(value)

    overall = trend_chart(
        "trend-overall",
        "Overall score per audit",
        dates,
        [(n, [score(r, n, "overall") for r in runs]) for n in names],
        client_index=0 if names and names[0] == client else None,
        client_color=accent,
    )
    per_dim = trend_chart(
        "trend-dimensions",
        f"{client}: score per dimension and audit",
        dates,
        [(d["name"], [score(r, client, d["id"]) for r in runs]) for d in dims],
        client_index=None,
    )
    return (overall, per_dim)


def _level_steps(runs: list[Mapping[str, Any]], client: str, dates: list[str]) -> list[str]:
    """The client's level at each audit where it changed: "23 Nov 2026: level 2 → 3"."""
    out = []
    last: Any = None
    for run, when in zip(runs, dates, strict=True):
        level = ((run.get("scores") or {}).get(client) or {}).get("level")
        if level is None:
            continue
        if last is not None and level != last:
            out.append(f"{when}: {client} moved from level {last} to level {level}")
        last = level
    return out


def _change_text(change: Mapping[str, Any], dim_names: dict[str, str]) -> str:
    """A recorded change in words with units (the metrics catalogue's labels, never raw ids)."""
    company = str(change.get("company", ""))
    metric = str(change.get("metric", ""))
    before, after = change.get("from"), change.get("to")
    if (
        change.get("kind") == "metric_moved"
        and isinstance(before, int | float)
        and isinstance(after, int | float)
    ):
        if metric.startswith("score."):
            dim = metric.removeprefix("score.")
            name = "overall" if dim == "overall" else dim_names.get(dim, dim)
            delta = float(after) - float(before)
            return (
                f"{company}: {name} score from {float(before):.0f} to {float(after):.0f} "
                f"({'+' if delta > 0 else '−'}{abs(delta):.0f} points)"
            )
        moved = catalogue.format_delta(metric, float(before), float(after))
        return f"{company}: {catalogue.label(metric)} {moved}"
    if change.get("kind") == "level_changed":
        return f"{company}: level {before} → level {after}"
    return catalogue.without_ids(str(change.get("text", "")))


def _threshold_text(thresholds: Any) -> str:
    """The noise thresholds in words, so a reader knows what counted as a move."""
    if not isinstance(thresholds, Mapping):
        return ""
    points = thresholds.get("score_points")
    parts = [f"scores move by {float(points):g} points or more"] if points is not None else []
    words = {"_ms": "page timings", "_hours": "reply times", "_share": "shares"}
    for row in thresholds.get("metrics", []):
        pattern = str(row.get("pattern", ""))
        what = next((w for k, w in words.items() if k in pattern), "counts and rates")
        absolute, relative = float(row.get("absolute", 0)), float(row.get("relative", 0))
        if "_share" in pattern:
            limit = f"{absolute * 100:g} percentage points"
        else:
            unit_word = " ms" if "_ms" in pattern else " h" if "_hours" in pattern else ""
            limit = f"{absolute:g}{unit_word}"
        parts.append(f"{what} by {limit}" + (f" and {relative:.0%}" if relative else ""))
    return "A change counts when " + "; ".join(parts) + "." if parts else ""


def error_views(audit: Mapping[str, Any], companies: list[dict[str, Any]]) -> tuple[ErrorView, ...]:
    """Errors, one row per company, place and message: metrics sharing a reason are listed together."""
    views = [
        ErrorView(
            "All companies", _where(e), in_words(str(e.get("message", "")), stage=str(e.get("stage", "")))
        )
        for e in audit.get("errors", [])
    ]
    for company in companies:
        grouped: dict[tuple[str, str, str], list[str]] = {}
        for error in company["errors"]:
            stage = str(error.get("stage", ""))
            probe = str(error.get("probe", ""))
            message = catalogue.without_ids(in_words(str(error.get("message", "")), probe, stage))
            key = (stage, probe, shorten(message, 300))
            grouped.setdefault(key, [])
            if error.get("metric"):
                grouped[key].append(catalogue.label(str(error["metric"])))
        for (stage, probe, message), metrics in grouped.items():
            place = " · ".join(p for p in (stage, probe, ", ".join(metrics)) if p)
            views.append(ErrorView(company["name"], place, message, stage))
    return tuple(views)


def _where(error: Mapping[str, Any]) -> str:
    parts = [str(error.get(key)) for key in ("stage", "probe") if error.get(key)]
    if error.get("metric"):
        parts.append(catalogue.label(str(error["metric"])))
    return " · ".join(parts)


def screenshots(company: Mapping[str, Any], run_dir: Path | None) -> tuple[tuple[Image, ...], str]:
    """The company's rendered-page screenshots that are safe to embed, and how many were left out."""
    listed = sorted(  # chat-launcher close-ups first: they are the evidence a reader looks for
        (company.get("crawl") or {}).get("screenshots") or [],
        key=lambda s: (s.get("kind") != "chat launcher", str(s.get("url", ""))),
    )
    images = []
    for shot in listed:
        url = str(shot.get("url", ""))
        launcher = shot.get("kind") == "chat launcher"
        what = "Chat launcher found on" if launcher else "Screenshot of"
        caption = f"chat launcher, close-up: {url}" if launcher else url
        image = run_image(
            run_dir, str(shot.get("file", "")), f"{what} {url} as rendered in Chromium", caption
        )
        if image is not None:
            images.append(replace(image, css_class="closeup") if launcher else image)
    kept = tuple(images[:SCREENSHOTS_PER_COMPANY])
    rest = len(images) - len(kept)
    return kept, (f"{rest} more screenshot{'s' if rest != 1 else ''} in the output directory" if rest else "")


def appendix(companies: list[dict[str, Any]], run_dir: Path | None = None) -> tuple[AppendixCompany, ...]:
    result = []
    for company in companies:
        entries = []
        for channel, label in CHANNEL_LABELS.items():
            for item in company.get("channels", {}).get(channel, []):
                evidence = item.get("evidence", {})
                entries.append(
                    AppendixEntry(
                        channel=label,
                        kind="e-mail" if kind_key_of(item) == "email" else kind_of(item),
                        link=link(str(item.get("url", ""))),
                        source=link(
                            str(evidence.get("source_url", "")),
                            str(evidence.get("snippet", "")),
                            str(evidence.get("method", "")),
                        ),
                    )
                )
        absences = absence_views(company)
        groups = appendix_groups(company)
        shots, more = screenshots(company, run_dir)
        result.append(
            AppendixCompany(
                company=company["name"],
                url=str(company.get("url", "")),
                anchor=anchor("appendix", company["name"]),
                entries=tuple(entries),
                absences=absences,
                groups=groups,
                screenshots=shots,
                screenshots_more=more,
            )
        )
    return tuple(result)


def appendix_groups(company: Mapping[str, Any]) -> tuple[AppendixGroup, ...]:
    """Per channel, the items found and the pages they were found on. The excerpts and detection
    methods are in ``findings.csv`` and ``audit.json``; the PDF shows where to look."""
    groups = []
    for channel, label in CHANNEL_LABELS.items():
        items = company.get("channels", {}).get(channel, [])
        if not items:
            continue
        found = []
        for item in items:
            kind = "e-mail" if kind_key_of(item) == "email" else kind_of(item)
            found.append(FoundItem(link(str(item.get("url", ""))), kind))
        sources = list(
            dict.fromkeys(
                str((item.get("evidence") or {}).get("source_url", ""))
                for item in items
                if (item.get("evidence") or {}).get("source_url")
            )
        )
        groups.append(AppendixGroup(label, tuple(found), tuple(link(u) for u in sources)))
    return tuple(groups)


def absence_views(company: Mapping[str, Any]) -> tuple[AbsenceView, ...]:
    """What was checked where nothing was found, once per company: the channels looked for, then the
    rules that found nothing; the same checks are listed once, under every name they answer."""
    grouped: dict[Tried, list[str]] = {}
    for channel, tried in sorted(
        (company.get("absences") or {}).items(), key=lambda kv: _channel_order(kv[0])
    ):
        grouped.setdefault(tried_summary(tried), []).append(CHANNEL_LABELS.get(channel, channel))
    for dim in company.get("dimensions", []):
        for rule in dim.get("rules", []):
            if outcome_of(rule) != "not found" or not rule.get("tried"):
                continue
            names = grouped.setdefault(tried_summary(rule["tried"]), [])
            title = str(rule.get("title", ""))
            if title and title not in names:
                names.append(title)
    return tuple(AbsenceView(", ".join(names), tried) for tried, names in grouped.items() if names)


def _channel_order(channel: str) -> tuple[int, str]:
    keys = list(CHANNEL_LABELS)
    return (keys.index(channel) if channel in keys else len(keys), channel)


TOC: tuple[tuple[str, str], ...] = (
    ("summary", "Executive summary"),
    ("notes", "Consultant's notes"),
    ("comparison", "Comparison"),
    ("responsiveness", "Responsiveness"),
    ("dimensions", "Dimensions in detail"),
    ("gaps", "Gaps and advantages"),
    ("trend", "Trend"),
    ("recommendations", "Recommendations"),
    ("methodology", "Methodology"),
    ("appendix", "Appendix: evidence"),
)


def toc(
    sections: tuple[DimensionSection, ...], trend: bool = False, notes: bool = False
) -> tuple[TocEntry, ...]:
    entries: list[TocEntry] = []
    for key, title in TOC:
        if (key == "trend" and not trend) or (key == "notes" and not notes):
            continue
        entries.append(TocEntry(key, title, 1))
        if key == "dimensions":
            entries.extend(TocEntry(s.anchor, s.name, 2) for s in sections)
    return tuple(entries)


def _status_note(audit: Mapping[str, Any]) -> str:
    status = audit.get("status", "complete")
    if status == "partial":
        return "Some probes failed; affected values are marked “not measured” or “error”."
    if status == "failed":
        return "The audit failed; the report shows what could be gathered."
    return ""


# --- entry point ------------------------------------------------------------------------------------


def build_view(
    audit: dict[str, Any],
    *,
    consultant: str = "Engage",
    charts: bool = True,
    theme: Theme | None = None,
    run_dir: Path | None = None,
    logo: Image | None = None,
) -> ReportView:
    """Prepare everything the report shows from an ``audit.json`` dict.

    ``run_dir`` is the audit's output directory: screenshots (``companies[].crawl.screenshots``) and the
    ``logo`` is the theme's logo, already read from the run's own files.
    """
    theme = theme_from(theme)
    audit = for_display(renamed_client(audit, theme.client_name))  # scraped text: no bidi, bounded
    consultant = theme.consultant or consultant
    companies = ordered_companies(audit)
    if not companies:
        raise ValueError("audit has no companies to report on")
    client = client_of(companies)
    competitors = [c for c in companies if c is not client]
    dims = model_dimensions(audit)
    names = level_names(audit)
    model = audit.get("model", {})
    overall = client.get("overall", {})
    client_level = overall.get("level")
    descriptions = {int(lv["level"]): lv["description"] for lv in model.get("levels", [])}
    strengths, gaps_summary = strengths_and_gaps(audit, client, competitors, dims)
    sections = dimension_sections(companies, competitors, dims, names, audit.get("benchmark"))
    total_weight = sum(float(d.get("weight", 0)) for d in dims) or 1.0
    response, unmeasured = range_rows(companies, site=False)
    pages, _ = range_rows(companies, site=True)
    trend = trend_view(audit, dims, client["name"], charts, theme.accent)
    errors = error_views(audit, companies)
    view = ReportView(
        title="Customer engagement audit",
        client=client["name"],
        client_url=str(client.get("url", "")),
        competitors=tuple(c["name"] for c in competitors),
        competitors_text=join_names(c["name"] for c in competitors),
        date=format_date(str(audit.get("finished_at", ""))),
        consultant=consultant,
        model_name=str(model.get("name", model.get("id", ""))),
        model_id=str(model.get("id", "")),
        model_version=str(model.get("version", "")),
        tool_version=str(audit.get("tool_version", "")),
        status_note=_status_note(audit),
        level=badge(client_level, overall.get("level_name") or names.get(client_level or 0, "")),
        level_description=descriptions.get(client_level or 0, ""),
        overall_score=format_score(overall.get("score")),
        rank_text=ordinal_rank(client.get("rank"), len(companies)),
        strengths=strengths,
        gaps_summary=gaps_summary,
        company_names=tuple(c["name"] for c in companies),
        client_flags=tuple(c is client for c in companies),
        dimension_names=tuple(d["name"] for d in dims),
        score_rows=score_rows(companies, dims, names),
        channel_rows=channel_rows(companies),
        metric_rows=metric_rows(companies),
        response_rows=response,
        response_unmeasured=join_names(unmeasured),
        page_rows=pages,
        page_note=page_timing_note(audit),
        promise_rows=tuple(promise_row(c) for c in companies),
        dimension_sections=sections,
        gaps=gap_views(audit, "gap"),
        advantages=gap_views(audit, "advantage"),
        recommendations=recommendation_views(audit, dims),
        levels=tuple(
            LevelDef(int(lv["level"]), lv["name"], lv["description"], badge(int(lv["level"]), lv["name"]))
            for lv in sorted(model.get("levels", []), key=lambda lv: lv["level"])
        ),
        dimension_defs=tuple(
            DimensionDef(
                d["name"],
                format_number(float(d.get("weight", 0))),
                f"{float(d.get('weight', 0)) / total_weight:.0%}",
                str(d.get("description", "")),
            )
            for d in dims
        ),
        crawl_rows=crawl_rows(companies),
        curves=curve_views(audit, dims),
        errors=tuple(e for e in errors if e.stage != "measure"),
        unmeasured=tuple(e for e in errors if e.stage == "measure"),
        appendix=appendix(companies, run_dir),
        toc=toc(sections, trend=trend is not None),
        trend=trend,
        logo=logo,
        accent=theme.accent,
    )
    view.story = story(audit, client, competitors)
    view.top_recommendations = top_recommendations(
        view.recommendations, [float(r.get("points") or 0) for r in audit.get("recommendations", [])]
    )
    view.strengths_note = strengths_note(audit, dims)
    if charts:
        view.charts = chart_set(companies, client, competitors, dims, theme.accent, audit.get("benchmark"))
    return view


def story(
    audit: Mapping[str, Any], client: dict[str, Any], competitors: list[dict[str, Any]]
) -> tuple[str, ...]:
    """Page one in three sentences, from the benchmark and the gaps scoring recorded: where the client
    stands, which competitors are ahead, and the channels they have that the client lacks."""
    name = client["name"]
    overall = client.get("overall", {})
    score, level = overall.get("score"), overall.get("level")
    level_text = f"level {level} ({overall.get('level_name')})" if level and overall.get("level_name") else ""
    row = (audit.get("benchmark") or {}).get("overall") or {}
    if score is None:
        first = f"{name}'s overall score could not be measured; the sections below say what was missing."
    elif not competitors:
        level_part = f", {level_text}" if level_text else ""
        first = f"{name} scores {score:.0f} of 100{level_part}; no competitors were audited, so no rank."
    else:
        first = (
            f"{name} ranks {ordinal_rank(client.get('rank'), len(competitors) + 1)} with {score:.0f} of 100"
            f"{', ' + level_text if level_text else ''}"
        )
        median = row.get("peer_median")
        first += f"; the competitors' median is {float(median):.0f}." if median is not None else "."
    if not competitors:
        return (first,)
    if "ahead_of_client" in row:
        ahead_names = list(row.get("ahead_of_client") or [])
    else:
        own = score if score is not None else -1.0
        ahead_names = [
            c["name"] for c in by_rank(competitors) if (c.get("overall", {}).get("score") or -1) > own
        ]
    scores = {c["name"]: c.get("overall", {}).get("score") for c in competitors}
    ahead_names = [n for n in ahead_names if n in scores]
    if score is None:
        second = ""
    elif ahead_names:
        listed = join_names(f"{n} ({float(scores[n] or 0):.0f})" for n in ahead_names[:4])
        more = f" and {len(ahead_names) - 4} more" if len(ahead_names) > 4 else ""
        verb = "scores" if len(ahead_names) == 1 else "score"
        second = f"{listed}{more} {verb} higher overall."
    else:
        second = f"No competitor scores higher overall: {name} leads the field."
    gaps = [g for g in audit.get("gaps", []) if g.get("kind") == "gap"][:3]
    if gaps:
        parts = [f"{capability_name(audit, g).lower()} ({join_names(g.get('have', []))})" for g in gaps]
        third = f"Competitors have what {name} lacks: {'; '.join(parts)}."
    else:
        third = f"{name} has every channel most of its competitors have."
    return tuple(t for t in (first, second, third) if t)


def top_recommendations(recs: tuple[RecommendationView, ...], points: list[float]) -> tuple:
    """The three recommendations with the biggest expected gain (ties: in priority order)."""
    ranked = sorted(range(len(recs)), key=lambda i: (-points[i], i))[:3]
    return tuple(recs[i] for i in ranked)


def strengths_note(audit: Mapping[str, Any], dims: list[dict[str, Any]]) -> str:
    """Why a dimension ahead of the peer median is not listed: the client's own evidence was missing."""
    held = []
    for d in dims:
        row = (audit.get("benchmark") or {}).get(d["id"]) or {}
        if row.get("position") == "not comparable" and row.get("unmeasured_rules"):
            held.append(
                f"{d['name']} ({', '.join(str(r).lower() for r in row['unmeasured_rules'][:3])} not measured)"
            )
    if not held:
        return ""
    return (
        "Not counted as strengths, although ahead of the peer median, because part of the client's "
        "evidence could not be measured: " + "; ".join(held) + "."
    )


def renamed_client(audit: dict[str, Any], name: str) -> dict[str, Any]:
    """The audit with the client shown as ``name`` (theme ``client_name``); unchanged when empty."""
    if not name:
        return audit
    companies = list(audit.get("companies", []))
    client = client_of(companies) if companies else None
    if client is None:
        return audit
    old = client["name"]

    def swap(names: Iterable[Any]) -> list[Any]:
        return [name if n == old else n for n in names]

    gaps = [
        {**g, "have": swap(g.get("have", [])), "lack": swap(g.get("lack", []))} for g in audit.get("gaps", [])
    ]
    renamed = [{**c, "name": name} if c is client else c for c in companies]
    return {**audit, "companies": renamed, "gaps": gaps}


def chart_set(
    companies: list[dict[str, Any]],
    client: dict[str, Any],
    competitors: list[dict[str, Any]],
    dims: list[dict[str, Any]],
    accent: str = "",
    benchmark: Mapping[str, Any] | None = None,
) -> dict[str, Chart]:
    """The charts, from the same ordered companies the tables use."""
    names = [c["name"] for c in companies]
    client_index = next(i for i, c in enumerate(companies) if c is client)
    scores = [[dimension_score(c, d["id"]) for d in dims] for c in companies]
    medians = [benchmark_median(benchmark, competitors, d["id"]) for d in dims]
    ranked = by_rank(companies)
    overall = [
        (c["name"], c.get("overall", {}).get("score"), c.get("overall", {}).get("level_name", ""))
        for c in ranked
    ]
    charts = {
        "dimensions": dimension_chart(
            names, client_index, [d["name"] for d in dims], scores, medians, client_color=accent
        ),
        "overall": overall_chart(overall, names, client_index, client_color=accent),
    }
    replies = reply_chart(names, client_index, [c.get("metrics", {}) for c in companies], client_color=accent)
    if replies is not None:
        charts["replies"] = replies
    return charts


def _sentence(text: str) -> str:
    """Upper-case the first letter only (``str.capitalize`` would lower-case ``HTTPS``)."""
    return text[:1].upper() + text[1:]

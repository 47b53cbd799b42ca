"""Typed contracts between the stages: capture (gather) → evidence (probes) → scores (scoring) → report.

Every model serialises to plain JSON-able dicts with ``to_dict`` and back with ``from_dict`` so stages can
run apart (``engage gather``, ``engage score``, ``engage report``) and captures replay from a WARC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Literal

Role = Literal["client", "competitor"]
EvidenceStatus = Literal["ok", "error", "not_measured"]


def utc_now() -> str:
    """Now, in the form every timestamp of a capture and of ``audit.json`` takes."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: The channel kinds of ``audit.json`` (CONTRACT.md), in report order.
CHANNEL_KINDS: tuple[str, ...] = (
    "social",
    "chat",
    "faq",
    "help_center",
    "community",
    "blog",
    "feeds",
    "newsletter",
    "contact",
    "functions",
    "trust",
)


@dataclass
class Timing:
    """Network timings of one response, in milliseconds (``None`` when not measured), like curl's ``-w``.

    ``dns_ms``, ``tcp_ms`` and ``tls_ms`` are the phases of opening a connection (None when the request
    reused one; behind a proxy DNS and TCP are the proxy's, ``tcp_ms`` with its CONNECT tunnel);
    ``connect_ms`` is all of them (0 on a reused connection); ``ttfb_ms`` and ``total_ms`` count from the
    start of the request. Captures written before the phases existed load with them None.
    """

    connect_ms: float | None = None
    ttfb_ms: float | None = None
    total_ms: float | None = None
    bytes: int = 0
    dns_ms: float | None = None
    tcp_ms: float | None = None
    tls_ms: float | None = None


@dataclass
class Page:
    """One fetched URL: the response as gathered, or the error that stopped it."""

    url: str
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    depth: int = 0
    found_via: str = "start"
    redirects: list[str] = field(default_factory=list)
    timing: Timing = field(default_factory=Timing)
    error: str | None = None
    fetched_at: str = ""
    truncated: bool = False
    rendered_html: str | None = None
    render: dict[str, Any] | None = None  # rendered-page record (requests, globals, timing, screenshot)
    warnings: list[str] = field(default_factory=list)  # what was odd but survivable (a lying charset, …)
    request_key: str = ""  # the declared request this answers (``Request.key``); "" for site pages

    @property
    def ok(self) -> bool:
        """True for a 2xx response with a body."""
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def is_html(self) -> bool:
        """True when the body is HTML (by Content-Type, or sniffed when the type is missing)."""
        ctype = self.content_type.split(";")[0].strip().lower()
        if ctype in ("text/html", "application/xhtml+xml"):
            return True
        return not ctype and bool(self.text) and "<html" in (self.text or "")[:2048].lower()

    @property
    def html(self) -> str:
        """The best DOM available: rendered when present, else the static body."""
        return self.rendered_html or self.text or ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Page:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["timing"] = Timing(**(data.get("timing") or {}))
        return cls(**values)


@dataclass(frozen=True)
class Request:
    """A request a probe declares for the gather stage (``plan``): the probe, a key naming what is asked
    (``discourse:topic:1842``: stable whatever API base answers it) and the URL to fetch.

    The gather stage stores the key with the response (``Page.request_key``, and in the WARC), and the
    probe finds the answer by it (:meth:`SiteCapture.response`), never by matching URLs.
    """

    probe: str
    key: str
    url: str


@dataclass(frozen=True)
class ActivityLimits:
    """The limits the activity probes plan and measure with: the ``Settings`` fields of the same names,
    kept with the capture (and in the WARC) so a replay measures as the gather planned. A capture recorded
    before they were kept reads with the defaults (the values that were then fixed)."""

    activity_window_days: int = 90
    max_forum_list_pages: int = 5
    max_forum_topics: int = 50
    max_github_repos: int = 2
    max_github_comment_requests: int = 20
    max_feed_pages: int = 5

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ActivityLimits:
        known = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in data.items() if k in known})


@dataclass(frozen=True)
class CaptureFacts:
    """What the gather stage recorded about a capture, typed (read from ``SiteCapture.stats``, which is
    what the WARC keeps, so older captures read the same).

    ``rendered``: True when Chromium rendered the key pages, False when it could not (``render_gap`` says
    why), None when rendering was never tried (a capture from ``gather`` alone). ``timing_samples``: the
    extra TTFB samples of the key pages (ms), by URL. ``incomplete``, ``truncated_fetches`` and
    ``fetch_errors``: what stopped the crawl early, bodies of robots.txt/sitemaps cut short, and fetches
    that failed outside the page list, each one line.
    """

    rendered: bool | None = None
    render_gap: str | None = None
    timing_samples: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    incomplete: tuple[str, ...] = ()
    truncated_fetches: tuple[str, ...] = ()
    fetch_errors: tuple[str, ...] = ()

    @classmethod
    def of(cls, stats: Mapping[str, Any]) -> CaptureFacts:
        """The facts in a capture's ``stats`` (missing ones at their defaults)."""
        rendered = stats.get("rendered")
        gap = stats.get("render_gap")
        samples = stats.get("timing_samples") or {}
        return cls(
            rendered=bool(rendered) if rendered is not None else None,
            render_gap=str(gap) if gap else None,
            timing_samples={str(u): tuple(float(v) for v in vs) for u, vs in dict(samples).items()},
            incomplete=tuple(str(m) for m in stats.get("incomplete", [])),
            truncated_fetches=tuple(str(m) for m in stats.get("truncated_fetches", [])),
            fetch_errors=tuple(str(m) for m in stats.get("fetch_errors", [])),
        )


@dataclass
class SiteCapture:
    """Everything the gather stage learned about one company's site."""

    name: str
    url: str
    role: Role = "competitor"
    pages: list[Page] = field(default_factory=list)
    robots: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    started_at: str = ""
    finished_at: str = ""
    limits: ActivityLimits = field(default_factory=ActivityLimits)

    @property
    def facts(self) -> CaptureFacts:
        """The gather stage's facts about this capture, typed (probes read these, never ``stats``)."""
        return CaptureFacts.of(self.stats)

    @property
    def html_pages(self) -> list[Page]:
        """Successful HTML pages, in crawl order."""
        return [p for p in self.pages if p.ok and p.is_html]

    def response(self, probe: str, key: str) -> Page | None:
        """The answer to ``probe``'s declared request ``key``, if it was fetched."""
        via = f"api:{probe}"
        return next((p for p in self.pages if p.request_key == key and p.found_via == via), None)

    def page(self, url: str) -> Page | None:
        """The page fetched for ``url`` (requested or final URL), if any."""
        for p in self.pages:
            if url in (p.url, p.final_url):
                return p
        return None

    def to_dict(self, with_bodies: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not with_bodies:
            for p in data["pages"]:
                p["text"] = None
                p["rendered_html"] = None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SiteCapture:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["pages"] = [Page.from_dict(p) for p in data.get("pages", [])]
        values["limits"] = ActivityLimits.from_dict(data.get("limits") or {})
        return cls(**values)


@dataclass
class Finding:
    """One channel found: what it is (``attrs``: platform, vendor, …), where it points and the proof."""

    channel: str
    url: str
    attrs: dict[str, Any] = field(default_factory=dict)
    source_url: str = ""
    snippet: str = ""
    method: str = ""

    def key(self) -> tuple[str, str]:
        """Identity for de-duplication across pages."""
        return (self.channel, self.url)

    def to_channel_item(self) -> dict[str, Any]:
        """The ``audit.json`` channel item: url, kind keys, evidence."""
        item: dict[str, Any] = {"url": self.url}
        item.update(self.attrs)
        item["evidence"] = {"source_url": self.source_url, "snippet": self.snippet, "method": self.method}
        return item

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(**data)


@dataclass
class Evidence:
    """What one probe learned from one capture: findings, metrics, and for absences what was tried.

    A probe never scores. ``status`` is ``error`` when the probe could not judge (the evidence is unusable)
    and ``not_measured`` when the capture lacks what the probe needs (e.g. no rendering).

    ``reasons`` says, in words, why a metric (or every metric under a prefix: ``social.bluesky``) has no
    value; :meth:`explain` records one and adds the note users read (``metric: reason``). ``audit.json``
    explains a null metric from its reasons and the probe's general notes.
    """

    probe: str
    status: EvidenceStatus = "ok"
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, float | None] = field(default_factory=dict)
    tried: list[str] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return bool(self.findings)

    def explain(self, metric: str, reason: str) -> None:
        """Record why ``metric`` (a metric id, or a prefix of several) has no value, and say it in a note."""
        explain(self.notes, self.reasons, metric, reason)

    def reason_of(self, note: str) -> str | None:
        """The metric id or prefix a note explains (a note :meth:`explain` wrote), else ``None``."""
        return next((key for key in self.reasons if note.startswith(f"{key}: ")), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        values = dict(data)
        values["findings"] = [Finding.from_dict(f) for f in data.get("findings", [])]
        return cls(**values)


def explain(notes: list[str], reasons: dict[str, str], metric: str, reason: str) -> None:
    """:meth:`Evidence.explain` for a probe that builds its notes and reasons before its ``Evidence``."""
    reasons[metric] = f"{reasons[metric]}; {reason}" if metric in reasons else reason
    notes.append(f"{metric}: {reason}")


@dataclass
class RuleResult:
    """One rule's verdict: score in [0, 1], or ``None`` with status n/a or error."""

    id: str
    title: str
    dimension: str
    weight: float
    status: Literal["ok", "n/a", "error"]
    score: float | None
    display: str
    explanation: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    recommendation: str = ""
    effort: str = "medium"
    tried: list[str] = field(default_factory=list)
    #: The one vocabulary of outcomes the report renders as is (``scoring.rules.OUTCOMES``): "found",
    #: "not found" (``tried`` says what was checked), "not measured" (``outcome_detail`` says why, in
    #: words) or "error" (``outcome_detail`` says what failed).
    outcome: str = ""
    outcome_detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DimensionScore:
    """A dimension's 0–100 score: the weighted mean of its applicable rules."""

    id: str
    name: str
    weight: float
    score: float | None
    level: int | None
    status: Literal["ok", "n/a", "error"]
    rules: list[RuleResult] = field(default_factory=list)
    rank: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``dimensions[]`` entry of ``audit.json``."""
        data = asdict(self)
        data["score"] = None if self.score is None else round(self.score, 1)
        return data

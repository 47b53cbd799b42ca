"""What the forum engines share: the forum metrics, a thread, a forum's activity, the statistics.

Not a probe of its own: ``probes/community.py`` plans the requests and reports the metrics, through the
engine of the forum (``probes/forums``: Discourse and Flarum through their APIs, other forums from their
HTML thread pages). The sample is the topics *opened by customers* (not staff, not pinned) within
``activity_window_days`` (a setting) of the newest topic. A reply is a regular post by anyone but the
topic's author; a staff reply one whose author the engine knows as staff. Medians and p90 are over the
topics that got such a reply; the answered-within shares count every sampled topic old enough to have had
the full 24 h / 72 h before the crawl ended, unanswered ones included.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from audit.models import Request, SiteCapture, explain
from probes.activity import hours, parse_time, share, stats
from probes.base import ParsedPage

PROBE = "community"  # the probe that plans the forum requests and reports the forum metrics

METRICS = (
    "community.topics_per_week",
    "community.first_reply_hours_median",
    "community.first_reply_hours_p90",
    "community.first_staff_reply_hours_median",
    "community.first_staff_reply_hours_p90",
    "community.answered_24h_share",
    "community.answered_72h_share",
    "community.solved_share",
    "community.staff_participation_share",
    "community.topics_sampled",
    "community.window_days",
)


@dataclass
class Thread:
    """One topic: when it was opened, by staff or not, its replies (time, by staff?), solved or not."""

    opened: float
    staff_opened: bool
    replies: list[tuple[float, bool]] = field(default_factory=list)
    solved: bool | None = None  # None: the platform has no accepted answers


@dataclass
class ForumActivity:
    """Metrics and notes of one forum, and how they were measured."""

    metrics: dict[str, float | None]
    notes: list[str]
    method: str
    root: str = ""  # the forum measured
    reasons: dict[str, str] = field(default_factory=dict)  # metric → why it has no value (``Evidence``)


def unmeasured(reason: str, method: str = "") -> ForumActivity:
    """Every forum metric ``None``, with the reason."""
    return ForumActivity(dict.fromkeys(METRICS), [reason], method)


# --- shared statistics ---------------------------------------------------------------------------------


def thread_metrics(
    threads: list[Thread], topics_in_window: int, window_days: float, finished_at: str, method: str
) -> ForumActivity:
    """The forum metrics of the sampled threads (customer-opened ones), with notes for what is missing."""
    sample = [t for t in threads if not t.staff_opened]
    notes = [f"measured from {method}: {len(sample)} customer topic(s) in a {window_days:g}-day window"]
    reasons: dict[str, str] = {}
    first = [min(w for w, _ in t.replies) - t.opened for t in sample if t.replies]
    staff = [min(w for w, s in t.replies if s) - t.opened for t in sample if any(s for _, s in t.replies)]
    first_median, first_p90 = stats([hours(x) for x in first])
    staff_median, staff_p90 = stats([hours(x) for x in staff])
    end = parse_time(finished_at)
    metrics: dict[str, float | None] = {
        "community.topics_per_week": round(topics_in_window / window_days * 7, 2),
        "community.first_reply_hours_median": first_median,
        "community.first_reply_hours_p90": first_p90,
        "community.first_staff_reply_hours_median": staff_median,
        "community.first_staff_reply_hours_p90": staff_p90,
        "community.answered_24h_share": _answered_share(sample, 24, end),
        "community.answered_72h_share": _answered_share(sample, 72, end),
        "community.solved_share": None,
        "community.staff_participation_share": share(len(staff), len(sample)),
        "community.topics_sampled": float(len(sample)),
        "community.window_days": float(window_days),
    }
    if all(t.solved is not None for t in sample) and sample:
        metrics["community.solved_share"] = share(sum(1 for t in sample if t.solved), len(sample))
    else:
        explain(notes, reasons, "community.solved_share", "this forum shows no accepted answers")
    if not sample:
        notes.append("no customer topics in the window: reply times not measurable")
    elif not first:
        notes.append("no sampled topic got a reply")
    elif not staff:
        explain(
            notes, reasons, "community.first_staff_reply_hours_median", "no staff reply in the sampled topics"
        )
    return ForumActivity(metrics, notes, method, reasons=reasons)


def _answered_share(sample: list[Thread], within: float, end: float | None) -> float | None:
    """Share of topics answered within ``within`` hours, among those old enough to have had that long."""
    eligible = [t for t in sample if end is None or end - t.opened >= within * 3600]
    answered = [t for t in eligible if t.replies and min(w for w, _ in t.replies) - t.opened <= within * 3600]
    return share(len(answered), len(eligible))


@dataclass(frozen=True)
class Engine:
    """A forum engine the activity metrics can be measured on (one module of ``probes/forums``).

    ``platform``: the community platform id it reads (``data/community_platforms.toml``), "" for any forum
    without an engine of its own; ``method``: the ``activity_method`` recorded; ``metrics``: what it
    fills; ``measure(capture, root, pages)``: the forum's activity (``pages``: the capture's parsed pages);
    ``plan(capture, api_bases, root)``: the API requests it needs (``None`` when it reads crawled pages).
    """

    platform: str
    method: str
    measure: Callable[[SiteCapture, str, list[ParsedPage]], ForumActivity]
    plan: Callable[[SiteCapture, Mapping[str, str], str], list[Request]] | None = None
    metrics: tuple[str, ...] = METRICS

"""The one catalogue of metrics: each metric's reader-facing label and unit, and how a value is written.

Everything that shows a metric to a reader — the report's tables and charts, the responsiveness
section, the trend's "what changed" lines — takes its words from here, so a metric is named the same
way everywhere and never by its dotted id (``site.lcp_ms_median``). Names the catalogue does not list
are labelled from their parts (``social.<platform>.posts_90d`` → "Mastodon: posts in 90 days").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace

#: Units a value can carry; ``share`` values are 0..1 and shown as percentages, ``yes/no`` as words.
UNITS = ("ms", "h", "min", "days", "share", "yes/no", "per week", "count", "")


@dataclass(frozen=True)
class Metric:
    """A metric as a reader sees it: what it is called, the unit of its values and what it measures."""

    name: str
    label: str
    unit: str = "count"
    description: str = ""


def _m(name: str, label: str, unit: str = "count") -> tuple[str, Metric]:
    return name, Metric(name, label, unit)


CATALOGUE: dict[str, Metric] = dict(
    [
        _m("blog.last_post_age_days", "Blog: days since the last post", "days"),
        _m("blog.posts_30d", "Blog: posts in 30 days"),
        _m("blog.posts_90d", "Blog: posts in 90 days"),
        _m("blog.posts_365d", "Blog: posts in a year"),
        _m("blog.posts_seen", "Blog: posts seen"),
        _m("chat.vendors", "Live chat: vendors"),
        _m("community.answered_24h_share", "Forum: topics answered within 24 h", "share"),
        _m("community.answered_72h_share", "Forum: topics answered within 72 h", "share"),
        _m("community.channels", "Forum: communities found"),
        _m("community.first_reply_hours_median", "Forum: first reply (median)", "h"),
        _m("community.first_reply_hours_p90", "Forum: first reply (p90)", "h"),
        _m("community.first_staff_reply_hours_median", "Forum: first staff reply (median)", "h"),
        _m("community.first_staff_reply_hours_p90", "Forum: first staff reply (p90)", "h"),
        _m("community.solved_share", "Forum: topics marked solved", "share"),
        _m("community.staff_participation_share", "Forum: topics with a staff reply", "share"),
        _m("community.topics_per_week", "Forum: new topics per week", "per week"),
        _m("community.topics_sampled", "Forum: topics sampled"),
        _m("community.window_days", "Forum: window sampled", "days"),
        _m("contact.emails", "Contact: e-mail addresses"),
        _m("contact.forms", "Contact: forms"),
        _m("contact.phones", "Contact: phone numbers"),
        _m("contact.promised_reply_hours", "Published reply promise", "h"),
        _m("faq.pages", "FAQ: pages"),
        _m("faq.qa_pairs", "FAQ: questions answered"),
        _m("functions.count", "Company functions: pages found"),
        _m("github.answered_share", "GitHub: issues answered", "share"),
        _m("github.first_maintainer_reply_hours_median", "GitHub: first maintainer reply (median)", "h"),
        _m("github.first_maintainer_reply_hours_p90", "GitHub: first maintainer reply (p90)", "h"),
        _m("github.issues_not_measured", "GitHub: issues not measured"),
        _m("github.issues_sampled", "GitHub: issues sampled"),
        _m("help_center.articles_seen", "Help center: articles seen"),
        _m("newsletter.forms", "Newsletter: sign-up forms"),
        _m("responsiveness.promise_kept", "Reply promise kept", "yes/no"),
        _m("responsiveness.measured_reply_hours", "Reply time the promise is held to (median)", "h"),
        _m("site.connect_ms_median", "Connection set-up, all phases (median)", "ms"),
        _m("site.dns_ms_median", "DNS lookup (median)", "ms"),
        _m("site.lcp_ms_median", "Largest contentful paint (median)", "ms"),
        _m("site.lcp_pages_timed", "Pages timed for largest contentful paint"),
        _m("site.pages_timed", "Pages timed"),
        _m("site.tcp_ms_median", "TCP connect (median)", "ms"),
        _m("site.tls_ms_median", "TLS handshake (median)", "ms"),
        _m("site.total_ms_median", "Time to last byte (median)", "ms"),
        _m("site.ttfb_ms_median", "Time to first byte (median)", "ms"),
        _m("site.ttfb_ms_p90", "Time to first byte (p90)", "ms"),
        _m("site.ttfb_samples", "Requests timed"),
        _m("social.accounts_measured", "Social: accounts measured"),
        _m("social.profiles", "Social: official accounts"),
        _m("social.reply_share", "Social: posts that answer someone", "share"),
        _m("trust.accessibility", "Accessibility statement", "yes/no"),
        _m("trust.certificates", "Valid TLS certificates", "yes/no"),
        _m("trust.cookie_consent", "Cookie consent", "yes/no"),
        _m("trust.csp", "Content security policy", "yes/no"),
        _m("trust.hsts", "HSTS", "yes/no"),
        _m("trust.https", "HTTPS", "yes/no"),
        _m("trust.privacy", "Privacy policy", "yes/no"),
        _m("trust.security_txt", "security.txt", "yes/no"),
        _m("manual.email_reply_hours", "Mystery shopper: e-mail reply", "h"),
        _m("manual.chat_wait_minutes", "Mystery shopper: chat wait", "min"),
        _m("manual.phone_wait_minutes", "Mystery shopper: phone wait", "min"),
        _m("manual.observations", "Manual: observations"),
    ]
)

#: What each metric means, for the README's metrics table (``python -m audit.docs`` writes it): rows of
#: (metric names, meaning); ``<a|b>`` and ``<platform>`` stand for the per-platform ``social.*`` metrics.
DOCS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("site.ttfb_ms_median", "site.ttfb_ms_p90"),
        "time to first byte (ms) of the site's successful HTML pages, median and p90",
    ),
    (
        ("site.total_ms_median",),
        "time to the last byte (ms), median",
    ),
    (
        ("site.connect_ms_median",),
        (
            "DNS + TCP (+ TLS) time (ms) of the requests that opened a new connection (behind `--proxy`: to "
            "the proxy); requests on a reused keep-alive connection open none and are left out"
        ),
    ),
    (
        ("site.dns_ms_median", "site.tcp_ms_median", "site.tls_ms_median"),
        (
            "the phases of opening a connection, like curl's `-w` `time_namelookup`, `time_connect` and "
            "`time_appconnect` but each on its own (ms): DNS lookup, TCP connect, TLS handshake, medians "
            "over the requests that opened a new connection (`null` when none did; TLS `null` for a "
            "plain-HTTP site). Behind `--proxy` the DNS lookup and TCP connect are the proxy's — the local "
            "lookup of the proxy's name and the connection to it, with the proxy's `CONNECT` tunnel (its own "
            "lookup and connection to the site) counted in `tcp_ms` — while the TLS handshake is end to end "
            "with the site; the report says so under its page-response table. Each response's phases are in "
            "the capture (`Page.timing`: `dns_ms`, `tcp_ms`, `tls_ms`, `connect_ms`, `ttfb_ms`, `total_ms`; "
            "captures written before the phases load with them `null`)"
        ),
    ),
    (
        ("site.lcp_ms_median", "site.lcp_pages_timed"),
        (
            "Largest Contentful Paint (ms) of the rendered key pages, median and sample size (`null` without "
            "rendering)"
        ),
    ),
    (
        ("site.pages_timed", "site.ttfb_samples"),
        (
            "pages timed, and TTFB samples: the key pages (home, contact, help, FAQ) are fetched "
            "`timing_samples` times (default 3), so page speed is a median of several draws"
        ),
    ),
    (
        (
            "trust.https",
            "trust.certificates",
            "trust.hsts",
            "trust.csp",
            "trust.security_txt",
            "trust.privacy",
            "trust.accessibility",
            "trust.cookie_consent",
        ),
        (
            "1 when the trust check passed, 0 when it failed (the reason in the trust evidence's notes), "
            "`null` when nothing was captured to judge. `trust.certificates`: every HTTPS host crawled "
            'presented a certificate that verified (0 names the refused host and why, e.g. "certificate '
            'expired on 2026-01-01 (status.northwind.test, …)"; `null` for a site with no HTTPS)'
        ),
    ),
    (
        ("faq.qa_pairs", "faq.pages"),
        "questions answered by the largest FAQ; number of FAQ pages",
    ),
    (
        ("help_center.articles_seen",),
        "the most articles listed on one help-center page found",
    ),
    (
        ("social.profiles",),
        "official social accounts found",
    ),
    (
        ("contact.promised_reply_hours",),
        'the fastest response time the company promises, in hours ("1 business day" = 24)',
    ),
    (
        ("contact.emails", "contact.phones", "contact.forms"),
        "e-mail addresses, phone numbers and contact forms found",
    ),
    (
        ("blog.posts_30d", "blog.posts_90d", "blog.posts_365d", "blog.last_post_age_days"),
        "feed cadence, relative to the end of the crawl",
    ),
    (
        ("blog.posts_seen",),
        "the most posts listed on one blog or news index page found",
    ),
    (
        ("newsletter.forms",),
        "newsletter sign-up forms found",
    ),
    (
        ("chat.vendors",),
        "live-chat widgets found",
    ),
    (
        ("functions.count",),
        (
            "company functions with a page found (of 8: own paths and link texts, `status.` subdomains, "
            "hosted tools)"
        ),
    ),
    (
        ("community.channels",),
        "communities (forums) found on the site or linked from it",
    ),
    (
        ("community.topics_per_week",),
        "topics opened per week in the forum's window (pinned topics excluded)",
    ),
    (
        ("community.first_reply_hours_median", "community.first_reply_hours_p90"),
        (
            "hours from a customer's topic to the first reply by anyone but its author (median, p90; over "
            "the topics that got one)"
        ),
    ),
    (
        ("community.first_staff_reply_hours_median", "community.first_staff_reply_hours_p90"),
        (
            "the same, to the first reply by staff (Discourse `staff`/`moderator`/`admin` flags or "
            "`/about.json` admins and moderators; phpBB and similar: coloured team names or a staff/team "
            "rank)"
        ),
    ),
    (
        ("community.answered_24h_share", "community.answered_72h_share"),
        (
            "share of customers' topics with a first reply within 24 h / 72 h; unanswered topics count, "
            "topics younger than 24 h / 72 h at the end of the crawl do not"
        ),
    ),
    (
        ("community.solved_share",),
        (
            "share of customers' topics with an accepted answer (Discourse `accepted_answer`, "
            "`accepted_answers` or an accepted post); `null` for forums without accepted answers"
        ),
    ),
    (
        ("community.staff_participation_share",),
        "share of customers' topics where staff replied at all",
    ),
    (
        ("community.topics_sampled", "community.window_days"),
        (
            "sample size (customer-opened topics in the window) and the window (90 days, shorter only when "
            "the topic list was cut)"
        ),
    ),
    (
        ("github.first_maintainer_reply_hours_median", "github.first_maintainer_reply_hours_p90"),
        (
            "hours from a customer's issue to the first comment by a maintainer (`author_association` OWNER, "
            "MEMBER, COLLABORATOR), over answered issues"
        ),
    ),
    (
        ("github.answered_share", "github.issues_sampled"),
        (
            "share of sampled issues with a maintainer comment; sample size (latest 30 issues of the 2 most "
            "recently pushed public repositories, pull requests and maintainers' own issues excluded)"
        ),
    ),
    (
        ("github.issues_not_measured",),
        (
            "customers' issues left out of the sample because their comments could not be fetched (an error "
            "answer, or not fetched within the request cap or rate limit) or the issue was unreadable; a "
            'note says "first reply measured on N of M issues" and why'
        ),
    ),
    (
        ("social.<bluesky|mastodon>.posts_90d",),
        "the account's own posts in its 90-day window (reposts/boosts excluded)",
    ),
    (
        ("social.<bluesky|mastodon>.reply_share",),
        (
            "share of those posts that reply to *other* accounts (conversation vs broadcast; a reply to "
            "oneself is a thread, not conversation)"
        ),
    ),
    (
        ("social.<bluesky|mastodon>.followers", "social.<bluesky|mastodon>.last_post_age_days"),
        "followers; days from the newest post to the end of the crawl",
    ),
    (
        ("social.youtube.uploads_90d", "social.youtube.last_upload_age_days"),
        "uploads in the channel feed's 90-day window; age of the newest upload",
    ),
    (
        ("social.reply_share", "social.accounts_measured"),
        (
            "reply share over all Bluesky and Mastodon posts in their windows; accounts whose public API "
            "answered"
        ),
    ),
    (
        ("social.<platform>.posts_90d",),
        (
            "platforms without a public API (X, Facebook, Instagram, LinkedIn, TikTok, …): always `null`, "
            '"activity not measurable without credentials" — presence only, never guessed'
        ),
    ),
    (
        ("responsiveness.promise_kept",),
        (
            "1 when the measured median first staff reply (forum, else GitHub) is within the published "
            "promise (`contact.promised_reply_hours`, compared as clock hours), 0 when not"
        ),
    ),
    (
        ("responsiveness.measured_reply_hours",),
        (
            "the measured median `responsiveness.promise_kept` is judged on (forum staff reply, else GitHub "
            "maintainer reply), in hours"
        ),
    ),
    (
        (
            "manual.email_reply_hours",
            "manual.chat_wait_minutes",
            "manual.phone_wait_minutes",
            "manual.observations",
        ),
        "manual observations from `--evidence` (median per company), and how many",
    ),
)


def _described(catalogue: dict[str, Metric]) -> dict[str, Metric]:
    meaning = {name: text for names, text in DOCS for name in names}
    return {name: replace(m, description=meaning.get(name, "")) for name, m in catalogue.items()}


CATALOGUE = _described(CATALOGUE)

#: Metrics every company's ``audit.json`` lists, ``null`` with a reason when no probe measured them
#: (in the order their "not measured" errors are written).
REQUIRED: tuple[str, ...] = (
    "site.ttfb_ms_median",
    "community.first_reply_hours_median",
    "community.first_staff_reply_hours_median",
    "community.topics_per_week",
)

PLATFORMS: dict[str, str] = {
    "x": "X",
    "youtube": "YouTube",
    "linkedin": "LinkedIn",
    "tiktok": "TikTok",
    "github": "GitHub",
    "bluesky": "Bluesky",
}

#: ``social.<platform>.<what>``: the words and unit of each per-platform measure.
_SOCIAL: dict[str, tuple[str, str]] = {
    "posts_90d": ("posts in 90 days", "count"),
    "uploads_90d": ("uploads in 90 days", "count"),
    "followers": ("followers", "count"),
    "last_post_age_days": ("days since the last post", "days"),
    "last_upload_age_days": ("days since the last upload", "days"),
    "reply_share": ("posts that answer someone", "share"),
}
_UNIT_WORDS = {"ms": "ms", "hours": "h", "minutes": "min", "days": "days", "share": "share"}
_PARTS = {"median": "(median)", "p90": "(p90)", "p10": "(p10)"}


def platform_name(key: str) -> str:
    return PLATFORMS.get(key, key.replace("_", " ").capitalize())


def metric(name: str) -> Metric:
    """The catalogue entry of ``name``, or one derived from its parts (never the dotted id)."""
    known = CATALOGUE.get(name)
    if known is not None:
        return known
    parts = name.split(".")
    if len(parts) == 3 and parts[0] == "social" and parts[2] in _SOCIAL:
        what, kind = _SOCIAL[parts[2]]
        return Metric(name, f"{platform_name(parts[1])}: {what}", kind)
    namespace, _, last = name.rpartition(".")
    words = last.split("_")
    kind = next((_UNIT_WORDS[w] for w in words if w in _UNIT_WORDS), "count")
    tail = [_PARTS[w] for w in words if w in _PARTS]
    kept = [w for w in words if w not in _UNIT_WORDS and w not in _PARTS]
    head = " ".join(
        platform_name(p) if p in PLATFORMS else p.replace("_", " ").capitalize()
        for p in namespace.split(".")
        if p
    )
    text = " ".join([" ".join(kept), *tail]).strip()
    label = f"{head}: {text}" if head and text else (head or text or name)
    return Metric(name, label, kind)


def known(name: str) -> bool:
    """True when ``name`` is a metric a probe reports: catalogued, or ``social.<platform>.<what>``."""
    if name in CATALOGUE:
        return True
    parts = name.split(".")
    return len(parts) == 3 and parts[0] == "social" and parts[1].isidentifier() and parts[2] in _SOCIAL


def expanded(pattern: str) -> list[str]:
    """The metric names a ``DOCS`` name stands for: ``social.<bluesky|mastodon>.followers`` → both;
    ``social.<platform>.posts_90d`` → ``social.x.posts_90d`` (a platform without an API)."""
    head, sep, rest = pattern.partition("<")
    if not sep:
        return [pattern]
    inner, _, tail = rest.partition(">")
    choices = ["x"] if inner == "platform" else inner.split("|")
    return [name for choice in choices for name in expanded(f"{head}{choice}{tail}")]


def suggestion(name: str) -> str | None:
    """The catalogue metric ``name`` was most likely meant to be (a misspelling), or None."""
    close = difflib.get_close_matches(name, list(CATALOGUE), n=1, cutoff=0.6)
    return close[0] if close else None


def label(name: str) -> str:
    """``site.lcp_ms_median`` → "Largest contentful paint (median)"."""
    return metric(name).label


def unit(name: str) -> str:
    return metric(name).unit


def number(value: float) -> str:
    """Whole numbers without decimals, others with one (thousands separated)."""
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"


def format_value(name: str, value: float) -> str:
    """A value of ``name`` with its unit: ``212 ms``, ``2.5 h``, ``17 %``, ``yes``, ``1.2 per week``."""
    return format_in(unit(name), value)


def format_in(unit_name: str, value: float) -> str:
    """A value in ``unit_name`` (one of ``UNITS``), as the report writes it."""
    value = float(value)
    if unit_name == "ms":
        return f"{value:,.0f} ms"
    if unit_name == "share":
        return f"{value * 100:.0f} %"
    if unit_name == "yes/no":
        return "yes" if value >= 1 else "no" if value <= 0 else f"{value * 100:.0f} %"
    if unit_name == "per week":
        return f"{number(value)} per week"
    if unit_name in ("h", "min", "days"):
        if unit_name == "days":
            return f"{number(value)} day{'' if value == 1 else 's'}"
        return f"{number(value)} {unit_name}"
    return number(value)


def format_delta(name: str, before: float, after: float) -> str:
    """The move from ``before`` to ``after`` in words with units: "from 780 ms to 1,696 ms (+917 ms)"."""
    kind = unit(name)
    delta = after - before
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    if kind == "share":
        step = f"{sign}{abs(delta) * 100:.0f} percentage points"
    elif kind == "yes/no":
        step = ""
    else:
        step = f"{sign}{format_in(kind, abs(delta))}"
    moved = f"from {format_value(name, before)} to {format_value(name, after)}"
    return f"{moved} ({step})" if step else moved


_DOTTED = re.compile(r"\b[a-z_]+(?:\.[a-z0-9_]+)+\b")


def without_ids(text: str) -> str:
    """``text`` with a leading ``<metric id>: `` removed and any other metric id replaced by its label."""
    head, sep, rest = text.partition(": ")
    if sep and _DOTTED.fullmatch(head.strip()) and "/" not in head:
        text = rest
    return _DOTTED.sub(lambda m: label(m.group(0)) if _looks_like_metric(m.group(0)) else m.group(0), text)


def _looks_like_metric(token: str) -> bool:
    namespace, last = token.split(".", 1)[0], token.rsplit(".", 1)[-1]
    known = {name.split(".", 1)[0] for name in CATALOGUE}
    return token in CATALOGUE or (namespace in known and "_" in last)

"""What changed between two audits: channels gained or lost, level changes, scores and metrics that
moved beyond noise — each change with the evidence URLs behind it.

Noise thresholds (README § History): a score (overall or dimension, 0–100) must move by at least
``SCORE_NOISE_POINTS``; a metric must move by at least its unit's absolute *and* relative threshold
(``METRIC_NOISE``). Metrics that measure the sample rather than the company (sample sizes, windows, ages
that grow with the clock) are never compared. A metric that was or became ``null`` is not a move.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from audit import metrics
from audit.urls import host

#: An overall or dimension score must move at least this many points (of 100) to count as a change.
SCORE_NOISE_POINTS = 5.0


@dataclass(frozen=True)
class Noise:
    """A metric moved when ``|b - a| >= absolute`` and ``|b - a| >= relative * |a|``."""

    absolute: float
    relative: float


#: Thresholds by the unit a metric's name carries (first pattern that matches wins).
METRIC_NOISE: tuple[tuple[str, Noise], ...] = (
    (r"_ms(_|$)", Noise(absolute=100.0, relative=0.5)),  # page timings: network jitter is large
    (r"_hours(_|$)", Noise(absolute=2.0, relative=0.25)),  # reply times
    (r"_share$", Noise(absolute=0.10, relative=0.0)),  # shares in 0..1
    (r"", Noise(absolute=1.0, relative=0.25)),  # counts and rates
)

#: Metrics never compared: they describe the sample or grow with the calendar.
IGNORED_METRICS = re.compile(
    r"(_sampled|_seen|_measured|\.pages_timed|\.ttfb_samples|\.lcp_pages_timed|\.window_days|_age_days)$"
)

CHANGE_KINDS = ("channel_gained", "channel_lost", "level_changed", "metric_moved")

CHANNEL_LABELS = {
    "social": "social profile",
    "chat": "live chat",
    "faq": "FAQ",
    "help_center": "help center",
    "community": "community",
    "blog": "blog",
    "feeds": "feed",
    "newsletter": "newsletter sign-up",
    "contact": "contact option",
    "functions": "function page",
    "trust": "trust signal",
}


def channel_identity(kind: str, item: dict[str, Any]) -> str:
    """What makes a channel item "the same channel" in two runs (not where it happened to be found)."""
    if kind == "chat":
        return f"chat:{item.get('vendor', '')}"
    if kind in ("faq", "blog", "newsletter"):
        return kind  # one per company: present or not
    if kind == "contact":
        detail = item.get("email") or item.get("phone") or item.get("hours") or ""
        return f"contact:{item.get('type', '')}:{detail}"
    if kind == "functions":
        return f"functions:{item.get('function', '')}"
    if kind == "trust":
        return f"trust:{item.get('check', '')}"
    return f"{kind}:{str(item.get('url', '')).rstrip('/').lower()}"


def channel_label(kind: str, item: dict[str, Any]) -> str:
    """``live chat (Crisp)``, ``community (discourse) http://community.x.test/``…"""
    label = CHANNEL_LABELS.get(kind, kind)
    detail = {
        "chat": item.get("vendor"),
        "contact": item.get("email") or item.get("phone") or item.get("type"),
        "functions": item.get("function"),
        "trust": item.get("check"),
        "newsletter": item.get("provider"),
    }.get(kind)
    if detail:
        return f"{label} ({detail})"
    platform = item.get("platform") or item.get("kind")
    where = item.get("url", "")
    return f"{label} ({platform}) {where}" if platform else f"{label} {where}"


def metric_noise(name: str) -> Noise | None:
    """The noise threshold of a metric, or ``None`` when it is never compared."""
    if IGNORED_METRICS.search(name):
        return None
    return next(noise for pattern, noise in METRIC_NOISE if re.search(pattern, name))


def moved(name: str, before: float | None, after: float | None) -> bool:
    """Whether a metric moved beyond noise (``None`` on either side never counts)."""
    noise = metric_noise(name)
    if noise is None or before is None or after is None:
        return False
    delta = abs(after - before)
    return delta >= noise.absolute and delta >= noise.relative * abs(before) and delta > 0


def company_key(company: dict[str, Any]) -> str:
    """A company's identity across runs: its host without ``www.``."""
    return host(company["url"]).removeprefix("www.")


def _evidence_urls(*items: dict[str, Any]) -> list[str]:
    urls: list[str] = []
    for item in items:
        for url in (item.get("url"), (item.get("evidence") or {}).get("source_url")):
            if isinstance(url, str) and url.startswith("http") and url not in urls:
                urls.append(url)
    return urls


def _channels(company: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for kind, items in sorted(company.get("channels", {}).items()):
        for item in items:
            out.setdefault(channel_identity(kind, item), (kind, item))
    return out


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if float(value).is_integer() else f"{value:.3g}"


def company_changes(
    before: dict[str, Any], after: dict[str, Any], compare_scores: bool = True
) -> list[dict[str, Any]]:
    """Changes of one company between two runs, in a stable order."""
    name = after["name"]
    base = {"company": name, "host": company_key(after), "role": after.get("role", "competitor")}
    changes: list[dict[str, Any]] = []
    old, new = _channels(before), _channels(after)
    for ident in sorted(new.keys() - old.keys()):
        kind, item = new[ident]
        label = channel_label(kind, item)
        urls = _evidence_urls(item)
        source = (item.get("evidence") or {}).get("source_url")
        text = f"{name}: new {label}" + (f" — found on {source}" if source and source not in label else "")
        changes.append({"kind": "channel_gained", **base, "channel": kind, "text": text, "evidence": urls})
    for ident in sorted(old.keys() - new.keys()):
        kind, item = old[ident]
        label = channel_label(kind, item)
        urls = _evidence_urls(item)
        tried = [t for t in after.get("absences", {}).get(kind, []) if t.startswith("http")][:5]
        text = f"{name}: {label} no longer found" + (f" (was on {urls[-1]})" if urls else "")
        changes.append(
            {
                "kind": "channel_lost",
                **base,
                "channel": kind,
                "text": text,
                "evidence": urls,
                "checked": tried,
            }
        )
    if compare_scores:
        changes.extend(_score_changes(before, after, base))
    changes.extend(_metric_changes(before, after, base))
    return changes


def _score_changes(
    before: dict[str, Any], after: dict[str, Any], base: dict[str, Any]
) -> list[dict[str, Any]]:
    name = base["company"]
    out: list[dict[str, Any]] = []
    a, b = before.get("overall", {}), after.get("overall", {})
    if a.get("level") != b.get("level") and a.get("level") is not None and b.get("level") is not None:
        text = (
            f"{name}: level {a['level']} {a.get('level_name', '')} → {b['level']} {b.get('level_name', '')}"
        ).replace("  ", " ")
        out.append(
            {
                "kind": "level_changed",
                **base,
                "text": text.strip(),
                "from": a["level"],
                "to": b["level"],
                "evidence": [after["url"]],
            }
        )
    pairs: list[tuple[str, str, float | None, float | None, list[str]]] = [
        ("overall", "overall", a.get("score"), b.get("score"), [after["url"]])
    ]
    old_dims = {d["id"]: d for d in before.get("dimensions", [])}
    for d in after.get("dimensions", []):
        if d["id"] in old_dims:
            urls = sorted(
                {e["url"] for r in d.get("rules", []) for e in r.get("evidence", []) if e.get("url")}
            )
            pairs.append(
                (d["id"], d.get("name", d["id"]), old_dims[d["id"]].get("score"), d.get("score"), urls)
            )
    for dim_id, label, x, y, urls in pairs:
        if x is None or y is None or abs(y - x) < SCORE_NOISE_POINTS:
            continue
        out.append(
            {
                "kind": "metric_moved",
                **base,
                "metric": f"score.{dim_id}",
                "from": x,
                "to": y,
                "text": f"{name}: {label} score {_fmt(x)} → {_fmt(y)}",
                "evidence": urls[:5],
            }
        )
    return out


def _metric_changes(
    before: dict[str, Any], after: dict[str, Any], base: dict[str, Any]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    old = before.get("metrics", {})
    for metric, value in sorted(after.get("metrics", {}).items()):
        if metric in old and moved(metric, old[metric], value):
            out.append(
                {
                    "kind": "metric_moved",
                    **base,
                    "metric": metric,
                    "from": old[metric],
                    "to": value,
                    "text": f"{base['company']}: {metrics.label(metric)} "
                    f"{metrics.format_delta(metric, old[metric], value)}",
                    "evidence": [after["url"]],
                }
            )
    return out


def same_model(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two audits were scored under the same model id and version."""
    ma, mb = a.get("model", {}), b.get("model", {})
    return (ma.get("id"), ma.get("version")) == (mb.get("id"), mb.get("version"))


def audit_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Every change from ``before`` to ``after``, companies matched by host, in ``after``'s order.

    Scores and levels are compared only when both runs used the same model id and version; channels and
    metrics are evidence and are always compared.
    """
    scores_comparable = same_model(before, after)
    old = {company_key(c): c for c in before.get("companies", [])}
    changes: list[dict[str, Any]] = []
    for company in after.get("companies", []):
        prev = old.get(company_key(company))
        if prev is not None:
            changes.extend(company_changes(prev, company, scores_comparable))
    return changes


def regressions(changes: Iterable[dict[str, Any]], client: str) -> list[dict[str, Any]]:
    """The client's regressions: a lower level, an overall score down by noise or more, a lost channel."""
    out = []
    for ch in changes:
        if ch.get("host") != client:
            continue
        if (
            ch["kind"] == "channel_lost"
            or (ch["kind"] == "level_changed" and ch["to"] < ch["from"])
            or (
                ch["kind"] == "metric_moved" and ch.get("metric") == "score.overall" and ch["to"] < ch["from"]
            )
        ):
            out.append(ch)
    return out


def notable(changes: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Changes worth a notification: any level change, any channel that disappeared."""
    return [ch for ch in changes if ch["kind"] in ("level_changed", "channel_lost")]


# -- gates ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FailUnder:
    """``--fail-under``: a level (``L3``) or an overall score (``60``) the client must reach."""

    kind: str  # "level" | "score"
    value: float

    def __str__(self) -> str:
        return f"L{int(self.value)}" if self.kind == "level" else f"{self.value:g}"


def parse_fail_under(raw: str) -> FailUnder:
    """``L3`` / ``level3`` → a level gate; ``60`` → a score gate; anything else is a ``ValueError``."""
    text = raw.strip().lower()
    m = re.fullmatch(r"(?:l|level\s*)([1-5])", text)
    if m:
        return FailUnder("level", float(m.group(1)))
    try:
        score = float(text)
    except ValueError:
        raise ValueError(f"{raw!r}: expected a level (L1–L5) or a score (0–100)") from None
    if not 0 <= score <= 100:
        raise ValueError(f"{raw!r}: a score must be within 0–100")
    return FailUnder("score", score)


def client_of(audit: dict[str, Any]) -> dict[str, Any] | None:
    """The client's ``companies[]`` entry."""
    return next((c for c in audit.get("companies", []) if c.get("role") == "client"), None)


def fail_under_problem(audit: dict[str, Any], gate: FailUnder) -> str | None:
    """Why the client misses the gate (``None`` when it passes). An unscored client misses it."""
    client = client_of(audit)
    if client is None:
        return "no client in the audit"
    overall = client.get("overall", {})
    value = overall.get("level") if gate.kind == "level" else overall.get("score")
    if value is None:
        return f"{client['name']}: {gate.kind} could not be scored (gate {gate})"
    if value < gate.value:
        shown = f"L{value}" if gate.kind == "level" else f"{value:g}"
        return f"{client['name']}: {gate.kind} {shown} is under {gate}"
    return None


def summarize(changes: Sequence[dict[str, Any]], limit: int = 12) -> str:
    """One line per change (at most ``limit``), for the terminal and webhook text."""
    lines = [ch["text"] for ch in changes[:limit]]
    if len(changes) > limit:
        lines.append(f"… and {len(changes) - limit} more")
    return "\n".join(lines)

"""The responsiveness section's view: medians with ranges, sample sizes and windows, and promises.

Metric names are read generically: every ``<name>_median`` is a measure; ``<name>_p10`` and
``<name>_p90`` its range; a ``*_sampled`` (or ``*_timed``) metric of the same namespace its sample size;
``<namespace>.window_days`` its window. New probes' measures appear here without template changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

NOT_MEASURED = "not measured"

#: Readable names for known measures (the part before ``_median``); others are derived from the name.
MEASURE_LABELS: dict[str, str] = {
    "community.first_reply_hours": "Forum: first reply",
    "community.first_staff_reply_hours": "Forum: first staff reply",
    "github.first_maintainer_reply_hours": "GitHub: first maintainer reply",
    "site.ttfb_ms": "Time to first byte",
    "site.total_ms": "Time to last byte",
    "site.connect_ms": "Connection set-up (all phases)",
    "site.dns_ms": "DNS lookup",
    "site.tcp_ms": "TCP connect",
    "site.tls_ms": "TLS handshake",
    "manual.email_reply_hours": "Mystery shopper: e-mail reply",
    "manual.chat_wait_minutes": "Mystery shopper: chat wait",
    "manual.phone_wait_minutes": "Mystery shopper: phone wait",
}
NAMESPACE_LABELS: dict[str, str] = {"github": "GitHub", "site": "Site", "community": "Forum"}
UNIT_WORDS: dict[str, str] = {"hours": "h", "ms": "ms", "minutes": "min", "days": "days", "s": "s"}
#: Measured replies, in order of preference, that a published promise is compared with.
PROMISE_EVIDENCE: tuple[tuple[str, str], ...] = (
    ("community.first_staff_reply_hours_median", "forum, first staff reply"),
    ("github.first_maintainer_reply_hours_median", "GitHub, first maintainer reply"),
    ("manual.email_reply_hours", "mystery-shopper e-mail"),
)


@dataclass(frozen=True)
class RangeCell:
    value: str
    range: str
    sample: str
    measured: bool
    reason: str


@dataclass(frozen=True)
class RangeRow:
    measure: str
    label: str
    cells: tuple[RangeCell, ...]


@dataclass(frozen=True)
class PromiseRow:
    company: str
    is_client: bool
    promise: str
    measured: str
    source: str
    verdict: str
    state: str  # "kept" | "missed" | "unknown" | "none"


def _unit(measure: str) -> str:
    last = measure.rsplit(".", 1)[-1]
    return UNIT_WORDS.get(last.rsplit("_", 1)[-1], "")


def format_value(measure: str, value: float) -> str:
    unit = _unit(measure)
    if unit == "ms":
        return f"{value:,.0f} ms"
    number = f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"
    return f"{number} {unit}".strip()


def label_of(measure: str) -> str:
    """``github.first_maintainer_reply_hours`` → ``GitHub: first maintainer reply``."""
    if measure in MEASURE_LABELS:
        return MEASURE_LABELS[measure]
    namespace, _, rest = measure.rpartition(".")
    words = [w for w in rest.split("_") if w not in UNIT_WORDS]
    head = " ".join(NAMESPACE_LABELS.get(p, p.capitalize()) for p in namespace.split("."))
    return f"{head}: {' '.join(words)}" if head else " ".join(words)


def measures(companies: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every ``<name>`` that has a ``<name>_median`` metric on some company, sorted."""
    names = {m for c in companies for m in c.get("metrics", {})}
    return sorted(n.removesuffix("_median") for n in names if n.endswith("_median"))


def _sample(metrics: Mapping[str, Any], measure: str) -> str:
    namespace = measure.rpartition(".")[0]
    parts = []
    sizes = sorted(
        k
        for k in metrics
        if k.rpartition(".")[0] == namespace and k.endswith(("_sampled", "_timed")) and metrics[k] is not None
    )
    if sizes:
        parts.append(f"n = {float(metrics[sizes[0]]):,.0f}")
    window = metrics.get(f"{namespace}.window_days")
    if window is not None:
        parts.append(f"{float(window):,.0f}-day window")
    return " · ".join(parts)


def _reason(company: Mapping[str, Any], metric: str) -> str:
    for error in company.get("errors", []):
        if error.get("metric") == metric:
            return str(error.get("message", ""))
    return ""


def range_cell(company: Mapping[str, Any], measure: str) -> RangeCell:
    metrics = company.get("metrics", {})
    median = metrics.get(f"{measure}_median")
    if median is None:
        return RangeCell(NOT_MEASURED, "", "", False, _reason(company, f"{measure}_median"))
    p10, p90 = metrics.get(f"{measure}_p10"), metrics.get(f"{measure}_p90")
    if p10 is not None and p90 is not None:
        spread = f"p10–p90 {format_value(measure, p10)} – {format_value(measure, p90)}"
    elif p90 is not None:
        spread = f"p90 {format_value(measure, p90)}"
    else:
        spread = ""
    return RangeCell(format_value(measure, median), spread, _sample(metrics, measure), True, "")


def range_rows(
    companies: Sequence[Mapping[str, Any]], *, site: bool
) -> tuple[tuple[RangeRow, ...], tuple[str, ...]]:
    """Rows for measures measured on at least one company, and labels of those measured nowhere."""
    rows, unmeasured = [], []
    for measure in measures(companies):
        if measure.startswith("site.") != site:
            continue
        cells = tuple(range_cell(c, measure) for c in companies)
        if any(cell.measured for cell in cells):
            rows.append(RangeRow(measure, label_of(measure), cells))
        else:
            unmeasured.append(label_of(measure))
    return tuple(rows), tuple(unmeasured)


def promise_row(company: Mapping[str, Any]) -> PromiseRow:
    """A company's published reply promise against its measured reply time, and the verdict."""
    metrics = company.get("metrics", {})
    promised = metrics.get("contact.promised_reply_hours")
    measured, source = None, ""
    for name, where in PROMISE_EVIDENCE:
        if metrics.get(name) is not None:
            measured, source = float(metrics[name]), where
            break
    kept = metrics.get("responsiveness.promise_kept")
    if promised is None:
        verdict, state = "no published promise", "none"
    elif kept is not None:
        verdict, state = ("kept", "kept") if kept >= 1 else ("not kept", "missed")
    elif measured is None:
        verdict, state = "cannot be checked: no measured reply time", "unknown"
    else:
        verdict, state = ("kept", "kept") if measured <= float(promised) else ("not kept", "missed")
    return PromiseRow(
        company=str(company["name"]),
        is_client=company.get("role") == "client",
        promise=NOT_MEASURED if promised is None else f"within {format_value('x.hours', float(promised))}",
        measured=NOT_MEASURED if measured is None else f"{format_value('x.hours', measured)} (median)",
        source=source,
        verdict=verdict,
        state=state,
    )

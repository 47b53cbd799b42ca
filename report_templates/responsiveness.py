"""The responsiveness section's view: medians with ranges, sample sizes and windows, and promises.

Metric names are read generically: every ``<name>_median`` is a measure; ``<name>_p10`` and
``<name>_p90`` its range; a ``*_sampled`` (or ``*_timed``) metric of the same namespace its sample size;
``<namespace>.window_days`` its window. New probes' measures appear here without template changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from audit import metrics as catalogue

NOT_MEASURED = "not measured"

#: The rule whose outcome is the verdict on a company's published reply promise (``reply_promise`` probe).
PROMISE_RULE = "promise-kept"
PROMISED = "contact.promised_reply_hours"
MEASURED = "responsiveness.measured_reply_hours"


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


def format_value(measure: str, value: float) -> str:
    """A value of ``<measure>_median`` (or its p10/p90) with its unit from the metrics catalogue."""
    return catalogue.format_value(f"{measure}_median", value)


def label_of(measure: str) -> str:
    """``github.first_maintainer_reply_hours`` → "GitHub: first maintainer reply" (catalogue label of
    its median, without "(median)": the table's cells say median and spread)."""
    return catalogue.label(f"{measure}_median").removesuffix(" (median)")


#: Page-response rows in reading order: the whole request first, then its phases, then rendering.
ORDER: tuple[str, ...] = (
    "site.ttfb_ms",
    "site.total_ms",
    "site.connect_ms",
    "site.dns_ms",
    "site.tcp_ms",
    "site.tls_ms",
    "site.lcp_ms",
    "community.first_reply_hours",
    "community.first_staff_reply_hours",
    "github.first_maintainer_reply_hours",
)


def measures(companies: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every ``<name>`` that has a ``<name>_median`` metric on some company, in ``ORDER``, then sorted."""
    names = {m for c in companies for m in c.get("metrics", {})}
    found = {n.removesuffix("_median") for n in names if n.endswith("_median")}
    return [m for m in ORDER if m in found] + sorted(found - set(ORDER))


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
            return catalogue.without_ids(str(error.get("message", "")))
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


def promise_rule(company: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The company's verdict on its reply promise, as scoring recorded it."""
    for dim in company.get("dimensions", []):
        for rule in dim.get("rules", []):
            if rule.get("id") == PROMISE_RULE:
                return cast(Mapping[str, Any], rule)
    return None


def promise_row(company: Mapping[str, Any]) -> PromiseRow:
    """A company's published reply promise, the measured reply it was held to, and the verdict — all
    from the ``reply_promise`` probe's evidence and the rule's outcome; nothing is judged here."""
    metrics = company.get("metrics", {})
    promised = metrics.get(PROMISED)
    measured = metrics.get(MEASURED)
    rule = promise_rule(company)
    status = str((rule or {}).get("status", ""))
    outcome = str((rule or {}).get("outcome", "")) or {"ok": "found", "n/a": "not measured"}.get(
        status, status
    )
    detail = str((rule or {}).get("outcome_detail", ""))
    legacy = metrics.get("responsiveness.promise_kept") if rule is None else None
    if promised is None:
        verdict, state = "no published promise", "none"
    elif legacy is not None:  # an audit.json from before rule outcomes: the probe's own verdict
        verdict, state = ("kept", "kept") if float(legacy) >= 1 else ("not kept", "missed")
    elif rule is None or outcome in ("not measured", "error", ""):
        reason = detail or "no measured reply time"
        verdict, state = f"cannot be checked: {reason}", "unknown"
    elif float(rule.get("score") or 0) >= 1:
        verdict, state = "kept", "kept"
    else:
        verdict, state = "not kept", "missed"
    source = ""
    if state in ("kept", "missed") and "; " in detail:
        source = detail.split("; ", 1)[1].rsplit(", median", 1)[0]
    return PromiseRow(
        company=str(company["name"]),
        is_client=company.get("role") == "client",
        promise="none published"
        if promised is None
        else f"within {catalogue.format_in('h', float(promised))}",
        measured=NOT_MEASURED
        if measured is None
        else f"{catalogue.format_in('h', float(measured))} (median)",
        source=source,
        verdict=verdict,
        state=state,
    )

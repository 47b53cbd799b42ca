"""Rules judge evidence: each gets only the evidence of the probe it declares, and returns a verdict.

Nothing to judge → ``n/a`` (weight 0). Evidence that failed → ``error`` (score ``None``, never 0).
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any, Literal

from audit.metrics import format_value, number, unit, without_ids
from audit.models import Evidence, Finding, RuleResult
from scoring.model import Curve, Rule

#: The outcomes a rule can have, as the report says them (``RuleResult.outcome``).
OUTCOMES = ("found", "not found", "not measured", "error")
#: Units the catalogue formats itself (others: the number and the model's ``unit`` text).
CATALOGUE_UNITS = ("share", "yes/no", "ms")

_NORMAL = NormalDist()


def curve_score(curve: Curve, value: float) -> float:
    """Score in [0, 1] of ``value`` on ``curve`` (see ``Curve``)."""
    if curve.kind == "bands":
        score = 0.0
        for threshold, band_score in curve.bands:
            if value >= threshold:
                score = band_score
        return score
    # Lighthouse's log-normal: the median scores 0.5, p10 scores 0.9.
    if value <= 0:
        return 1.0 if curve.p10 < curve.median else 0.0
    log_ratio = math.log(value / curve.median)
    sigma = abs(math.log(curve.p10 / curve.median)) / -_NORMAL.inv_cdf(0.1)
    z = log_ratio / sigma
    if curve.p10 < curve.median:  # lower is better (times)
        return round(1 - _NORMAL.cdf(z), 4)
    return round(_NORMAL.cdf(z), 4)  # higher is better (counts, rates)


def matching(rule: Rule, evidence: Evidence) -> list[Finding]:
    """The findings of ``evidence`` that the rule looks at (its channel and ``where`` filter)."""
    out = []
    for f in evidence.findings:
        if rule.channel and f.channel != rule.channel:
            continue
        if all(_matches(f.attrs.get(k), v) for k, v in rule.where.items()):
            out.append(f)
    return out


def _matches(actual: Any, wanted: Any) -> bool:
    if isinstance(wanted, list):
        return actual in wanted
    return bool(actual == wanted)


def verdict(
    rule: Rule,
    status: Literal["ok", "n/a", "error"],
    score: float | None,
    display: str,
    explanation: str,
    evidence: list[dict[str, Any]] | None = None,
    outcome: str = "",
    detail: str = "",
) -> RuleResult:
    """A ``RuleResult`` carrying the rule's identity, weight, advice and outcome."""
    if not outcome:
        outcome = {"error": "error", "n/a": "not measured"}.get(status, "found")
    return RuleResult(
        id=rule.id,
        title=rule.title,
        dimension=rule.dimension,
        weight=rule.weight,
        status=status,
        score=score,
        display=display,
        explanation=explanation,
        evidence=evidence or [],
        recommendation=rule.recommendation,
        effort=rule.effort,
        outcome=outcome,
        outcome_detail=detail,
    )


def evaluate(rule: Rule, evidence: Evidence | None) -> RuleResult:
    """The rule's verdict on its evidence."""
    check = rule.probe.replace("_", " ")
    if evidence is None:
        detail = f"the {check} check left no evidence"
        return verdict(rule, "error", None, "error", f"No evidence from probe {rule.probe!r}.", detail=detail)
    if evidence.status == "error":
        detail = f"the {check} check failed: {evidence.error}"
        return verdict(
            rule, "error", None, "error", f"The {rule.probe} probe failed: {evidence.error}", detail=detail
        )
    if evidence.status == "not_measured":
        reason = without_ids(evidence.error or "; ".join(evidence.notes) or "the check had nothing to read")
        return verdict(rule, "n/a", None, "not measured", f"Not measured: {reason}", detail=reason)
    if rule.kind == "metric":
        return _metric(rule, evidence)
    found = matching(rule, evidence)
    count = len(found)
    if rule.kind == "presence":
        score = 1.0 if found else 0.0
        display = "found" if found else "not found"
    else:
        assert rule.curve is not None
        score = curve_score(rule.curve, count)
        display = str(count)
    text = rule.explanation.format(
        count=count, value=count, s="" if count == 1 else "s", es="" if count == 1 else "es"
    )
    result = verdict(
        rule, "ok", score, display, text, [_ref(f) for f in found[:12]], "found" if found else "not found"
    )
    if not found:
        result.explanation = f"{text} Checked: {_tried_summary(evidence)}."
        result.tried = list(evidence.tried[:40])
    return result


def _metric(rule: Rule, evidence: Evidence) -> RuleResult:
    value = evidence.metrics.get(rule.metric)
    if value is None:
        reason = without_ids(_unmeasured_reason(rule, evidence))
        return verdict(rule, "n/a", None, "not measured", f"Not measured: {reason}.", detail=reason)
    assert rule.curve is not None
    score = curve_score(rule.curve, value)
    shown = metric_display(rule, value)
    text = rule.explanation.format(value=shown, count=value, s="", es="")
    why = _check_note(rule, evidence) if score < 1 else ""
    if why:
        text = f"{text} {why[0].upper()}{why[1:]}."
    own = next((n for n in evidence.notes if n.startswith(f"{rule.metric}: ")), "")
    detail = without_ids(own) if own else ""
    return verdict(rule, "ok", score, shown, text, [_ref(f) for f in evidence.findings[:6]], detail=detail)


def metric_display(rule: Rule, value: float) -> str:
    """A metric rule's value as shown: the catalogue's units (``17 %``, ``yes``, ``212 ms``), else the
    number with the model's ``unit`` words (``1 topics/week``, ``10 Q&A``)."""
    if unit(rule.metric or "") in CATALOGUE_UNITS:
        return format_value(rule.metric or "", value)
    return f"{number(value)}{(' ' + rule.unit) if rule.unit else ''}"


def _unmeasured_reason(rule: Rule, evidence: Evidence) -> str:
    """Why a metric rule has no value, in words (the probe's notes on this metric first)."""
    metric = rule.metric or ""
    own = [n for n in evidence.notes if n.startswith(f"{metric}: ")]
    if own or evidence.notes:
        return "; ".join(own or evidence.notes)
    if metric.startswith("manual."):
        return "no manual observation was given (engage audit --evidence FILE)"
    if metric in evidence.metrics:
        return "the check found nothing it could measure"
    return "the check reported no value"


def _check_note(rule: Rule, evidence: Evidence) -> str:
    """The probe's note on why its check ``<ns>.<check>`` failed (``"<check>: why"``), if it left one."""
    check = (rule.metric or "").rpartition(".")[2]
    prefix = f"{check}: "
    return next((n.removeprefix(prefix) for n in evidence.notes if check and n.startswith(prefix)), "")


def _ref(f: Finding) -> dict[str, Any]:
    return {"url": f.url, "snippet": f.snippet or f.source_url, "method": f.method}


def _tried_summary(evidence: Evidence) -> str:
    if not evidence.tried:
        return "no pages were available"
    head = evidence.tried[0]
    return (
        head
        if len(evidence.tried) == 1
        else f"{head} ({len(evidence.tried) - 1} URLs listed in the evidence)"
    )

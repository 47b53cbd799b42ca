"""Rules, dimensions, levels and benchmark with literal evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.models import Evidence, Finding
from scoring.benchmark import Scored, competitive_gaps, dense_ranks, recommendations
from scoring.engine import score_company
from scoring.model import Curve, ModelError, load_model
from scoring.rules import curve_score, evaluate

MODEL = load_model()


def rule(rule_id: str):
    return next(r for r in MODEL.rules if r.id == rule_id)


def social(n: int) -> Evidence:
    return Evidence(
        probe="social_profiles",
        findings=[
            Finding(
                "social", f"https://x.com/acme{i}", {"platform": "x"}, "http://acme.test/", "<a>", "anchor"
            )
            for i in range(n)
        ],
        tried=["anchors, JSON-LD sameAs on 3 page(s)"],
    )


def test_count_rule_uses_bands_and_cites_evidence() -> None:
    result = evaluate(rule("social-profiles"), social(3))
    assert result.status == "ok"
    assert result.score == 0.7
    assert result.display == "3"
    assert result.explanation == "3 official social accounts linked from the site."
    assert [e["url"] for e in result.evidence] == [f"https://x.com/acme{i}" for i in range(3)]


def test_absence_scores_zero_and_says_what_was_checked() -> None:
    result = evaluate(rule("social-profiles"), social(0))
    assert result.score == 0.0
    assert "Checked: anchors, JSON-LD sameAs on 3 page(s)" in result.explanation
    assert result.tried == ["anchors, JSON-LD sameAs on 3 page(s)"]


def test_failed_evidence_is_an_error_never_zero() -> None:
    result = evaluate(
        rule("social-profiles"), Evidence(probe="social_profiles", status="error", error="boom")
    )
    assert result.status == "error"
    assert result.score is None
    assert "boom" in result.explanation


def test_missing_metric_is_not_applicable() -> None:
    ev = Evidence(
        probe="community",
        metrics={"community.first_staff_reply_hours_median": None},
        notes=["no forum found"],
    )
    result = evaluate(rule("community-first-reply"), ev)
    assert (result.status, result.score) == ("n/a", None)
    assert "no forum found" in result.explanation


def test_where_filter_selects_findings() -> None:
    ev = Evidence(
        probe="functions",
        findings=[
            Finding("functions", "http://a.test/careers", {"function": "careers"}),
            Finding("functions", "http://a.test/roadmap", {"function": "roadmap"}),
            Finding("functions", "http://a.test/changelog", {"function": "changelog"}),
        ],
    )
    assert evaluate(rule("careers"), ev).score == 1.0
    assert evaluate(rule("investors"), ev).score == 0.0
    assert evaluate(rule("product-feedback"), ev).score == 0.8


def test_lognormal_curve_control_points() -> None:
    curve = Curve("lognormal", p10=200, median=800)
    assert curve_score(curve, 800) == pytest.approx(0.5, abs=0.001)
    assert curve_score(curve, 200) == pytest.approx(0.9, abs=0.001)
    assert curve_score(curve, 5000) < 0.1
    higher_better = Curve("lognormal", p10=50, median=10)
    assert curve_score(higher_better, 50) == pytest.approx(0.9, abs=0.001)


def test_error_in_one_rule_nulls_dimension_and_overall() -> None:
    evidence = {"social_profiles": Evidence(probe="social_profiles", status="error", error="x")}
    result = score_company(MODEL, evidence)
    presence = next(d for d in result.dimensions if d.id == "presence")
    assert presence.status == "error" and presence.score is None
    assert result.overall is None and result.level is None


def _full_evidence(**found: list[Finding]) -> dict[str, Evidence]:
    names = {r.probe for r in MODEL.rules}
    out = {n: Evidence(probe=n, tried=["test"]) for n in names}
    for probe, findings in found.items():
        out[probe].findings = findings
    return out


def test_level_three_needs_conversation_channels() -> None:
    base = _full_evidence(social_profiles=social(5).findings)
    assert score_company(MODEL, base).level == 2
    chat = _full_evidence(
        social_profiles=social(5).findings,
        chat_widgets=[Finding("chat", "https://widget.intercom.io/widget/x", {"vendor": "Intercom"})],
        contact=[
            Finding("contact", "mailto:a@a.test", {"type": "email"}),
            Finding("contact", "http://a.test/contact", {"type": "form"}),
        ],
        faq=[Finding("faq", "http://a.test/faq", {"qa_pairs": 4})],
    )
    result = score_company(MODEL, chat)
    assert result.level == 3, [(d.id, d.score) for d in result.dimensions]
    assert result.level_name == "Conversational"


def test_silent_company_is_level_one() -> None:
    result = score_company(MODEL, _full_evidence())
    assert result.level == 1 and result.level_name == "Silent"
    assert result.overall is not None and result.overall < 20


def test_dense_ranks_share_ties_and_leave_none() -> None:
    assert dense_ranks([50.0, None, 70.0, 50.0]) == [2, None, 1, 2]


def test_gaps_name_what_most_competitors_have() -> None:
    forum = [Finding("community", "http://c.test/", {"platform": "discourse"})]
    client = Scored("Client", "http://client.test/", "client", score_company(MODEL, _full_evidence()))
    peers = [
        Scored(
            f"P{i}",
            f"http://p{i}.test/",
            "competitor",
            score_company(MODEL, _full_evidence(community=forum if i < 3 else [])),
        )
        for i in range(4)
    ]
    gaps = competitive_gaps(MODEL, [client, *peers])
    forum_gap = next(g for g in gaps if g["capability"] == "community-forum")
    assert forum_gap["kind"] == "gap"
    assert forum_gap["text"] == "Three of 4 competitors have a community forum (P0, P1, P2); Client does not."
    assert forum_gap["evidence"] == ["http://c.test/"] * 3


def test_recommendations_ordered_by_priority_with_level_impact() -> None:
    client = Scored("Client", "http://client.test/", "client", score_company(MODEL, _full_evidence()))
    recs = recommendations(MODEL, client)
    assert recs, "a silent company gets recommendations"
    priorities = [r["priority"] for r in recs]
    assert priorities == sorted(priorities, reverse=True)
    social_rec = next(r for r in recs if r["rule"] == "social-profiles")
    assert social_rec["effort"] == "low" and social_rec["level_after"] == 2


def test_model_validation_lists_problems(tmp_path: Path) -> None:
    text = default_text().replace('probe = "faq"\nchannel = "faq"', 'probe = "nope"\nchannel = "faq"', 1)
    text = text.replace("[[0, 0.0], [1, 0.35], [3, 0.7], [5, 1.0]]", "[[0, 0.0], [3, 0.35], [1, 0.7]]")
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    with pytest.raises(ModelError) as err:
        load_model(bad, known_probes={r.probe for r in MODEL.rules})
    message = str(err.value)
    assert "rule faq: unknown evidence 'nope'" in message
    assert "rule social-profiles: curve bands overlap or are not ascending" in message


def test_a_misspelt_metric_is_one_line_naming_file_rule_and_metric(tmp_path: Path) -> None:
    text = default_text().replace('"community.topics_per_week"', '"community.topic_per_week"')
    bad = tmp_path / "typo.toml"
    bad.write_text(text)
    with pytest.raises(ModelError) as err:
        load_model(bad)
    assert str(err.value) == (
        f"{bad}: rule community-activity: unknown metric 'community.topic_per_week'"
        " (did you mean 'community.topics_per_week'?)"
    )


def test_model_validate_refuses_an_unknown_metric(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from audit.cli import main

    bad = tmp_path / "typo.toml"
    bad.write_text(default_text().replace('metric = "faq.qa_pairs"', 'metric = "faq.qa_pears"'))
    result = CliRunner().invoke(main, ["model", "validate", str(bad)])
    assert result.exit_code == 1
    assert "unknown metric 'faq.qa_pears' (did you mean 'faq.qa_pairs'?)" in result.output


def test_every_rule_metric_of_the_shipped_model_is_in_the_catalogue() -> None:
    from audit.metrics import CATALOGUE, REQUIRED, known

    assert all(known(r.metric) for r in MODEL.rules if r.metric)
    assert set(REQUIRED) <= set(CATALOGUE)


def test_every_reference_in_shipped_model_resolves() -> None:
    from probes import probe_names

    load_model(known_probes=set(probe_names()))


def default_text() -> str:
    from scoring.model import default_model_path

    return default_model_path().read_text()

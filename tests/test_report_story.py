"""The report tells one story: outcomes decided in scoring, strengths from the benchmark, page one in
sentences, a real trend, the metrics catalogue's words — and the consultant's controls on ``audit``.

Fast: views are built from the committed demo ``audit.json`` without charts unless a test needs them;
the CLI tests replay the committed demo capture and write HTML only.
"""

from __future__ import annotations

import copy
import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from audit import metrics as catalogue
from audit.cli import main
from audit.consultant import ConsultantError, Look, notes_html, read_companies, split_named
from report_templates.render import render_html
from report_templates.responsiveness import promise_row
from report_templates.view import build_view, trend_view
from scoring.rules import OUTCOMES

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_reports"
LOGO = Path(__file__).parent / "data" / "logo.svg"
#: A dotted metric id as a program writes it (``site.lcp_ms_median``), which a reader must never see.
RAW_ID = re.compile(
    r"\b(?:site|community|github|contact|responsiveness|social|trust|blog|faq|manual|newsletter|chat)"
    r"\.[a-z0-9_.]*_(?:ms|hours|share|median|p90|days|kept|90d|week|count)\b"
)


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    return dict(json.loads((SAMPLES / "audit.json").read_text(encoding="utf-8")))


def fresh(demo: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(demo)


def visible_text(html: str) -> str:
    body = re.sub(r"<(style|svg|script)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", body))


def company(audit: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in audit["companies"] if c["name"] == name)


def rule(audit: dict[str, Any], name: str, rule_id: str) -> dict[str, Any]:
    return next(r for d in company(audit, name)["dimensions"] for r in d["rules"] if r["id"] == rule_id)


# --- one vocabulary of outcomes, decided in scoring --------------------------------------------------


def test_every_rule_carries_one_of_the_four_outcomes(demo: dict[str, Any]) -> None:
    rules = [r for c in demo["companies"] for d in c["dimensions"] for r in d["rules"]]
    assert {r["outcome"] for r in rules} <= set(OUTCOMES)
    assert {r["outcome"] for r in rules} >= {"found", "not found", "not measured"}
    for r in rules:
        if r["outcome"] == "not found" and r["status"] == "ok" and r["display"] == "not found":
            assert r["tried"], r["id"]  # what was checked
        if r["outcome"] == "not measured":
            assert r["outcome_detail"] and not RAW_ID.search(r["outcome_detail"]), r  # why, in words
    phone = rule(demo, "Acme Books", "contact-phone")
    assert (phone["outcome"], phone["score"]) == ("not found", 0.0)
    promise = rule(demo, "Acme Books", "promise-kept")
    assert promise["outcome"] == "not measured"
    assert promise["outcome_detail"] == "promise of 24 h found, but no reply time was measured"


def test_the_report_renders_outcomes_as_scoring_decided(demo: dict[str, Any]) -> None:
    audit = fresh(demo)
    phone = rule(audit, "Acme Books", "contact-phone")
    phone["outcome"] = "error"
    phone["outcome_detail"] = "the contact check failed: a test says so"
    view = build_view(audit, charts=False)
    presence = next(s for s in view.dimension_sections if s.id == "presence")
    assert presence.client is not None
    rules = {r.id: r for r in presence.client.rules}
    assert (rules["contact-phone"].status_label, rules["contact-phone"].status) == ("error", "error")
    assert rules["contact-phone"].explanation == "The contact check failed: a test says so."
    assert {r.status_label for s in view.dimension_sections for c in s.companies for r in c.rules} <= set(
        OUTCOMES
    )
    html = render_html(view)
    assert "status-ok" not in html and ">ok<" not in html  # no "OK" badge next to "not found"


def test_channel_matrix_unmeasured_reply_times_do_not_hide_a_search(demo: dict[str, Any]) -> None:
    view = build_view(demo, charts=False)
    rows = {r.channel: dict(zip(view.company_names, r.cells, strict=True)) for r in view.channel_rows}
    # Acme Books has no forum: its reply times are "not measured", but the forum was looked for
    assert rows["community"]["Acme Books"].text == "not found"
    assert rows["feeds"]["Acme Books"].text.startswith("found")
    html = render_html(view)
    assert "not measured (the probe failed)" not in html


# --- strengths, gaps and medians from the benchmark ---------------------------------------------------


def test_strengths_are_ahead_of_the_median_on_measured_evidence(demo: dict[str, Any]) -> None:
    bench = demo["benchmark"]
    assert bench["responsiveness"]["position"] == "not comparable"  # ahead, but no reply time measured
    assert (
        "Median first staff reply" in " ".join(bench["responsiveness"]["unmeasured_rules"])
        or bench["responsiveness"]["unmeasured_rules"]
    )
    view = build_view(demo, charts=False)
    names = {d["id"]: d["name"] for d in demo["model"]["dimensions"]}
    assert {s.title for s in view.strengths} == {
        names[k] for k, row in bench.items() if k != "overall" and row["position"] == "ahead"
    }
    assert all("(+" in s.detail for s in view.strengths)
    assert names["responsiveness"] not in {s.title for s in view.strengths}
    assert names["responsiveness"] in view.strengths_note


def test_one_competitor_ahead_everywhere_gives_no_strengths(demo: dict[str, Any]) -> None:
    audit = fresh(demo)
    audit["companies"] = [c for c in audit["companies"] if c["name"] in ("Acme Books", "Northwind Ledger")]
    for row in audit["benchmark"].values():
        row["position"] = "behind" if row["client_score"] is not None else "not comparable"
        row["peer_median"] = 100.0
    audit["gaps"] = []
    view = build_view(audit, charts=False)
    assert view.strengths == ()
    assert view.gaps_summary and all("−" in g.detail for g in view.gaps_summary)
    assert "No dimension is ahead of the competitors' median" in render_html(view)


def test_peer_medians_are_read_from_the_benchmark(demo: dict[str, Any]) -> None:
    audit = fresh(demo)
    audit["benchmark"]["community"]["peer_median"] = 12.3
    view = build_view(audit, charts=False)
    assert next(s for s in view.dimension_sections if s.id == "community").peer_median == "12"


def test_promise_verdict_comes_from_the_rule_not_the_report(demo: dict[str, Any]) -> None:
    audit = fresh(demo)
    northwind = company(audit, "Northwind Ledger")
    assert promise_row(northwind).verdict == "kept"
    assert promise_row(northwind).measured == "2.5 h (median)"
    kept = rule(audit, "Northwind Ledger", "promise-kept")
    kept["score"] = 0.0  # scoring said "not kept": the report follows, whatever the metrics say
    assert (promise_row(northwind).verdict, promise_row(northwind).state) == ("not kept", "missed")
    acme = promise_row(company(audit, "Acme Books"))
    assert acme.state == "unknown" and "no reply time was measured" in acme.verdict


# --- page one ----------------------------------------------------------------------------------------


def test_page_one_tells_the_story(demo: dict[str, Any]) -> None:
    view = build_view(demo, charts=False)
    assert len(view.story) == 3
    first, ahead, channels = view.story
    assert first.startswith("Acme Books ranks 3 of 5 with 54 of 100, level 3 (Conversational)")
    assert ahead == "Northwind Ledger (94) and Quillpay (55) score higher overall."
    assert channels.startswith("Competitors have what Acme Books lacks: own community forum (")
    points = [r["points"] for r in demo["recommendations"]]
    assert [r.points for r in view.top_recommendations] == [
        f"+{catalogue.number(p)} points" for p in sorted(points, reverse=True)[:3]
    ]
    assert "The three biggest gains" in render_html(view)


def test_without_competitors_nothing_is_compared_with_nothing(demo: dict[str, Any]) -> None:
    audit = fresh(demo)
    audit["companies"] = [company(audit, "Acme Books")]
    audit["gaps"] = []
    for row in audit["benchmark"].values():
        row.update(peer_median=None, position="not comparable", ahead_of_client=[])
    view = build_view(audit, charts=False)
    html = render_html(view)
    assert "compared with" not in visible_text(html).replace("compared with the", "")
    assert view.story == (
        "Acme Books scores 54 of 100, level 3 (Conversational); no competitors were audited, so no rank.",
    )


# --- trend ---------------------------------------------------------------------------------------------


def history(demo: dict[str, Any]) -> dict[str, Any]:
    acme = {"overall": 48.0, "level": 2, "presence": 60.0, "community": 0.0}
    return {
        "runs": [
            {"run_id": 1, "finished_at": "2026-10-01T09:00:00Z", "scores": {"Acme Books": acme}},
            {
                "run_id": 2,
                "finished_at": "2026-11-01T09:00:00Z",
                "scores": {"Acme Books": {**acme, "overall": 50.0}},
            },
            {
                "run_id": 3,
                "finished_at": "2026-12-01T09:00:00Z",
                "scores": {"Acme Books": {**acme, "overall": 54.3, "level": 3}},
            },
        ],
        "changes": [
            {
                "kind": "channel_lost",
                "company": "Acme Books",
                "channel": "chat",
                "text": "Acme Books: live chat (Crisp) no longer found",
            },
            {
                "kind": "metric_moved",
                "company": "Acme Books",
                "metric": "site.lcp_ms_median",
                "from": 780,
                "to": 1696,
                "text": "Acme Books: site.lcp_ms_median 780 → 1696",
            },
            {
                "kind": "metric_moved",
                "company": "Acme Books",
                "metric": "community.solved_share",
                "from": 0.5,
                "to": 0.25,
                "text": "",
            },
            {
                "kind": "metric_moved",
                "company": "Acme Books",
                "metric": "score.presence",
                "from": 60,
                "to": 68.3,
                "text": "",
            },
        ],
        "notes": [],
        "thresholds": {
            "score_points": 5.0,
            "metrics": [{"pattern": "_ms(_|$)", "absolute": 100.0, "relative": 0.5}],
        },
    }


def test_trend_charts_levels_and_moves_in_words(demo: dict[str, Any]) -> None:
    audit = {**fresh(demo), "history": history(demo)}
    dims = demo["model"]["dimensions"]
    trend = trend_view(audit, dims, "Acme Books", charts=True)
    assert trend is not None
    assert [c.key for c in trend.charts] == ["trend-overall", "trend-dimensions"]
    assert all("<svg" in c.svg and "48, 50, 54" in c.alt for c in trend.charts[:1])
    assert trend.levels == ("1 Dec 2026: Acme Books moved from level 2 to level 3",)
    assert trend.period == "Changes between 1 November 2026 and 1 December 2026"
    assert [c.text for c in trend.channels] == ["Acme Books: live chat (Crisp) no longer found"]
    assert [c.text for c in trend.moves] == [
        "Acme Books: Largest contentful paint (median) from 780 ms to 1,696 ms (+916 ms)",
        "Acme Books: Forum: topics marked solved from 50 % to 25 % (−25 percentage points)",
        "Acme Books: Channel presence & reach score from 60 to 68 (+8 points)",
    ]
    html = render_html(build_view(audit, charts=False))
    text = visible_text(html)
    assert "later version" not in text.lower() and "site.lcp" not in text and "Site: lcp" not in text
    assert "page timings by 100 ms and 50%" in text


def test_demo_report_has_no_placeholders_raw_ids_or_raw_shares() -> None:
    text = visible_text((SAMPLES / "report.html").read_text(encoding="utf-8"))
    for bad in (
        "later version",
        "placeholder",
        "lorem",
        r"\bTODO\b",
        "Nothing to judge",
        "addresss",
        "Site: lcp",
    ):
        assert not re.search(bad, text, flags=re.I), bad
    assert not RAW_ID.findall(text)
    assert not re.findall(r"(?<![\d.,])0\.\d{2,}(?![\d.])", text)  # shares are percentages
    assert "(1 = kept" not in text and "(1 = yes)" not in text


def test_metrics_catalogue_names_every_demo_metric(demo: dict[str, Any]) -> None:
    names = {m for c in demo["companies"] for m in c["metrics"]}
    for name in names:
        shown = catalogue.label(name)
        assert (name not in shown and ":" in shown) or name in catalogue.CATALOGUE
    assert catalogue.format_value("community.solved_share", 0.167) == "17 %"
    assert catalogue.format_value("trust.hsts", 1.0) == "yes"
    assert catalogue.format_value("site.ttfb_ms_median", 211.9) == "212 ms"
    assert catalogue.label("social.mastodon.posts_90d") == "Mastodon: posts in 90 days"
    assert catalogue.without_ids("responsiveness.promise_kept: no promise") == "no promise"


# --- consultant controls ------------------------------------------------------------------------------


def test_notes_markdown_is_rendered_and_raw_html_is_text() -> None:
    html = notes_html(
        "## Plan\n\n**Forum** first.\n\n<script>alert(1)</script>\n\n"
        "![x](https://e.test/x.png) [a](javascript:alert(1))"
    )
    assert "<h2>Plan</h2>" in html and "<strong>Forum</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and 'href="javascript:' not in html


def test_competitor_names_and_companies_file(tmp_path: Path) -> None:
    assert split_named("Northwind Ledger=https://northwind.example") == (
        "Northwind Ledger",
        "https://northwind.example",
    )
    assert split_named("https://x.example/?a=b") == (None, "https://x.example/?a=b")
    good = tmp_path / "companies.csv"
    good.write_text("name,url,role\nAcme,https://acme.test/,client\nRival,rival.test,\n", encoding="utf-8")
    rows = read_companies(good)
    assert [(r.name, r.url, r.role) for r in rows] == [
        ("Acme", "https://acme.test/", "client"),
        ("Rival", "https://rival.test/", "competitor"),
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,url,role\nAcme,https://acme.test/,client\nX,https://x.test/,rival\n", encoding="utf-8"
    )
    with pytest.raises(ConsultantError, match=r"bad.csv: line 3: role 'rival' is not client or competitor"):
        read_companies(bad)
    bad.write_text("name,url,role\nX,ftp://x.test/,\n", encoding="utf-8")
    with pytest.raises(ConsultantError, match=r"line 2: 'ftp://x.test/': only http and https"):
        read_companies(bad)


def test_look_options_layer_over_the_settings(tmp_path: Path) -> None:
    from audit.settings import Settings

    theme = tmp_path / "brand.toml"
    theme.write_text('[theme]\naccent = "#7a1f5c"\nconsultant = "From file"\n', encoding="utf-8")
    settings = Look("Jane Doe Consulting", str(LOGO), "Letter", str(theme), None).apply(Settings())
    assert settings.theme == {
        "accent": "#7a1f5c",
        "consultant": "Jane Doe Consulting",
        "logo": str(LOGO.resolve()),
    }
    assert (settings.page_size, settings.consultant) == ("Letter", "Jane Doe Consulting")
    theme.write_text('[theme]\naccent = "red"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="accent must be a hex colour"):
        Look(theme_file=str(theme)).apply(Settings())


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_audit_takes_the_consultant_controls(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("## Our view\n\nStart with a **help center**. <b>raw</b>\n", encoding="utf-8")
    companies = tmp_path / "companies.csv"
    companies.write_text(
        "name,url,role\nAcme Books,https://acme.test/,client\nQuill,https://quillpay.test/,competitor\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_cli(
        "audit", "--companies", str(companies), "-c", "Northwind Ledger Ltd=https://northwind.test/",
        "--replay", str(SAMPLES / "capture.warc.gz"), "--format", "html", "--out", str(out), "-q",
        "--consultant", "Jane Doe Consulting", "--logo", str(LOGO), "--notes", str(notes),
        "--page-size", "Letter",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    audit = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    names = {c["name"] for c in audit["companies"]}
    assert {"Acme Books", "Quill", "Northwind Ledger Ltd"} <= names
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Prepared by Jane Doe Consulting" in html and 'class="logo"' in html
    assert "Consultant's notes" in html and "<strong>help center</strong>" in html and "&lt;b&gt;raw" in html
    assert html.index('id="summary"') < html.index('id="notes"') < html.index('id="comparison"')


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--notes", "missing.md"], "missing.md: cannot read it (No such file"),
        (["--logo", "missing.png"], "theme logo not found"),
        (["--companies", "missing.csv"], "--companies missing.csv: cannot read it (No such file"),
    ],
)
def test_bad_consultant_input_is_one_line_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["audit", "https://acme.test/", "--out", str(out), *args])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.output
    assert not (out / "audit.json").exists()

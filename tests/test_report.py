"""The report stage: view model, charts, CSV exports, HTML and PDF from the hand-written sample audit."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="engage-mpl-"))

import jsonschema

from report_templates.export import findings_csv, scores_csv
from report_templates.render import (
    PACKAGE_DIR,
    PackageURLFetcher,
    render_html,
    render_pdf,
    write_reports,
)
from report_templates.view import build_view, format_date

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "audit_sample.json"
SCHEMA = ROOT / "audit" / "audit.schema.json"

COMPANIES = ("Acme Books", "Northwind Ledger", "BrightBooks", "Quillpay", "TallyBook")
SECTIONS = (
    "Customer engagement audit",
    "Contents",
    "Executive summary",
    "Comparison",
    "Responsiveness",
    "Dimensions in detail",
    "Gaps and advantages",
    "Recommendations",
    "Methodology",
    "Appendix: evidence",
)
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '<img src="file:///etc/passwd">'

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def load_sample() -> dict[str, Any]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def pdf_info(path: Path) -> dict[str, str]:
    env = {**os.environ, "TZ": "UTC"}
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True, env=env).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.fixture(scope="module")
def audit() -> dict[str, Any]:
    return load_sample()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("report")
    paths = write_reports(
        load_sample(), out, ["html", "pdf", "csv", "json"], consultant="Northbridge Advisory"
    )
    return {p.name: p for p in paths}


# --- the sample itself ------------------------------------------------------------------------------


def test_sample_validates_against_schema(audit: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(audit)
    statuses = {r["status"] for c in audit["companies"] for d in c["dimensions"] for r in d["rules"]}
    assert statuses == {"ok", "n/a", "error"}
    assert any(v is None for c in audit["companies"] for v in c["metrics"].values())


# --- view model -------------------------------------------------------------------------------------


def test_view_summary(audit: dict[str, Any]) -> None:
    view = build_view(audit, charts=False)
    assert view.client == "Acme Books"
    assert view.competitors == ("Northwind Ledger", "Quillpay", "BrightBooks", "TallyBook")
    assert view.date == "23 November 2026"
    assert view.rank_text == "2 of 5"
    assert view.overall_score == "57"
    assert (view.level.level, view.level.name) == (3, "Conversational")
    assert view.level.steps == (True, True, True, False, False)
    assert view.level_description.startswith("Forums, comments and chat")
    assert [s.title for s in view.strengths] == [
        "Community",
        "Self-service knowledge",
        "Trust & transparency",
    ]
    assert view.strengths[1].detail == "72 against a peer median of 46 (+26)"
    assert [g.title for g in view.gaps_summary] == ["Live chat", "Status page", "Reply promise"]
    assert view.charts == {}


def test_view_gaps_fall_back_to_weakest_dimensions(audit: dict[str, Any]) -> None:
    data = copy.deepcopy(audit)
    data["gaps"] = [g for g in data["gaps"] if g["kind"] == "advantage"]
    view = build_view(data, charts=False)
    assert [g.title for g in view.gaps_summary] == [
        "Real-time support",
        "Responsiveness",
        "Channel presence & reach",
    ]
    assert view.gaps_summary[0].detail == "0 against a peer median of 32 (−32)"


def test_channel_matrix_distinguishes_not_found_from_not_measured(audit: dict[str, Any]) -> None:
    view = build_view(audit, charts=False)
    names = view.company_names
    rows = {r.channel: dict(zip(names, r.cells, strict=True)) for r in view.channel_rows}
    assert rows["social"]["Acme Books"].text == "found (2)"
    assert rows["chat"]["Acme Books"].text == "not found"
    assert rows["chat"]["BrightBooks"].text == "not measured"  # chat_widgets probe failed
    assert rows["community"]["Quillpay"].state == "unknown"  # community probe errors
    assert rows["faq"]["TallyBook"].symbol == "●"


def test_metric_rows_show_reason_for_null(audit: dict[str, Any]) -> None:
    view = build_view(audit, charts=False)
    names = view.company_names
    rows = {r.metric: dict(zip(names, r.cells, strict=True)) for r in view.metric_rows}
    assert rows["site.ttfb_ms_median"]["TallyBook"].value == "1,480 ms"
    assert rows["community.first_staff_reply_hours_median"]["Acme Books"].value == "31 h"
    assert rows["community.topics_per_week"]["Northwind Ledger"].value == "62.5 / week"
    cell = rows["site.ttfb_ms_median"]["BrightBooks"]
    assert (cell.value, cell.measured) == ("not measured", False)
    assert cell.reason == "timed out after 3 attempts (10 s each)"


def test_dimension_sections_put_client_first_and_keep_statuses(audit: dict[str, Any]) -> None:
    view = build_view(audit, charts=False)
    community = next(s for s in view.dimension_sections if s.id == "community")
    assert community.companies[0].company == "Acme Books"
    quillpay = next(c for c in community.companies if c.company == "Quillpay")
    assert quillpay.score == "error"
    assert {r.status for r in quillpay.rules} == {"error"}
    tally = next(c for c in community.companies if c.company == "TallyBook")
    assert tally.rules[0].tried and tally.rules[1].status_label == "n/a"


def test_format_date_is_locale_free() -> None:
    assert format_date("2026-01-05T00:00:00+00:00") == "5 January 2026"
    assert format_date("garbage") == "garbage"


# --- charts -----------------------------------------------------------------------------------------


def test_charts_are_titled_accessible_and_deterministic(audit: dict[str, Any]) -> None:
    first = build_view(audit).charts
    second = build_view(audit).charts
    assert set(first) == {"dimensions", "overall"}
    for key, chart in first.items():
        assert chart.svg == second[key].svg
        assert chart.title and chart.alt
        assert chart.svg.startswith("<svg ")
        assert 'role="img"' in chart.svg and "<title>" in chart.svg
        assert "<dc:date>" not in chart.svg
    assert "Acme Books 64" in first["dimensions"].alt
    assert "peer median 66" in first["dimensions"].alt
    assert first["overall"].alt.index("Northwind Ledger") < first["overall"].alt.index("Acme Books")


# --- CSV --------------------------------------------------------------------------------------------


def test_scores_csv_rows(audit: dict[str, Any]) -> None:
    lines = scores_csv(audit).split("\n")
    assert lines[0] == "company,role,rank,dimension_id,dimension,score,level,status,model_id,model_version"
    assert lines[1] == "Northwind Ledger,competitor,1,overall,Overall,79.3,4,ok,engage-maturity,1.0.0"
    assert "Acme Books,client,2,presence,Channel presence & reach,64,4,ok,engage-maturity,1.0.0" in lines
    assert "Quillpay,competitor,3,community,Community,,,error,engage-maturity,1.0.0" in lines
    assert len(lines) == 1 + 5 * 9 + 1  # header, 5 companies × (overall + 8 dimensions), final newline
    assert "\r" not in scores_csv(audit)


def test_findings_csv_rows(audit: dict[str, Any]) -> None:
    text = findings_csv(audit)
    lines = text.split("\n")
    assert lines[0] == "company,channel,kind_key,kind,url,source_url,snippet,method"
    assert lines[4] == (
        "Northwind Ledger,chat,vendor,Intercom,https://northwind.test/,https://northwind.test/,"
        "script widget.intercom.io/widget/nw1,rendered"
    )
    assert (
        "Acme Books,community,platform,discourse,https://community.acme.test/,https://acme.test/,"
        "Discourse generator meta,html"
    ) in lines
    items = sum(len(v) for c in audit["companies"] for v in c["channels"].values())
    assert text.count("\n") == items + 1


# --- HTML -------------------------------------------------------------------------------------------


def test_html_is_self_contained_and_escapes_scraped_text(reports: dict[str, Path]) -> None:
    html = reports["report.html"].read_text(encoding="utf-8")
    assert XSS_SCRIPT not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "<script" not in html.lower()
    assert not re.search(r"""<[^>]*\ssrc\s*=|url\(\s*['"]?(https?:|file:|//)|@import""", html)
    assert 'href="file:' not in html
    assert html.count("<svg ") == 2
    for title in SECTIONS:
        assert title in html
    assert "Prepared by Northbridge Advisory" in html


def test_html_and_csv_identical_across_renders(tmp_path: Path, reports: dict[str, Path]) -> None:
    paths = write_reports(load_sample(), tmp_path, ["html", "csv"], consultant="Northbridge Advisory")
    assert sorted(p.name for p in paths) == ["findings.csv", "report.html", "scores.csv"]
    for path in paths:
        assert path.read_bytes() == reports[path.name].read_bytes(), path.name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["findings.csv", "report.html", "scores.csv"]


def test_write_reports_rejects_unknown_format_and_page_size(tmp_path: Path, audit: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="format"):
        write_reports(audit, tmp_path, ["docx"])
    with pytest.raises(ValueError, match="page size"):
        write_reports(audit, tmp_path, ["html"], page_size="A3")
    assert list(tmp_path.iterdir()) == []


# --- url fetcher ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://acme.test/logo.svg",
        "data:text/plain,hello",
        (PACKAGE_DIR / "fonts" / ".." / ".." / "pyproject.toml").as_uri(),
        (PACKAGE_DIR / "render.py").as_uri(),
    ],
)
def test_url_fetcher_refuses_everything_but_package_assets(url: str) -> None:
    fetcher = PackageURLFetcher()
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)
    assert fetcher.refused == [url] and fetcher.served == []


def test_url_fetcher_serves_shipped_font() -> None:
    fetcher = PackageURLFetcher()
    url = (PACKAGE_DIR / "fonts" / "Inter-Regular.otf").as_uri()
    response = fetcher.fetch(url)
    assert response.read()[:4] == b"OTTO"
    assert fetcher.served == [url]


def test_pdf_never_fetches_scraped_urls(audit: dict[str, Any]) -> None:
    data = copy.deepcopy(audit)
    acme = next(c for c in data["companies"] if c["role"] == "client")
    acme["channels"]["blog"].append(
        {
            "url": "file:///etc/passwd",
            "evidence": {"source_url": "http://evil.test/x.png", "snippet": XSS_IMG},
        }
    )
    acme["dimensions"][0]["rules"][0]["evidence"].append({"url": "http://evil.test/pixel.gif"})
    fetcher = PackageURLFetcher()
    pdf = render_pdf(build_view(data), fetcher=fetcher)
    assert pdf.startswith(b"%PDF-")
    assert fetcher.requested, "the shipped fonts should be loaded through the fetcher"
    assert all(u.startswith((PACKAGE_DIR / "fonts").as_uri()) for u in fetcher.requested)
    assert not any("passwd" in u or "evil.test" in u for u in fetcher.requested)
    html = render_html(build_view(data, charts=False))
    assert 'href="file:' not in html and "<img" not in html


# --- PDF --------------------------------------------------------------------------------------------


@needs_poppler
def test_pdf_text_has_companies_sections_recommendations(
    reports: dict[str, Path], audit: dict[str, Any]
) -> None:
    text = pdf_text(reports["report.pdf"])
    for name in COMPANIES:
        assert name in text
    for title in SECTIONS:
        assert title.lower() in text.lower()
    assert "Executive summary" in text and "Appendix: evidence" in text
    for rec in audit["recommendations"]:
        assert rec["title"] in text
    assert "23 November 2026" in text
    assert "Prepared by Northbridge Advisory" in text
    assert "2 of 5" in text
    assert XSS_SCRIPT in text and XSS_IMG in text
    assert re.search(r"Page 3 of \d+", text)
    assert "timed out after 3 attempts" in text


@needs_poppler
def test_pdf_pages_fonts_and_size(reports: dict[str, Path]) -> None:
    info = pdf_info(reports["report.pdf"])
    assert 12 <= int(info["Pages"]) <= 40
    assert info["Page size"].startswith("595.276 x 841.89")
    fonts = subprocess.run(["pdffonts", str(reports["report.pdf"])], capture_output=True, text=True).stdout
    families = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert families and all(f.startswith("Inter") for f in families), families


@needs_poppler
def test_letter_page_size(tmp_path: Path, audit: dict[str, Any]) -> None:
    (path,) = write_reports(audit, tmp_path, ["pdf"], page_size="Letter")
    assert pdf_info(path)["Page size"].startswith("612 x 792")


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_check_passes(reports: dict[str, Path]) -> None:
    result = subprocess.run(["qpdf", "--check", str(reports["report.pdf"])], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pdf_bytes_deterministic_and_honour_source_date_epoch(
    audit: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    view = build_view(audit)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plain = render_pdf(view)
    assert render_pdf(view) == plain
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    dated = render_pdf(view)
    assert render_pdf(view) == dated
    if shutil.which("pdfinfo"):
        paths = tmp_path / "plain.pdf", tmp_path / "dated.pdf"
        paths[0].write_bytes(plain)
        paths[1].write_bytes(dated)
        assert "CreationDate" not in pdf_info(paths[0]) and "ModDate" not in pdf_info(paths[0])
        assert pdf_info(paths[1])["CreationDate"] == "Wed Nov 18 11:06:40 2026 UTC"

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
from report_templates.options import ReportOptions
from report_templates.render import (
    PACKAGE_DIR,
    PackageURLFetcher,
    render_html,
    render_pdf,
    write_reports,
)
from report_templates.theme import Theme, theme_from
from report_templates.view import build_view, format_date

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SAMPLE = DATA / "audit_sample.json"
LOGO = DATA / "logo.svg"
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
    "Stated promises and measured replies",
    "Page response times",
    "Recommendations",
    "Methodology",
    "Appendix: evidence",
    "Curves",
    "Crawl",
    "Limitations",
    "Rendered pages",
    "Looked for but not found",
    "All metrics",
)
THEME = {"consultant": "Northbridge Advisory", "logo": str(LOGO), "accent": "#7a1f5c"}
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


#: SOURCE_DATE_EPOCH of the module's report: Wed Nov 18 11:06:40 2026 UTC.
REPORT_EPOCH = "1795000000"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample report in every format, rendered once: the PDF tests read this one PDF."""
    out = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", REPORT_EPOCH)
        paths = write_reports(
            load_sample(),
            out,
            ReportOptions(("html", "pdf", "csv", "json"), consultant="Engage", theme=THEME, run_dir=DATA),
        )
    return {p.name: p for p in paths}


def one_company(audit: dict[str, Any]) -> dict[str, Any]:
    """The sample cut to its client: a short report, for tests of what any PDF must be."""
    return {**audit, "companies": [c for c in audit["companies"] if c["role"] == "client"]}


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
    assert rows["chat"]["BrightBooks"].text == "error"  # chat_widgets probe failed: an error, in words
    assert rows["community"]["Quillpay"].state == "error"  # community probe errors
    assert rows["faq"]["TallyBook"].symbol == "●"


def test_metric_rows_show_reason_for_null(audit: dict[str, Any]) -> None:
    view = build_view(audit, charts=False)
    names = view.company_names
    rows = {r.metric: dict(zip(names, r.cells, strict=True)) for r in view.metric_rows}
    assert rows["site.ttfb_ms_median"]["TallyBook"].value == "1,480 ms"
    assert rows["community.first_staff_reply_hours_median"]["Acme Books"].value == "31 h"
    assert rows["community.topics_per_week"]["Northwind Ledger"].value == "62.5 per week"
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
    assert tally.rules[0].tried and tally.rules[1].status_label == "not measured"
    assert tally.rules[0].status_label == "not found" and tally.rules[0].status == "missing"


def test_format_date_is_locale_free() -> None:
    assert format_date("2026-01-05T00:00:00+00:00") == "5 January 2026"
    assert format_date("garbage") == "garbage"


# --- charts -----------------------------------------------------------------------------------------


def test_charts_are_titled_accessible_and_deterministic(audit: dict[str, Any]) -> None:
    first = build_view(audit).charts
    second = build_view(audit).charts
    assert set(first) == {"dimensions", "overall", "replies"}
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
    assert XSS_SCRIPT not in html and XSS_IMG not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "<script" not in html.lower()
    sources = re.findall(r'<img [^>]*src="([^"]*)"', html)
    assert len(sources) == 3  # the logo and the client's two screenshots; not the two outside the run dir
    assert all(src.startswith(("data:image/png;base64,", "data:image/svg+xml;base64,")) for src in sources)
    assert not re.search(r"""url\(\s*['"]?(https?:|file:|//)|@import""", html)
    assert 'href="file:' not in html
    assert html.count("<svg ") == 3
    for title in SECTIONS:
        assert title in html
    assert "Prepared by Northbridge Advisory" in html


def test_html_and_csv_identical_across_renders(tmp_path: Path, reports: dict[str, Path]) -> None:
    paths = write_reports(load_sample(), tmp_path, ReportOptions(("html", "csv"), theme=THEME, run_dir=DATA))
    assert sorted(p.name for p in paths) == ["findings.csv", "report.html", "scores.csv"]
    for path in paths:
        assert path.read_bytes() == reports[path.name].read_bytes(), path.name
    names = ["findings.csv", "report.html", "scores.csv", "theme-logo.svg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names


def test_write_reports_rejects_unknown_format_and_page_size(tmp_path: Path, audit: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="format"):
        write_reports(audit, tmp_path, ReportOptions(("docx",)))
    with pytest.raises(ValueError, match="page size"):
        write_reports(audit, tmp_path, ReportOptions(("html",), page_size="A3"))
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
    data = copy.deepcopy(one_company(audit))
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
    assert all(u.startswith((PACKAGE_DIR / "fonts").as_uri()) for u in fetcher.requested)  # no run dir
    assert not any("passwd" in u or "evil.test" in u for u in fetcher.requested)
    html = render_html(build_view(data, charts=False))
    assert 'href="file:' not in html and "<img" not in html  # no run dir: no screenshots, no logo


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
    assert "Prepared by Northbridge Advisory" in text  # the theme's consultant beats the setting
    assert "2 of 5" in text
    assert "p90 70 h" in text and "n = 14 · 90-day window" in text  # ranges, sample sizes, windows
    assert "no published promise" in text and "cannot be checked" in text  # promises vs measured
    assert "2 h scores 90 · 24 h scores 50" in text  # model curves in the methodology
    assert "Screenshot" not in text and "https://acme.test/contact" in text
    # scraped markup is never markup: where an excerpt is shown it is literal text (the appendix lists
    # channels and pages; excerpts stay in findings.csv and audit.json)
    assert "<script>alert(1)<" in text and XSS_IMG in text
    assert re.search(r"Page 3 of \d+", text)
    assert "timed out after 3 attempts" in text


@needs_poppler
def test_pdf_pages_fonts_and_size(reports: dict[str, Path]) -> None:
    info = pdf_info(reports["report.pdf"])
    assert 14 <= int(info["Pages"]) <= 40
    assert info["Page size"].startswith("595.276 x 841.89")
    fonts = subprocess.run(["pdffonts", str(reports["report.pdf"])], capture_output=True, text=True).stdout
    families = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert families and all(f.startswith("Inter") for f in families), families


@needs_poppler
def test_letter_page_size(tmp_path: Path, audit: dict[str, Any]) -> None:
    (path,) = write_reports(one_company(audit), tmp_path, ReportOptions(("pdf",), page_size="Letter"))
    assert pdf_info(path)["Page size"].startswith("612 x 792")


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_check_passes(reports: dict[str, Path]) -> None:
    result = subprocess.run(["qpdf", "--check", str(reports["report.pdf"])], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pdf_bytes_deterministic_and_honour_source_date_epoch(
    audit: dict[str, Any], reports: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # With SOURCE_DATE_EPOCH the module's PDF carries it; that such a PDF is the same bytes on every
    # render is test_report_samples' byte comparison of the committed demo report. Without it: the
    # same bytes each time too, and no dates at all (a short report: the renderer is what is tested).
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    view = build_view(one_company(audit))
    plain = render_pdf(view)
    assert render_pdf(view) == plain
    if shutil.which("pdfinfo"):
        (tmp_path / "plain.pdf").write_bytes(plain)
        assert "CreationDate" not in pdf_info(tmp_path / "plain.pdf")
        assert "ModDate" not in pdf_info(tmp_path / "plain.pdf")
        assert pdf_info(reports["report.pdf"])["CreationDate"] == "Wed Nov 18 11:06:40 2026 UTC"


# --- issue 8: theme, screenshots, run-dir fetcher, tagged PDF ------------------------------------------


def test_view_responsiveness_reads_metric_names_generically(audit: dict[str, Any]) -> None:
    view = build_view(audit, charts=False)
    names = view.company_names
    rows = {r.measure: dict(zip(names, r.cells, strict=True)) for r in view.response_rows}
    acme = rows["community.first_reply_hours"]["Acme Books"]
    assert (acme.value, acme.range, acme.sample) == ("9.5 h", "p10–p90 2 h – 40 h", "n = 14 · 90-day window")
    north = rows["community.first_staff_reply_hours"]["Northwind Ledger"]
    assert (north.range, north.sample) == ("p90 9 h", "n = 50 · 60-day window")
    pages = {r.measure: dict(zip(names, r.cells, strict=True)) for r in view.page_rows}
    assert pages["site.ttfb_ms"]["Acme Books"].sample == "n = 40"
    promises = {p.company: p for p in view.promise_rows}
    assert (promises["Northwind Ledger"].verdict, promises["Northwind Ledger"].state) == ("kept", "kept")
    assert promises["Acme Books"].verdict == "no published promise"
    assert view.trend is None and all(e.anchor != "trend" for e in view.toc)


def test_trend_section_only_with_history(audit: dict[str, Any]) -> None:
    runs = [{"run_id": 1}, {"run_id": 2}]
    changes = [{"kind": "channel_gained", "company": "Acme Books", "text": "Acme Books <b>gained</b> chat"}]
    view = build_view({**audit, "history": {"runs": runs, "changes": changes}}, charts=False)
    assert view.trend is not None and view.trend.audits == "2 audits under this model"
    assert [c.text for c in view.trend.channels] == ["Acme Books <b>gained</b> chat"]
    assert "Acme Books &lt;b&gt;gained&lt;/b&gt; chat" in render_html(view)
    assert any(e.anchor == "trend" for e in view.toc)
    assert 'id="trend"' in render_html(view) and 'id="trend"' not in render_html(
        build_view(audit, charts=False)
    )


def test_screenshots_only_from_inside_the_run_dir(audit: dict[str, Any]) -> None:
    view = build_view(audit, charts=False, run_dir=DATA)
    acme = next(a for a in view.appendix if a.company == "Acme Books")
    assert [s.caption for s in acme.screenshots] == ["https://acme.test/", "https://acme.test/contact"]
    assert all(s.file_uri.startswith("engage-run:screenshots/") for s in acme.screenshots)
    assert all(s.alt.startswith("Screenshot of https://acme.test/") for s in acme.screenshots)
    assert build_view(audit, charts=False).appendix[0].screenshots == ()  # no run dir, no images


def test_run_fetcher_serves_run_images_only(tmp_path: Path) -> None:
    (tmp_path / "shot.png").write_bytes((DATA / "screenshots" / "acme-home.png").read_bytes())
    (tmp_path / "audit.json").write_text("{}")
    fetcher = PackageURLFetcher(run_dirs=(tmp_path,))
    assert fetcher.fetch("engage-run:shot.png").read()[:4] == b"\x89PNG"
    for url in ("engage-run:audit.json", "engage-run:../../etc/passwd", (tmp_path / "shot.png").as_uri()):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_theme_accent_and_client_name(audit: dict[str, Any]) -> None:
    theme = Theme(accent="#7a1f5c", client_name="Acme Books Ltd")
    view = build_view(audit, charts=True, theme=theme)
    assert view.client == "Acme Books Ltd" and view.company_names[0] == "Acme Books Ltd"
    assert 'fill="#7a1f5c"' in view.charts["overall"].svg
    html = render_html(view)
    assert "--accent: #7a1f5c;" in html
    with pytest.raises(ValueError, match="hex colour"):
        theme_from({"accent": "red; } body { display: none"})


@needs_poppler
def test_pdf_embeds_logo_and_screenshots(reports: dict[str, Path]) -> None:
    listing = subprocess.run(
        ["pdfimages", "-list", str(reports["report.pdf"])], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(listing) >= 2  # the two screenshots (raster); the SVG logo is drawn as vectors
    text = pdf_text(reports["report.pdf"])
    assert text.startswith("Northbridge")  # the logo's text, first on the cover


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_pdf_ua_variant_is_tagged_titled_and_has_alt_text(tmp_path: Path, audit: dict[str, Any]) -> None:
    small = {**audit, "companies": audit["companies"][:2]}
    (path,) = write_reports(
        small, tmp_path, ReportOptions(("pdf",), pdf_variant="pdf/ua-1", run_dir=DATA, theme=THEME)
    )
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    flat = tmp_path / "flat.pdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), str(flat)], check=True)
    raw = flat.read_bytes()
    assert b"/StructTreeRoot" in raw and b"/MarkInfo" in raw
    assert b"/Lang (en)" in raw
    assert b"pdfuaid:part>1<" in raw or b'pdfuaid:part="1"' in raw
    assert raw.count(b"/Alt ") >= 3 + 2  # three charts and two screenshots (the SVG logo too when tagged)
    assert pdf_info(path)["Title"] == "Customer engagement audit — Acme Books"
    with pytest.raises(ValueError, match="variant"):
        write_reports(audit, tmp_path, ReportOptions(("pdf",), pdf_variant="pdf/x-9"))


def test_chat_launcher_close_ups_are_captioned_and_laid_out_as_crops() -> None:
    html = (Path(__file__).resolve().parent.parent / "sample_reports" / "report.html").read_text()
    assert '<figure class="shot closeup">' in html
    assert "chat launcher, close-up: https://acme.test/" in html

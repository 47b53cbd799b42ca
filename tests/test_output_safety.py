"""Scraped text in the outputs: no mathtext, bounded lengths, no formula cells, no bidi controls, and the
CSVs kept when the PDF fails (issue 20, items 9, 10 and 15)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import report_templates.render as render
from audit.safe_text import (
    BIDI_CONTROLS,
    NAME_CHARS,
    bounded,
    csv_cell,
    display_name,
    for_display,
    strip_bidi,
)
from report_templates.export import findings_csv, scores_csv
from report_templates.options import ReportOptions
from report_templates.render import write_reports

DATA = Path(__file__).parent / "data"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def sample() -> dict[str, Any]:
    return json.loads((DATA / "audit_sample.json").read_text(encoding="utf-8"))


def renamed(audit: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """The sample with its companies called ``names`` (gaps' have/lack follow)."""
    old = [c["name"] for c in audit["companies"]]
    swap = dict(zip(old, names, strict=False))
    for company in audit["companies"]:
        company["name"] = swap.get(company["name"], company["name"])
    for gap in audit.get("gaps", []):
        gap["have"] = [swap.get(n, n) for n in gap.get("have", [])]
        gap["lack"] = [swap.get(n, n) for n in gap.get("lack", [])]
    return audit


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- item 9: chart labels are plain text, names are bounded, CSVs come first ----------------------------
MATHTEXT = ["Cash$$", r"$\invalid{x}$", "$$", r"Acme \$ $x^2$ Ltd"]


def test_mathtext_in_company_names_is_drawn_as_plain_text(tmp_path: Path) -> None:
    audit = renamed(sample(), MATHTEXT)
    written = write_reports(audit, tmp_path, ReportOptions(("html", "pdf", "csv"), run_dir=DATA))
    assert {p.name for p in written} == {"report.html", "report.pdf", "scores.csv", "findings.csv"}
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Cash$$" in html and r"$\invalid{x}$" in html  # the names as typed, in tables and chart labels
    svg_labels = re.findall(r"<text[^>]*>([^<]*)</text>", html)
    assert "Cash$$" in svg_labels  # a chart label, not parsed as mathtext


def test_a_huge_site_name_is_bounded_wherever_it_is_shown(tmp_path: Path) -> None:
    huge = "Megacorp " + "x" * 100_000  # a 100 KB og:site_name
    audit = renamed(sample(), [huge, "Bee " + "y" * 10_000])
    write_reports(
        audit, tmp_path, ReportOptions(("html", "pdf", "csv"), run_dir=DATA)
    )  # pytest-timeout is the clock
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "x" * NAME_CHARS not in html and "y" * NAME_CHARS not in html
    assert display_name(huge) in html and len(display_name(huge)) == NAME_CHARS
    assert display_name(huge).endswith("…")
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")


def test_csvs_are_written_before_the_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> bytes:
        raise RuntimeError("the PDF renderer failed")

    monkeypatch.setattr(render, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        write_reports(sample(), tmp_path, ReportOptions(("html", "pdf", "csv"), run_dir=DATA))
    assert (tmp_path / "scores.csv").stat().st_size > 0
    assert (tmp_path / "findings.csv").stat().st_size > 0
    assert (tmp_path / "report.html").stat().st_size > 0
    assert not (tmp_path / "report.pdf").exists()


# --- item 10: CSV formula injection ---------------------------------------------------------------------
FORMULAS = ['=HYPERLINK("http://evil.test","x")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)"]


def test_formula_cells_are_neutralised_and_numbers_kept(tmp_path: Path) -> None:
    audit = renamed(sample(), FORMULAS)
    contact = audit["companies"][0]["channels"]["contact"]
    contact.append(
        {
            "url": "mailto:=1+1@evil.test",
            "email": "=1+1@evil.test",
            "evidence": {"source_url": "\tx", "snippet": "\r=cmd", "method": "html"},
        }
    )
    audit["companies"][1]["overall"]["score"] = -5.0  # a number, however odd: not a formula
    scores = rows(scores_csv(audit))
    findings = rows(findings_csv(audit))
    for row in scores + findings:
        for column, cell in row.items():
            if column in ("rank", "score", "level"):
                continue
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    names = {r["company"] for r in scores}
    assert {"'" + f for f in FORMULAS} <= names
    assert any(r["score"] == "-5" for r in scores)
    email = next(r for r in findings if "evil.test" in r["url"])
    assert email["url"] == "mailto:=1+1@evil.test"  # not at the start: no formula
    assert email["source_url"] == "'\tx" and email["snippet"] == "'\n=cmd"
    # the raw values stay in the audit document
    assert audit["companies"][0]["name"] == FORMULAS[0]


def test_csv_cell() -> None:
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("-3") == "'-3"  # in a text column it is text
    assert csv_cell("Acme") == "Acme"
    assert csv_cell("\u202e=1") == "'=1"  # a bidi control cannot hide the formula start


# --- item 15: bidi controls --------------------------------------------------------------------------------
SPOOF = "gnp\u202e.exe"  # displayed as "exe.png" by a bidi-aware renderer


def test_bidi_controls_never_reach_the_report_or_the_csvs(tmp_path: Path) -> None:
    audit = renamed(sample(), [f"Acme {SPOOF}", "\u2066North\u2069wind\u200f", "Bright\u061cBooks"])
    contact = audit["companies"][0]["channels"]["contact"][0]
    contact["evidence"]["snippet"] = f"download {SPOOF} now \u202a\u202b\u202c\u202d\u2067\u2068\u200e"
    write_reports(audit, tmp_path, ReportOptions(("html", "csv"), run_dir=DATA))
    for name in ("report.html", "scores.csv", "findings.csv"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert not set(text) & set(BIDI_CONTROLS), name
    assert "Acme gnp.exe" in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Northwind" in (tmp_path / "scores.csv").read_text(encoding="utf-8")
    assert audit["companies"][0]["name"] == f"Acme {SPOOF}"  # audit.json keeps the raw value


@needs_poppler
def test_bidi_controls_never_reach_the_pdf(tmp_path: Path) -> None:
    audit = renamed(sample(), [f"Acme {SPOOF}"])
    write_reports(audit, tmp_path, ReportOptions(("pdf",), run_dir=DATA))
    text = pdf_text(tmp_path / "report.pdf")
    assert not set(text) & set(BIDI_CONTROLS)
    assert "gnp.exe" in text


def test_the_helpers() -> None:
    assert strip_bidi("a\u202eb\u2066c\u200ed\u061ce") == "abcde"
    assert bounded("abcdef", 4) == "abc…" and bounded("abc", 4) == "abc"
    assert display_name("  two\n lines ") == "two lines"
    shown = for_display({"companies": [{"name": "n" * 500, "text": "t\u202e" * 3000}], "x": 1.5})
    assert len(shown["companies"][0]["name"]) == NAME_CHARS
    assert "\u202e" not in shown["companies"][0]["text"] and shown["x"] == 1.5


def test_the_terminal_never_shows_bidi_controls_or_a_huge_name(capsys: pytest.CaptureFixture[str]) -> None:
    from audit.progress import PlainReporter
    from audit.summary import from_audit

    audit = renamed(sample(), [f"Acme {SPOOF} " + "z" * 5000])
    audit["companies"][0]["errors"].insert(0, {"stage": "gather", "message": f"time budget spent {SPOOF}"})
    line = from_audit(audit, 3, "out", ("audit.json",)).line()
    assert "Acme gnp.exe" in line and "z" * NAME_CHARS not in line
    PlainReporter().line(line)
    PlainReporter().warning(f"{SPOOF}: home page http://x.test/: HTTP 502")
    err = capsys.readouterr().err
    assert "gnp.exe" in err and not set(err) & set(BIDI_CONTROLS)

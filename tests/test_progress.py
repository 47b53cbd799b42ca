"""Progress and the run summary: a live table on a terminal; piped, warnings and one summary line on stderr.

The CLI runs here with stderr captured (not a terminal), as under cron; the terminal display is rendered
into a rich Console forced to be a terminal. No sleeps, no wall-clock assertions: the display's clock is
a fake one.
"""

from __future__ import annotations

import io
import json
import re
import socket
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from rich.console import Console

from audit.cli import main
from audit.fixture_web import FixtureWeb
from audit.fixture_web.activity import API_BASES
from audit.models import SiteCapture
from audit.progress import LinesReporter, LiveReporter, PlainReporter, Reporter, make_reporter
from audit.summary import CompanyTally, RunSummary, from_audit

ROOT = Path(__file__).parents[1]
SAMPLE_CAPTURE = ROOT / "sample_reports" / "capture.warc.gz"  # the demo market: acme.test + 4 competitors
SUMMARY = re.compile(r"^engage: (audited|gathered|scored|reported on) ")


@pytest.fixture()
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replay, score and report never touch the network."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def stderr_lines(result: Result) -> list[str]:
    return result.stderr.strip().splitlines()


def summary_lines(result: Result) -> list[str]:
    return [line for line in stderr_lines(result) if SUMMARY.match(line)]


def audit_of(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / "audit.json").read_text(encoding="utf-8")))


def pages_of(audit: dict[str, Any]) -> int:
    return sum(c["crawl"]["pages"] for c in audit["companies"])


# -- piped: the CLI ---------------------------------------------------------------------------------------


def test_a_piped_audit_ends_with_one_summary_line_and_nothing_else(
    fixture_web: FixtureWeb, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = cli(
        "audit",
        "http://acme.test/",
        "-c",
        "http://northwind.test/",
        "--out",
        str(out),
        "--proxy",
        fixture_web.proxy_url,
        "--render",
        "never",
        "--format",
        "json",
        "--max-pages",
        "5",
        *(f"--api-base={name}={base}" for name, base in API_BASES.items()),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # stdout stays free for results; progress never goes there
    audit = audit_of(out)
    assert stderr_lines(result) == [
        f"engage: audited 2 companies, {pages_of(audit)} pages, no errors; "
        f"wrote audit.json, capture.warc.gz to {out}; exit 0 = done"
    ]
    assert pages_of(audit) >= 10  # both companies crawled up to the cap of 5 pages (API answers count too)


def test_exit_3_names_the_failed_company_even_with_quiet(
    fixture_web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_CHROMIUM", str(tmp_path / "no-chromium-here"))
    out = tmp_path / "out"
    result = cli(
        "audit",
        "http://acme.test/",
        "-c",
        "http://nowhere.test/",
        "--out",
        str(out),
        "--proxy",
        fixture_web.proxy_url,
        "--format",
        "json",
        "--max-pages",
        "5",
        "-q",
    )
    assert result.exit_code == 3, result.output
    lines = stderr_lines(result)
    assert (
        f"engage: warning: Chromium not found at {tmp_path / 'no-chromium-here'}: static-only audit" in lines
    )
    assert any(
        line.startswith("engage: warning: nowhere.test: home page http://nowhere.test/: HTTP 502")
        for line in lines
    ), lines
    summary = lines[-1]
    assert summary_lines(result) == [summary]
    assert summary.startswith(f"engage: audited 2 companies, {pages_of(audit_of(out))} pages, ")
    assert "1 company failed: nowhere.test — home page http://nowhere.test/: HTTP 502" in summary
    assert summary.endswith(
        f"wrote audit.json, capture.warc.gz to {out}; exit 3 = partial results " + PARTIAL
    )


PARTIAL = "(some company or probe failed; the failures are listed in audit.json)"


def replayed(tmp_path: Path, *extra: str) -> Result:
    out = tmp_path / "replayed"
    return cli("audit", "http://acme.test/", "--replay", str(SAMPLE_CAPTURE), "--out", str(out), *extra)


def test_a_replayed_audit_under_a_failed_gate_says_so_then_counts(tmp_path: Path, no_sockets: None) -> None:
    result = replayed(tmp_path, "--format", "json", "--fail-under", "L5")
    assert result.exit_code == 4, result.output
    audit = audit_of(tmp_path / "replayed")
    page_problems = sum(1 for c in audit["companies"] for e in c["errors"] if e["stage"] == "page")
    assert page_problems >= 1  # the sample's Quillpay status page is unreachable
    errors = "1 error" if page_problems == 1 else f"{page_problems} errors"
    problems = "1 page problem" if page_problems == 1 else f"{page_problems} page problems"
    lines = stderr_lines(result)
    assert len(lines) == 2, result.stderr  # nothing but Engage's lines (a stray traceback fails it)
    gate, summary = lines
    assert gate.startswith("engage: gate failed: --fail-under: Acme Books:")
    assert summary == (
        f"engage: audited {len(audit['companies'])} companies, {pages_of(audit)} pages, {errors} "
        f"({problems}, listed in audit.json); wrote audit.json to {tmp_path / 'replayed'}; "
        "exit 4 = a gate failed (every output written)"
    )


def test_an_error_before_anything_is_written_is_one_line(tmp_path: Path) -> None:
    result = cli(
        "audit", "http://acme.test/", "--out", str(tmp_path / "out"), "--model", str(tmp_path / "none")
    )
    assert result.exit_code == 1
    assert len(stderr_lines(result)) == 1 and stderr_lines(result)[0].startswith("engage: error: ")


def test_score_and_report_end_with_their_summary_line(tmp_path: Path, no_sockets: None) -> None:
    result = cli("score", str(SAMPLE_CAPTURE), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    (line,) = stderr_lines(result)
    assert line.startswith(f"engage: scored 5 companies, {pages_of(audit_of(tmp_path))} pages, ")
    assert line.endswith(f"; wrote audit.json to {tmp_path}; exit 0 = done")
    result = cli("report", str(tmp_path), "--format", "csv")
    assert result.exit_code == 0, result.output
    (line,) = stderr_lines(result)
    assert line.startswith("engage: reported on 5 companies, ")
    assert line.endswith(f"; wrote scores.csv, findings.csv to {tmp_path}; exit 0 = done")


def test_gather_summarizes_from_the_crawl(fixture_web: FixtureWeb, tmp_path: Path) -> None:
    common = [
        "--out",
        str(tmp_path),
        "--proxy",
        fixture_web.proxy_url,
        "--render",
        "never",
        "--max-pages",
        "3",
    ]
    result = cli("gather", "http://acme.test/", "-c", "http://nowhere.test/", *common)
    assert result.exit_code == 3, result.output
    lines = stderr_lines(result)
    assert len(lines) == 2, result.stderr  # nothing but Engage's lines (a stray traceback fails it)
    warning, summary = lines
    assert warning.startswith("engage: warning: nowhere.test: home page http://nowhere.test/: HTTP 502")
    assert re.fullmatch(
        r"engage: gathered 2 companies, \d+ pages, 1 error \(1 company failed: nowhere\.test — home page "
        rf"http://nowhere\.test/: HTTP 502[^)]*\); wrote capture\.warc\.gz to {re.escape(str(tmp_path))}; "
        r"exit 3 = partial results .*",
        summary,
    ), summary


# -- the reporters ----------------------------------------------------------------------------------------


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def capture_of(name: str, url: str, pages_ok: int, errors: list[str] | None = None) -> SiteCapture:
    capture = SiteCapture(name=name, url=url, role="competitor")
    capture.errors = list(errors or [])
    capture.stats = {"pages_ok": pages_ok, "duration_s": 1.0}
    return capture


def drive(report: Reporter, clock: FakeClock) -> None:
    """Two companies: Acme crawls four pages (one more fails) and is probed; Quillpay fails at its home."""
    report.company_started("http://acme.test/", "acme.test", 60, 120.0)
    report.company_started("http://quillpay.test/", "quillpay.test", 60, 120.0)
    for ok in (True, True, False, True):
        report.page_done("http://acme.test/", ok)
    clock.now += 10
    report("fixture web at http://127.0.0.1:1")  # the old progress(str) still works
    report.page_done("http://acme.test/", True)  # a frame while crawling: the ETA is the budget left
    report.company_finished("http://acme.test/", capture_of("Acme Books", "http://acme.test/", 4))
    report.company_finished(
        "http://quillpay.test/", capture_of("Quillpay", "http://quillpay.test/", 0, ["home page: HTTP 502"])
    )
    report.stage("http://acme.test/", "rendering")
    report.stage("http://acme.test/", "probing", "Acme Books")
    report.stage("http://quillpay.test/", "probing", "Quillpay")  # a failed company stays failed
    report.stage(None, "report")
    report.stage(None, "done")
    report.close()


def live(monkeypatch: pytest.MonkeyPatch, no_color: bool) -> str:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120, color_system="truecolor")
    clock = FakeClock()
    drive(LiveReporter(console, clock=clock, auto_refresh=False), clock)
    return buffer.getvalue()


ANSI = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")


def plain_text(output: str) -> str:
    return ANSI.sub("", output)


def colour_codes(output: str) -> list[str]:
    """SGR parameters that set a foreground or background colour."""
    found = []
    for params, command in ANSI.findall(output):
        if command != "m":
            continue
        for p in params.split(";"):
            if p.isdigit() and (30 <= int(p) <= 49 or 90 <= int(p) <= 107):
                found.append(p)
    return found


def test_the_terminal_display_has_a_row_per_company(monkeypatch: pytest.MonkeyPatch) -> None:
    text = plain_text(live(monkeypatch, no_color=False))
    assert "company" in text and "pages" in text and "stage" in text and "ETA" in text
    assert re.search(r"acme\.test\s+4/60\s.*crawling\s+10s\s+≤ 1m50s", text), text  # mid-crawl frame
    final = text[text.rindex("company") :]  # the last frame stays on the screen
    assert re.search(r"Acme Books\s+4/60\s.*done\s+10s", final), final
    assert re.search(r"Quillpay\s+0/60\s.*failed\s+10s", final), final
    assert "elapsed 10s" in final
    assert "· fixture web at http://127.0.0.1:1" in text
    assert "engage: warning: Quillpay: home page: HTTP 502 (the other companies go on)" in text


def test_the_terminal_display_honours_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    assert colour_codes(live(monkeypatch, no_color=False))  # the check below can see colour
    output = live(monkeypatch, no_color=True)
    assert colour_codes(output) == []
    assert "Acme Books" in plain_text(output)


def test_piped_output_is_warnings_only_until_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    clock = FakeClock()
    drive(PlainReporter(clock), clock)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "engage: warning: Quillpay: home page: HTTP 502 (the other companies go on)\n"


def test_a_lone_company_failing_is_not_also_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    report = PlainReporter()
    report.company_started("http://nowhere.test/", "nowhere.test", 60, 120.0)
    report.company_finished(
        "http://nowhere.test/", capture_of("nowhere.test", "http://nowhere.test/", 0, ["x"])
    )
    assert capsys.readouterr().err == ""  # alone, its failure is the run's error, said once


def test_reporters_for_terminals_pipes_and_quiet() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    console = Console(file=io.StringIO(), force_terminal=True)
    assert isinstance(make_reporter(False, stream=Tty(), console=console), LiveReporter)
    assert type(make_reporter(True, stream=Tty(), console=console)) is PlainReporter  # -q: warnings still
    assert type(make_reporter(False, stream=io.StringIO())) is PlainReporter
    dumb = Console(file=io.StringIO(), force_terminal=True, _environ={"TERM": "dumb"})
    assert type(make_reporter(False, stream=Tty(), console=dumb)) is PlainReporter


def test_pages_are_counted_exactly_from_many_threads() -> None:
    report = Reporter()
    report.company_started("http://acme.test/", "acme.test", 60, 120.0)
    threads = [
        threading.Thread(target=lambda: [report.page_done("http://acme.test/", True) for _ in range(500)])
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert report.rows()[0].pages == 4000


def test_a_plain_callable_still_gets_the_old_lines() -> None:
    lines: list[str] = []
    clock = FakeClock()
    report = LinesReporter(lines.append)
    report.clock = clock
    drive(report, clock)
    assert lines == [
        "crawling http://acme.test/",
        "crawling http://quillpay.test/",
        "fixture web at http://127.0.0.1:1",
        "Acme Books: 4 pages in 1.0 s",
        "Quillpay: 0 pages in 1.0 s",
        "warning: Quillpay: home page: HTTP 502 (the other companies go on)",
        "probing Acme Books",
        "probing Quillpay",
        "rendering the report",
    ]


def test_the_crawler_reports_each_page_it_fetches(fixture_web: FixtureWeb, tmp_path: Path) -> None:
    from audit.runner import Target, gather
    from audit.settings import load_settings

    settings = load_settings(proxy=fixture_web.proxy_url, max_pages=4, render="never", company_budget=60.0)
    report = Reporter()
    captures, _run = gather([Target("http://acme.test/", "client")], settings, tmp_path / "c.warc.gz", report)
    (row,) = report.rows()
    fetched = [p for p in captures[0].pages if p.ok and not p.found_via.startswith("api:")]
    assert row.pages == len(fetched) == 4
    assert row.tally is not None and row.tally.name == captures[0].name


def test_interrupted_after_audit_json_is_summarized(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = PlainReporter()
    report.writes_to(tmp_path)
    audit = {"companies": [{"name": "Acme", "overall": {"score": 50}, "crawl": {"pages": 7}, "errors": []}]}
    (tmp_path / "audit.json").write_text(json.dumps(audit), encoding="utf-8")
    report.failed(130, "engage: interrupted")
    assert capsys.readouterr().err.splitlines() == [
        "engage: interrupted",
        f"engage: audited 1 company, 7 pages, no errors; wrote audit.json to {tmp_path}; exit 130 = "
        "interrupted (what was gathered is written, flagged partial)",
    ]


def test_an_old_audit_json_is_not_this_runs_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "audit.json").write_text('{"companies": []}', encoding="utf-8")
    report = PlainReporter()
    report.writes_to(tmp_path)
    report.failed(1, "engage: error: something")
    assert capsys.readouterr().err.splitlines() == ["engage: error: something"]


def test_the_summary_line_names_failed_and_partial_companies() -> None:
    audit = {
        "companies": [
            {"name": "Acme", "overall": {"score": 50}, "crawl": {"pages": 20}, "errors": []},
            {
                "name": "Quillpay",
                "overall": {"score": 40},
                "crawl": {"pages": 3},
                "errors": [
                    {"stage": "gather", "message": "time budget of 120s spent after 3 page(s)"},
                    {"stage": "measure", "message": "not measured"},  # a gap, not an error
                ],
            },
            {
                "name": "Nowhere",
                "overall": {"score": None},
                "crawl": {"pages": 0},
                "errors": [
                    {"stage": "gather", "message": "interrupted: the crawl was stopped early"},
                    {"stage": "gather", "message": "home page http://nowhere.test/: HTTP 502"},
                ],
            },
        ]
    }
    line = from_audit(audit, 3, "out", ["audit.json"]).line()
    assert line == (
        "engage: audited 3 companies, 23 pages, 3 errors (1 company failed: Nowhere — home page "
        "http://nowhere.test/: HTTP 502; 1 company partial: Quillpay — time budget of 120s spent after 3 "
        f"page(s)); wrote audit.json to out; exit 3 = partial results {PARTIAL}"
    )


def test_long_reasons_are_cut_and_many_companies_counted() -> None:
    tallies = tuple(CompanyTally(f"C{i}", 1, 1, failed="x" * 200) for i in range(5))
    line = RunSummary("audited", tallies, 1, None).line()
    assert "5 companies failed: C0 — " + "x" * 89 + "…; C1" in line
    assert line.endswith("; and 2 more); wrote nothing; exit 1 = error: no company could be audited")

"""The fault matrix: a hostile web, and proof that nothing breaks, hangs or is lost.

Each fault site is audited as a competitor of a healthy client, with tight limits. Every audit must end,
write a schema-valid audit.json that keeps the client's results, and record the competitor's failure with
a reason (exit 0 or 3 — never a crash): the limit that ended each fault is asserted from the record (the
page's error, the budget note), not from seconds measured, so a busy machine cannot fail it. The summary
line and each audit's wall time are printed; pytest-timeout is the ceiling for a real hang.
"""

from __future__ import annotations

import json
import re
import resource
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from audit.fixture_web.faults import FaultWeb
from audit.pipeline import run_audit
from audit.runner import ExitStatus, Target
from audit.settings import Settings
from audit.status import EngageError
from audit.warc import read_capture

SCHEMA = json.loads((Path(__file__).parents[1] / "audit" / "audit.schema.json").read_text())
BUDGET = 8.0  # company_budget for the matrix


@pytest.fixture(scope="module")
def fault_web() -> Iterator[FaultWeb]:
    with FaultWeb() as web:
        yield web


def settings(proxy: str, formats: tuple[str, ...] = ("json",), ca_bundle: str | None = None) -> Settings:
    return Settings(
        proxy=proxy,
        ca_bundle=ca_bundle,  # the fault web's CA: a TLS mode is wrong in one way only
        render="never",
        formats=formats,
        max_pages=8,
        connect_timeout=1.0,
        read_timeout=1.0,
        request_deadline=3.0,
        company_budget=BUDGET,
        retries=1,
        max_bytes=2_000_000,
        max_decompressed_bytes=5_000_000,
        max_delay=2.0,
    )


def audit_fault(web: FaultWeb, mode: str, out: Path, formats: tuple[str, ...] = ("json",)) -> dict[str, Any]:
    targets = [
        Target(FaultWeb.url("ok"), "client", "Healthy"),
        Target(FaultWeb.url(mode), "competitor", mode),
    ]
    started = time.monotonic()
    try:
        status: ExitStatus | str = run_audit(targets, settings(web.proxy_url, formats, web.ca_pem_path), out)
    except EngageError as exc:  # a one-line error is a clean outcome too, but not expected here
        status = f"failure: {exc}"
    except Exception as exc:
        status = f"crash: {type(exc).__name__}: {exc}"
    elapsed = time.monotonic() - started
    doc = None
    try:
        doc = json.loads((out / "audit.json").read_text())
        jsonschema.validate(doc, SCHEMA)
    except (OSError, ValueError, jsonschema.ValidationError):
        doc = None
    return {"mode": mode, "status": status, "elapsed": elapsed, "audit": doc, "out": out}


@pytest.fixture(scope="module")
def matrix(fault_web: FaultWeb, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    modes = [m for m in FaultWeb.modes() if m != "js-loop"]  # js-loop is for the browser
    root = tmp_path_factory.mktemp("faults")
    with ThreadPoolExecutor(6) as pool:
        rows = list(pool.map(lambda m: audit_fault(fault_web, m, root / m), modes))
    completed = sum(1 for r in rows if r["status"] in (ExitStatus.OK, ExitStatus.PARTIAL))
    crashes = sum(1 for r in rows if isinstance(r["status"], str))
    lost = sum(1 for r in rows if r["audit"] is None)
    slowest = max(rows, key=lambda r: r["elapsed"])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nfault matrix: {len(rows)} faults tried, {completed} audits completed, {crashes} crashes, "
        f"{lost} data lost; slowest {slowest['mode']} {slowest['elapsed']:.1f}s; peak RSS {peak_mb:.0f} MB"
    )
    for r in rows:
        company = r["audit"]["companies"][1] if r["audit"] else None
        why = company["errors"][0]["message"] if company and company["errors"] else "-"
        print(f"  {r['mode']:<15} exit {r['status']!s:<22} {r['elapsed']:5.1f}s  {why[:70]}")
    return rows


def test_every_fault_ends_with_results_kept(matrix: list[dict[str, Any]]) -> None:
    for row in matrix:
        assert row["status"] in (ExitStatus.OK, ExitStatus.PARTIAL), row["mode"]
        assert row["audit"] is not None, row["mode"]
        healthy = row["audit"]["companies"][0]
        assert healthy["overall"]["score"] is not None, row["mode"]


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("hang-accept", "read timeout"),
        ("redirect-loop", "redirect loop"),
        ("redirect-chain", "too many redirects"),
        ("server-errors", "HTTP 503"),
    ],
)
def test_home_page_faults_fail_the_company_with_the_reason(
    matrix: list[dict[str, Any]], mode: str, reason: str
) -> None:
    row = next(r for r in matrix if r["mode"] == mode)
    assert row["status"] == ExitStatus.PARTIAL
    company = row["audit"]["companies"][1]
    assert company["overall"]["score"] is None
    assert company["errors"][0]["stage"] == "gather" and reason in company["errors"][0]["message"]


#: What ends the ``/fault`` page of each mode that attacks a page after the home page, as recorded.
FAULT_PAGE_LIMITS = {
    "hang-body": r"read time",  # the read timeout ends a body that stops mid-way
    # the request deadline ends a trickle (a byte every 0.5 s); should a very busy machine stall the
    # server past the 1 s read timeout, that limit ends it instead (test_fetch pins the deadline)
    "slow-drip": r"^deadline of 3s exceeded$|read time",
    "reset": r"reset",
    "huge": r"^response larger than 2000000 bytes; cut$",
    "gzip-bomb": r"^response decompresses beyond 5000000 bytes; cut$",
    "redirect-private": r"^refused private address 127\.0\.0\.1",
}


@pytest.mark.parametrize("mode", FAULT_PAGE_LIMITS)
def test_the_faulty_page_ends_with_its_limit_recorded_and_the_rest_is_kept(
    matrix: list[dict[str, Any]], mode: str
) -> None:
    row = next(r for r in matrix if r["mode"] == mode)
    captures, _ = read_capture(row["out"] / "capture.warc.gz")
    pages = {p.url: p for p in captures[1].pages}
    fault = pages[f"http://{mode}.fault.test/fault"]
    assert fault.error is not None and re.search(FAULT_PAGE_LIMITS[mode], fault.error, re.I), fault.error
    assert pages[FaultWeb.url(mode)].ok  # the rest of the crawl is kept: the home page, its other link
    assert pages[f"http://{mode}.fault.test/contact"].status == 404


def test_a_rate_limited_site_is_ended_by_the_company_budget(matrix: list[dict[str, Any]]) -> None:
    row = next(r for r in matrix if r["mode"] == "rate-limited")
    captures, _ = read_capture(row["out"] / "capture.warc.gz")
    # every first request is refused with Retry-After: 1, and the host's delay doubles on each 429;
    # the waiting would outlast the budget, so the budget ends the crawl and says so
    assert captures[1].stats["budget"] == f"time budget of {BUDGET:g}s spent"
    assert any(p.status == 429 for p in captures[1].pages)
    assert captures[1].pages[0].ok


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("tls-hang", "TLS handshake timed out"),
        ("tls-wrong-host", "TLS certificate is for other.test, not tls-wrong-host.fault.test"),
        ("tls-self-signed", "TLS certificate is self-signed (not issued by a trusted authority)"),
        ("tls-expired", "TLS certificate expired on 2026-01-01"),
        ("tls-old", "server offers only TLS 1.0 (1.2 or later required)"),
    ],
)
def test_tls_faults_fail_the_company_with_the_reason_in_words(
    matrix: list[dict[str, Any]], mode: str, reason: str
) -> None:
    row = next(r for r in matrix if r["mode"] == mode)
    assert row["status"] == ExitStatus.PARTIAL
    company = row["audit"]["companies"][1]
    assert company["overall"]["score"] is None
    assert company["errors"][0]["stage"] == "gather"
    assert reason in company["errors"][0]["message"]


def test_recoverable_faults_still_audit_the_site(matrix: list[dict[str, Any]]) -> None:
    for mode in (
        "rate-limited",
        "sitemap-bomb",
        "robots-garbage",
        "many-links",
        "deep-dom",
        "gzip-bomb",
        "huge",
        "slow-drip",
        "hang-body",
        "reset",
        "lying-type",
        "binary-html",
        "bad-charset",
    ):
        row = next(r for r in matrix if r["mode"] == mode)
        company = row["audit"]["companies"][1]
        assert company["overall"]["score"] is not None, (mode, company["errors"])


def test_report_is_produced_beside_a_failed_company(fault_web: FaultWeb, tmp_path: Path) -> None:
    row = audit_fault(fault_web, "redirect-loop", tmp_path, formats=("json", "html", "csv", "pdf"))
    assert row["status"] == ExitStatus.PARTIAL
    for name in ("report.pdf", "report.html", "scores.csv", "findings.csv"):
        assert (tmp_path / name).stat().st_size > 0
    assert "redirect-loop" in (tmp_path / "report.html").read_text()


def test_browser_survives_a_js_loop_and_popups(fault_web: FaultWeb) -> None:
    from audit.render import chromium_path, render_all

    s = Settings(proxy=fault_web.proxy_url, render_timeout=2, render_budget=4)
    if chromium_path(s) is None:
        pytest.skip("Debian's chromium is not installed")
    [[result]] = render_all(s, str(chromium_path(s)), [], [[FaultWeb.url("js-loop")]])
    # the loop never lets the page answer: the render budget (or the page timeout) ends it, recorded
    assert result.html is None
    assert result.error is not None and re.search(r"budget of 4s spent|timeout", result.error, re.I)


def wait_for(condition: Callable[[], bool], what: str, proc: Any, limit: float = 120.0) -> None:
    """Poll ``condition`` until it holds; fail (naming ``what``) if ``proc`` ends or ``limit`` s pass first.

    The limit is a generous ceiling for a stuck run, not a measurement: a loaded machine only polls longer.
    """
    give_up = time.monotonic() + limit
    while not condition():
        assert proc.poll() is None, f"the audit ended (exit {proc.returncode}) before {what}"
        assert time.monotonic() < give_up, f"{what} did not happen within {limit:g} s"
        time.sleep(0.05)


def test_ctrl_c_leaves_a_usable_partial_result(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    from audit.fixture_web import FixtureWeb

    def default_sigint() -> None:
        # A shell starting pytest in the background leaves SIGINT ignored, and the child would inherit
        # that; Python only turns SIGINT into KeyboardInterrupt when it starts with the default action.
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    with FixtureWeb() as web:
        web.set_latency("*", 300)  # slow enough that the crawl is still going when the signal comes
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "engage"),
                "audit",
                "http://northwind.test/",
                "-c",
                "http://acme.test/",
                "--proxy",
                web.proxy_url,
                "--render",
                "never",
                "--out",
                str(tmp_path),
                "-q",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=default_sigint if os.name == "posix" else None,
        )
        try:
            # Interrupt once both crawls have demonstrably started: each home page was requested (a page
            # in flight is finished and kept), and the northwind crawl has gone past it.
            wait_for(
                lambda: web.hits("acme.test", "/") > 0 and web.hits("northwind.test") > 2,
                "both crawls started",
                proc,
            )
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:  # the test failed first: leave no audit running
                proc.kill()
                proc.communicate()
    assert proc.returncode == 130, err
    lines = err.strip().splitlines()
    assert lines[0] == "engage: interrupted", err
    audit = json.loads((tmp_path / "audit.json").read_text())
    assert len(lines) == 2, err  # then the run's summary line
    assert lines[1].startswith("engage: audited 2 companies, ") and "exit 130 = interrupted" in lines[1]
    jsonschema.validate(audit, SCHEMA)
    assert audit["status"] == "partial"
    assert audit["companies"][0]["errors"][0]["message"] == "interrupted: the crawl was stopped early"
    assert audit["companies"][0]["crawl"]["pages"] > 0
    leftovers = [
        p.name for p in tmp_path.iterdir() if p.name.endswith((".part", ".tmp")) or p.name.startswith(".")
    ]
    assert leftovers == []
    from audit.warc import read_capture

    captures, run = read_capture(tmp_path / "capture.warc.gz")
    assert run["interrupted"] is True and len(captures) == 2


def test_redirect_to_a_private_address_is_refused(fault_web: FaultWeb) -> None:
    from audit.fetch import Fetcher

    page = Fetcher(settings(fault_web.proxy_url)).get("http://redirect-private.fault.test/fault")
    assert page.error is not None and page.error.startswith("refused private address 127.0.0.1")
    assert page.redirects == ["http://redirect-private.fault.test/fault"]
    assert FaultWeb.hits("127.0.0.1/internal-secret") == 0


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import audit.fetch as fetch

    monkeypatch.setattr(fetch, "_resolve", lambda host: ("10.1.2.3",) if host == "intranet.example" else ())
    with pytest.raises(fetch.GuardError, match=r"resolves to private address 10\.1\.2\.3"):
        fetch.check_address("http://intranet.example/admin", allow_private=False, via_proxy=False)
    fetch.check_address("http://intranet.example/admin", allow_private=True, via_proxy=False)


def test_the_browser_is_held_to_the_private_address_guard(fault_web: FaultWeb) -> None:
    from audit.render import chromium_path, render_all

    s = Settings(proxy=fault_web.proxy_url, render_timeout=8)
    if chromium_path(s) is None:
        pytest.skip("Debian's chromium is not installed")
    before = FaultWeb.hits("127.0.0.1/internal-secret")
    [[result]] = render_all(s, str(chromium_path(s)), [], [["http://redirect-private.fault.test/browser"]])
    blocked = [r for r in result.requests if "/internal-secret" in r["url"]]
    assert blocked and blocked[0]["failure"].startswith("net::ERR_BLOCKED_BY_CLIENT")
    assert FaultWeb.hits("127.0.0.1/internal-secret") == before

"""The fault matrix: a hostile web, and proof that nothing breaks, hangs or is lost.

Each fault site is audited as a competitor of a healthy client, with tight limits. Every audit must end
within its budget, write a schema-valid audit.json that keeps the client's results, and record the
competitor's failure with a reason (exit 0 or 3 — never a crash). The summary line is printed.
"""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from audit.cli import Failure
from audit.fixture_web.faults import FaultWeb
from audit.pipeline import run_audit
from audit.runner import ExitStatus, Target
from audit.settings import Settings

SCHEMA = json.loads((Path(__file__).parents[1] / "audit" / "audit.schema.json").read_text())
BUDGET = 8.0  # company_budget for the matrix
BOUND = BUDGET + 3 * 3.0 + 10  # budget + a last request's deadline per retry + scoring/report slack


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
    except Failure as exc:  # a one-line error is a clean outcome too, but not expected here
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
    return {"mode": mode, "status": status, "elapsed": elapsed, "audit": doc}


@pytest.fixture(scope="module")
def matrix(fault_web: FaultWeb, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    modes = [m for m in FaultWeb.modes() if m != "js-loop"]  # js-loop is for the browser
    root = tmp_path_factory.mktemp("faults")
    with ThreadPoolExecutor(6) as pool:
        rows = list(pool.map(lambda m: audit_fault(fault_web, m, root / m), modes))
    completed = sum(
        1 for r in rows if r["status"] in (ExitStatus.OK, ExitStatus.PARTIAL) and r["elapsed"] < BOUND
    )
    crashes = sum(1 for r in rows if isinstance(r["status"], str))
    hangs = sum(1 for r in rows if r["elapsed"] >= BOUND)
    lost = sum(1 for r in rows if r["audit"] is None)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nfault matrix: {len(rows)} faults tried, {completed} audits completed within budget, "
        f"{crashes} crashes, {hangs} hangs, {lost} data lost; peak RSS {peak_mb:.0f} MB"
    )
    for r in rows:
        company = r["audit"]["companies"][1] if r["audit"] else None
        why = company["errors"][0]["message"] if company and company["errors"] else "-"
        print(f"  {r['mode']:<15} exit {r['status']!s:<22} {r['elapsed']:5.1f}s  {why[:70]}")
    return rows


def test_every_fault_ends_within_budget_with_results_kept(matrix: list[dict[str, Any]]) -> None:
    for row in matrix:
        assert row["status"] in (ExitStatus.OK, ExitStatus.PARTIAL), row["mode"]
        assert row["elapsed"] < BOUND, (row["mode"], row["elapsed"])
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

    s = Settings(proxy=fault_web.proxy_url, render_timeout=4, render_budget=10)
    if chromium_path(s) is None:
        pytest.skip("Debian's chromium is not installed")
    started = time.monotonic()
    [[result]] = render_all(s, str(chromium_path(s)), [], [[FaultWeb.url("js-loop")]])
    assert time.monotonic() - started < 30
    assert result.error is not None or result.html is not None


def test_ctrl_c_leaves_a_usable_partial_result(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    from audit.fixture_web import FixtureWeb

    with FixtureWeb() as web:
        web.set_latency("*", 150)  # slow enough to interrupt mid-crawl
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
        )
        time.sleep(3)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip() == "engage: interrupted"
    audit = json.loads((tmp_path / "audit.json").read_text())
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

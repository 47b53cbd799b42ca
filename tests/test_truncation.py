"""Bodies cut short (the size cap, the decompression cap, the deadline) are page notes in audit.json and
counted in the summary line, never passed off as complete (issue 20, item 13)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from audit.fetch import body_text
from audit.fixture_web.faults import FaultWeb
from audit.pipeline import run_audit
from audit.runner import Target
from audit.settings import Settings
from audit.summary import from_audit

CUT = {
    "huge": "response larger than 2000000 bytes",
    "gzip-bomb": "response decompresses beyond 5000000 bytes",
    "slow-drip": "deadline of 2s exceeded",
}


@pytest.fixture(scope="module")
def cut_audit(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    out = tmp_path_factory.mktemp("truncated")
    targets = [Target(FaultWeb.url("ok"), "client", "Healthy")]
    targets += [Target(FaultWeb.url(mode), "competitor", mode) for mode in CUT]
    with FaultWeb() as web:
        settings = Settings(
            proxy=web.proxy_url,
            render="never",
            formats=("json",),
            max_pages=4,
            connect_timeout=2.0,
            read_timeout=5.0,  # the drip's bytes come every 0.5 s: the deadline, not the timeout, ends it
            request_deadline=2.0,
            company_budget=30.0,
            retries=0,
            max_bytes=2_000_000,
            max_decompressed_bytes=5_000_000,
        )
        run_audit(targets, settings, out)
    return json.loads((out / "audit.json").read_text(encoding="utf-8")), out


@pytest.mark.parametrize("mode", CUT)
def test_a_cut_body_is_a_page_note(cut_audit: tuple[dict[str, Any], Path], mode: str) -> None:
    company = next(c for c in cut_audit[0]["companies"] if c["name"] == mode)
    notes = [
        e["message"] for e in company["errors"] if e["stage"] == "page" and "body truncated" in e["message"]
    ]
    assert len(notes) == 1, company["errors"]
    assert notes[0].startswith(f"http://{mode}.fault.test/fault: body truncated (")
    assert notes[0].endswith(" bytes received); not used")
    assert CUT[mode] in notes[0] or (mode == "slow-drip" and "read time" in notes[0])
    assert company["crawl"]["truncated"] == 1


def test_the_summary_counts_the_cut_bodies(cut_audit: tuple[dict[str, Any], Path]) -> None:
    audit, out = cut_audit
    healthy = next(c for c in audit["companies"] if c["name"] == "Healthy")
    assert healthy["crawl"]["truncated"] == 0
    line = from_audit(audit, 0, str(out), ("audit.json",)).line()
    assert "3 page problems, 3 of them truncated bodies, listed in audit.json" in line, line


def test_a_gzip_file_cut_at_the_decompression_cap_says_so() -> None:
    notes: list[str] = []
    sitemap = gzip.compress(b"<urlset>" + b"<url><loc>http://a.test/</loc></url>" * 10_000 + b"</urlset>")
    text = body_text(sitemap, "application/gzip", 1000, notes)
    assert text is not None and len(text) == 1000
    assert notes == ["gzip file decompresses beyond 1000 bytes; cut (body truncated)"]
    whole: list[str] = []
    assert body_text(sitemap, "application/gzip", 10_000_000, whole) and whole == []

"""Regenerate ``sample_reports/`` from the demo market: ``python -m audit.samples sample_reports``.

The demo crawl is committed as ``sample_reports/capture.warc.gz``; everything else (``audit.json``, the
PDF, the HTML, the CSVs, the screenshots) is rebuilt from it by replay, so regenerating is deterministic
and needs no network. ``--recrawl`` crawls the fixture web again first (the capture then changes).
Settings are the defaults, never ``engage.toml`` or ``ENGAGE_*``, and ``SOURCE_DATE_EPOCH`` defaults to
the Makefile's value, so the same capture always gives the same bytes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from audit.pipeline import CAPTURE, apply_demo_latency, run_audit, run_gather
from audit.runner import ExitStatus, Target
from audit.settings import Settings

SOURCE_DATE_EPOCH = "1790000000"
FORMATS: tuple[str, ...] = ("pdf", "html", "json", "csv")
#: Files and directories ``regenerate`` replaces (the capture is kept).
OUTPUTS: tuple[str, ...] = ("audit.json", "report.pdf", "report.html", "scores.csv", "findings.csv")


def sample_settings() -> Settings:
    """The defaults only: a consultant's engage.toml must not leak into committed samples."""
    return replace(Settings(), formats=FORMATS, company_budget=120.0)


def market_targets() -> list[Target]:
    """The demo market's client first, then its competitors."""
    from audit.fixture_web.market import load_market

    targets = [Target(c.url, c.role, c.name) for c in load_market().companies]
    targets.sort(key=lambda t: t.role != "client")
    return targets


def recrawl(capture: Path) -> ExitStatus:
    """Crawl the fixture web as ``engage demo`` does and store the capture at ``capture``."""
    from audit.fixture_web.activity import API_BASES
    from audit.fixture_web.server import FixtureWeb

    with tempfile.TemporaryDirectory(prefix="engage-samples-") as tmp, FixtureWeb() as web:
        apply_demo_latency(web)
        settings = replace(
            sample_settings(),
            proxy=web.proxy_url,
            api_bases=dict(API_BASES),
            ca_bundle=str(web.ca_pem_path),  # the market is HTTPS: trust its throw-away CA, as demo does
        )
        status = run_gather(market_targets(), settings, Path(tmp))
        capture.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(tmp) / CAPTURE, capture)
    return status


def regenerate(out: Path, capture: Path | None = None) -> ExitStatus:
    """Rebuild every sample output in ``out`` from ``capture`` (default ``out/capture.warc.gz``)."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    capture = capture or out / CAPTURE
    if not capture.is_file():
        raise FileNotFoundError(f"{capture}: no demo capture; run python -m audit.samples {out} --recrawl")
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:
        (out / name).unlink(missing_ok=True)
    shutil.rmtree(out / "screenshots", ignore_errors=True)
    return run_audit(market_targets(), sample_settings(), out, replay=capture)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m audit.samples", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the samples directory (sample_reports)")
    parser.add_argument("--recrawl", action="store_true", help="crawl the fixture web again first")
    args = parser.parse_args(argv)
    if args.recrawl:
        recrawl(args.out / CAPTURE)
    status = regenerate(args.out)
    print(f"sample reports written to {args.out}/ (exit status {int(status)})")
    return 0 if status in (ExitStatus.OK, ExitStatus.PARTIAL) else int(status)


if __name__ == "__main__":
    sys.exit(main())

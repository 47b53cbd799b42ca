"""A run's one owner: ``Store.recorded_run`` (begin → finish | fail), and the report options every recorded
run takes from the settings — ``engage project run`` honours the PDF variant, ``engage rescore --out`` the
theme, page size and consultant (both were dropped before the run had one report writer)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from audit.cli import main
from audit.fixture_web import FixtureWeb
from audit.history.projects import project_toml
from audit.history.store import Store, StoreError

MODEL = Path(__file__).resolve().parents[1] / "scoring" / "models" / "engagement-v1.toml"
needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def pdf_info(path: Path) -> dict[str, str]:
    env = {**os.environ, "TZ": "UTC"}
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True, env=env).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def a_result() -> dict[str, Any]:
    client = {
        "name": "Acme",
        "url": "http://acme.test/",
        "role": "client",
        "rank": 1,
        "overall": {"score": 50.0, "level": 3, "level_name": "Conversational"},
        "dimensions": [],
        "channels": {},
        "metrics": {},
        "errors": [],
    }
    return {"model": {"id": "engagement", "version": "1.0.0"}, "status": "complete", "companies": [client]}


TARGETS = [{"url": "http://acme.test/", "role": "client", "name": "Acme"}]


# -- Store.recorded_run ------------------------------------------------------------------------------------


def test_a_recorded_run_is_stored_with_its_results_when_the_block_ends(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'h.db'}") as store:
        with store.recorded_run(TARGETS, {"max_pages": 4}, project="p") as run:
            assert store.run(run.id).status == "running"
            run.finish_with(a_result(), out_dir=tmp_path)
        info = store.run(run.id)
        assert (info.status, info.project, info.client, info.out_dir) == (
            "complete",
            "p",
            "acme.test",
            str(tmp_path),
        )
        assert store.result(run.id)["companies"][0]["name"] == "Acme"


@pytest.mark.parametrize(
    ("exc", "error"),
    [(RuntimeError("disk on fire"), "RuntimeError: disk on fire"), (KeyboardInterrupt(), "interrupted")],
)
def test_a_recorded_run_that_raises_is_failed_in_words_and_the_error_goes_on(
    tmp_path: Path, exc: BaseException, error: str
) -> None:
    with Store(f"sqlite:///{tmp_path / 'h.db'}") as store:
        with pytest.raises(type(exc)), store.recorded_run(TARGETS, {}) as run:
            run.finish_with(a_result())  # results given, then a later step fails: nothing is stored
            raise exc
        info = store.run(run.id)
        assert (info.status, info.error) == ("failed", error)
        with pytest.raises(StoreError, match="no stored result"):
            store.result(run.id)


def test_a_recorded_run_without_results_never_stays_running(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'h.db'}") as store:
        with pytest.raises(StoreError, match="without results"), store.recorded_run(TARGETS, {}) as run:
            pass
        assert store.run(run.id).status == "failed"


# -- the report options of recorded runs -----------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_project(
    fixture_web: FixtureWeb, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """One project run of the laggard (a few pages, no browser) writing a PDF, with the PDF variant
    set in the environment as a user's ``ENGAGE_PDF_VARIANT=pdf/ua-1`` would."""
    base = tmp_path_factory.mktemp("runs")
    path = base / "tiny.toml"
    text = project_toml("tiny", "http://tallybook.test/", proxy=fixture_web.proxy_url)
    text = text.replace('render = "auto"', 'render = "never"')
    path.write_text(text.replace('formats = ["pdf", "html", "json", "csv"]', 'formats = ["pdf", "json"]'))
    db = f"sqlite:///{base / 'h.db'}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ENGAGE_PDF_VARIANT", "pdf/ua-1")
        env.setenv("SOURCE_DATE_EPOCH", "1790000000")
        result = cli("project", "run", str(path), "--db", db, "--out", str(base / "run1"), "-q")
    assert result.exit_code == 0, result.output
    yield {"base": base, "db": db, "out": base / "run1"}


@needs_poppler
def test_a_project_run_writes_the_pdf_variant_of_the_settings(pdf_project: dict[str, Any]) -> None:
    assert pdf_info(pdf_project["out"] / "report.pdf")["Tagged"] == "yes"  # pdf/ua-1 is a tagged PDF


@needs_poppler
def test_rescore_reports_with_the_settings_theme_page_size_and_consultant(
    pdf_project: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "engage.toml"
    config.write_text(
        'page_size = "Letter"\nconsultant = "Jane Doe Consulting"\n\n[theme]\naccent = "#7a1f5c"\n'
    )
    monkeypatch.setenv("ENGAGE_CONFIG", str(config))
    out = tmp_path / "rescored"
    result = cli(
        "rescore",
        "1",
        "--model",
        str(MODEL),
        "--db",
        pdf_project["db"],
        "--out",
        str(out),
        "--format",
        "pdf,html",
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"re-scored under engagement \S+ → run 2", result.output)
    assert pdf_info(out / "report.pdf")["Page size"].startswith("612 x 792")  # Letter, not A4
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "--accent: #7a1f5c" in html and "Jane Doe Consulting" in html
    with Store(pdf_project["db"]) as store:
        assert store.run(2).source_run_id == 1 and store.run(2).status in ("complete", "partial")

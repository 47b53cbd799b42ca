"""sample_reports/ is current, and the demo-sized report passes tools no one here wrote (Nu Html Checker).

The committed demo crawl (``sample_reports/capture.warc.gz``) is replayed into a temporary directory once;
the committed outputs must be byte-identical. After a change to probes, the model or the report:
``make samples``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="engage-mpl-"))

from audit.samples import SOURCE_DATE_EPOCH, regenerate
from report_templates.view import SCREENSHOTS_PER_COMPANY

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_reports"
VNU = ROOT / ".venv" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
STALE = "sample_reports/ is stale: run make samples"
COMPARED = ("audit.json", "report.html", "scores.csv", "findings.csv", "report.pdf")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples regenerated from the committed capture, as ``make samples`` would."""
    capture = SAMPLES / "capture.warc.gz"
    assert capture.is_file(), f"{STALE} (no {capture.relative_to(ROOT)}; make samples regenerates it)"
    out = tmp_path_factory.mktemp("samples")
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    try:
        regenerate(out, capture)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return out


@pytest.mark.parametrize("name", COMPARED)
def test_committed_samples_are_current(fresh: Path, name: str) -> None:
    committed = SAMPLES / name
    assert committed.is_file(), f"{STALE} (sample_reports/{name} is missing)"
    assert committed.read_bytes() == (fresh / name).read_bytes(), f"{STALE} (sample_reports/{name} differs)"


def test_sample_is_the_full_demo_market(fresh: Path) -> None:
    audit = json.loads((fresh / "audit.json").read_text(encoding="utf-8"))
    roles = sorted(c["role"] for c in audit["companies"])
    assert roles == ["client"] + ["competitor"] * 4
    assert sum(len(c["crawl"]["screenshots"]) for c in audit["companies"]) >= 5


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_demo_pdf_pages_text_and_screenshots(fresh: Path) -> None:
    pdf = fresh / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 25 <= pages <= 80, pages
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    audit = json.loads((fresh / "audit.json").read_text(encoding="utf-8"))
    for company in audit["companies"]:
        assert company["name"] in text
    for title in ("Executive summary", "Responsiveness", "Recommendations", "Methodology", "Rendered pages"):
        assert title in text
    for rec in audit["recommendations"]:
        assert rec["title"] in text
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    # distinct files, as many as the report shows per company (a page rendered twice is one image)
    shots = sum(
        min(len({s["file"] for s in c["crawl"]["screenshots"]}), SCREENSHOTS_PER_COMPANY)
        for c in audit["companies"]
    )
    assert len(images.stdout.splitlines()[2:]) >= shots


def test_html_passes_the_nu_html_checker(fresh: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("java is not installed: the Nu Html Checker (vnu.jar) needs it")
    if not VNU.is_file():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed: scripts/bootstrap.sh installs vnu-jar with it")
        pytest.fail(f"{VNU.relative_to(ROOT)} is missing: run make bootstrap (npm install of vnu-jar)")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", str(fresh / "report.html")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr

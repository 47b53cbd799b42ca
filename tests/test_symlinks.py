"""Symlinks planted in the output directory are replaced or refused, never written through (issue 20,
item 11): every file is a new temp name in its directory renamed over the final name."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit.cli import main
from audit.fixture_web import FixtureWeb
from audit.pipeline import run_audit
from audit.render import write_screenshot
from audit.runner import Target
from audit.safe_files import UnsafeOutput, write_file
from audit.settings import Settings
from audit.warc import WarcRecorder

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CAPTURE = ROOT / "sample_reports" / "capture.warc.gz"
VICTIM_TEXT = b"precious: must stay as it is\n"


@pytest.fixture(scope="module")
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb() as w:
        yield w


def victim(tmp_path: Path, name: str = "victim.txt") -> Path:
    path = tmp_path / "elsewhere" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(VICTIM_TEXT)
    return path


def plant(out: Path, name: str, target: Path) -> Path:
    link = out / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    return link


def test_planted_file_links_are_replaced_not_followed(web: FixtureWeb, tmp_path: Path) -> None:
    out = tmp_path / "out"
    names = ("capture.warc.gz.part", "capture.warc.gz", "audit.json", "report.html", "scores.csv")
    victims = {name: victim(tmp_path, f"{name}.victim") for name in names}
    for name, target in victims.items():
        plant(out, name, target)
    settings = Settings(
        proxy=web.proxy_url,
        ca_bundle=str(web.ca_pem_path),
        render="never",
        formats=("json", "html", "csv"),
        max_pages=3,
        timing_samples=1,
    )
    run_audit([Target("http://northwind.test/", "client")], settings, out)
    for name, target in victims.items():
        assert target.read_bytes() == VICTIM_TEXT, name
    for name in ("capture.warc.gz", "audit.json", "report.html", "scores.csv"):
        assert not (out / name).is_symlink() and (out / name).stat().st_size > 0, name
    assert not [p.name for p in out.iterdir() if p.name.endswith((".tmp", ".part")) and not p.is_symlink()]


def test_a_screenshot_link_is_replaced(tmp_path: Path) -> None:
    target = victim(tmp_path)
    out = tmp_path / "out"
    plant(out, "screenshots/0123456789ab.png", target)
    write_screenshot(out, "screenshots/0123456789ab.png", b"\x89PNG fresh")
    assert target.read_bytes() == VICTIM_TEXT
    assert (out / "screenshots" / "0123456789ab.png").read_bytes() == b"\x89PNG fresh"


def test_a_symlinked_screenshots_dir_is_never_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    plant(out, "screenshots", elsewhere)
    with pytest.raises(UnsafeOutput, match="screenshots: is a symbolic link"):
        write_screenshot(out, "screenshots/0123456789ab.png", b"\x89PNG")
    plant(out, "assets", elsewhere)
    with pytest.raises(UnsafeOutput, match="assets: is a symbolic link"):
        write_file(out / "assets" / "x" / "y.css", b"x", root=out)
    assert list(elsewhere.iterdir()) == []


def test_the_cli_refuses_a_symlinked_screenshots_dir_before_any_work(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    plant(out, "screenshots", elsewhere)
    result = CliRunner().invoke(
        main, ["audit", "http://acme.test/", "--replay", str(SAMPLE_CAPTURE), "--out", str(out), "-q"]
    )
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert "\n" not in line and "screenshots: is a symbolic link" in line
    assert list(elsewhere.iterdir()) == [] and not (out / "audit.json").exists()


def test_replay_never_writes_screenshots_through_links(tmp_path: Path) -> None:
    out = tmp_path / "out"
    names = sorted(p.name for p in (ROOT / "sample_reports" / "screenshots").iterdir())
    target = victim(tmp_path)
    plant(out, f"screenshots/{names[0]}", target)
    result = CliRunner().invoke(
        main,
        [
            "audit",
            "http://acme.test/",
            "--replay",
            str(SAMPLE_CAPTURE),
            "--out",
            str(out),
            "--format",
            "json",
            "-q",
        ],
    )
    assert result.exit_code in (0, 3), result.output
    assert target.read_bytes() == VICTIM_TEXT
    assert (out / "screenshots" / names[0]).read_bytes().startswith(b"\x89PNG")


def test_the_warc_temp_file_is_new_and_renamed(tmp_path: Path) -> None:
    target = victim(tmp_path)
    plant(tmp_path, "capture.warc.gz.part", target)
    recorder = WarcRecorder(tmp_path / "capture.warc.gz")
    recorder.write_metadata("urn:engage:run", {"x": 1})
    recorder.close()
    assert target.read_bytes() == VICTIM_TEXT
    assert (tmp_path / "capture.warc.gz").stat().st_size > 0
    made = [p for p in tmp_path.iterdir() if p.name.startswith(".capture")]
    assert made == []
    assert os.stat(tmp_path / "capture.warc.gz").st_mode & 0o777 == 0o666 & ~current_umask()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

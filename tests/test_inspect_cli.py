"""``engage inspect``: one page as one JSON object, many pages as JSON lines with per-page errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from audit.cli import main
from probes.inspect import inspect_html

GOLDEN = Path(__file__).parent / "probe_tests" / "golden"
CASES = ("wordpress_footer_share", "click_to_chat", "cloudflare_email")


def _pages(tmp_path: Path) -> dict[str, str]:
    """Three golden pages copied into ``tmp_path`` with a manifest; name → recorded URL."""
    urls = {}
    for case in CASES:
        shutil.copy(GOLDEN / f"{case}.html", tmp_path / f"{case}.html")
        urls[f"{case}.html"] = json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))["url"]
    rows = "".join(f"{name},{url}\n" for name, url in urls.items())
    (tmp_path / "manifest.csv").write_text(f"file,url\n{rows}missing.html,https://gone.test/\n")
    return urls


def _expected(tmp_path: Path, name: str, url: str) -> dict[str, object]:
    return inspect_html((tmp_path / name).read_text(encoding="utf-8"), url)


def test_single_page_json_is_the_contract_object(tmp_path: Path) -> None:
    urls = _pages(tmp_path)
    name = "wordpress_footer_share.html"
    result = CliRunner().invoke(main, ["inspect", str(tmp_path / name), "--url", urls[name]])
    assert result.exit_code == 0, result.output
    assert result.output == json.dumps(_expected(tmp_path, name, urls[name]), indent=2) + "\n"


def test_batch_with_manifest_prints_one_line_per_page_and_flags_errors(tmp_path: Path) -> None:
    urls = _pages(tmp_path)
    (tmp_path / "unlisted.html").write_text("<html></html>")
    files = [str(tmp_path / n) for n in [*urls, "missing.html", "unlisted.html"]]
    manifest = str(tmp_path / "manifest.csv")
    result = CliRunner().invoke(main, ["inspect", *files, "--urls", manifest, "--format", "jsonl"])
    assert result.exit_code == 3, result.output  # partial: some pages failed, the others were inspected
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["file"] for line in lines] == files
    for line, name in zip(lines, urls, strict=False):
        ms = line.pop("ms")
        assert isinstance(ms, float) and ms >= 0
        assert line == {**_expected(tmp_path, name, urls[name]), "file": str(tmp_path / name)}
    assert lines[3] == {"file": files[3], "url": "https://gone.test/", "error": "No such file or directory"}
    assert lines[4]["error"] == "not in the manifest (or its url is empty)"


def test_manifest_alone_inspects_every_row(tmp_path: Path) -> None:
    urls = _pages(tmp_path)
    result = CliRunner().invoke(
        main, ["inspect", "--urls", str(tmp_path / "manifest.csv"), "--format", "jsonl"]
    )
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["file"] for line in lines] == [*urls, "missing.html"]
    assert [line["url"] for line in lines] == [*urls.values(), "https://gone.test/"]
    assert result.exit_code == 3


def test_one_url_for_many_files(tmp_path: Path) -> None:
    _pages(tmp_path)
    files = [str(tmp_path / f"{case}.html") for case in CASES]
    result = CliRunner().invoke(main, ["inspect", *files, "--url", "https://acme.test/", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert {json.loads(line)["url"] for line in result.output.splitlines()} == {"https://acme.test/"}


def test_every_page_failing_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["inspect", str(tmp_path / "a.html"), "--url", "https://acme.test/", "--format", "jsonl"]
    )
    assert result.exit_code == 1
    assert json.loads(result.output)["error"] == "No such file or directory"


def test_usage_errors(tmp_path: Path) -> None:
    urls = _pages(tmp_path)
    page, manifest = str(tmp_path / next(iter(urls))), str(tmp_path / "manifest.csv")
    runner = CliRunner()
    assert runner.invoke(main, ["inspect", page]).exit_code == 2  # no URL at all
    assert (
        runner.invoke(main, ["inspect", page, "--url", "https://a.test/", "--urls", manifest]).exit_code == 2
    )
    assert runner.invoke(main, ["inspect", page, page, "--url", "https://a.test/"]).exit_code == 2
    (tmp_path / "bad.csv").write_text("path,link\nx,y\n")
    bad = runner.invoke(main, ["inspect", "--urls", str(tmp_path / "bad.csv"), "--format", "jsonl"])
    assert bad.exit_code == 2 and "needs the columns file,url" in bad.output


def test_an_xml_file_is_inspected_without_a_parser_warning(tmp_path: Path) -> None:
    import subprocess
    import sys

    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    done = subprocess.run(
        [sys.executable, "-m", "audit.cli", "inspect", str(feed), "--url", "https://a.test/feed"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # bs4's XMLParsedAsHTMLWarning once printed ten lines here
    assert json.loads(done.stdout)["url"] == "https://a.test/feed"

"""Credentials never reach an output: stripped and checked at load, redacted from every error text and log
line (audit.json, the WARC, the history database, the reports, stderr) — issue 20, item 8."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from audit.cli import main
from audit.crawl import SiteCrawler, api_headers
from audit.credentials import REDACTED, check, credential, redact, secret_values, without_password
from audit.fixture_web import FixtureWeb
from audit.pipeline import run_audit
from audit.runner import Target, public_settings
from audit.settings import Settings, SettingsError, load_settings


@pytest.fixture(scope="module")
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb() as w:
        yield w


def settings(web: FixtureWeb, tmp_path: Path) -> Settings:
    return Settings(
        proxy=web.proxy_url,
        ca_bundle=str(web.ca_pem_path),
        render="never",
        formats=("json", "html", "csv"),
        max_pages=4,
        timing_samples=1,
        # every request to the client is "the GitHub API", so every one carries the token
        api_bases={"github": "http://northwind.test"},
        db=f"sqlite:///{tmp_path / 'history.db'}",
    )


def every_output(tmp_path: Path, lines: list[str]) -> dict[str, bytes]:
    """Each file written under ``tmp_path`` (the WARC decompressed) and the run's stderr lines."""
    found = {"stderr": "\n".join(lines).encode()}
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found[path.name] = gzip.decompress(data) if path.name.endswith(".gz") else data
    return found


def test_a_token_with_a_trailing_cr_is_stripped_and_never_written(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "secret123\r")
    lines: list[str] = []
    out = tmp_path / "out"
    client = [Target("http://northwind.test/", "client")]
    run_audit(client, settings(web, tmp_path), out, progress=lines.append)
    outputs = every_output(tmp_path, lines)
    assert {"audit.json", "capture.warc.gz", "report.html", "scores.csv", "history.db"} <= set(outputs)
    for name, data in outputs.items():
        assert b"secret123" not in data, name
    audit = (out / "audit.json").read_text(encoding="utf-8")
    assert "InvalidHeader" not in audit and "return character" not in audit
    assert api_headers("http://northwind.test/x", {"github": "http://northwind.test"}) == {
        "Authorization": "Bearer secret123"
    }


def test_a_token_in_an_exception_text_is_redacted_everywhere(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "ghp_t0kenValue42"
    monkeypatch.setenv("GITHUB_TOKEN", token)
    real = SiteCrawler._fetch_page

    def leaky(self: SiteCrawler, url: str, depth: int, via: str) -> Any:
        if via != "start":
            raise RuntimeError(f"upstream refused 'Authorization: Bearer {token}' for {url}")
        return real(self, url, depth, via)

    monkeypatch.setattr(SiteCrawler, "_fetch_page", leaky)
    lines: list[str] = []
    out = tmp_path / "out"
    client = [Target("http://northwind.test/", "client")]
    run_audit(client, settings(web, tmp_path), out, progress=lines.append)
    outputs = every_output(tmp_path, lines)
    for name, data in outputs.items():
        assert token.encode() not in data, name
    assert f"Bearer {REDACTED}".encode() in outputs["audit.json"]  # the error is kept, the token is not


def test_a_control_character_inside_the_token_is_a_one_line_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["audit", "http://northwind.test/", "--out", str(tmp_path), "-q"],
        env={"GITHUB_TOKEN": "abc\ndef456"},
    )
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert "\n" not in line and "GITHUB_TOKEN" in line
    assert "abc" not in line and "def456" not in line  # never the value
    assert not (tmp_path / "audit.json").exists()


def test_credentials_are_checked_at_load() -> None:
    assert check("GITHUB_TOKEN", " tok_1234\r\n") == "tok_1234"
    for bad in ("a\rb", "a b", "tök", "a\x00b", "a\tb"):
        with pytest.raises(SettingsError, match=r"^GITHUB_TOKEN: ") as caught:
            load_settings(environ={"GITHUB_TOKEN": bad})
        assert bad not in str(caught.value)
    assert credential("GITHUB_TOKEN", {"GITHUB_TOKEN": "a\rb"}) is None
    assert credential("GITHUB_TOKEN", {"GITHUB_TOKEN": "  "}) is None


def test_the_filter_knows_every_secret_spelling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "secret123\r")
    monkeypatch.setenv("SOME_SERVICE_API_KEY", "k/ey+value=9")
    monkeypatch.setenv("PASSWORD", "abc")  # too short to redact without blanking ordinary words
    values = secret_values()
    assert "secret123" in values and "secret123\\r" in values and "k%2Fey%2Bvalue%3D9" in values
    assert redact("InvalidHeader: 'Bearer secret123\\r'") == f"InvalidHeader: 'Bearer {REDACTED}'"
    assert redact("?key=k%2Fey%2Bvalue%3D9&x=abc") == f"?key={REDACTED}&x=abc"


def test_a_secret_set_changed_or_unset_after_a_first_use_is_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEPLOY_TOKEN", raising=False)
    assert redact("deploy with tok-early-1") == "deploy with tok-early-1"  # the spellings are cached here
    monkeypatch.setenv("DEPLOY_TOKEN", "tok-early-1")
    assert redact("deploy with tok-early-1") == f"deploy with {REDACTED}"
    monkeypatch.setenv("DEPLOY_TOKEN", "tok-later-2")
    assert redact("tok-early-1 then tok-later-2") == f"tok-early-1 then {REDACTED}"
    monkeypatch.delenv("DEPLOY_TOKEN")
    assert "tok-later-2" not in secret_values()


def test_a_proxy_password_is_never_recorded() -> None:
    proxied = Settings(proxy="http://me:hunter2secret@proxy.test:3128")
    assert public_settings(proxied)["proxy"] == f"http://me:{REDACTED}@proxy.test:3128"
    assert redact("could not reach http://me:hunter2secret@proxy.test:3128") == (
        f"could not reach http://me:{REDACTED}@proxy.test:3128"
    )
    assert without_password("http://proxy.test:3128") == "http://proxy.test:3128"

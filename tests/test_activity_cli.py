"""Activity end to end: `engage audit` with API bases and a token, replay, and manual evidence."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from audit.cli import main
from audit.fixture_web import FixtureWeb
from audit.fixture_web.activity import API_BASES

TOKEN = "ghp_engageTestToken0123456789"
OBSERVATIONS = """\
[[observation]]
company = "northwind.test"
date = 2026-11-20
email_reply_hours = 3.5
chat_wait_minutes = 1
note = "Asked how to void a paid invoice"

[[observation]]
company = "northwind.test"
date = 2026-11-21
email_reply_hours = 5.5
phone_wait_minutes = 4
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def leader_audit(
    fixture_web: FixtureWeb, tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch
) -> Path:
    monkeypatch_module.setenv("GITHUB_TOKEN", TOKEN)
    out = tmp_path_factory.mktemp("leader")
    bases = [a for name, url in API_BASES.items() for a in ("--api-base", f"{name}={url}")]
    args = ["audit", "http://northwind.test/", "--out", str(out), "--proxy", fixture_web.proxy_url]
    result = run(*args, *bases, "--render", "never", "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def test_github_token_is_never_written(leader_audit: Path) -> None:
    audit = (leader_audit / "audit.json").read_text()
    assert TOKEN not in audit
    with gzip.open(leader_audit / "capture.warc.gz", "rb") as fh:
        warc = fh.read()
    assert TOKEN.encode() not in warc
    assert b"github.api.test/orgs/northwind-ledger/repos" in warc  # the GitHub API was asked


def test_leader_metrics_are_real_numbers(leader_audit: Path) -> None:
    company = json.loads((leader_audit / "audit.json").read_text())["companies"][0]
    metrics = company["metrics"]
    assert metrics["community.first_staff_reply_hours_median"] == 2.5
    assert metrics["community.first_reply_hours_median"] == 2.0
    assert metrics["community.topics_per_week"] == 1.01
    assert metrics["github.first_maintainer_reply_hours_median"] == 6.0
    assert metrics["social.reply_share"] == 0.462
    unmeasurable = {e["metric"]: e["message"] for e in company["errors"] if e["stage"] == "measure"}
    assert "not measurable without credentials" in unmeasurable["social.x.posts_90d"]
    assert unmeasurable["social.x.posts_90d"].count("presence only") == 1  # its own reason, not every note


def test_manual_evidence_enters_as_manual(leader_audit: Path, tmp_path: Path) -> None:
    observations = tmp_path / "observations.toml"
    observations.write_text(OBSERVATIONS)
    out = tmp_path / "with-evidence"
    warc = str(leader_audit / "capture.warc.gz")
    result = run(
        "audit",
        "http://northwind.test/",
        "--out",
        str(out),
        "--replay",
        warc,
        "--format",
        "json",
        "-q",
        "--evidence",
        str(observations),
    )
    assert result.exit_code == 0, result.output
    company = json.loads((out / "audit.json").read_text())["companies"][0]
    assert company["metrics"]["manual.email_reply_hours"] == 4.5
    assert company["metrics"]["manual.chat_wait_minutes"] == 1.0
    assert company["metrics"]["manual.phone_wait_minutes"] == 4.0
    assert company["metrics"]["manual.observations"] == 2.0
    assert {i["evidence"]["method"] for i in company["channels"]["manual"]} == {"manual"}
    rule = next(r for d in company["dimensions"] for r in d["rules"] if r["id"] == "mystery-shopper-email")
    assert rule["status"] == "ok" and "manual observation" in rule["explanation"]
    assert rule["evidence"][0]["method"] == "manual"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[observation]]\ncompany = 'northwind.test'\nemail_reply_hours = 2\n", "'date'"),
        ("[[observation]]\ncompany = 'northwind.test'\ndate = 2026-11-20\nemail_reply_hours = -1\n", "≥ 0"),
        ("[[observation]]\ncompany = 'northwind.test'\ndate = 2026-11-20\nwait = 3\n", "unknown key 'wait'"),
        (
            "[[observation]]\ncompany = 'nowhere.test'\ndate = 2026-11-20\nemail_reply_hours = 2\n",
            "not audited",
        ),
        ("not = [toml", "not valid TOML"),
    ],
)
def test_bad_evidence_file_is_a_one_line_usage_error(tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    result = CliRunner().invoke(
        main, ["audit", "http://northwind.test/", "--out", str(tmp_path / "o"), "--evidence", str(bad)]
    )
    assert result.exit_code == 2, result.output
    assert result.output.startswith("engage: error:") and result.output.strip().count("\n") == 0
    assert message in result.output

"""End to end: `engage audit` through the fixture web's proxy, findings checked against the truth files."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from click.testing import CliRunner, Result

from audit.cli import main
from audit.cli.common import parse_gate
from audit.cli.stages import gate_status
from audit.fixture_web import FixtureWeb
from audit.fixture_web.activity import API_BASES
from audit.fixture_web.build import EXPIRED_HOSTS
from audit.fixture_web.market import load_market, load_truth
from audit.runner import ExitStatus

MARKET = load_market()
SCHEMA = json.loads((Path(__file__).parents[1] / "audit" / "audit.schema.json").read_text())
OUTPUTS = ("audit.json", "report.pdf", "report.html", "scores.csv", "findings.csv", "capture.warc.gz")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def validate(audit: dict[str, Any]) -> None:
    jsonschema.validate(audit, SCHEMA)


@pytest.fixture(scope="module")
def demo_audit(fixture_web: FixtureWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("audit")
    client = MARKET.client_company
    args = [
        "audit",
        client.url,
        "--name",
        client.name,
        "--out",
        str(out),
        "--proxy",
        fixture_web.proxy_url,
        "--ca-bundle",
        str(fixture_web.ca_pem_path),
        "--render",
        "never",
        "-q",
    ]
    for c in MARKET.competitors:
        args += ["--competitor", c.url]
    for name, base in API_BASES.items():  # social, video and GitHub APIs served by the fixture web
        args += ["--api-base", f"{name}={base}"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    return out


def company(audit: dict[str, Any], host: str) -> dict[str, Any]:
    return next(c for c in audit["companies"] if f"//{host}/" in c["url"])


def test_writes_every_output_and_a_valid_audit_json(demo_audit: Path) -> None:
    for name in OUTPUTS:
        assert (demo_audit / name).stat().st_size > 0, name
    audit = json.loads((demo_audit / "audit.json").read_text())
    validate(audit)
    assert audit["client"] == "acme.test"
    assert [c["name"] for c in audit["companies"]] == [c.name for c in MARKET.companies]
    assert audit["status"] == "complete"


@pytest.mark.parametrize("host", [c.host for c in MARKET.companies])
def test_channels_match_truth(demo_audit: Path, host: str) -> None:
    audit = json.loads((demo_audit / "audit.json").read_text())
    found = company(audit, host)["channels"]
    truth = load_truth(host)
    assert {(s["platform"], s["url"]) for s in found["social"]} == {
        (s["platform"], s["url"]) for s in truth["social"]
    }
    assert not {s["url"] for s in found["social"]} & set(truth["social_decoys"])
    assert {c["vendor"] for c in found["chat"]} == {c["vendor"] for c in truth["chat"]}
    if truth["faq"]["present"]:
        assert max(f["qa_pairs"] for f in found["faq"]) == truth["faq"]["qa_pairs"]
    else:
        assert found["faq"] == []
    assert {c["platform"] for c in found["community"]} == {c["platform"] for c in truth["community"]}
    assert {h["platform"] for h in found["help_center"]} == {h["platform"] for h in truth["help_center"]}
    assert {(f["url"], f["kind"]) for f in found["feeds"]} == {(f["url"], f["kind"]) for f in truth["feeds"]}
    assert bool(found["newsletter"]) == truth["newsletter"]
    emails = {c["email"] for c in found["contact"] if c.get("type") == "email"}
    assert emails == set(truth["contact_emails"])
    functions = {f["function"] for f in found["functions"]}
    assert functions == {k for k, v in truth["functions"].items() if v}
    checks = {t["check"] for t in found["trust"]}
    assert ("security_txt" in checks) == truth["trust"]["security_txt"]
    assert ("privacy" in checks) == bool(truth["trust"]["privacy"])
    assert ("https" in checks) == truth["trust"]["https"]
    assert ("hsts" in checks) == truth["trust"]["hsts"]
    assert ("certificates" in checks) == (truth["trust"]["certificates"] is True)


@pytest.mark.parametrize("host", [c.host for c in MARKET.companies])
def test_tls_matches_truth_and_a_refused_certificate_is_flagged_in_words(demo_audit: Path, host: str) -> None:
    audit = json.loads((demo_audit / "audit.json").read_text())
    found = company(audit, host)
    expected = load_truth(host)["trust"]["certificates"]
    metric = found["metrics"]["trust.certificates"]
    rule = (
        next(
            r
            for d in found["dimensions"]
            if d["id"] == "trust"
            for r in d.get("rules", [])
            if r["id"] == "valid-certificates"
        )
        if any("rules" in d for d in found["dimensions"])
        else None
    )
    if expected is True:
        assert metric == 1.0
    elif expected is None:  # no HTTPS at all: nothing to judge, and HTTPS is recommended instead
        assert metric is None
    else:
        assert metric == 0.0
        messages = [e["message"] for e in found["errors"]]
        assert any("TLS certificate expired on 2026-01-01" in m for m in messages), messages
        if rule is not None:
            assert expected.lower() in rule["explanation"].lower()


def test_every_finding_carries_evidence_and_every_absence_what_was_tried(demo_audit: Path) -> None:
    audit = json.loads((demo_audit / "audit.json").read_text())
    for c in audit["companies"]:
        for kind, items in c["channels"].items():
            for item in items:
                assert item["evidence"]["source_url"].startswith("http"), (kind, item)
            if not items:
                assert c["absences"][kind], (c["name"], kind)


def test_leader_first_laggard_last(demo_audit: Path) -> None:
    audit = json.loads((demo_audit / "audit.json").read_text())
    by_profile = {c.profile: company(audit, c.host) for c in MARKET.companies}
    assert by_profile["leader"]["rank"] == 1
    assert by_profile["laggard"]["rank"] == len(MARKET.companies)
    assert by_profile["laggard"]["overall"]["level"] == 1
    assert by_profile["broadcaster"]["overall"]["level"] == 2


def test_robots_disallowed_pages_are_not_fetched(demo_audit: Path) -> None:
    from audit.warc import read_capture

    captures, _ = read_capture(demo_audit / "capture.warc.gz")
    for capture in captures:
        truth = load_truth(capture.url.split("//")[1].strip("/"))
        fetched = {p.url for p in capture.pages}
        assert not fetched & set(truth["robots_disallowed"])
        for url in truth["robots_disallowed"]:  # linked (maybe with a query), so tried and refused
            assert any(ex.startswith(url) for ex in capture.robots["excluded"]), (url, capture.robots)


def test_discovery_finds_every_engagement_page(demo_audit: Path) -> None:
    from audit.warc import read_capture

    captures, _ = read_capture(demo_audit / "capture.warc.gz")
    for capture in captures:
        truth = load_truth(capture.url.split("//")[1].strip("/"))
        ok = {p.final_url for p in capture.pages if p.ok} | {p.url for p in capture.pages if p.ok}
        expected = {u for u in truth["engagement_pages"] if urlsplit(u).hostname not in EXPIRED_HOSTS}
        missing = expected - ok
        assert not missing, (capture.name, missing)
        # a host whose certificate expired is tried, and refused with the reason in words
        for url in set(truth["engagement_pages"]) - expected:
            refused = next(p for p in capture.pages if p.url == url)
            assert refused.status is None
            assert refused.error == "host unreachable: TLS certificate expired on 2026-01-01"


def refuse_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("replay opened a socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture()
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    refuse_sockets(monkeypatch)


@pytest.fixture(scope="module")
def replayed(demo_audit: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """The demo capture replayed once, with no socket allowed, under a gate the client misses (L4)."""
    out = tmp_path_factory.mktemp("replayed")
    args = ["audit", "http://acme.test/", "--out", str(out), "--replay", str(demo_audit / "capture.warc.gz")]
    with pytest.MonkeyPatch.context() as monkeypatch:
        refuse_sockets(monkeypatch)
        result = run(*args, "--format", "json", "-q", "--fail-under", "L4")
    return result, out


def test_replay_is_socket_free_and_identical(demo_audit: Path, replayed: tuple[Result, Path]) -> None:
    result, out = replayed
    assert result.exit_code == ExitStatus.GATE_FAILED, result.output  # the replay ran; only the gate failed
    original = json.loads((demo_audit / "audit.json").read_text())
    replayed_audit = json.loads((out / "audit.json").read_text())
    assert replayed_audit == original


def test_stages_run_apart(demo_audit: Path, tmp_path: Path, no_sockets: None) -> None:
    result = run("score", str(demo_audit / "capture.warc.gz"), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    validate(json.loads((tmp_path / "audit.json").read_text()))
    result = run("report", str(tmp_path), "--format", "html,csv")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report.html").exists() and (tmp_path / "scores.csv").exists()


@pytest.fixture()
def no_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dead host's 502 is not retried: waiting out the backoff is not what these tests are about (the
    backoff itself is tested on a virtual clock in test_fetch and test_crawl)."""
    monkeypatch.setenv("ENGAGE_RETRIES", "0")


@pytest.mark.usefixtures("no_retries")
def test_one_failing_company_gives_partial_with_the_rest_written(
    fixture_web: FixtureWeb, tmp_path: Path
) -> None:
    result = run(
        "audit",
        "http://acme.test/",
        "-c",
        "http://nowhere.test/",
        "--out",
        str(tmp_path),
        "--proxy",
        fixture_web.proxy_url,
        "--format",
        "json",
        "--render",
        "never",  # Chromium is tested in test_render; here it would only cost seconds
        "-q",
        "--max-pages",
        "5",
    )
    assert result.exit_code == 3, result.output
    audit = json.loads((tmp_path / "audit.json").read_text())
    validate(audit)
    assert audit["status"] == "partial"
    failed = company(audit, "nowhere.test")
    assert failed["overall"]["score"] is None
    assert failed["errors"][0]["stage"] == "gather" and "502" in failed["errors"][0]["message"]
    assert company(audit, "acme.test")["overall"]["score"] is not None


@pytest.mark.usefixtures("no_retries")
def test_unreachable_site_is_one_line_and_exit_1(fixture_web: FixtureWeb, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["audit", "http://nowhere.test/", "--out", str(tmp_path), "--proxy", fixture_web.proxy_url, "-q"],
    )
    assert result.exit_code == 1
    error, summary = result.output.strip().split(
        "\n"
    )  # the error, then what was written (audit.json says why)
    assert error == "engage: error: home page http://nowhere.test/: HTTP 502"
    assert summary.startswith("engage: audited 1 company, 0 pages, 1 error (1 company failed: nowhere.test")
    assert summary.endswith("exit 1 = error: no company could be audited")
    assert (tmp_path / "audit.json").is_file() and "Traceback" not in result.output


@pytest.mark.parametrize("url", ["ftp://acme.test/", "not a url"])
def test_malformed_url_is_a_usage_error(url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["audit", url, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.startswith("engage: error:") and "Traceback" not in result.output


def test_private_address_refused_without_flag(fixture_web: FixtureWeb, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["audit", f"http://127.0.0.1:{fixture_web.port}/", "--out", str(tmp_path), "-q"]
    )
    assert result.exit_code == 1
    assert "refused private address 127.0.0.1" in result.output


def test_custom_model_rescores_without_recrawling(demo_audit: Path, tmp_path: Path, no_sockets: None) -> None:
    from scoring.model import default_model_path

    # a marketer's model: reach and content weigh 100, everything else 1
    lines = default_model_path().read_text().splitlines()
    dim_id = None
    for i, line in enumerate(lines):
        if line.startswith("id = ") and i > 0 and lines[i - 1] == "[[dimensions]]":
            dim_id = line.split('"')[1]
        if dim_id and line.startswith("weight = ") and lines[i - 3] == "[[dimensions]]":
            lines[i] = f"weight = {100 if dim_id in ('presence', 'content') else 1}"
            dim_id = None
    custom = tmp_path / "reach.toml"
    custom.write_text("\n".join(lines).replace('version = "1.2.0"', 'version = "1.2.0-reach"'))
    assert run("model", "validate", str(custom)).exit_code == 0
    result = run("score", str(demo_audit / "capture.warc.gz"), "--model", str(custom), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    rescored = json.loads((tmp_path / "audit.json").read_text())
    original = json.loads((demo_audit / "audit.json").read_text())
    assert rescored["model"]["version"] == "1.2.0-reach"
    assert [d["weight"] for d in rescored["model"]["dimensions"]] == [100, 1, 1, 1, 1, 100, 1, 1]
    broadcaster = next(c.host for c in MARKET.companies if c.profile == "broadcaster")
    assert company(original, broadcaster)["rank"] > 2
    assert company(rescored, broadcaster)["rank"] == 2  # reach-heavy weights lift the broadcaster
    assert company(rescored, "northwind.test")["rank"] == 1


@pytest.mark.parametrize(("gate", "code"), [("L3", 0), ("L4", 4), ("50", 0), ("60", 4)])
def test_fail_under_gate_judges_the_written_audit(
    demo_audit: Path, gate: str, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    # what `audit --fail-under` runs on the audit.json it wrote (a replay writes the same one as the crawl)
    assert gate_status(demo_audit, parse_gate(gate), ExitStatus.OK) == code
    err = capsys.readouterr().err
    assert ("engage: gate failed: --fail-under: Acme Books:" in err) == (code == 4), err


def test_fail_under_gate_sets_exit_4_with_outputs_written(replayed: tuple[Result, Path]) -> None:
    result, out = replayed
    assert result.exit_code == 4, result.output
    assert (out / "audit.json").exists()
    assert "engage: gate failed: --fail-under: Acme Books: level L3 is under L4" in result.output


def test_bad_gate_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["audit", "http://acme.test/", "--out", str(tmp_path), "--fail-under", "L9"]
    )
    assert result.exit_code == 2

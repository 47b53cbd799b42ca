"""One audit against a market of hostile hosts: it ends, writes everything, and says what each did.

The issue's reproduction: a healthy client beside a tarpit, a slow drip, a gzip bomb, a redirect loop, a
huge page, a 10,000-deep DOM, 100,000 links and a host whose declared charset lies (UTF-7 with lone
surrogates, a ``unicode_escape`` meta charset, JSON-LD escaping a lone surrogate). That audit used to end
with a traceback and only the WARC; now every hostile host is in ``audit.json`` with its reason, and the
PDF is written. Asserts behaviour, not seconds (pytest-timeout is the only clock).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from audit.fixture_web.faults import FaultWeb
from audit.pipeline import run_audit
from audit.runner import ExitStatus, Target
from audit.settings import Settings

SCHEMA = json.loads((Path(__file__).parents[1] / "audit" / "audit.schema.json").read_text())

#: Each hostile host and the phrases one of which its recorded error must contain. Where the cap that
#: trips first depends on the machine's load (inflating a bomb on a busy core can hit the read timeout
#: first), any of the caps is the right answer: what matters is that the page ended with a reason.
HOSTILE: dict[str, tuple[str, ...]] = {
    "hang-accept": ("read timeout",),
    "slow-drip": ("deadline", "timeout"),
    "gzip-bomb": ("decompresses beyond", "timeout", "deadline"),
    "redirect-loop": ("redirect loop",),
    "huge": ("larger than", "timeout", "deadline"),
    "deep-dom": ("nested 10,0",),
    "many-links": ("larger than", "timeout", "deadline"),  # 2.1 MB of links, cut at the cap
    "lying-charset": ("not a web encoding",),
}


@pytest.fixture(scope="module")
def hostile_audit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ExitStatus, Path]]:
    out = tmp_path_factory.mktemp("hostile")
    targets = [Target(FaultWeb.url("ok"), "client", "Healthy")]
    targets += [Target(FaultWeb.url(mode), "competitor", mode) for mode in HOSTILE]
    with FaultWeb() as web:
        settings = Settings(
            proxy=web.proxy_url,
            render="never",
            formats=("json", "pdf", "csv"),
            max_pages=8,
            connect_timeout=1.0,
            read_timeout=1.0,
            request_deadline=3.0,
            company_budget=15.0,
            retries=1,
            max_bytes=2_000_000,
            max_decompressed_bytes=5_000_000,
            max_delay=2.0,
        )
        status = run_audit(targets, settings, out)
    yield status, out


def company(out: Path, name: str) -> dict[str, Any]:
    doc = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    return next(c for c in doc["companies"] if c["name"] == name)


def test_the_audit_ends_partial_with_every_output(hostile_audit: tuple[ExitStatus, Path]) -> None:
    status, out = hostile_audit
    assert status == ExitStatus.PARTIAL  # the tarpit and the redirect loop cannot be audited
    doc = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    assert [c["name"] for c in doc["companies"]] == ["Healthy", *HOSTILE]
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "scores.csv").stat().st_size > 0
    assert (out / "capture.warc.gz").stat().st_size > 0


def test_the_healthy_client_is_scored(hostile_audit: tuple[ExitStatus, Path]) -> None:
    healthy = company(hostile_audit[1], "Healthy")
    assert healthy["overall"]["score"] is not None
    assert healthy["errors"] == [] or all(e["stage"] == "measure" for e in healthy["errors"])


@pytest.mark.parametrize(("mode", "reasons"), HOSTILE.items())
def test_every_hostile_host_has_its_reason_recorded(
    hostile_audit: tuple[ExitStatus, Path], mode: str, reasons: tuple[str, ...]
) -> None:
    entry = company(hostile_audit[1], mode)
    messages = [e["message"] for e in entry["errors"] if e["stage"] != "measure"]
    assert any(reason in m for m in messages for reason in reasons), messages


def test_sites_that_answer_are_still_audited(hostile_audit: tuple[ExitStatus, Path]) -> None:
    for mode in ("slow-drip", "gzip-bomb", "huge", "deep-dom", "many-links", "lying-charset"):
        assert company(hostile_audit[1], mode)["overall"]["score"] is not None, mode


def test_the_lying_charset_host_is_read_as_text(hostile_audit: tuple[ExitStatus, Path]) -> None:
    entry = company(hostile_audit[1], "lying-charset")
    emails = [c["email"] for c in entry["channels"]["contact"] if c.get("email")]
    assert "help@lying-charset.fault.test" in emails
    text = (hostile_audit[1] / "audit.json").read_text(encoding="utf-8")  # strict UTF-8: no raw surrogate
    # and none escaped either (the page's literal text "\\ud83d" is written as an escaped backslash)
    assert re.search(r"(?<!\\)\\u[dD][89abAB][0-9a-fA-F]{2}", text) is None

"""Golden pairs: ``golden/<case>.html`` inspected as the recorded URL must give ``golden/<case>.json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from probes.inspect import inspect_html

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.html"))

INSPECT_KEYS = [
    "url", "social_profiles", "chat_widgets", "faq", "community_links", "help_center_links", "feeds",
    "newsletter_form", "contact_emails",
]  # fmt: skip


def test_enough_golden_cases() -> None:
    assert len(CASES) >= 15
    assert all((GOLDEN / f"{case}.json").exists() for case in CASES)


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    expected = json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))
    html = (GOLDEN / f"{case}.html").read_text(encoding="utf-8")
    result = inspect_html(html, expected["url"])
    assert list(result) == INSPECT_KEYS
    assert result == expected


def test_inspect_output_is_json_and_stable() -> None:
    html = (GOLDEN / "wordpress_footer_share.html").read_text(encoding="utf-8")
    first = json.dumps(inspect_html(html, "https://acme.test/"))
    assert first == json.dumps(inspect_html(html, "https://acme.test/"))

"""``SiteCapture.facts``: the gather stage's facts typed, read the same from new and older captures."""

from __future__ import annotations

from audit.models import CaptureFacts, SiteCapture


def test_a_capture_without_stats_has_default_facts() -> None:
    facts = SiteCapture(name="a", url="https://a.test/").facts
    assert facts == CaptureFacts()
    assert facts.rendered is None and facts.render_gap is None and facts.timing_samples == {}


def test_facts_are_read_from_the_recorded_stats() -> None:
    stats = {
        "rendered": False,
        "render_gap": "rendering switched off (--render never)",
        "timing_samples": {"https://a.test/": [120, 130.5]},
        "incomplete": ["time budget spent"],
        "truncated_fetches": ["https://a.test/robots.txt: cut"],
        "fetch_errors": ["https://a.test/sitemap.xml: timeout"],
    }
    facts = SiteCapture(name="a", url="https://a.test/", stats=stats).facts
    assert facts.rendered is False
    assert facts.render_gap == "rendering switched off (--render never)"
    assert facts.timing_samples == {"https://a.test/": (120.0, 130.5)}
    assert facts.incomplete == ("time budget spent",)
    assert facts.truncated_fetches == ("https://a.test/robots.txt: cut",)
    assert facts.fetch_errors == ("https://a.test/sitemap.xml: timeout",)

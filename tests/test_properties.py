"""Property-based tests: canonical forms are stable, parsers never raise, probes survive any HTML."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probes import run_probes
from probes.contact import parse_promises
from probes.inspect import one_page_capture
from probes.social_profiles import parse_profile

HANDLE = st.from_regex(r"[a-z0-9]{1,10}", fullmatch=True).map(lambda s: "acme" + s)  # never a reserved word
PROFILE_SHAPES = [
    "https://twitter.com/{h}",
    "http://www.twitter.com/{h}/",
    "https://x.com/{h}?lang=en",
    "https://X.com/{h}#top",
    "https://www.facebook.com/{h}/",
    "https://m.facebook.com/{h}",
    "https://www.instagram.com/{h}/",
    "https://www.youtube.com/@{h}",
    "https://github.com/{h}",
    "https://www.tiktok.com/@{h}",
    "https://bsky.app/profile/{h}.bsky.social",
    "https://mastodon.social/@{h}",
]


@given(HANDLE, st.sampled_from(PROFILE_SHAPES))
def test_social_canonical_urls_are_fixed_points(handle: str, shape: str) -> None:
    profile = parse_profile(shape.format(h=handle))
    assert profile is not None, shape
    again = parse_profile(profile.url)
    assert again is not None and again.url == profile.url and again.platform == profile.platform
    assert profile.url.startswith("https://") and "?" not in profile.url and not profile.url.endswith("/")


@given(st.text(max_size=300))
def test_social_parser_never_raises(text: str) -> None:
    parse_profile(text)
    parse_profile("https://x.com/" + text)


@given(st.integers(min_value=1, max_value=72), st.sampled_from(["hours", "hrs", "h"]))
def test_promised_hours_are_read_back(n: int, unit: str) -> None:
    promises = parse_promises(f"Questions? We reply within {n} {unit}.")
    assert [p.hours for p in promises] == [float(n)]


@given(st.text(max_size=400))
def test_promise_parser_never_raises_and_stays_in_range(text: str) -> None:
    for p in parse_promises(text):
        assert 0 < p.hours <= 24 * 30


TAGS = st.sampled_from(
    [
        "div",
        "p",
        "a",
        "footer",
        "header",
        "nav",
        "script",
        "details",
        "summary",
        "form",
        "input",
        "h2",
        "h3",
        "dl",
        "dt",
        "dd",
        "iframe",
        "main",
        "article",
        "span",
    ]
)
ATTRS = st.sampled_from(
    [
        "",
        ' href="https://x.com/acme"',
        ' href="mailto:a@b.test"',
        ' src="//widget.intercom.io/x"',
        ' type="email"',
        ' class="faq"',
        ' href="/faq"',
        ' rel="me"',
        ' href="javascript:void(0)"',
        ' href="https://facebook.com/sharer.php?u=x"',
        ' data-cfemail="zz"',
        ' href="tel:+1"',
    ]
)
TEXT = st.sampled_from(
    ["", "FAQ", "How do I pay?", "We reply within 2 days.", "Follow us", "<", "&amp;", "é"]
)


@st.composite
def html_docs(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        tag = draw(TAGS)
        inner = draw(html_docs(depth + 1)) if depth < 4 else ""
        close = draw(st.booleans())
        parts.append(f"<{tag}{draw(ATTRS)}>{draw(TEXT)}{inner}" + (f"</{tag}>" if close else ""))
    return "".join(parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_docs())
def test_probes_survive_generated_html(body: str) -> None:
    capture = one_page_capture(f"<html><body>{body}</body></html>", "https://acme.test/")
    for evidence in run_probes(capture):
        assert evidence.status != "error", (evidence.probe, evidence.error)

"""Pages far wider or deeper than real ones: the findings stay right (no timing asserted here; see bench/)."""

from __future__ import annotations

from probes.inspect import inspect_html

URL = "https://acme.test/"


def test_ten_thousand_links_in_one_block() -> None:
    links = "".join(f'<a href="/p/{i}">Product {i}</a> ' for i in range(10_000))
    html = (
        f"<html><body><div class='catalogue'>{links}</div>"
        "<footer><a href='https://x.com/acme'>X</a> <a href='mailto:hello@acme.test'>Mail</a>"
        "<a href='https://community.acme.test/'>Community</a></footer></body></html>"
    )
    result = inspect_html(html, URL)
    assert result["social_profiles"] == [{"platform": "x", "url": "https://x.com/acme", "handle": "acme"}]
    assert result["community_links"] == [{"url": "https://community.acme.test/", "platform": "unknown"}]
    assert result["contact_emails"] == [{"email": "hello@acme.test"}]


def test_ten_thousand_levels_deep() -> None:
    depth = 10_000
    inner = (
        "<footer><a href='https://x.com/acme'>X</a></footer>"
        "<article><a href='https://x.com/someone_else'>a mention</a></article>"
    )
    html = f"<html><body>{'<div>' * depth}{inner}{'</div>' * depth}</body></html>"
    result = inspect_html(html, URL)
    assert result["social_profiles"] == [{"platform": "x", "url": "https://x.com/acme", "handle": "acme"}]


def test_base_href_applies_to_every_link() -> None:
    links = "".join(f'<a href="forum/t/{i}">t{i}</a>' for i in range(2_000))
    html = f"<html><head><base href='https://community.acme.test/'></head><body>{links}</body></html>"
    result = inspect_html(html, URL)
    assert result["community_links"] == [{"url": "https://community.acme.test/", "platform": "unknown"}]

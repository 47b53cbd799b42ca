"""Issue 15, fifth pass: FAQ pages, chat loaders and chrome wrappers of the real corpus, one case each."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from probes.base import PageIndex, in_body_block, in_site_chrome
from probes.inspect import inspect_html


def _profiles(html: str, url: str = "https://www.example.com/") -> list[str]:
    return [p["url"] for p in inspect_html(html, url)["social_profiles"]]


def test_article_inside_the_footer_is_still_site_chrome() -> None:
    # Some CMS templates wrap the footer's content in an <article>: its profiles are the owner's.
    footer = (
        '<footer><article><ul><li><a href="https://twitter.com/ExampleCo"></a></li></ul></article></footer>'
    )
    assert _profiles(footer) == ["https://x.com/exampleco"]


def test_footer_inside_an_article_is_still_the_articles_own() -> None:
    # The trap: an article's own footer (its byline, its share bar) is part of the article body.
    html = (
        '<article><p>Text</p><footer><a id="in" href="https://twitter.com/someauthor">@a</a></footer></article>'
        '<footer><article><a id="out" href="https://twitter.com/exampleco">x</a></article></footer>'
    )
    soup = BeautifulSoup(html, "lxml")
    index = PageIndex(soup, "https://www.example.com/", html)
    inner, outer = soup.find(id="in"), soup.find(id="out")
    assert isinstance(inner, Tag) and isinstance(outer, Tag)
    assert index.in_body_block(inner) and not index.in_site_chrome(inner)
    assert in_body_block(inner) and not in_site_chrome(inner)
    assert index.in_site_chrome(outer) and not index.in_body_block(outer)
    assert in_site_chrome(outer) and not in_body_block(outer)

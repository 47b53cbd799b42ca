"""The probes' short cuts give exactly what the slow, obvious code gives: link resolution, a tag's short
text, an evidence snippet cut short, the common literals tested outside the automaton."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from probes import base

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.html"))
#: a few real saved pages (a forum thread, a shop, a news article): real markup's odd corners
REAL = [
    Path(__file__).parents[1] / "corpus" / "real" / name
    for name in (
        "ap-bitterkittens.com-discussion.html",
        "ap-debijenkorf.nl-jassen.html",
        "ap-forum.flyordie.com.html",
    )
]


def _reference_join(page: str, href: str) -> str:
    try:
        joined = urljoin(page, href)
        urlsplit(joined).port  # noqa: B018
    except ValueError:
        return ""
    return joined


HREFS = [
    "https://a.example/c",
    "http://a.example",
    "https://a.example/?",  # an empty query: urljoin drops the "?"
    "https://a.example/x#",  # an empty fragment
    "https://a.example/x?#y",
    "https://a.example/x;",  # empty ;params
    "https://a.example/x;p",
    "http://a.example:80/",
    "http://a.example:99999/",  # a bad port: ""
    "https://a.example/x\ty",  # a tab inside: removed by the parse
    "HTTPS://A.EXAMPLE/X",  # the scheme is lower-cased
    "https://a.example?q=1",
    "https://a.example#f",
    "https://a.example/x??",
    "https://a.example/x#?",
    "https://a.example/x#a#",
    "https://ä.example/",
    "https://[::1]/",
    "https://[bad/",
    "https://user:pw@a.example/",
    "https://a.example/x?a=1&b=2#c",
    "http:///x",
    "https://",
    "https://a.example/x/../y",
    "/relative/path",
    "relative",
    "?q=2",
    "#top",
    "//a.example/protocol-relative",
    "mailto:x@a.example",
]


@pytest.mark.parametrize(
    "page", ["https://s.example/p/q", "http://s.example/", "https://s.example/a?b#c", ""]
)
def test_joining_a_link_gives_what_urljoin_gives(page: str) -> None:
    for href in HREFS:
        assert base._join(page, href) == _reference_join(page, href), href


def _tags(html: str) -> list[Tag]:
    return BeautifulSoup(html, "lxml").find_all(True)


def _reference_short(tag: Tag) -> list[str] | None:
    strings, seen = [], 0
    for s in tag.stripped_strings:
        seen += len(s) - sum(1 for ch in s if ch.isspace())
        if seen >= base.SHORT_TEXT:
            return None
        strings.append(s)
    return strings


SMALL = (
    "<p><a href=/x>  Help\u00a0centre </a><a></a><a> </a><a><img src=i.png></a><a><span>in</span> a</a>"
    "<a><!-- a comment only --></a><a>" + "x" * 1200 + "</a><a>" + "y " * 999 + "</a>"
    "<script>var x = 1;</script><style>p{}</style><textarea> t </textarea></p>"
)


def test_a_tags_short_strings_are_its_stripped_strings_while_short() -> None:
    pages = [SMALL] + [p.read_bytes().decode("utf-8", "replace") for p in GOLDEN + REAL]
    checked = 0
    for html in pages:
        for tag in _tags(html):
            assert base._short_strings(tag) == _reference_short(tag), str(tag)[:80]
            checked += 1
    assert checked > 3000


def _reference_snippet(tag: Tag, limit: int) -> str:
    text = re.sub(r"\s+", " ", str(tag)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def test_a_snippet_cut_short_is_the_start_of_the_whole_tag() -> None:
    long_card = (
        '<a href="/p"> <div class="card">' + "<span>  word &amp; more </span>\n" * 60 + "</div>  </a>"
        '<form action="/s"><input name="q" value="a &quot;b&quot;">' + "<label>x</label>" * 80 + "</form>"
        "<div>" + " " * 500 + "<b>late</b></div>"
    )
    pages = [long_card, SMALL] + [p.read_bytes().decode("utf-8", "replace") for p in GOLDEN + REAL]
    checked = 0
    for html in pages:
        for tag in _tags(html):
            if html in pages[2 + len(GOLDEN) :] and tag.name not in ("a", "form", "li"):
                continue  # every tag of a long page, serialised in full, would be slow to check
            for limit in (160, 120, 12, 3):
                assert base.snippet(tag, limit) == _reference_snippet(tag, limit)
                checked += 1
    assert checked > 5000


def test_common_literals_are_found_as_the_automaton_would() -> None:
    from probes.chat_widgets import _all_selectors

    _all_selectors()  # registers the chat vendors' and selectors' literals, among them "id" and "iframe"
    assert base._COMMON & set(base._WORDS)
    for page in GOLDEN:
        text = base.folded(page.read_bytes().decode("utf-8", "replace"))
        for sample in (text, text[:300], "", '<iframe id="chat">'):
            expected = frozenset(w for w in base._WORDS if w in sample)
            assert base.present_words.__wrapped__(sample) == expected

"""Fourth issue-15 pass: rules for the classes of error left on the real corpus's dev split.

Each case is a small snippet written for the class, with the trap the rule must not fall into.
"""

from __future__ import annotations

from probes.inspect import inspect_html

URL = "https://www.example.com/news/2013/story.html"


def _help(html: str, url: str = URL) -> list[str]:
    return sorted(h["url"] for h in inspect_html(html, url)["help_center_links"])


def test_link_saying_help_is_rooted_at_its_first_path_segment() -> None:
    html = (
        '<footer><a href="/gi/pages/hc.htm">Help</a><a href="/membercenter/sitehelp.html">Help</a></footer>'
    )
    assert _help(html) == ["https://www.example.com/gi/", "https://www.example.com/membercenter/"]


def test_customer_service_portal_run_by_a_vendor() -> None:
    html = (
        '<div id="footer-links"><a href="https://w1.portal.test/servlet/CSGateway?mag=EX">'
        "Magazine Customer Service</a></div>"
    )
    assert _help(html) == ["https://w1.portal.test/servlet/"]


def test_help_words_in_link_text_traps() -> None:
    traps = (
        '<footer><a href="/about-us/contact/?ref=footer">Customer Service</a>'  # a contact page
        '<a href="/company/">Support</a>'  # a bare "Support" must be said by the URL too
        '<a href="/gp/video/help/">Help</a>'  # a topic's help, deeper down
        '<a href="/articles/2011/12/commenting_on_our_site_frequently_asked_questions.html">FAQ</a>'
        '<a href="https://forum.example.com/Forum-FAQ/">FAQ</a>'  # the forum's own FAQ
        "</footer>"
        '<div class="article-body"><a href="/guides/setup">Help</a></div>'  # an article's link
    )
    assert _help(traps) == []


def test_javascript_help_link_opens_the_help_page() -> None:
    html = (
        "<header><a href=\"javascript: void window.open('https://www.example.com/help?ref=/news',"
        "'h','width=1000')\">Help</a><a href=\"javascript:void(0)\">Help</a></header>"
    )
    assert _help(html) == ["https://www.example.com/help/"]


def test_support_section_that_asks_for_money_is_no_help_center() -> None:
    giving = (
        '<nav><a href="/support/">Support</a></nav>'
        '<ul><li><a href="/support/membership/">Membership</a></li>'
        '<li><a href="/support/planned-giving/">Bequests</a></li></ul>'
    )
    assert _help(giving) == []
    help_desk = (
        '<nav><a href="/support/">Support</a></nav>'
        '<ul><li><a href="/support/billing/">Billing</a></li>'
        '<li><a href="/support/account/">Account</a></li></ul>'
    )
    assert _help(help_desk) == ["https://www.example.com/support/"]

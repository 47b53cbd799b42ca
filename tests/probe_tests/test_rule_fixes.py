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


def _community(html: str, url: str = URL) -> list[str]:
    return sorted(c["url"] for c in inspect_html(html, url)["community_links"])


def test_link_saying_community_or_forums_names_the_owners_community() -> None:
    html = (
        '<nav><a href="http://fans.example.com/">Community</a>'
        '<a href="https://caps.example.org/">CAPS - Stock Picking Community</a>'  # the brand's domain
        '<a href="/sports/community/">Forums</a></nav>'
    )
    assert _community(html) == [
        "http://fans.example.com/",
        "https://caps.example.org/",
        "https://www.example.com/sports/community/",
    ]


def test_community_link_traps() -> None:
    traps = (
        '<nav><a href="/news/local/communities/">Communities</a>'  # a news section
        '<a href="https://help.example.com/">Community</a>'  # the help center's
        '<a href="https://www.other.test/">Community</a>'  # another organisation's
        '<a href="/community">Volg ons op Instagram</a>'  # a social links page
        '<a href="http://discussion.example.com/discussion/p/3gcm5">Click here to join the discussion</a>'
        "</nav>"
        '<div class="article-body"><a href="http://fans.example.com/">Community</a></div>'
    )
    assert _community(traps) == []


def test_vanilla_thread_link_on_the_forum_is_the_forums_root() -> None:
    html = '<nav><a href="http://forum.example.com/discussion/49/user-guide-and-faq">User guide</a></nav>'
    assert _community(html, "http://forum.example.com/categories/general") == ["http://forum.example.com/"]


def test_site_whose_own_addresses_look_like_a_platforms() -> None:
    page = "https://www.example.com/s/article/9239239/Story_title"
    html = (
        '<nav><a href="/s/topic/home">Topics</a><a href="/s/article/1/Other_story">Other</a>'
        f'<a href="{page}#top">Skip</a></nav>'
    )
    assert _community(html, page) == []
    assert _help(html, page) == []
    # elsewhere the shape still names the platform
    other = '<footer><a href="https://acme.my.site.com/s/article/Reset-password">Help</a></footer>'
    assert _help(other) == ["https://acme.my.site.com/"]


def _emails(html: str, url: str = URL) -> list[str]:
    return sorted(e["email"] for e in inspect_html(html, url)["contact_emails"])


def test_reporters_address_in_the_byline_is_the_publishers() -> None:
    html = (
        '<div class="article-body"><div class="author-byline-wrapper">'
        '<a class="author-name" href="/people/jr/">'
        'J. Roe</a><div class="social-links"><a href="mailto:j.roe@heraldpost.com?subject=x">Email</a>'
        "</div></div><p>Story.</p><p>Write to Kim Lee at kim.lee@heraldgroup.com</p>"
        # the trap: an address quoted in the story is somebody else's
        "<p>Tips went to press@cityhall.org, the city said.</p><p>More.</p><p>End.</p></div>"
    )
    assert _emails(html, "https://www.dailyherald.com/news/story.html") == [
        "j.roe@heraldpost.com",
        "kim.lee@heraldgroup.com",
    ]


def _social(html: str, url: str = URL) -> list[str]:
    return sorted(p["url"] for p in inspect_html(html, url)["social_profiles"])


def test_reporters_profiles_are_not_the_owners() -> None:
    html = (
        '<div class="reporter-info"><div class="reporter-social-buttons">'
        '<a href="https://twitter.com/#!/JaneReporter">Twitter</a></div></div>'
        '<p><a data-track="Byline: Twitter Follow" href="https://twitter.com/otherwriter">Follow</a></p>'
        # the trap: the owner's own follow links stay
        '<footer><a href="https://twitter.com/examplenews">Twitter</a>'
        '<a href="https://www.facebook.com/examplenews">Facebook</a></footer>'
    )
    assert _social(html) == ["https://www.facebook.com/examplenews", "https://x.com/examplenews"]


def test_page_wide_aspnet_form_is_judged_by_its_email_fields_block() -> None:
    filler = "<p>" + "Story text. " * 300 + "</p>"
    about_us = (
        '<form id="aspnetForm" action="/story.aspx" method="post">'
        f'<div class="mailbox"><input type="text" name="friendmail"> Email this story</div>{filler}'
        "<footer>Newsletter archive</footer></form>"
    )
    assert inspect_html(about_us, URL)["newsletter_form"] is False
    signup = (
        '<form id="aspnetForm" action="/story.aspx" method="post">'
        f"{filler}<div><h3>FREE Newsletters</h3>Sign up for our daily newsletter"
        '<input class="nlemail" id="txtNLEmail" type="text"></div></form>'
    )
    assert inspect_html(signup, URL)["newsletter_form"] is True

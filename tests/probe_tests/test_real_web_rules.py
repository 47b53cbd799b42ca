"""Rules added for issue 15 (probes on the real web), one small case per class of error."""

from __future__ import annotations

from typing import Any

import pytest

from probes.community import community_root
from probes.help_center import help_root
from probes.inspect import inspect_html
from probes.social_profiles import brand_like


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("https://www.amazon.com/gp/help/customer/display.html", "https://www.amazon.com/gp/help/"),
        ("https://www.wired.com/about/faq", "https://www.wired.com/about/faq/"),
        ("https://www.usmagazine.com/services-faq/", "https://www.usmagazine.com/services-faq/"),
        (
            "https://shop.example.de/Haeufig-gestellte-Fragen/",
            "https://shop.example.de/Haeufig-gestellte-Fragen/",
        ),
        ("https://www.example.com/customer-service/returns", "https://www.example.com/customer-service/"),
        ("https://service.example.com/contact", "https://service.example.com/"),
        ("https://www.example.com/info/faq.html", "https://www.example.com/info/"),
        ("https://www.example.com/faq.html", None),  # never the home page
        ("https://www.example.com/a/b/help/", None),  # deep help pages are topics
        ("https://www.example.com/about/accessibility-help", None),
        ("https://forum.example.com/c/help/", None),  # a forum's help category
        ("https://www.example.com/2020/05/how-to-get-help", None),
    ],
)
def test_help_root(url: str, root: str | None) -> None:
    assert help_root(url) == root


def _help(html: str, url: str = "https://www.example.com/") -> list[str]:
    return [h["url"] for h in inspect_html(html, url)["help_center_links"]]


def test_help_links_in_chrome() -> None:
    nav = (
        '<nav><a href="/about/faq">FAQ</a><a href="https://support.example.com/donate">Support us</a>'
        '<a href="/help/terms-of-service">Terms</a><a href="/support/chat-with-us">Chat with us</a></nav>'
    )
    assert _help(nav) == ["https://www.example.com/about/faq/"]


def test_zendesk_link_is_not_the_page_itself() -> None:
    html = '<footer><a href="https://help.example.com/hc/en-us/articles/1-Copyright">©</a></footer>'
    assert _help(html) == ["https://help.example.com/"]


def test_zendesk_on_own_host_is_rooted_at_the_host() -> None:
    html = '<footer><a href="https://exhelp.example.com/hc/en-ca/categories/1-Apps">Apps</a></footer>'
    assert _help(html) == ["https://exhelp.example.com/"]


def test_a_forum_engines_own_faq_and_help_are_the_boards_not_a_help_center() -> None:
    board = (
        '<ul><li><a href="./faq.php?sid=1" rel="help">FAQ</a></li>'
        '<li><a href="/forum/help/terms/">Help</a></li>'
        '<li><a href="https://www.example.com/support/">Help</a></li></ul>'
        "<footer>Powered by phpBB Forum Software</footer>"
    )
    assert _help(board, "https://www.example.com/forum/viewtopic.php?t=1") == [
        "https://www.example.com/support/"
    ]
    # a board at the site's root: its /help/ section is the engine's, its /faq/ page may be the site's
    root_board = (
        '<a href="/help/">Help</a><a href="/faq/">FAQ</a><footer>Powered by phpBB Forum Software</footer>'
    )
    assert _help(root_board, "https://www.example.com/viewtopic.php?t=1") == ["https://www.example.com/faq/"]
    # the same links on a page that is no forum page are the site's help
    assert _help('<a href="/forum/help/terms/">Help</a>', "https://www.example.com/") == [
        "https://www.example.com/forum/help/"
    ]


@pytest.mark.parametrize(
    ("text", "href", "root"),
    [
        ("FAQs/Help", "http://shop.example.com/faqshelp/", "http://shop.example.com/faqshelp/"),
        ("Infocenter / Hilfe", "http://www.example.de/infocenter", "http://www.example.de/infocenter/"),
        ("r/help", "https://www.example.com/r/tips/", None),  # a subreddit's name, not two names
        ("Shipping / Returns", "https://www.example.com/shipping/", None),
    ],
)
def test_two_names_joined_by_a_slash(text: str, href: str, root: str | None) -> None:
    assert _help(f'<footer><a href="{href}">{text}</a></footer>') == ([root] if root else [])


def test_a_site_whose_name_ends_in_help_is_not_its_own_help_center() -> None:
    html = '<header><a href="/"><img alt="MedHelp"></a><a href="https://www.acmehelp.com/">Help</a></header>'
    assert _help(html, "https://www.medhelp.example/posts/1") == []
    assert _help(html, "https://www.acme.com/") == ["https://www.acmehelp.com/"]


def test_faq_link_is_not_an_faq() -> None:
    html = '<nav><a href="/faq">FAQ</a></nav><h2>Why did it rain?</h2><p>Because.</p>'
    assert inspect_html(html, "https://www.example.com/news/1")["faq"] == {"present": False, "qa_pairs": 0}


def _social(html: str, url: str = "https://www.example.com/") -> list[str]:
    return [p["url"] for p in inspect_html(html, url)["social_profiles"]]


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("Rawstory.tv", True),
        ("RawStory TV", True),
        ("Raw Story's Jane Doe, our reporter", False),
        ("Our videos", False),
    ],
)
def test_a_link_named_for_the_brand_is_its_account_under_an_opaque_address(text: str, owner: bool) -> None:
    url = "https://www.youtube.com/channel/UCt6tgXcL1hC9gItUIgiDvMQ"
    html = f'<div class="top-links"><a href="{url}">{text}</a><a href="/us-news">US news</a></div>'
    assert _social(html, "https://www.rawstory.com/") == ([url] if owner else [])


def test_owner_meta_with_value_attribute() -> None:
    html = (
        '<head><meta name="twitter:site" value="@Example"><meta name="twitter:creator" content="@writer">'
        '<meta property="article:publisher" content="https://www.facebook.com/Example"></head>'
    )
    assert _social(html) == ["https://www.facebook.com/example", "https://x.com/example"]


def test_blog_platform_default_twitter_site_is_not_the_owner() -> None:
    assert _social('<meta name="twitter:site" content="@jetpack">') == []


def test_staff_list_in_css_module_classes_is_not_the_owner() -> None:
    html = '<div class="staffList--1XJa"><div class="staffLinks--1UhV"><a href="https://twitter.com/ann">T</a></div></div>'
    assert _social(html) == []


def test_a_follow_us_block_under_a_story_names_the_owners_accounts_not_the_authors() -> None:
    html = (
        '<article><div class="story-content"><p>The story.</p>'
        '<div class="story-footer"><div class="follow-social"><p>Follow us:</p>'
        '<a href="https://www.facebook.com/examplenews">f</a>'
        '<a href="https://www.instagram.com/examplenews/">i</a></div>'
        '<div class="author-follow"><p>Follow Jane Doe:</p><a href="https://x.com/janedoe">x</a></div>'
        "</div></div></article>"
    )
    found = _social(html, "https://www.examplenews.com/world/story-1")
    assert found == ["https://www.facebook.com/examplenews", "https://www.instagram.com/examplenews"]
    # the same block on another brand's page is somebody else's accounts
    assert _social(html, "https://www.otherpaper.com/world/story-1") == []


def test_a_list_labelled_with_platform_names_is_the_owners_and_an_authors_lone_link_is_not() -> None:
    sidebar = (
        '<div class="side"><ul><li><a href="/app">Android app</a></li>'
        '<li><a href="https://twitter.com/Daily_Example">Twitter</a></li>'
        '<li><a href="https://www.facebook.com/DailyExampleNews">Facebook</a></li></ul></div>'
    )
    author = (
        '<div class="card"><img src="/avatars/jd.jpg" alt="Avatar"><ul>'
        '<li><a href="https://blog.example.org/jd">Blog</a></li>'
        '<li><a href="https://twitter.com/janedoe">Twitter</a></li></ul></div>'
    )
    found = _social(sidebar + author, "https://www.dexnews.com/story")
    assert found == ["https://www.facebook.com/dailyexamplenews", "https://x.com/daily_example"]


def test_links_within_the_platform_are_content() -> None:
    html = (
        '<header><a href="/r/all">All</a><a href="/pulls">Pulls</a></header>'
        '<div class="guide"><a href="/channel/UCabcdefghijklmnopqrstuv">A channel</a></div>'
    )
    assert _social(html, "https://www.reddit.com/r/pics/") == []
    assert _social(html, "https://www.youtube.com/") == []
    assert _social('<header><a href="/pulls">Pulls</a></header>', "https://github.com/") == []


def _feeds(html: str, url: str = "https://www.example.com/2020/01/post/") -> dict[str, str]:
    return {f["url"]: f["kind"] for f in inspect_html(html, url)["feeds"]}


def test_declared_feeds_with_comment_feeds() -> None:
    html = (
        '<link rel="alternate" type="application/rss+xml" title="Ex » Feed" href="/feed/">'
        '<link rel="alternate" type="application/rss+xml" title="Ex » Post Comments Feed" '
        'href="/2020/01/post/feed/">'
        '<link rel="alternate" type="application/rss+xml" href="/comments/feed/">'
        '<link rel="alternate" type="application/rss+xml" href="https://twitter.com/example">'
    )
    assert _feeds(html) == {
        "https://www.example.com/feed/": "rss",
        "https://www.example.com/2020/01/post/feed/": "comments",
        "https://www.example.com/comments/feed/": "comments",
    }


def test_feed_anchors_are_feeds_not_guesses_or_share_dialogs() -> None:
    html = (
        '<a href="https://www.facebook.com/dialog/feed?app_id=1&link=x">Share</a>'
        '<a href="https://www.example.com/rss/">RSS feeds</a><a href="https://www.example.com/sitemap_index.xml">Map</a>'
        '<a href="https://www.example.com/?feed=rss2">RSS</a><a href="https://feeds2.feedburner.com/example?format=xml">FB</a>'
    )
    assert _feeds(html) == {
        "https://www.example.com/?feed=rss2": "rss",
        "https://feeds2.feedburner.com/example?format=xml": "rss",
    }


def test_feeds_under_rss_on_a_feed_subdomain_and_feed_scripts() -> None:
    links = [
        "https://www.example.com/rss/all",  # under /rss/: feeds
        "https://www.example.com/rss/politics.xml",
        "https://www.example.com/authors/rss/Jane-Doe",
        "https://www.example.com/rss.php?format=xml",  # a feed script
        "https://feeds.example.com/ExampleNews",  # the owner's feed subdomain
        "https://www.example.com/rss/",  # the directory page of the feeds
        "https://www.example.com/rss/index.jsp",
        "https://www.example.com/rss/widget/",
        "https://www.example.com/rss/List.aspx",
        "https://feeds.example.com/~r/ExampleNews/~3/AbC/story.html",  # one item's click-through
        "https://feeds.othersite.com/TheirNews",  # somebody else's feed subdomain
    ]
    html = "".join(f'<a href="{u}">feed</a>' for u in links)
    assert _feeds(html) == {u: "rss" for u in links[:5]}


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("https://bbs.example.com/thread/1", "https://bbs.example.com/"),
        ("https://boards.example.com/", "https://boards.example.com/"),
        ("https://fusecommunity.example.com/t/1", "https://fusecommunity.example.com/"),
        ("https://www.example.com/board/football-30/", "https://www.example.com/board/"),
        ("https://dyn.example.com/members/forums/", "https://dyn.example.com/members/forums/"),
        ("https://www.example.com/news/community/fair", None),  # a news section
        ("https://www.example.com/discussion/p/33cym", None),  # a comment thread
        ("https://support.example.com/forums/26810/entries/1", None),  # the help center's
        # a board named in a compound on the site's main host; a subdomain's board-named path is a category
        (
            "https://www.example.de/multiple-sklerose-forum/?t=1",
            "https://www.example.de/multiple-sklerose-forum/",
        ),
        ("https://example.com/message_board/index.php?topic=1.0", "https://example.com/message_board/"),
        ("https://www.example.com/discussion-boards/x", "https://www.example.com/discussion-boards/"),
        ("https://talk.example.com/parents-forum/1", None),
        ("https://www.example.com/advisory-board/", None),
        ("https://www.example.com/forum-rules/", None),
    ],
)
def test_community_root(url: str, root: str | None) -> None:
    assert community_root(url) == root


def _community(html: str, url: str) -> list[str]:
    return [c["url"] for c in inspect_html(html, url)["community_links"]]


def test_subreddits_and_ugc_links_on_a_platform_are_content() -> None:
    html = (
        '<header><a href="/r/all">All</a></header><aside><a href="/r/pics/">r/pics</a>'
        '<a rel="noopener nofollow ugc" href="https://discord.gg/abc123">Chat</a></aside>'
    )
    assert _community(html, "https://www.reddit.com/r/pics/comments/1/x/") == []


def test_comment_section_is_not_a_community() -> None:
    html = '<div><a href="https://www.example.com/discussion/p/33cym">View all comments</a></div>'
    assert _community(html, "https://www.example.com/news/1") == []


def _newsletter(html: str) -> bool:
    return bool(inspect_html(html, "https://www.example.com/")["newsletter_form"])


def test_email_alert_and_feedburner_signups() -> None:
    alert = (
        '<form action="/signup/signupAuthorAlerts.cfm" class="reporter-alert-signup">'
        '<input type="text" name="emailAddress"><input type="submit" value="sign up"></form>'
    )
    feedburner = (
        '<form action="https://feedburner.google.com/fb/a/mailverify" method="post">'
        '<input type="text" name="email"></form>'
    )
    assert _newsletter(alert) and _newsletter(feedburner)


def test_a_signup_named_in_the_plural_or_by_its_fields_class() -> None:
    plural = (
        '<form action="/newsletters/"><p>Sign up for our free email newsletters</p>'
        '<input type="text" name="email" placeholder="Type your email">'
        '<input type="button" value="Go"></form>'
    )
    by_class = (
        '<form action="/discussion/1/reply" method="post"><input class="SubscribeBox-input" name="email" '
        'placeholder="Enter Email Address"><input type="submit" value="GET IT"></form>'
    )
    trial = '<form action="/start"><input type="text" name="email"><button>Get started</button></form>'
    assert _newsletter(plural)
    assert _newsletter(by_class)
    assert not _newsletter(trial)


def test_recaptcha_textarea_does_not_hide_a_signup() -> None:
    html = (
        '<div><h2>Newsletter</h2><form class="newsletter-form">'
        '<textarea name="g-recaptcha-response"></textarea>'
        '<input type="email" name="email"><button>Sign up</button></form></div>'
    )
    assert _newsletter(html)


def test_sign_in_form_is_not_a_newsletter() -> None:
    html = '<form action="/signin"><input type="email" name="email"><input type="password"></form>'
    assert not _newsletter(html)


def _emails(html: str, url: str = "https://www.example.com/news/1") -> list[str]:
    return [e["email"] for e in inspect_html(html, url)["contact_emails"]]


def test_a_members_address_shown_as_the_posts_user_name_is_not_the_owners() -> None:
    html = (
        '<div class="post"><div class="resp_header"><div class="username"><a href="/user/1"><span>'
        "jd1234@aol.com</span></a></div></div><p>My question.</p></div>"
        '<div class="site-info"><span>support@example.com</span></div>'
    )
    assert _emails(html, "https://www.example.com/posts/1") == ["support@example.com"]


def test_address_quoted_in_running_text_is_not_the_owners() -> None:
    prose = "<p>One.</p><p>Two.</p><p>Three.</p><p>Ann Writer can be reached at ann@gmail.com</p>"
    assert _emails(f"<div>{prose}</div>") == []


def test_staff_address_on_a_sibling_brand_domain_is_the_owners() -> None:
    prose = "<p>One.</p><p>Two.</p><p>Three.</p><p>Write to ann@example-news.com</p>"
    assert _emails(f"<div>{prose}</div>", "https://www.examplenews.com/a") == ["ann@example-news.com"]


def test_topic_faqs_and_brand_help_domains() -> None:
    topic = '<nav><a href="/coronavirus/faq">FAQs</a><a href="/gp/help/customer/display.html">Help</a></nav>'
    assert _help(topic) == ["https://www.example.com/gp/help/"]
    brand = '<footer><a href="https://www.examplehelp.com/">Help</a></footer>'
    assert _help(brand) == ["https://www.examplehelp.com/"]


def test_footer_icon_list_named_share_is_the_owners() -> None:
    html = (
        '<footer><ul class="SiteFooter-share"><li><a href="https://www.instagram.com/example/">IG</a></li></ul>'
        '</footer><article><div class="share"><a href="https://www.instagram.com/someone/">IG</a></div></article>'
    )
    assert _social(html) == ["https://www.instagram.com/example"]


def test_empty_mailchimp_container_is_not_a_form() -> None:
    html = '<div role="dialog"><div id="mc_embed_signup"><div>Thanks for subscribing!</div></div></div>'
    assert not _newsletter(html)


_INTRO = "<p>Tell us who you are and what you do, and we will be in touch with you within a working day.</p>"
_WORDS = "<p>Subscribe me to the mailing list too</p>"
_NAMED_FIELDS = "".join(
    f'<input type="text" name="{n}">' for n in ("firstname", "lastname", "jobtitle", "company")
)


@pytest.mark.parametrize(
    ("form", "signup"),
    [
        # the form's hidden tag calls it a newsletter: a name, a job and a company may be asked for
        (
            f'<input type="hidden" name="cid" value="x_newsletter_lightbox">{_INTRO}{_NAMED_FIELDS}{_WORDS}',
            True,
        ),
        # so may a form opening with a sign-up heading
        (f"<h3>Get updates &amp; special deals</h3>{_NAMED_FIELDS}", True),
        # the same fields without either are a lead or contact form, whatever the small print says
        (f"{_INTRO}{_NAMED_FIELDS}{_WORDS}", False),
    ],
)
def test_a_sign_up_that_asks_for_more_than_the_address(form: str, signup: bool) -> None:
    html = f'<form action="/x">{form}<input type="text" name="email"><input type="submit"></form>'
    assert _newsletter(html) is signup


def test_a_cms_sign_up_block_inside_a_page_wide_form() -> None:
    """ASP.NET wraps the whole page in one form; Sitecore's ``scfForm`` block in it is the sign-up."""
    signup = (
        '<div class="scfForm"><h3>Get Updates, Invites &amp; Special Deals</h3>'
        '<input type="text" name="f1"><input type="text" name="f2"><input type="text" name="email">'
        '<select name="city"><option>Dallas</option></select><input type="submit" value="Join"></div>'
    )
    page = f'<form id="form1" action="/faq"><p>{"An answer to a question. " * 150}</p>{signup}</form>'
    assert _newsletter(page)
    assert not _newsletter(page.replace("scfForm", "sidebar"))


# --- forum pages of the real corpus (issue 15, second pass) ---------------------------------------------


def _inspect(html: str, url: str) -> dict[str, Any]:
    return inspect_html(html, url)


def test_vanilla_thread_board_is_the_site() -> None:
    """``/discussion/868/…`` is a Vanilla thread, not a board root: the forum is the whole site."""
    found = _inspect(
        '<script>gdn.meta = {"siteSection": {}};</script><a href="/discussions">Discussions</a>',
        "http://kittens.example.com/discussion/868/open-chat",
    )
    assert found["community_links"] == [{"url": "http://kittens.example.com/", "platform": "vanilla"}]


def test_a_boards_sections_are_the_board() -> None:
    """A menu of topic sections (``/Wellness/Forum/``) beside the board (``/Forum/``) names one community."""
    html = "<nav>" + "".join(
        f'<a href="http://www.example.de{path}">Forum</a>'
        for path in ("/Forum/", "/Wellness/Forum/", "/A/B/Forum/")
    )
    found = _inspect(html + "</nav>", "http://www.example.de/")
    assert [c["url"] for c in found["community_links"]] == ["http://www.example.de/Forum/"]


def test_a_link_into_the_board_the_page_is_on_is_that_board() -> None:
    """On a XenForo thread of a board at the site's root, its ``/forums/`` list is the same board."""
    html = '<html id="XF" data-app="public"><nav><a href="https://www.watches.example/forums/">Foren</a></nav></html>'
    found = _inspect(html, "https://www.watches.example/threads/a-thread.414009/")
    assert [c["url"] for c in found["community_links"]] == ["https://www.watches.example/"]


@pytest.mark.parametrize(
    ("href", "forum"),
    [
        ("https://www.example.org/board/read.php?2,132", True),  # Phorum: forum and message ids as the query
        ("https://www.example.org/board/list.php?3,page=2", True),
        ("https://shop.example.com/list.php?3", False),  # any site's listing page
        ("https://shop.example.com/read.php?id=2", False),
    ],
)
def test_phorum_addresses_and_look_alikes(href: str, forum: bool) -> None:
    found = _inspect(f'<footer><a href="{href}">Boards</a></footer>', "https://www.example.org/")
    assert [c["platform"] for c in found["community_links"]] == (["phorum"] if forum else [])


def test_one_community_in_both_schemes() -> None:
    html = (
        '<nav><a href="https://forum.example.de/forum.php">Forum</a>'
        '<a href="http://forum.example.de/misc.php?do=rules">Regeln</a></nav>'
    )
    found = _inspect(html, "https://www.example.de/")
    assert [c["url"] for c in found["community_links"]] == ["https://forum.example.de/"]


def test_forum_post_bodies_are_content() -> None:
    """A poster's address, subreddit or GitHub in a vBulletin/Vanilla/XenForo post is not the owner's."""
    html = (
        '<div class="Message Excerpt"><p><a href="mailto:poster@elsewhere.example">Hi,</a></p></div>'
        '<div class="postcontent restore"><a href="https://www.reddit.com/r/somemod">r/somemod</a></div>'
        '<div class="messageText"><a href="https://github.com/someposter">my repo</a></div>'
        '<footer><a href="mailto:admin@example.com">Contact</a></footer>'
    )
    found = _inspect(html, "https://forum.example.com/")
    assert found["contact_emails"] == [{"email": "admin@example.com"}]
    assert found["community_links"] == []
    assert found["social_profiles"] == []


def test_tapatalk_twitter_site_is_not_the_owner() -> None:
    html = '<meta name="twitter:site" content="@tapatalk"><meta name="twitter:card" content="summary">'
    assert _inspect(html, "http://www.example-forum.com/showthread.php?t=1")["social_profiles"] == []


def test_icon_row_mates_are_the_owner() -> None:
    """An unbranded LinkedIn icon beside the brand's Facebook and X icons is the owner's own account."""
    html = (
        '<div id="icons"><a id="FacebookIcon" href="https://www.facebook.com/AcmePetsRPG"></a>'
        '<a id="XIcon" href="https://twitter.com/AcmePets"></a>'
        '<a id="LinkedInIcon" href="https://www.linkedin.com/company/monster-games"></a></div>'
        '<p>Read <a href="https://www.linkedin.com/company/other-org">another company</a> today.</p>'
    )
    urls = {s["url"] for s in _inspect(html, "http://www.acmepets.com/")["social_profiles"]}
    assert "https://www.linkedin.com/company/monster-games" in urls
    assert "https://www.linkedin.com/company/other-org" not in urls


def test_newsletter_form_in_a_client_side_template() -> None:
    """A sign-up banner written in a jQuery template script is inserted at run time; it is still a form."""
    html = (
        '<script id="banner" type="text/x-jquery-tmpl"><div><h3>Schrijf u in voor onze nieuwsbrief</h3>'
        '<form action="https://t.mailer.example/signup.ashx" method="post">'
        '<input type="hidden" name="listid" value="1"><input type="text" name="Email"></form></div></script>'
    )
    assert _inspect(html, "https://www.example.nl/")["newsletter_form"] is True
    plain = '<script type="text/javascript">var f = "<form><input name=email></form>";</script>'
    assert _inspect(plain, "https://www.example.nl/")["newsletter_form"] is False


def test_addresses_in_html_comments_are_not_published() -> None:
    html = (
        "<!-- Rating@Mail.ru counter --><!-- webmaster (at) example [dot] com -->"
        '<footer><a href="mailto:info@example.ru">Write to us</a></footer>'
    )
    assert _inspect(html, "http://www.example.ru/")["contact_emails"] == [{"email": "info@example.ru"}]


def test_docs_host_linked_as_docs_or_help() -> None:
    footer = (
        '<footer><a data-ga-click="Footer, go to help, text:Docs" href="https://docs.example.com">Docs</a>'
        '<a href="https://docs.example.com/site-policy/terms">Terms</a></footer>'
    )
    assert _help(footer) == ["https://docs.example.com/"]
    assert _help('<nav><a href="https://docs.example.com">Help</a></nav>') == ["https://docs.example.com/"]
    product = (
        '<nav><a href="https://docs.example.com">Docs</a><a href="https://docs.example.com">API</a>'
        '<a href="/docs/">Docs</a></nav>'
    )
    assert _help(product) == []  # product documentation, not a help center


def test_help_link_to_a_compound_help_section() -> None:
    nav = '<nav><a href="/aide-technique">Aide</a><a href="/accessibility-help">Accessibility</a></nav>'
    assert _help(nav, "https://ici.example.ca/") == ["https://ici.example.ca/aide-technique/"]
    de = '<nav><a href="/hilfe-und-kontakt/versand">Hilfe</a></nav>'
    assert _help(de, "https://www.example.de/") == ["https://www.example.de/hilfe-und-kontakt/"]


_QA = (
    '{"@context": "https://schema.org", "@type": "%s", "mainEntity": [{"@type": "Question", '
    '"name": "Why does my VPN disconnect?", "acceptedAnswer": {"@type": "Answer", "text": "Update it."}}, '
    '{"@type": "Question", "name": "How do I renew?", '
    '"suggestedAnswer": {"@type": "Answer", "text": "Go to My Account."}}]}'
)


@pytest.mark.parametrize(("kind", "faq"), [("FAQPage", True), ("QAPage", False)])
def test_qa_page_markup_of_a_thread_is_not_an_faq(kind: str, faq: bool) -> None:
    """FAQPage markup is an FAQ; QAPage markup (one question answered by users: a forum thread, a Q&A
    site) is not, in JSON-LD as in microdata."""
    jsonld = f'<script type="application/ld+json">{_QA % kind}</script>'
    microdata = (
        f'<div itemscope itemtype="https://schema.org/{kind}">'
        '<div itemprop="mainEntity" itemscope itemtype="https://schema.org/Question">'
        '<h3 itemprop="name">Why does my VPN disconnect?</h3>'
        '<div itemprop="acceptedAnswer" itemscope itemtype="https://schema.org/Answer">'
        '<p itemprop="text">Update it.</p></div></div></div>'
    )
    for body in (jsonld, microdata):
        found = inspect_html(
            f"<html><body><h1>Community</h1>{body}</body></html>", "https://community.acme.test/t/1"
        )
        assert found["faq"]["present"] is faq, body[:40]
        assert (found["faq"]["qa_pairs"] > 0) is faq


@pytest.mark.parametrize(
    ("handle", "brand", "like"),
    [
        ("abbeyroadprograms", "goabbeyroad", True),  # go + the brand's name
        ("acmetools", "getacme", False),  # "acme" is too short a name to stand on its own
        ("acmeworks", "theacmeworks", True),
        ("gadgetdaily", "gadget", True),
        ("randomnews", "goabbeyroad", False),
        ("gopher", "golang", False),
    ],
)
def test_brand_like_sees_the_name_behind_a_verb_or_article(handle: str, brand: str, like: bool) -> None:
    assert brand_like(handle, brand) is like


def test_a_footer_written_as_a_div_id_is_site_chrome() -> None:
    """Markup older than ``<footer>``: ``<div id="footer">`` holds the site's own accounts."""
    html = (
        '<div id="content"><p>Text</p></div><div id="footer"><ul class="foot_list">'
        '<li><a href="https://www.facebook.com/nlmresearch">NLM on Facebook</a></li></ul></div>'
    )
    assert _social(html, "https://www.example.gov/") == ["https://www.facebook.com/nlmresearch"]
    # the same link in the page's content is a mention
    moved = html.replace('id="footer"', 'id="sidebar-widgets"')
    assert _social(moved, "https://www.example.gov/") == []

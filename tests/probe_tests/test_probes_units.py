"""Unit tests with literal evidence: canonical URLs, promises per language, decoders, capture-level probes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from audit.models import Page, SiteCapture
from probes import (
    PROBES,
    blog,
    contact,
    faq,
    feeds,
    functions,
    newsletter,
    run_probes,
    social_profiles,
    trust,
)
from probes.contact import decode_cfemail, normalise_phone, parse_promises


def _page(url: str, html: str, **extra: object) -> Page:
    return Page(url=url, final_url=url, status=200, content_type="text/html", text=html, **extra)  # type: ignore[arg-type]


def _capture(*pages: Page, url: str = "https://acme.test/", finished_at: str = "") -> SiteCapture:
    return SiteCapture(name="Acme", url=url, pages=list(pages), finished_at=finished_at)


@pytest.mark.parametrize(
    ("raw", "url", "handle"),
    [
        ("https://twitter.com/AcmeBooks/", "https://x.com/acmebooks", "acmebooks"),
        (
            "https://www.linkedin.com/company/acme-books",
            "https://www.linkedin.com/company/acme-books",
            "acme-books",
        ),
        (
            "https://www.youtube.com/@northwindledger",
            "https://www.youtube.com/@northwindledger",
            "northwindledger",
        ),
        (
            "https://bsky.app/profile/northwind.bsky.social",
            "https://bsky.app/profile/northwind.bsky.social",
            "northwind.bsky.social",
        ),
        (
            "https://mastodon.social/@northwind",
            "https://mastodon.social/@northwind",
            "northwind@mastodon.social",
        ),
        ("https://github.com/northwind-ledger", "https://github.com/northwind-ledger", "northwind-ledger"),
        ("https://www.tiktok.com/@brightbooks", "https://www.tiktok.com/@brightbooks", "brightbooks"),
        ("https://www.reddit.com/user/brightbooks", "https://www.reddit.com/user/brightbooks", "brightbooks"),
        ("https://medium.com/@brightbooks", "https://medium.com/@brightbooks", "brightbooks"),
        ("HTTP://WWW.Instagram.COM/AcmeBooks/#top", "https://www.instagram.com/acmebooks", "acmebooks"),
    ],
)
def test_canonical_profile_urls(raw: str, url: str, handle: str) -> None:
    profile = social_profiles.parse_profile(raw)
    assert profile is not None and (profile.url, profile.handle) == (url, handle)


def test_own_site_at_paths_are_not_mastodon() -> None:
    assert social_profiles.parse_profile("https://acme.test/@team", own_host="acme.test") is None


@pytest.mark.parametrize(
    ("text", "hours", "business"),
    [
        ("We reply within 24 hours.", 24, False),
        ("Our team responds within 4 business hours.", 4, True),
        ("We'll get back to you within 1 business day.", 24, True),
        ("Support answers in 48h.", 48, False),
        ("Wir antworten innerhalb von 24 Stunden.", 24, False),
        ("Wir melden uns binnen eines Werktages.", 24, True),
        ("Nous répondons sous 24 heures.", 24, False),
        ("Nous répondons en 1 jour ouvré.", 24, True),
        ("Respondemos en 24 horas.", 24, False),
        ("Respondemos en un día hábil.", 24, True),
        ("Rispondiamo entro 24 ore.", 24, False),
        ("Rispondiamo entro un giorno lavorativo.", 24, True),
        ("Wij reageren binnen 24 uur.", 24, False),
        ("We antwoorden binnen 1 werkdag.", 24, True),
        ("Respondemos em até 24 horas.", 24, False),
        ("Respondemos em 2 dias úteis.", 48, True),
        ("We answer within two days.", 48, False),
    ],
)
def test_promises_per_language(text: str, hours: float, business: bool) -> None:
    promises = parse_promises(text)
    assert [(p.hours, p.business) for p in promises] == [(hours, business)]


@pytest.mark.parametrize(
    "text",
    [
        "Notre équipe répond de 9h à 18h.",  # opening hours, no "within"
        "Delivery within 48 hours.",  # no reply word
        "We reply within a few hours.",  # no number
        "We are open 24 hours a day.",
    ],
)
def test_not_promises(text: str) -> None:
    assert parse_promises(text) == []


def test_promise_metric_is_minimum() -> None:
    html = "<p>Email: we reply within 24 hours.</p><p>Chat: we respond within 2 hours.</p>"
    evidence = contact.probe(_capture(_page("https://acme.test/contact", html)))
    assert evidence.metrics["contact.promised_reply_hours"] == 2


def test_no_promise_metric_is_null() -> None:
    evidence = contact.probe(_capture(_page("https://acme.test/", "<p>Hello</p>")))
    assert evidence.metrics["contact.promised_reply_hours"] is None
    assert evidence.tried


def test_cfemail_and_phone() -> None:
    assert decode_cfemail("5f" + "".join(f"{ord(c) ^ 0x5F:02x}" for c in "a@b.test")) == "a@b.test"
    assert decode_cfemail("zz") == ""
    assert normalise_phone("+49 (30) 123-4567") == "+49301234567"
    assert normalise_phone("0049 30 1234567") == "+49301234567"


def test_contact_form_vs_comment_form() -> None:
    html = (
        '<form id="contact" action="/send"><input type="email" name="email"><textarea></textarea></form>'
        '<form id="commentform" action="/wp-comments-post.php"><input name="email"><textarea></textarea>'
        "</form>"
    )
    evidence = contact.probe(_capture(_page("https://acme.test/contact", html)))
    assert [f.url for f in evidence.findings if f.attrs["type"] == "form"] == ["https://acme.test/send"]


def test_social_repeated_body_link_is_owner_but_single_is_not() -> None:
    body = '<main><p>Say hi on <a href="https://twitter.com/roadrunner_hq">X</a></p></main>'
    once = social_profiles.probe(_capture(_page("https://acme.test/", body)))
    twice = social_profiles.probe(
        _capture(_page("https://acme.test/", body), _page("https://acme.test/about", body))
    )
    assert once.findings == []
    assert [f.url for f in twice.findings] == ["https://x.com/roadrunner_hq"]
    assert twice.metrics["social.profiles"] == 1


def test_social_plain_link_naming_the_brand_is_owner_but_not_in_an_article() -> None:
    plain = '<main><a href="https://www.tiktok.com/@acmeplants">TikTok</a></main>'
    article = '<article><p>Like <a href="https://www.tiktok.com/@acmeplants">this</a></p></article>'
    found = social_profiles.probe(_capture(_page("https://acme.test/links", plain)))
    assert [f.url for f in found.findings] == ["https://www.tiktok.com/@acmeplants"]
    assert social_profiles.probe(_capture(_page("https://acme.test/blog/x", article))).findings == []
    assert not social_profiles.brand_like("acmeplants", "ac")  # too short to mean anything


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("http://twitter.com/#!/RiversideVet", "https://x.com/riversidevet"),
        (
            "http://www.facebook.com/pages/Riverside-Vet/158765432109876",
            "https://www.facebook.com/158765432109876",
        ),
        ("https://www.strava.com/clubs/kestrel-outdoor", "https://www.strava.com/clubs/kestrel-outdoor"),
    ],
)
def test_legacy_and_club_profile_urls(raw: str, url: str) -> None:
    profile = social_profiles.parse_profile(raw)
    assert profile is not None and profile.url == url


def test_rel_me_may_point_to_a_self_hosted_instance_on_an_own_subdomain() -> None:
    url = "https://social.acme.test/@team"
    assert social_profiles.parse_profile(url, own_host="acme.test") is None
    profile = social_profiles.parse_profile(url, own_host="acme.test", own_subdomains=True)
    assert profile is not None and profile.handle == "team@social.acme.test"


def test_faq_ignores_article_question_headings() -> None:
    html = "<article><h1>New pricing</h1><h2>Why did prices change?</h2><h2>What does it mean?</h2></article>"
    assert (
        faq.faq_on_page(faq.parsed_pages(_capture(_page("https://acme.test/blog/pricing", html)))[0]) is None
    )


def test_newsletter_rejects_search_login_and_comment_forms() -> None:
    html = """<form role="search"><input type="search" name="q"></form>
    <form action="/login"><input type="email" name="email"><input type="password" name="pw"></form>
    <form id="commentform"><input name="email"><textarea></textarea><p>Subscribe to replies</p></form>"""
    assert not newsletter.probe(_capture(_page("https://acme.test/", html))).found


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Acme</title>
<item><title>a</title><guid>1</guid><pubDate>Mon, 25 Nov 2024 10:00:00 +0000</pubDate></item>
<item><title>b</title><guid>2</guid><pubDate>Fri, 01 Nov 2024 10:00:00 +0000</pubDate></item>
<item><title>c</title><guid>3</guid><pubDate>Mon, 01 Jul 2024 10:00:00 +0000</pubDate></item>
</channel></rss>"""


def test_feed_cadence_relative_to_capture_end() -> None:
    home = _page("https://acme.test/", '<link rel="alternate" type="application/rss+xml" href="/feed.xml">')
    body = Page(
        url="https://acme.test/feed.xml",
        final_url="https://acme.test/feed.xml",
        status=200,
        content_type="application/rss+xml",
        text=FEED,
    )
    evidence = feeds.probe(_capture(home, body, finished_at="2024-11-30T10:00:00+00:00"))
    assert [(f.url, f.attrs["kind"]) for f in evidence.findings] == [("https://acme.test/feed.xml", "rss")]
    assert evidence.metrics == {
        "blog.posts_30d": 2.0,
        "blog.posts_90d": 2.0,
        "blog.posts_365d": 3.0,
        "blog.last_post_age_days": 5.0,
    }


def test_feed_cadence_not_measured_without_body() -> None:
    home = _page("https://acme.test/", '<link rel="alternate" type="application/atom+xml" href="/atom.xml">')
    evidence = feeds.probe(_capture(home))
    assert evidence.metrics["blog.posts_30d"] is None and evidence.notes


def test_blog_index_posts_and_comments() -> None:
    index = _page(
        "https://acme.test/blog/",
        '<a href="/blog/one">1</a><a href="/blog/two">2</a><a href="/blog/page/2">»</a>',
    )
    post = _page("https://acme.test/blog/one", '<div id="disqus_thread"></div>')
    evidence = blog.probe(_capture(index, post))
    assert [(f.url, f.attrs["posts"], f.attrs["comments"]) for f in evidence.findings] == [
        ("https://acme.test/blog/", 2, ["disqus"])
    ]


def test_functions_links() -> None:
    html = """<footer><a href="/careers">Careers</a><a href="/presse/">Presse</a><a href="https://status.acme.test/">Status</a>
    <a href="https://acme.canny.io/feature-requests">Ideas</a><a href="https://boards.greenhouse.io/acme">Jobs</a></footer>"""
    evidence = functions.probe(_capture(_page("https://acme.test/", html)))
    got = sorted((f.attrs["function"], f.url, f.attrs.get("platform")) for f in evidence.findings)
    assert got == [
        ("careers", "https://acme.test/careers", None),
        ("careers", "https://boards.greenhouse.io/", "greenhouse"),
        ("feedback", "https://acme.canny.io/", "canny"),
        ("press", "https://acme.test/presse/", None),
        ("status", "https://status.acme.test/", None),
    ]


def test_trust_checks_pass_fail_and_unmeasured() -> None:
    home = _page(
        "https://acme.test/",
        '<footer><a href="/datenschutz">Datenschutz</a></footer>'
        '<script src="https://consent.cookiebot.com/uc.js"></script>',
        headers={"Strict-Transport-Security": "max-age=31536000"},
    )
    evidence = trust.probe(_capture(home))
    assert sorted(f.attrs["check"] for f in evidence.findings) == [
        "certificates",
        "cookie_consent",
        "hsts",
        "https",
        "privacy",
    ]
    assert evidence.metrics["trust.csp"] == 0 and evidence.metrics["trust.accessibility"] == 0
    assert evidence.metrics["trust.security_txt"] is None  # not fetched, so not judged
    assert any(n.startswith("csp:") for n in evidence.notes)


def test_a_refused_certificate_fails_the_certificates_check_with_its_reason() -> None:
    home = _page("https://northwind.test/", "")
    status = Page(
        url="https://status.northwind.test/",
        final_url="https://status.northwind.test/",
        error="host unreachable: TLS certificate expired on 2026-01-01",
    )
    evidence = trust.probe(_capture(home, status, url="https://northwind.test/"))
    assert evidence.metrics["trust.certificates"] == 0
    assert (
        "certificates: certificate expired on 2026-01-01 (status.northwind.test, https://status.northwind.test/)"
        in evidence.notes
    )


def test_a_plain_http_site_has_no_certificates_to_judge() -> None:
    evidence = trust.probe(_capture(_page("http://tallybook.test/", ""), url="http://tallybook.test/"))
    assert evidence.metrics["trust.https"] == 0
    assert evidence.metrics["trust.certificates"] is None


def test_security_txt_found() -> None:
    sec = Page(
        url="https://acme.test/.well-known/security.txt",
        final_url="https://acme.test/.well-known/security.txt",
        status=200,
        content_type="text/plain",
        text="Contact: mailto:security@acme.test\n",
    )
    evidence = trust.probe(_capture(_page("https://acme.test/", ""), sec))
    assert evidence.metrics["trust.security_txt"] == 1


def test_run_probes_isolates_failures() -> None:
    def boom(capture: SiteCapture) -> None:
        raise ValueError("bad html")

    broken = SimpleNamespace(NAME="broken", CHANNELS=("social",), probe=boom)
    results = run_probes(_capture(_page("https://acme.test/", "")), (broken, *PROBES))  # type: ignore[arg-type]
    assert results[0].status == "error" and results[0].error == "ValueError: bad html"
    assert [r.probe for r in results[1:]] == [m.NAME for m in PROBES]
    # chat is "not measured" on an unrendered capture with nothing found statically; nothing else fails
    assert all(r.status == "ok" for r in results[1:] if r.probe != "chat_widgets")
    assert next(r for r in results if r.probe == "chat_widgets").status == "not_measured"


def test_registry_declares_channels() -> None:
    from audit.models import CHANNEL_KINDS

    assert {c for m in PROBES for c in m.CHANNELS} == set(CHANNEL_KINDS)
    assert len({m.NAME for m in PROBES}) == len(PROBES)

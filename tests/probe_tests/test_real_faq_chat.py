"""Issue 15, fifth pass: FAQ pages, chat loaders and chrome wrappers of the real corpus, one case each."""

from __future__ import annotations

import pytest
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


def _faq(html: str, url: str = "https://www.example.com/") -> dict[str, object]:
    return dict(inspect_html(html, url)["faq"])


_ANSWER = "Yes, and here is the longer answer that explains it to the customer in full."
_BOLD_QA = "".join(
    f"<p><strong>Q: {q}? &nbsp;</strong>A: {_ANSWER}</p>" for q in ("Do you ship abroad", "Can I return it")
)


def test_bold_q_lead_ins_on_a_page_titled_faq() -> None:
    html = f"<html><head><title>General FAQs by Example</title></head><body><h1>Why us?</h1>{_BOLD_QA}</body>"
    assert _faq(html) == {"present": True, "qa_pairs": 2}


def test_bold_questions_in_a_blog_post_are_not_an_faq() -> None:
    html = (
        f"<html><head><title>Ten things we learned</title></head><body><article>{_BOLD_QA}</article></body>"
    )
    assert _faq(html) == {"present": False, "qa_pairs": 0}


def _indexed(title: str, questions: tuple[str, ...]) -> str:
    items = "".join(f'<li><a href="#q{i}">{q}</a></li>' for i, q in enumerate(questions))
    answers = "".join(
        f'<p><a name="q{i}"></a><strong>{q}</strong></p><p>{_ANSWER}</p><a href="#top">back to questions</a>'
        for i, q in enumerate(questions)
    )
    return f"<html><head><title>{title}</title></head><body><ol>{items}</ol>{answers}</body></html>"


_QUESTIONS = ("How do I order?", "What does it cost?", "Where is my parcel", "Can I pay later?")


def test_anchor_index_of_questions_on_an_faq_page() -> None:
    assert _faq(_indexed("FAQ", _QUESTIONS), "https://www.example.com/tickets.asp") == {
        "present": True,
        "qa_pairs": 4,
    }


def test_anchor_index_on_a_help_and_answers_page() -> None:
    assert _faq(_indexed("Basic Help and Answers", _QUESTIONS))["qa_pairs"] == 4


def test_table_of_contents_is_not_an_faq() -> None:
    # Traps: a listicle's contents of question headings (no FAQ or Q&A title), an "answers" page whose
    # index entries are not questions.
    assert _faq(_indexed("Ten questions about bread", _QUESTIONS))["present"] is False
    assert _faq(_indexed("Answers", ("Bread", "Cakes", "Pies", "What is rye?")))["present"] is False


@pytest.mark.parametrize(
    "title",
    [
        "Q&A",
        "Fragen und Antworten",
        "Questions et réponses",
        "Preguntas y respuestas",
        "Domande e risposte",
        "Vragen en antwoorden",
        "Perguntas e respostas",
    ],
)
def test_qa_title_in_every_language(title: str) -> None:
    assert _faq(_indexed(title, _QUESTIONS))["qa_pairs"] == 4


def _chat(html: str) -> list[str]:
    return [c["vendor"] for c in inspect_html(html, "https://www.example.com/")["chat_widgets"]]


def test_self_hosted_livezilla_is_named_by_its_paths_and_ids() -> None:
    tracking = (
        '<div id="livezilla_tracking" style="display:none"></div><script>var src = '
        '"http://www.example.com/livehelp/server.php?request=track&output=jscript&nse="+Math.random();</script>'
    )
    button = (
        '<noscript><a href="http://www.example.com/support/livezilla.php?code=HOME">Live help</a></noscript>'
    )
    assert _chat(tracking) == ["LiveZilla"]
    assert _chat(button) == ["LiveZilla"]


def test_livezilla_mentions_and_other_server_scripts_name_nothing() -> None:
    html = (
        '<p>We compared <a href="https://www.livezilla.net/">LiveZilla</a> and others '
        '(<a href="/blog/livezilla-review">review</a>).</p>'
        '<script src="/api/server.php?request=login"></script><img src="/livezilla/logo.png" alt="">'
    )
    assert _chat(html) == []


def test_legacy_liveperson_tag_on_the_owners_subdomain_and_inline_config() -> None:
    own = '<script src="https://textchat.example.com/hcp/html/mTag.js?site=LPAcme1"></script>'
    config = "<script>var lpMTagConfig = {'lpServer': 'sales.liveperson.net', 'lpTagLoaded': false};</script>"
    assert _chat(own) == ["LivePerson"]
    assert _chat(config) == ["LivePerson"]
    assert _chat('<a href="https://www.liveperson.com/">LivePerson</a> is a chat vendor.') == []


def _feeds(html: str) -> list[tuple[str, str]]:
    return [(f["url"], f["kind"]) for f in inspect_html(html, "https://www.example.com/")["feeds"]]


def test_wordpress_rss_092_feed_declared_as_text_xml() -> None:
    link = '<link rel="alternate" type="text/xml" title="RSS .92" href="https://www.example.com/feed/rss/">'
    assert _feeds(f"<html><head>{link}</head><body></body></html>") == [
        ("https://www.example.com/feed/rss/", "rss")
    ]


def test_other_xml_alternates_are_not_feeds() -> None:
    head = (
        '<link rel="alternate" type="text/xml" href="https://www.example.com/sitemap.xml">'
        '<link rel="alternate" type="application/xml" title="Product data" href="/api/products.xml">'
    )
    assert _feeds(f"<html><head>{head}</head><body></body></html>") == []


def _newsletter(html: str) -> bool:
    return bool(inspect_html(html, "https://www.example.com/")["newsletter_form"])


def test_signup_button_named_after_email_is_not_a_second_email_field() -> None:
    form = (
        '<div><h3>Keep up with us</h3><p>Join our email list.</p><form action="/signup.aspx">'
        '<input name="email" class="email"><input type="submit" id="emailSignupSubmit" value="Sign Up">'
        "</form></div>"
    )
    assert _newsletter(form)


def test_contact_form_with_an_email_button_is_still_not_a_newsletter() -> None:
    form = (
        '<form action="/contact/submit"><input name="email"><input name="name"><textarea name="message">'
        '</textarea><input type="submit" id="submit_email" value="Send"></form>'
    )
    assert not _newsletter(form)

"""Help-center platform and forum engine breadth (issue 15), through the probes as an audit runs them.

Every row of ``probes/data/help_centers.toml`` and ``community_platforms.toml`` is recognised alone on an
ordinary company page: its page examples (generator, markup), its cookies (``Set-Cookie`` of the engine) and
its link examples (in the page's footer). The hand-compiled lists of real help-center and forum URLs
(``bench/data/help_center_urls.txt``, ``forum_urls.txt``) are named at >= 90 %. Precision: articles that
mention, quote or link vendors, "Powered by" links to a vendor's own site and look-alike hosts recognise
nothing.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from audit.fetch import Fetcher
from audit.models import Page, SiteCapture
from audit.settings import Settings
from probes import community, help_center
from probes.base import load_data

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from help_forum_coverage import LISTS, named, url_rows

SITE = "https://acme-robotics.example/"
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Robotics</title>
<link rel="stylesheet" href="/static/site.css">{head}</head>
<body><header><a href="/">Acme Robotics</a> <a href="/products">Products</a></header>
<main><h1>Robots for small workshops</h1><p>Open Monday to Friday.</p>{main}</main>
<footer><a href="/about">About</a> {footer} &copy; Acme Robotics</footer></body></html>"""

PROBES = {"help_centers": help_center, "community_platforms": community}


def _findings(table: str, html: str, url: str = SITE, headers: dict[str, str] | None = None) -> list[Any]:
    page = Page(url=url, final_url=url, status=200, content_type="text/html; charset=utf-8", text=html,
                headers=headers or {})  # fmt: skip
    return list(PROBES[table].probe(SiteCapture(name="acme", url=SITE, pages=[page])).findings)


def _platforms(table: str, html: str, url: str = SITE, headers: dict[str, str] | None = None) -> set[str]:
    return {str(f.attrs["platform"]) for f in _findings(table, html, url, headers)}


def _page(head: str = "", main: str = "", footer: str = "") -> str:
    return PAGE.format(head=head, main=main, footer=footer)


def _rows(key: str) -> list[tuple[str, dict[str, Any], str]]:
    return [
        (table, row, value)
        for table in PROBES
        for row in load_data(table)["platform"]
        for value in row.get(key, [])
    ]


def _ids(rows: list[tuple[str, dict[str, Any], str]]) -> list[str]:
    return [f"{row['id']}:{value[:50]}" for _, row, value in rows]


EXAMPLES = _rows("examples")
LINKS = _rows("link_examples")


def _docs_url(row: dict[str, Any]) -> str:
    """Documentation generators count on a docs site only; everything else is read on the home page."""
    return "https://docs.acme-robotics.example/" if row.get("docs_only") else SITE


@pytest.mark.parametrize(("table", "row", "html"), EXAMPLES, ids=_ids(EXAMPLES))
def test_page_example_alone_names_the_platform(table: str, row: dict[str, Any], html: str) -> None:
    if "<html" in html:
        page = html
    elif html.startswith(("<meta", "<link", "<script")):
        page = _page(head=html)
    else:
        page = _page(main=html)
    assert _platforms(table, page, _docs_url(row)) == {row["id"]}


@pytest.mark.parametrize(("table", "row", "url"), LINKS, ids=_ids(LINKS))
def test_footer_link_alone_names_the_platform(table: str, row: dict[str, Any], url: str) -> None:
    text = "Help center" if table == "help_centers" else "Community"
    found = _findings(table, _page(footer=f'<a href="{escape(url)}">{text}</a>'))
    assert {str(f.attrs["platform"]) for f in found} == {row["id"]}
    # the linking page is not itself a help center or forum of that platform
    assert all(f.method == "anchor" and f.url != SITE for f in found), [(f.url, f.method) for f in found]


#: one Set-Cookie header per engine that is known by its cookies, as its pages send them
SET_COOKIES = {
    "discourse": "_forum_session=a1b2c3; path=/; secure; HttpOnly",
    "vanilla": "Vanilla-Volatile=x; path=/",
    "phpbb": "phpbb3_1a2b3_u=1; path=/; secure; HttpOnly, phpbb3_1a2b3_sid=9f8e7d; path=/; secure; HttpOnly",
    "xenforo": "xf_csrf=Zx9; path=/; secure",
    "mybb": "mybb[lastvisit]=1712345678; path=/, mybb[lastactive]=1712345678; path=/",
    "vbulletin": "bb_lastvisit=1712345678; path=/, bb_sessionhash=abc; path=/",
    "flarum": "flarum_session=Qw12; path=/; HttpOnly",
    "invision": "ips4_IPSSessionFront=abc; path=/; HttpOnly",
    "smf": "SMFCookie956=a%3A4; path=/",
    "zendesk": "_help_center_session=abc; path=/; secure; HttpOnly",
    "freshdesk": "_helpkit_session=abc; path=/; HttpOnly",
}
COOKIE_ROWS = [(t, row) for t in PROBES for row in load_data(t)["platform"] if row.get("cookies")]


def test_every_cookie_row_has_a_sample() -> None:
    assert {row["id"] for _, row in COOKIE_ROWS} == set(SET_COOKIES)


@pytest.mark.parametrize(("table", "row"), COOKIE_ROWS, ids=[row["id"] for _, row in COOKIE_ROWS])
def test_engine_cookie_alone_names_the_platform(table: str, row: dict[str, Any]) -> None:
    host = "forum" if table == "community_platforms" else "help"
    url = f"https://{host}.acme-robotics.example/"
    headers = {"set-cookie": SET_COOKIES[row["id"]]}
    assert _platforms(table, _page(), url, headers) == {row["id"]}


class _BoardHandler(BaseHTTPRequestHandler):
    """A board's page with nothing phpBB-like in its HTML, and phpBB's two session cookies."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = _page().encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Set-Cookie", "phpbb3_5x9k2_u=1; path=/; HttpOnly")
        self.send_header("Set-Cookie", "phpbb3_5x9k2_sid=0c1d2e3f; path=/; HttpOnly")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def board() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BoardHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_engine_cookies_survive_the_fetch(board: str) -> None:
    """Both Set-Cookie headers of a real response reach the probe (joined by the HTTP client)."""
    settings = Settings(allow_private=True, read_timeout=10.0, connect_timeout=10.0, request_deadline=20.0)
    page = Fetcher(settings).get(board)
    assert page.ok and "phpbb3_5x9k2_sid" in page.headers.get("set-cookie", "")
    found = community.probe(SiteCapture(name="board", url=board, pages=[page])).findings
    assert {str(f.attrs["platform"]) for f in found} == {"phpbb"}
    assert found[0].method == "cookie"


def test_unrelated_cookies_name_nothing() -> None:
    headers = {"set-cookie": "PHPSESSID=abc; path=/, session=1; path=/, my_forum_session=2, cf_bm=3"}
    for table in PROBES:
        assert _platforms(table, _page(), SITE, headers) == set(), table


@pytest.mark.parametrize("name", list(LISTS))
def test_compiled_url_list_coverage(name: str) -> None:
    rows = url_rows(name)
    hits = [url for platform, url in rows if named(name, url) == {platform}]
    assert len(rows) >= 60
    assert len({p for p, _ in rows}) >= 25
    assert len(hits) / len(rows) >= 0.9, f"{len(hits)}/{len(rows)}"


ARTICLE = """<article><h1>The 12 best help desk and forum tools of 2025</h1>
<p>We compared Zendesk, Freshdesk, Freshservice, Help Scout, Intercom, Document360, ServiceNow, Confluence,
Jira Service Management, KnowledgeOwl, Gorgias, Groove, HappyFox, LiveAgent, Helpshift, Re:amaze, Deskpro,
Notion, Mintlify, Docusaurus, MkDocs, Discourse, Flarum, phpBB, XenForo, vBulletin, MyBB, Simple Machines,
Discuz!, bbPress, wpForo, Invision Community, NodeBB, Khoros, inSided, Circle, Skool and Zulip.</p>
<p>Read more: <a href="https://www.zendesk.com/service/help-center/">Zendesk</a> ·
<a href="https://www.freshworks.com/freshdesk/">Freshdesk</a> ·
<a href="https://www.helpscout.com/">Help Scout</a> · <a href="https://www.kayako.com/">Kayako</a> ·
<a href="https://www.helpjuice.com/">Helpjuice</a> · <a href="https://www.gitbook.com/">GitBook</a> ·
<a href="https://www.discourse.org/">Discourse</a> · <a href="https://www.phpbb.com/">phpBB</a> ·
<a href="https://xenforo.com/">XenForo</a> · <a href="https://mybb.com/">MyBB</a> ·
<a href="https://www.simplemachines.org/">SMF</a> · <a href="https://www.servicenow.com/">ServiceNow</a> ·
<a href="https://www.atlassian.com/software/confluence">Confluence</a> ·
<a href="https://acme.zendesk.com/hc/en-us">a Zendesk help center</a> ·
<a href="https://acme.gitbook.io/docs">a GitBook site</a> · <a href="https://acme.readme.io/docs">ReadMe</a> ·
<a href="https://acme.zohodesk.eu/portal/en/kb">Zoho Desk</a> ·
<a href="https://acme.crisp.help/en/">Crisp</a> ·
<a href="https://acme.helpdocs.io/">HelpDocs</a> ·
<a href="https://acme.document360.io/docs">Document360</a> ·
<a href="https://forum.kodi.tv/showthread.php?tid=1">a MyBB thread</a> ·
<a href="https://discord.gg/python">a Discord server</a></p>
<p>Install MkDocs and write <code>&lt;meta name="generator" content="mkdocs-1.6.0"&gt;</code>; phpBB boards
have <code>viewtopic.php?t=1</code> addresses and <code>phpbb3_</code> cookies; Discourse sets
<code>_forum_session</code>.</p>
<img src="https://www.zendesk.com/logo.png" alt="Zendesk logo"></article>"""


@pytest.mark.parametrize("table", list(PROBES))
def test_article_mentioning_and_linking_vendors_names_none(table: str) -> None:
    assert _platforms(table, _page(main=ARTICLE)) == set()


POWERED_BY = [
    '<a href="https://www.zendesk.com/service/help-center/?utm_source=helpcenter">Powered by Zendesk</a>',
    '<a href="https://www.helpshift.com/">Powered by Helpshift</a>',
    '<a href="https://www.freshservice.com/">Freshservice</a>',
    '<a href="https://www.happyfox.com/">HappyFox</a>',
    '<a href="https://www.kayako.com/">Kayako</a>',
    '<a href="https://www.discourse.group/">Discourse hosting</a>',
]


@pytest.mark.parametrize("link", POWERED_BY)
def test_vendor_own_www_site_is_no_customer_portal(link: str) -> None:
    for table in PROBES:
        assert _platforms(table, _page(footer=link)) == set(), table


@pytest.mark.parametrize(
    "url",
    [
        "https://acme.zendesk.com.evil.test/",  # a platform host inside another host
        "https://notzendesk.com/",
        "https://acme-helpshift.com/",
        "https://freshservice.com.example/support/home",
        "https://acme.atlassian.net/jira/software/projects/ACME/boards/1",  # Jira, not a portal or wiki
        "https://acme.notion.site/careers-4f1a2b3c4d5e6f708192a3b4c5d6e7f8",  # a Notion careers page
        "https://www.skool.com/signup",
        "https://gitter.im/",
        "https://acme-robotics.example/topic/robots-for-schools",  # a topic page, no NodeBB id
        "https://acme-robotics.example/threads/2024",  # no XenForo slug.id
        "https://acme-robotics.example/news/topic/2024-elections/",  # no Invision topic
        "https://acme-robotics.example/display/monitors/",  # no Confluence space
    ],
)
def test_lookalike_urls_name_none(url: str) -> None:
    for table in PROBES:
        # a footer link saying "Help" is a (custom) help link wherever it points: no platform may be named
        assert _platforms(table, _page(footer=f'<a href="{url}">Help</a>')) - {"custom"} == set(), table


def test_docs_generator_on_a_blog_is_no_help_center() -> None:
    head = '<meta name="generator" content="Docusaurus v3.5.2">'
    assert _platforms("help_centers", _page(head=head), "https://acme-robotics.example/blog/launch") == set()
    found = _findings("help_centers", _page(head=head), "https://acme-robotics.example/docs/intro")
    assert [(f.attrs["platform"], f.url) for f in found] == [
        ("docusaurus", "https://acme-robotics.example/docs/")
    ]
    found = _findings("help_centers", _page(head=head), "https://docs.acme-robotics.example/intro")
    assert [(f.attrs["platform"], f.url) for f in found] == [
        ("docusaurus", "https://docs.acme-robotics.example/")
    ]


def test_tables_breadth() -> None:
    help_ids = {row["id"] for row in load_data("help_centers")["platform"]}
    forum_ids = {row["id"] for row in load_data("community_platforms")["platform"]}
    assert len(help_ids) >= 41 and len(forum_ids) >= 45

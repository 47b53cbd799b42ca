"""Chat vendor coverage (issue 15): a page that loads nothing but one vendor's widget script names it.

Three checks: every row of ``probes/data/chat_vendors.toml`` that names a loader (``script_hosts`` or a
``<script src>`` example) is found on an ordinary page loading only that script, statically and from the
rendered requests alone; the hand-compiled list of live-chat loader URLs
(``bench/data/chat_script_hosts.txt``) is named at >= 90 %; and pages that only mention, link to or quote
a vendor name none (precision).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from audit.models import Page
from probes import chat_widgets
from probes.base import load_data, parse

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from chat_coverage import script_hosts

VENDORS = list(load_data("chat_vendors")["vendor"])
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Books</title>
<link rel="stylesheet" href="/static/site.css"><script src="/static/app.js" defer></script>{head}</head>
<body><header><a href="/">Acme Books</a> <a href="/contact">Contact</a></header>
<main><h1>Books for curious people</h1><p>Open Monday to Friday.</p></main>
<footer><a href="https://x.com/acmebooks">X</a> &copy; Acme</footer></body></html>"""


def _parse(html: str) -> Any:
    url = "https://acme.test/"
    return parse(Page(url=url, final_url=url, status=200, content_type="text/html", text=html))


def _named(head: str) -> set[str]:
    return {f.attrs["vendor"] for f in chat_widgets.detect(_parse(PAGE.format(head=head)))}


def _loader_urls(entry: dict[str, Any]) -> list[str]:
    """Loader URLs for a row: one per script host (a customer subdomain for ``*.``), else its examples'."""
    urls = [f"https://{h.replace('*', 'acme', 1)}/widget/loader.js" for h in entry.get("script_hosts", [])]
    if not urls:
        srcs = (re.search(r'<script[^>]*\ssrc="([^"]+)"', e) for e in entry["examples"])
        urls = [m.group(1) for m in srcs if m]
    return urls


LOADERS = [(v["vendor"], url) for v in VENDORS for url in _loader_urls(v)]


def test_most_rows_name_a_loader() -> None:
    with_loader = {vendor for vendor, _ in LOADERS}
    assert len(with_loader) >= 240, len(with_loader)


@pytest.mark.parametrize(("vendor", "url"), LOADERS, ids=[f"{v}:{u}" for v, u in LOADERS])
def test_page_loading_only_the_vendor_script_names_it(vendor: str, url: str) -> None:
    assert _named(f'<script async src="{url}"></script>') == {vendor}


@pytest.mark.parametrize(("vendor", "url"), LOADERS, ids=[f"{v}:{u}" for v, u in LOADERS])
def test_rendered_request_alone_names_the_vendor(vendor: str, url: str) -> None:
    # An inline loader that builds the URL at run time shows nothing statically; the browser's request does.
    assert vendor in {v for v, _ in chat_widgets.match_requests([url])}


def test_compiled_script_host_list_coverage() -> None:
    rows = script_hosts()
    named = [brand for brand, url in rows if _named(f'<script src="{url}"></script>') == {brand}]
    assert len(rows) >= 250
    assert len(named) / len(rows) >= 0.9, f"{len(named)}/{len(rows)}"


MENTIONS = """<article><h1>The 10 best live chat tools: Intercom, Drift, Zendesk, LiveChat, Tawk.to, Crisp,
Olark, SnapEngage, Gorgias, Tidio, iAdvize, Chatlio, REVE Chat and WhatsApp</h1>
<p>Install it with <code>&lt;script src="https://embed.tawk.to/5f12/default"&gt;&lt;/script&gt;</code> or
<code>https://client.crisp.chat/l.js</code>; Olark's loader is static.olark.com/jsclient/loader.js.</p>
<pre>&lt;script id="ze-snippet" src="https://static.zdassets.com/ekr/snippet.js?key=x"&gt;&lt;/script&gt;</pre>
<p><a href="https://www.zendesk.com/">Zendesk</a> · <a href="https://www.intercom.com/">Intercom</a> ·
<a href="https://www.olark.com/">Olark</a> · <a href="https://snapengage.com/">SnapEngage</a> ·
<a href="https://www.gorgias.com/">Gorgias</a> ·
<a href="https://www.whatsapp.com/business">WhatsApp Business</a> ·
<a href="https://widget.intercom.io/widget/abc">a widget URL as a link</a> ·
<a href="https://app.chatlio.com/">Chatlio</a> · <a href="https://www.iadvize.com/en/">iAdvize</a> ·
<a href="https://wa.me/?text=Read%20this">share on WhatsApp</a></p>
<img src="https://static.olark.com/logo.png" alt="Olark logo">
<img src="https://cdn.chatbot.com/logo.svg" alt="">
<script type="application/ld+json">{"@type": "Article", "about": ["https://client.crisp.chat/l.js"]}</script>
</article>"""


def test_article_mentioning_and_linking_vendors_names_none() -> None:
    assert _named("") == set()
    page = PAGE.format(head="").replace("<main>", f"<main>{MENTIONS}")
    assert {f.attrs["vendor"] for f in chat_widgets.detect(_parse(page))} == set()


@pytest.mark.parametrize(
    "url",
    [
        "https://app.chatlio.com.evil.test/x.js",  # a vendor host inside another host
        "https://notchatra.io/x.js",
        "https://acme.test/js/collectcdn.community.js",
        "https://acme.test/static/chatbot.com-review.js",
    ],
)
def test_lookalike_script_urls_name_none(url: str) -> None:
    assert _named(f'<script src="{url}"></script>') == set()

"""Regenerate the demo market's sites and truth files: ``python -m audit.fixture_web.build [MARKET_DIR]``.

The five sites are written from the content below (one builder per company), so a fact and the page that
shows it live side by side, and the truth file of each company is written from the same facts. The
committed files under ``audit/demo_market/`` are this module's output; a test fails when they drift.
"""

# ruff: noqa: E501 - page copy reads better unwrapped
from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from audit.fixture_web import activity
from audit.fixture_web.server import DEFAULT_MARKET_DIR

SITE_CSS = """\
*{box-sizing:border-box}body{margin:0;font:16px/1.55 system-ui,sans-serif;color:#1d2330}
a{color:var(--brand)}header,footer,main{padding:1rem max(1rem,calc(50% - 34rem))}
header{display:flex;gap:1.5rem;align-items:center;border-bottom:1px solid #e3e6ee}
header nav ul,footer ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
footer{background:#f5f6fa;margin-top:3rem;font-size:.92rem}footer .cols{display:flex;gap:3rem;flex-wrap:wrap}
footer ul{flex-direction:column;gap:.3rem}.social ul{flex-direction:row}.btn{background:var(--brand);color:#fff;
padding:.5rem 1rem;border-radius:6px;text-decoration:none}.cards{display:grid;gap:1rem;
grid-template-columns:repeat(auto-fill,minmax(16rem,1fr))}.card{border:1px solid #e3e6ee;border-radius:8px;
padding:1rem}details{border-bottom:1px solid #e3e6ee;padding:.6rem 0}summary{font-weight:600;cursor:pointer}
"""


def logo_svg(initial: str, colour: str) -> str:
    """A small square logo with the company's initial."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
        f'<rect width="40" height="40" rx="8" fill="{colour}"/>'
        f'<text x="20" y="27" font-family="sans-serif" font-size="20" fill="#fff" text-anchor="middle">'
        f"{initial}</text></svg>\n"
    )


def file_for(path: str) -> str:
    """The file under a site directory that serves URL path ``path`` (see ``Site.resolve``)."""
    if "?" in path:
        base, query = path.split("?", 1)
        return f"{base.lstrip('/')}@{query}"
    if path == "/":
        return "index.html"
    if path.endswith("/"):
        return f"{path.lstrip('/')}index.html"
    return f"{path.lstrip('/')}.html"


def rfc822(day: date) -> str:
    """An RSS date (09:00 UTC on ``day``)."""
    return format_datetime(datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC))


@dataclass
class Post:
    """A blog post."""

    slug: str
    title: str
    day: date
    summary: str
    body: list[str]
    author: str = ""


@dataclass
class Host:
    """The files of one served host, and the pages its sitemap lists."""

    name: str
    files: dict[str, str] = field(default_factory=dict)
    sitemap: list[tuple[str, date]] = field(default_factory=list)
    disallow: list[str] = field(default_factory=list)
    scheme: str = "https"  # most of the market is HTTPS; the laggard is not

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.name}{path}"

    def add(self, path: str, html: str, day: date, listed: bool = True) -> None:
        """Add a page at URL ``path``; ``listed`` puts it in sitemap.xml."""
        self.files[file_for(path)] = html
        if listed:
            self.sitemap.append((path, day))

    def finish(self, extra_robots: str = "") -> None:
        """Write robots.txt and sitemap.xml."""
        rules = "".join(f"Disallow: {p}\n" for p in self.disallow)
        self.files["robots.txt"] = (
            f"User-agent: *\n{rules}{extra_robots}\nSitemap: {self.url('/sitemap.xml')}\n"
        )
        entries = "".join(
            f"  <url><loc>{escape(self.url(p))}</loc><lastmod>{d.isoformat()}</lastmod></url>\n"
            for p, d in self.sitemap
        )
        self.files["sitemap.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
        )


def document(title: str, description: str, body: str, head: str = "", css: bool = True) -> str:
    """A complete HTML5 document."""
    style = '<link rel="stylesheet" href="/assets/site.css">\n' if css else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<meta name="description" content="{escape(description)}">\n'
        f"{style}{head}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def paragraphs(texts: Iterable[str]) -> str:
    return "\n".join(f"<p>{t}</p>" for t in texts)


def link_list(links: Iterable[tuple[str, str]], rel: str = "") -> str:
    attr = f' rel="{rel}"' if rel else ""
    return "\n".join(f'<li><a href="{escape(h)}"{attr}>{escape(t)}</a></li>' for h, t in links)


def social_list(links: Iterable[tuple[str, str, str]], brand: str) -> str:
    """Footer icons: (platform id, href, label); Mastodon links carry rel="me" for verification."""
    items = []
    for platform, href, label in links:
        rel = ' rel="me noopener"' if platform == "mastodon" else ' rel="noopener"'
        items.append(
            f'<li><a class="icon icon-{platform}" href="{escape(href)}"{rel} '
            f'aria-label="{escape(brand)} on {escape(label)}">{escape(label)}</a></li>'
        )
    return "\n".join(items)


def faq_details(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"<details>\n<summary>{q}</summary>\n<p>{a}</p>\n</details>" for q, a in pairs)


def faq_headings(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"<h3>{q}</h3>\n<p>{a}</p>" for q, a in pairs)


def faq_jsonld(pairs: list[tuple[str, str]]) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}}
            for q, a in pairs
        ],
    }
    return f'<script type="application/ld+json">\n{json.dumps(data, indent=1)}\n</script>\n'


def rss_feed(title: str, site: str, feed_url: str, description: str, posts: list[Post]) -> str:
    items = "".join(
        f"<item>\n  <title>{escape(p.title)}</title>\n  <link>{site}blog/{p.slug}</link>\n"
        f'  <guid isPermaLink="true">{site}blog/{p.slug}</guid>\n  <pubDate>{rfc822(p.day)}</pubDate>\n'
        f"  <description>{escape(p.summary)}</description>\n</item>\n"
        for p in posts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>{escape(title)}</title>\n<link>{site}blog/</link>\n"
        f"<description>{escape(description)}</description>\n<language>en-us</language>\n"
        f'<atom:link href="{feed_url}" rel="self" type="application/rss+xml"/>\n'
        f"<lastBuildDate>{rfc822(posts[0].day)}</lastBuildDate>\n{items}</channel>\n</rss>\n"
    )


def atom_feed(title: str, site: str, feed_url: str, posts: list[Post]) -> str:
    entries = "".join(
        f'<entry>\n  <title>{escape(p.title)}</title>\n  <link href="{site}blog/{p.slug}"/>\n'
        f"  <id>{site}blog/{p.slug}</id>\n  <updated>{p.day.isoformat()}T09:00:00Z</updated>\n"
        f"  <summary>{escape(p.summary)}</summary>\n</entry>\n"
        for p in posts
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f'<title>{escape(title)}</title>\n<link href="{site}blog/"/>\n<link rel="self" href="{feed_url}"/>\n'
        f"<id>{site}blog/</id>\n<updated>{posts[0].day.isoformat()}T09:00:00Z</updated>\n{entries}</feed>\n"
    )


@dataclass
class Company:
    """A company's hosts and its truth (what a perfect audit must find)."""

    hosts: list[Host]
    truth: dict[str, Any]
    headers_toml: dict[str, str] = field(default_factory=dict)  # host -> _headers.toml text


# ---------------------------------------------------------------------------------------------------------
# Northwind Ledger — the leader
# ---------------------------------------------------------------------------------------------------------

NW = "https://northwind.test/"
NW_SOCIAL = [
    ("x", "https://x.com/northwindledger", "X", "https://x.com/northwindledger", "northwindledger"),
    (
        "linkedin",
        "https://www.linkedin.com/company/northwind-ledger/",
        "LinkedIn",
        "https://www.linkedin.com/company/northwind-ledger",
        "northwind-ledger",
    ),
    (
        "youtube",
        "https://www.youtube.com/@northwindledger",
        "YouTube",
        "https://www.youtube.com/@northwindledger",
        "@northwindledger",
    ),
    (
        "facebook",
        "https://www.facebook.com/northwindledger",
        "Facebook",
        "https://www.facebook.com/northwindledger",
        "northwindledger",
    ),
    (
        "instagram",
        "https://www.instagram.com/northwindledger/",
        "Instagram",
        "https://www.instagram.com/northwindledger",
        "northwindledger",
    ),
    (
        "bluesky",
        "https://bsky.app/profile/northwind.bsky.social",
        "Bluesky",
        "https://bsky.app/profile/northwind.bsky.social",
        "northwind.bsky.social",
    ),
    (
        "mastodon",
        "https://mastodon.social/@northwind",
        "Mastodon",
        "https://mastodon.social/@northwind",
        "@northwind@mastodon.social",
    ),
    (
        "github",
        "https://github.com/northwind-ledger",
        "GitHub",
        "https://github.com/northwind-ledger",
        "northwind-ledger",
    ),
]

NW_FAQ = [
    (
        "Can I try Northwind Ledger for free?",
        "Yes. Every plan starts with a 30-day free trial, no credit card required. At the end of the trial you choose a plan or export your data.",
    ),
    (
        "Which banks can I connect?",
        "We support direct feeds from more than 12,000 banks and card issuers in the US, Canada and the UK, plus CSV and OFX imports for everything else.",
    ),
    (
        "Can my accountant access my books?",
        "Invite your accountant or bookkeeper for free. They get their own login with the permissions you choose, and they never count toward your user limit.",
    ),
    (
        "Does Northwind Ledger handle sales tax?",
        "Yes. Set your rates once and Northwind applies them to invoices and bills, then prepares a sales tax liability report for each filing period.",
    ),
    (
        "Can I switch from another accounting tool?",
        "Our migration assistant imports your chart of accounts, customers, vendors and open invoices from QuickBooks, Xero, Wave and FreshBooks in about an hour.",
    ),
    (
        "Is my data secure?",
        "Data is encrypted in transit and at rest, we are SOC 2 Type II audited, and you can turn on two-factor authentication for every user.",
    ),
    (
        "Can I send invoices in other currencies?",
        "Yes. Plus and Pro plans invoice in 160 currencies and track realized and unrealized exchange gains automatically.",
    ),
    (
        "How does payroll work?",
        "Payroll is an add-on available in the US. It runs unlimited pay runs, files federal and state payroll taxes and produces W-2s and 1099s.",
    ),
    (
        "Can I cancel at any time?",
        "Yes. Plans are month to month unless you choose annual billing. If you cancel, you keep read-only access to your books for a year.",
    ),
    (
        "Do you have a mobile app?",
        "Our iOS and Android apps let you snap receipts, send invoices and categorize transactions on the go.",
    ),
    (
        "What support do you offer?",
        "Every plan includes email and live chat support from our team in Portland and Dublin. We reply within 4 business hours, and Pro customers get phone support.",
    ),
    (
        "Where can I suggest a feature?",
        "Post it in the Ideas category of our community. Our product team reads every idea, and the most requested ones go on the public roadmap.",
    ),
]

NW_POSTS = [
    Post(
        "year-end-close-checklist-2026",
        "Your 2026 year-end close checklist",
        date(2026, 11, 17),
        "Twelve steps to close the year calmly, from reconciling every account to locking the period.",
        [
            "Year-end is easier when it is a checklist, not a scramble. Start by reconciling every bank and card account through November, so December is the only month left to review.",
            "Then chase unpaid invoices, review your fixed asset register and agree the closing balances with your accountant before you lock the period in Northwind.",
        ],
        "Priya Raman",
    ),
    Post(
        "multi-currency-bank-feeds",
        "Multi-currency bank feeds are here",
        date(2026, 11, 3),
        "You asked for it in the community: bank feeds in euros, pounds and Canadian dollars now sync natively.",
        [
            "Multi-currency bank feeds were the most voted idea in our community for two years running. As of today, accounts held in EUR, GBP and CAD sync natively, with exchange rates applied at the transaction date.",
            "Thank you to the 214 members who voted and the 31 who joined our beta. Read the help center article to turn it on.",
        ],
        "Dan Whitaker",
    ),
    Post(
        "how-we-answer-support-in-four-hours",
        "How we answer support tickets within four business hours",
        date(2026, 10, 20),
        "A look at the team, the tools and the rota behind our support promise.",
        [
            "Our support promise is simple: a real person replies within four business hours. Last quarter our median first reply was 47 minutes.",
            "It works because support is staffed from Portland and Dublin, every engineer spends one day a month on the queue, and the community gets a staff answer within a day.",
        ],
        "Maya Lindqvist",
    ),
    Post(
        "sales-tax-changes-2027",
        "Sales tax changes coming in 2027",
        date(2026, 10, 6),
        "Three states change their economic nexus thresholds next year. Here is what that means for you.",
        [
            "Colorado, Tennessee and Washington adjust their economic nexus rules on January 1, 2027.",
            "If you sell across state lines, review your sales by state in the Sales Tax report and talk to your accountant before the new year.",
        ],
        "Priya Raman",
    ),
    Post(
        "community-champions",
        "Meet our community champions",
        date(2026, 9, 22),
        "Five members who answer hundreds of questions a year in the Northwind community.",
        [
            "Our community now has more than 18,000 members. Five of them have answered more than 300 questions each this year.",
            "We invited them to our roadmap sessions and asked what we should build next. Their answer: better recurring invoices, which ship next month.",
        ],
        "Dan Whitaker",
    ),
    Post(
        "recurring-invoices-reimagined",
        "Recurring invoices, reimagined",
        date(2026, 9, 8),
        "Pause, skip and edit upcoming invoices without breaking the schedule.",
        [
            "Recurring invoices now show the next six occurrences, and you can pause, skip or edit any one of them.",
            "Customers who pay by card can save their details for automatic payment on each invoice.",
        ],
        "Maya Lindqvist",
    ),
    Post(
        "cash-flow-forecasting",
        "Cash flow forecasting for small teams",
        date(2026, 8, 25),
        "How to build a 13-week cash flow forecast from the data already in your books.",
        [
            "A 13-week forecast answers the question every owner asks: will we have enough cash?",
            "Start from your bank balance, add expected receipts from open invoices and subtract bills and payroll. Northwind's forecast view does the arithmetic for you.",
        ],
        "Priya Raman",
    ),
    Post(
        "accessibility-audit-results",
        "What our accessibility audit taught us",
        date(2026, 8, 11),
        "We asked an independent firm to test Northwind with screen reader users. Here is what we fixed.",
        [
            "In June an independent firm tested Northwind against WCAG 2.2 AA with screen reader and keyboard-only users.",
            "We fixed 41 issues, published an accessibility statement and now test every release with axe and manual checks.",
        ],
        "Dan Whitaker",
    ),
]

NW_HELP = [
    ("440311820001", "Connect-your-bank-account", "Connect your bank account", "Getting started"),
    (
        "440311820002",
        "Import-transactions-from-a-CSV-file",
        "Import transactions from a CSV file",
        "Getting started",
    ),
    ("440311820003", "Reconcile-your-accounts", "Reconcile your accounts", "Banking"),
    ("440311820004", "Create-and-send-your-first-invoice", "Create and send your first invoice", "Invoicing"),
    ("440311820005", "Set-up-sales-tax-rates", "Set up sales tax rates", "Taxes"),
    ("440311820006", "Invite-your-accountant", "Invite your accountant", "Getting started"),
    ("440311820007", "Run-a-profit-and-loss-report", "Run a profit and loss report", "Reports"),
    ("440311820008", "Track-mileage-and-expenses", "Track mileage and expenses", "Expenses"),
    ("440311820009", "Set-up-recurring-invoices", "Set up recurring invoices", "Invoicing"),
    ("440311820010", "Close-your-books-at-year-end", "Close your books at year end", "Reports"),
]

#: Discourse topics shown as HTML: id, slug, title, category, [(author, staff?, ISO time)] — the first post
#: opens it. The forum's JSON API (and older topics) come from ``activity.py``.
NW_TOPICS: list[tuple[int, str, str, str, list[tuple[str, bool, str]]]] = activity.nw_html_topics()
NW_CATEGORIES = {
    "support": (2, "Support"),
    "accounting-questions": (3, "Accounting questions"),
    "ideas": (5, "Ideas"),
}


def northwind() -> Company:
    site, community, help_c, status = (
        Host("northwind.test"),
        Host("community.northwind.test"),
        Host("help.northwind.test"),
        Host("status.northwind.test"),
    )
    brand = "Northwind Ledger"
    same_as = [s[1] for s in NW_SOCIAL]
    org = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": brand,
        "url": NW,
        "logo": f"{NW}assets/logo.svg",
        "email": "support@northwind.test",
        "sameAs": same_as,
    }
    intercom = (
        '<script>\nwindow.intercomSettings = {api_base: "https://api-iam.intercom.io", app_id: "nw8k2"};\n'
        "</script>\n"
        '<script async src="https://widget.intercom.io/widget/nw8k2"></script>'
    )

    def page(
        path: str, title: str, description: str, main: str, day: date, head: str = "", listed: bool = True
    ) -> None:
        nav = link_list(
            [
                ("/pricing", "Pricing"),
                ("/blog/", "Blog"),
                ("https://community.northwind.test/", "Community"),
                ("https://help.northwind.test/hc/en-us", "Help center"),
                ("/contact", "Contact"),
            ]
        )
        footer = f"""<footer>
<div class="cols">
<div><h4>Product</h4><ul>
{link_list([("/pricing", "Pricing"), ("/changelog", "Changelog"), ("/roadmap", "Public roadmap"), ("https://status.northwind.test/", "System status")])}
</ul></div>
<div><h4>Company</h4><ul>
{link_list([("/about", "About us"), ("/careers", "Careers"), ("/press", "Newsroom"), ("/partners", "Partner program"), ("/investors", "Investor relations")])}
</ul></div>
<div><h4>Support</h4><ul>
{link_list([("https://help.northwind.test/hc/en-us", "Help center"), ("https://community.northwind.test/", "Community forum"), ("/faq", "FAQ"), ("/contact", "Contact support"), ("/ideas", "Share an idea"), ("/newsletter", "Newsletter")])}
</ul></div>
<div class="social"><h4>Follow us</h4><ul>
{social_list([(s[0], s[1], s[2]) for s in NW_SOCIAL], brand)}
</ul></div>
</div>
<p><a href="/privacy">Privacy policy</a> · <a href="/privacy#cookies">Cookie settings</a> · <a href="/accessibility">Accessibility</a> · <a href="/.well-known/security.txt">Security</a></p>
<p>© 2026 Northwind Ledger, Inc. · 1120 NW Couch St, Portland, OR 97209</p>
</footer>"""
        body = f"""<header>
<a href="/" class="logo"><img src="/assets/logo.svg" alt="Northwind Ledger" width="40" height="40"></a>
<nav aria-label="Main"><ul>
{nav}
</ul></nav>
<a href="/account/login">Sign in</a> <a class="btn" href="/pricing">Start free trial</a>
</header>
<main>
{main}
</main>
{footer}
{intercom}"""
        ld = (
            f'<script type="application/ld+json">\n{json.dumps(org, indent=1)}\n</script>\n'
            if path == "/"
            else ""
        )
        site.add(
            path,
            document(f"{title} | {brand}" if path != "/" else title, description, body, head + ld),
            day,
            listed,
        )

    rss_link = '<link rel="alternate" type="application/rss+xml" title="Northwind Ledger blog" href="/blog/feed.xml">\n'
    page(
        "/",
        "Northwind Ledger — accounting that keeps up with your business",
        "Online accounting for small businesses: invoicing, bank feeds, sales tax and reports, with support that answers in hours.",
        f"""<section class="hero"><h1>Accounting that keeps up with your business</h1>
<p>Northwind Ledger brings invoicing, bank feeds, sales tax and reporting together for 40,000 small businesses — and a real person answers your questions within four business hours.</p>
<p><a class="btn" href="/pricing">Start your free trial</a> <a href="/contact">Talk to us</a></p></section>
<section class="cards">
<div class="card"><h2>Get paid faster</h2><p>Send branded invoices, take card and ACH payments, and let reminders chase late payers for you.</p></div>
<div class="card"><h2>Books that balance themselves</h2><p>Bank feeds from 12,000 institutions and smart rules categorize 90% of transactions automatically.</p></div>
<div class="card"><h2>Help when you need it</h2><p>Search the <a href="https://help.northwind.test/hc/en-us">help center</a>, ask 18,000 peers in the <a href="https://community.northwind.test/">community</a> or chat with us.</p></div>
</section>
<section><h2>From the blog</h2><ul>
{link_list([(f"/blog/{p.slug}", p.title) for p in NW_POSTS[:3]])}
</ul></section>""",
        date(2026, 11, 17),
        rss_link,
    )
    page(
        "/about",
        "About us",
        "Northwind Ledger is an employee-owned accounting software company in Portland and Dublin.",
        """<h1>About Northwind Ledger</h1>
<p>We started Northwind in 2014 in a Portland co-working space, after watching friends who ran bakeries and design studios lose weekends to spreadsheets.</p>
<p>Today 140 people in Portland and Dublin build and support Northwind Ledger. We are employee-owned, profitable, and we answer our own support tickets.</p>
<h2>What we believe</h2><ul><li>Small businesses deserve software that explains itself.</li><li>Support is part of the product.</li><li>Build in public: our <a href="/roadmap">roadmap</a> and <a href="/changelog">changelog</a> are open.</li></ul>""",
        date(2026, 6, 2),
    )
    page(
        "/pricing",
        "Pricing",
        "Simple plans for every stage: Starter, Plus and Pro, each with a 30-day free trial.",
        """<h1>Plans and pricing</h1>
<div class="cards">
<div class="card"><h2>Starter</h2><p>$15 / month</p><p>Invoicing, one bank feed, receipts.</p><a class="btn" href="/cart/?plan=starter">Buy Starter</a></div>
<div class="card"><h2>Plus</h2><p>$35 / month</p><p>Unlimited bank feeds, sales tax, multi-currency, 5 users.</p><a class="btn" href="/cart/?plan=plus">Buy Plus</a></div>
<div class="card"><h2>Pro</h2><p>$70 / month</p><p>Everything in Plus, projects, inventory, phone support.</p><a class="btn" href="/cart/?plan=pro">Buy Pro</a></div>
</div>
<p>All plans include a 30-day free trial. Questions? See the <a href="/faq">FAQ</a>.</p>""",
        date(2026, 10, 1),
    )
    page(
        "/contact",
        "Contact us",
        "Contact Northwind Ledger support by chat, email or phone. We reply within 4 business hours.",
        """<h1>Contact us</h1>
<p>We reply within 4 business hours. Our support team works Monday to Friday, 6am–6pm Pacific (2pm–2am Dublin).</p>
<h2>Support</h2>
<ul><li>Email: <a href="mailto:support@northwind.test">support@northwind.test</a></li>
<li>Phone (Pro plans): <a href="tel:+1-503-555-0142">+1 503 555 0142</a></li>
<li>Live chat: click the chat bubble in the corner of any page.</li></ul>
<h2>Other ways to get help</h2>
<ul><li><a href="https://help.northwind.test/hc/en-us">Help center</a> — step-by-step guides.</li>
<li><a href="https://community.northwind.test/">Community</a> — ask other customers and our staff.</li>
<li><a href="https://status.northwind.test/">System status</a></li></ul>
<h2>Press and partners</h2><p>Journalists: <a href="/press">newsroom</a>. Accountants and app developers: <a href="/partners">partner program</a>.</p>""",
        date(2026, 9, 1),
    )
    qa = "\n".join(f'<div class="qa"><h3>{q}</h3>\n<p>{a}</p></div>' for q, a in NW_FAQ)
    page(
        "/faq",
        "Frequently asked questions",
        "Answers to common questions about Northwind Ledger plans, bank feeds, security and support.",
        f"""<h1>Frequently asked questions</h1>\n{qa}\n<p>Still stuck? <a href="/contact">Contact support</a>.</p>""",
        date(2026, 10, 14),
        faq_jsonld(NW_FAQ),
    )
    newsletter_form = """<form class="newsletter" action="https://northwind.us21.list-manage.com/subscribe/post?u=5c1f0e8a7b&amp;id=9d3e2b41aa" method="post" target="_blank">
<label for="mce-EMAIL">Get one practical bookkeeping tip every two weeks</label>
<input type="email" name="EMAIL" id="mce-EMAIL" placeholder="you@company.com" required>
<input type="submit" value="Subscribe" name="subscribe">
</form>"""
    posts = "\n".join(
        f'<article><h2><a href="/blog/{p.slug}">{p.title}</a></h2><p><time datetime="{p.day}">{p.day:%B %-d, %Y}</time> · {p.author}</p><p>{p.summary}</p></article>'
        for p in NW_POSTS
    )
    page(
        "/blog/",
        "Blog",
        "Bookkeeping tips, product news and stories from the Northwind Ledger team.",
        f"""<h1>The Northwind blog</h1>\n<p><a href="/blog/feed.xml">Subscribe via RSS</a></p>\n{posts}\n<aside>{newsletter_form}</aside>""",
        NW_POSTS[0].day,
        rss_link,
    )
    for p in NW_POSTS:
        page(
            f"/blog/{p.slug}",
            p.title,
            p.summary,
            f"""<article><h1>{p.title}</h1><p><time datetime="{p.day}">{p.day:%B %-d, %Y}</time> · by {p.author}</p>
{paragraphs(p.body)}
</article>
<p><a href="/blog/">← All posts</a></p>
<aside>{newsletter_form}</aside>""",
            p.day,
            rss_link,
        )
    site.files["blog/feed.xml"] = rss_feed(
        "Northwind Ledger blog", NW, f"{NW}blog/feed.xml", "Bookkeeping tips and product news.", NW_POSTS
    )
    page(
        "/newsletter",
        "Newsletter",
        "Subscribe to the Northwind Ledger newsletter: one practical bookkeeping tip every two weeks.",
        f"""<h1>The Northwind newsletter</h1><p>Every other Tuesday: one practical bookkeeping tip, product news and an invitation to our live Q&amp;A. 23,000 owners read it. Unsubscribe any time.</p>\n{newsletter_form}""",
        date(2026, 7, 1),
    )
    page(
        "/careers",
        "Careers",
        "Join Northwind Ledger in Portland, Dublin or remote.",
        """<h1>Work at Northwind</h1><p>We are employee-owned, we work four-day weeks in summer, and everyone spends a day a month answering customers.</p>
<h2>Open roles</h2><ul><li>Senior Backend Engineer (Portland or remote)</li><li>Customer Support Specialist (Dublin)</li><li>Product Designer, Invoicing (remote)</li><li>Community Manager (Portland)</li></ul>
<p>Apply at <a href="mailto:jobs@northwind.test">jobs@northwind.test</a>.</p>""",
        date(2026, 11, 2),
    )
    page(
        "/press",
        "Newsroom",
        "Northwind Ledger press releases, media kit and press contact.",
        """<h1>Newsroom</h1>
<h2>Press releases</h2><ul><li>Nov 3, 2026 — Northwind Ledger launches multi-currency bank feeds</li><li>Jun 12, 2026 — Northwind passes 40,000 customers</li><li>Feb 20, 2026 — Northwind opens Dublin support hub</li></ul>
<h2>Press contact</h2><p>Alex Moreno, Head of Communications — <a href="mailto:press@northwind.test">press@northwind.test</a></p>
<p><a href="/assets/logo.svg">Download our logo</a></p>""",
        date(2026, 11, 3),
    )
    page(
        "/partners",
        "Partner program",
        "Northwind Ledger partner program for accountants, bookkeepers and app developers.",
        """<h1>Partner program</h1><p>Accountants and bookkeepers get free access, a partner directory listing and wholesale pricing for their clients.</p>
<p>App developers can build on our open API and list their app in the Northwind marketplace. Our SDKs live on <a href="https://github.com/northwind-ledger">GitHub</a>.</p>
<p>Become a partner: <a href="mailto:partners@northwind.test">partners@northwind.test</a></p>""",
        date(2026, 5, 20),
    )
    page(
        "/investors",
        "Investor relations",
        "Northwind Ledger annual reports and investor contact.",
        """<h1>Investor relations</h1><p>Northwind Ledger, Inc. is employee-owned. We publish an annual report for our employee-owners and lenders.</p>
<ul><li>2025 annual report</li><li>2024 annual report</li></ul>
<p>Contact: <a href="mailto:investors@northwind.test">investors@northwind.test</a></p>""",
        date(2026, 3, 31),
    )
    page(
        "/roadmap",
        "Public roadmap",
        "What Northwind Ledger is building now, next and later.",
        """<h1>Public roadmap</h1>
<h2>Now</h2><ul><li>Recurring invoice editing</li><li>Faster bank reconciliation</li></ul>
<h2>Next</h2><ul><li>Inventory for Plus plans</li><li>Spanish and French interface</li></ul>
<h2>Later</h2><ul><li>Payroll in Canada</li></ul>
<p>Vote on what comes next in the <a href="https://community.northwind.test/c/ideas/5">Ideas community</a>.</p>""",
        date(2026, 11, 10),
    )
    page(
        "/changelog",
        "Changelog",
        "Every Northwind Ledger release, with what changed.",
        """<h1>Changelog</h1>
<h2>November 2026</h2><ul><li>Multi-currency bank feeds for EUR, GBP and CAD accounts.</li><li>Recurring invoices: pause and skip.</li></ul>
<h2>October 2026</h2><ul><li>Sales tax report by state.</li><li>Fixed: attachments over 10 MB failed to upload.</li></ul>
<h2>September 2026</h2><ul><li>Cash flow forecast view.</li></ul>""",
        date(2026, 11, 10),
    )
    page(
        "/ideas",
        "Share an idea",
        "Suggest and vote on Northwind Ledger features.",
        """<h1>Share an idea</h1><p>Our product team reads every idea. Post yours in the <a href="https://community.northwind.test/c/ideas/5">Ideas category</a> of the community, vote for others, and follow them onto our <a href="/roadmap">public roadmap</a>.</p>""",
        date(2026, 4, 15),
    )
    page(
        "/privacy",
        "Privacy policy",
        "How Northwind Ledger collects, uses and protects your data.",
        """<h1>Privacy policy</h1><p>We collect only what we need to run your books and support you. We never sell your data.</p>
<h2 id="cookies">Cookies</h2><p>We use essential cookies to keep you signed in and, with your consent, analytics cookies.</p>
<h2>Contact</h2><p>Data protection questions: <a href="mailto:privacy@northwind.test">privacy@northwind.test</a></p>""",
        date(2026, 1, 15),
    )
    page(
        "/accessibility",
        "Accessibility statement",
        "Northwind Ledger's commitment to WCAG 2.2 AA accessibility.",
        """<h1>Accessibility statement</h1><p>We aim to meet WCAG 2.2 level AA across our website and app. An independent audit in June 2026 found 41 issues, all fixed.</p>
<p>Found a barrier? Email <a href="mailto:support@northwind.test">support@northwind.test</a> and we will respond within 4 business hours.</p>""",
        date(2026, 8, 11),
    )
    page(
        "/cart/",
        "Your cart",
        "Checkout.",
        "<h1>Your cart</h1><p>Choose billing details to complete your purchase.</p>",
        date(2026, 1, 1),
        listed=False,
    )
    page(
        "/account/login",
        "Sign in",
        "Sign in to Northwind Ledger.",
        '<h1>Sign in</h1><form action="/account/session" method="post"><input type="email" name="email"><input type="password" name="password"><button>Sign in</button></form>',
        date(2026, 1, 1),
        listed=False,
    )
    site.disallow = ["/cart/", "/account/"]
    site.files[".well-known/security.txt"] = (
        "Contact: mailto:security@northwind.test\nExpires: 2027-10-31T00:00:00.000Z\nPreferred-Languages: en\n"
        "Canonical: https://northwind.test/.well-known/security.txt\nPolicy: https://northwind.test/privacy\n"
    )
    site.files["assets/logo.svg"] = logo_svg("N", "#0b5cad")
    site.files["assets/site.css"] = ":root{--brand:#0b5cad}\n" + SITE_CSS
    site.finish()

    # -- community.northwind.test: Discourse --------------------------------------------------------
    cu = "https://community.northwind.test"
    discourse_head = (
        '<meta name="generator" content="Discourse 3.3.2 - https://github.com/discourse/discourse version 1cf2f0e">\n'
        '<meta name="discourse_theme_id" content="2">\n'
    )

    def forum_page(path: str, title: str, main: str, day: date) -> None:
        body = f"""<header class="d-header"><a href="/"><img src="{NW}assets/logo.svg" alt="Northwind Community" width="40" height="40"></a>
<nav><ul>{link_list([("/", "Latest"), ("/c/ideas/5", "Ideas"), (NW, "northwind.test")])}</ul></nav></header>
<div id="main-outlet" class="wrap">
{main}
</div>
<footer class="noscript-footer-nav"><p>Powered by <a href="https://www.discourse.org">Discourse</a>, best viewed with JavaScript enabled</p>
<p><a href="{NW}privacy">Privacy</a></p></footer>"""
        community.add(
            path,
            document(
                title,
                "Northwind Ledger community: ask questions, share ideas.",
                body,
                discourse_head,
                css=False,
            ),
            day,
        )

    def topic_rows(topics: list[tuple[int, str, str, str, list[tuple[str, bool, str]]]]) -> str:
        rows = []
        for tid, slug, title, cat, posts in topics:
            cid, cname = NW_CATEGORIES[cat]
            rows.append(
                f'<tr class="topic-list-item"><td><a href="/t/{slug}/{tid}" class="title raw-link raw-topic-link" itemprop="url">{title}</a>'
                f' <a href="/c/{cat}/{cid}" class="badge-category">{cname}</a></td><td class="replies">{len(posts) - 1}</td>'
                f'<td class="activity"><time datetime="{posts[-1][2]}">{posts[-1][2][:10]}</time></td></tr>'
            )
        return (
            '<table class="topic-list">\n<tr><th>Topic</th><th>Replies</th><th>Activity</th></tr>\n'
            + "\n".join(rows)
            + "\n</table>"
        )

    forum_page(
        "/", "Northwind Community", f"<h1>Latest topics</h1>\n{topic_rows(NW_TOPICS)}", date(2026, 11, 19)
    )
    blurbs = {
        "support": "Ask how-to questions; our support team answers every unanswered topic within a day.",
        "accounting-questions": "Bookkeeping and tax questions for peers and partner accountants.",
        "ideas": "Suggest features and vote. Staff review new ideas every week.",
    }
    for cat, (cid, cname) in NW_CATEGORIES.items():
        in_cat = [t for t in NW_TOPICS if t[3] == cat]
        forum_page(
            f"/c/{cat}/{cid}",
            f"{cname} - Northwind Community",
            f"<h1>{cname}</h1><p>{blurbs[cat]}</p>\n{topic_rows(in_cat)}",
            date.fromisoformat(in_cat[0][4][-1][2][:10]),
        )
    for tid, slug, title, cat, thread in NW_TOPICS:
        cid, cname = NW_CATEGORIES[cat]
        items = []
        for n, (user, staff, when) in enumerate(thread, start=1):
            badge = ' <span class="user-title">Northwind Staff</span>' if staff else ""
            text = (
                "Thanks — that fixed it!"
                if n > 1 and not staff
                else (
                    "Good question. Here is how to do it step by step; see also our help center."
                    if staff
                    else f"{title} Any advice welcome."
                )
            )
            items.append(
                f'<div id="post_{n}" class="topic-body crawler-post" itemprop="comment" itemscope itemtype="http://schema.org/Comment">\n'
                f'<div class="crawler-post-meta"><span class="creator" itemprop="author" itemscope itemtype="http://schema.org/Person">'
                f'<a itemprop="url" href="{cu}/u/{user}"><span itemprop="name">{user}</span></a>{badge}</span>\n'
                f'<span class="crawler-post-infos"><time itemprop="datePublished" datetime="{when}" class="post-time">{when[:10]}</time></span></div>\n'
                f'<div class="post" itemprop="text"><p>{text}</p></div>\n</div>'
            )
        forum_page(
            f"/t/{slug}/{tid}",
            f"{title} - {cname} - Northwind Community",
            f'<h1><a href="/t/{slug}/{tid}">{title}</a></h1>\n<a href="/c/{cat}/{cid}">{cname}</a>\n'
            + "\n".join(items),
            date.fromisoformat(thread[-1][2][:10]),
        )
    community.files.update(activity.discourse_files())  # the Discourse JSON API (latest, topics, about)
    community.disallow = ["/admin/", "/auth/", "/u/"]
    community.finish()

    # -- help.northwind.test: Zendesk Guide ----------------------------------------------------------
    zd_head = (
        '<meta content="authenticity_token" name="csrf-param">\n'
        '<link rel="stylesheet" href="https://theme.zdassets.com/theme_assets/2203118/style.css">\n'
        '<script src="https://static.zdassets.com/hc/assets/en-us.7e2f3c.js"></script>\n'
    )
    search = (
        '<form role="search" class="search" data-search="" action="/hc/en-us/search" accept-charset="UTF-8" method="get">'
        '<input type="search" name="query" placeholder="Search" aria-label="Search"></form>'
    )

    def help_page(path: str, title: str, main: str, day: date) -> None:
        body = f"""<header class="header"><a href="/hc/en-us"><img src="{NW}assets/logo.svg" alt="Northwind Ledger Help Center home page" width="40" height="40"></a>
<nav class="user-nav"><a href="{NW}">northwind.test</a> <a href="/hc/en-us/requests/new">Submit a request</a></nav></header>
<main role="main">
{search}
{main}
</main>
<footer class="footer"><a href="{NW}">Northwind Ledger</a> · <a href="https://www.zendesk.com/service/help-center/?utm_source=helpcenter&amp;utm_medium=poweredbyzendesk" target="_blank">Powered by Zendesk</a></footer>
{intercom}"""
        help_c.add(
            path,
            document(title, "Northwind Ledger Help Center: step-by-step guides.", body, zd_head, css=False),
            day,
        )

    arts = "\n".join(
        f'<li><a href="/hc/en-us/articles/{aid}-{slug}" class="article-list-link">{t}</a> <span class="meta">{sec}</span></li>'
        for aid, slug, t, sec in NW_HELP
    )
    help_page(
        "/hc/en-us",
        "Northwind Ledger Help Center",
        f'<h1>How can we help?</h1>\n<section class="articles"><h2>Popular articles</h2><ul class="article-list">\n{arts}\n</ul></section>\n'
        f'<p>Can\'t find it? <a href="/hc/en-us/requests/new">Submit a request</a> or ask the <a href="https://community.northwind.test/">community</a>.</p>',
        date(2026, 11, 3),
    )
    for i, (aid, slug, t, sec) in enumerate(NW_HELP):
        help_page(
            f"/hc/en-us/articles/{aid}-{slug}",
            f"{t} – Northwind Ledger Help Center",
            f'<nav class="sub-nav"><ol class="breadcrumbs"><li><a href="/hc/en-us">Northwind Ledger</a></li><li>{sec}</li></ol></nav>\n'
            f'<article class="article"><h1 class="article-title">{t}</h1>\n<div class="article-body">'
            f"<p>This guide walks you through how to {t[0].lower() + t[1:]} in Northwind Ledger.</p>"
            "<ol><li>Open the menu and choose the relevant section.</li><li>Follow the prompts and review the preview.</li><li>Select <strong>Save</strong>.</li></ol>"
            '<p>Was this article helpful? <a href="/hc/en-us/requests/new">Contact us</a> if you still need help.</p></div></article>',
            date(2026, 10, 1 + i),
        )
    help_c.files["hc/en-us/requests/new.html"] = document(
        "Submit a request – Northwind Ledger Help Center",
        "Submit a support request.",
        '<main><h1>Submit a request</h1><form action="/hc/en-us/requests" method="post"><input type="email" name="email"><textarea name="description"></textarea><button>Submit</button></form></main>',
        zd_head,
        css=False,
    )
    help_c.sitemap.append(("/hc/en-us/requests/new", date(2026, 1, 1)))
    help_c.disallow = ["/access/", "/hc/en-us/search"]
    help_c.finish()

    # -- status.northwind.test ----------------------------------------------------------------------
    components = "\n".join(
        f'<li class="component">{c} <span class="status operational">Operational</span></li>'
        for c in ("Web app", "Bank feeds", "Invoicing & payments", "API", "Mobile apps")
    )
    status.add(
        "/",
        document(
            "Northwind Ledger Status",
            "Current status and incident history for Northwind Ledger.",
            f"""<header><a href="{NW}">Northwind Ledger</a></header>
<main><h1>All Systems Operational</h1>
<ul class="components">
{components}
</ul>
<h2>Past incidents</h2>
<h3>Nov 12, 2026</h3><p><strong>Delayed bank feed sync for Chase accounts</strong> — Resolved. Feeds were delayed up to 3 hours; all transactions have synced.</p>
<h3>Oct 28, 2026</h3><p>No incidents reported.</p>
<p>Questions? <a href="mailto:support@northwind.test">support@northwind.test</a></p></main>""",
            css=False,
        ),
        date(2026, 11, 20),
    )
    status.disallow = ["/api/"]
    status.finish()

    headers = """[headers]
Strict-Transport-Security = "max-age=63072000; includeSubDomains; preload"
Content-Security-Policy = "default-src 'self'; script-src 'self' 'unsafe-inline' https://widget.intercom.io https://js.intercomcdn.com; img-src 'self' data: https:; connect-src 'self' https://*.intercom.io wss://*.intercom.io; frame-ancestors 'none'"
X-Content-Type-Options = "nosniff"
Referrer-Policy = "strict-origin-when-cross-origin"

[redirects]
"/support" = "https://help.northwind.test/hc/en-us"
"/help" = "https://help.northwind.test/hc/en-us"
"""
    truth = {
        "name": brand,
        "url": NW,
        "role": "competitor",
        "profile": "leader",
        "social": [{"platform": s[0], "url": s[3], "handle": s[4]} for s in NW_SOCIAL],
        "social_decoys": [],
        "faq": {"present": True, "url": f"{NW}faq", "qa_pairs": len(NW_FAQ), "format": "jsonld"},
        "chat": [{"vendor": "Intercom", "app_id": "nw8k2"}],
        "community": [{"url": f"{cu}/", "platform": "discourse", "topics": len(NW_TOPICS)}],
        "help_center": [
            {"url": "https://help.northwind.test/hc/en-us", "platform": "zendesk", "articles": len(NW_HELP)}
        ],
        "blog": {"url": f"{NW}blog/", "posts": len(NW_POSTS), "latest": NW_POSTS[0].day.isoformat()},
        "feeds": [{"url": f"{NW}blog/feed.xml", "kind": "rss"}],
        "newsletter": True,
        "contact_emails": sorted(
            [
                "support@northwind.test",
                "jobs@northwind.test",
                "press@northwind.test",
                "partners@northwind.test",
                "investors@northwind.test",
                "privacy@northwind.test",
            ]
        ),
        "phones": ["+1-503-555-0142"],
        "promises": [{"text": "We reply within 4 business hours", "hours": 4}],
        "functions": {
            "careers": f"{NW}careers",
            "press": f"{NW}press",
            "partners": f"{NW}partners",
            "investors": f"{NW}investors",
            "roadmap": f"{NW}roadmap",
            "changelog": f"{NW}changelog",
            "feedback": f"{NW}ideas",
            "status": "https://status.northwind.test/",
        },
        "trust": {
            "security_txt": True,
            "privacy": f"{NW}privacy",
            "accessibility": f"{NW}accessibility",
            "hsts": True,
            "csp": True,
        },
        "engagement_pages": [
            f"{NW}faq",
            f"{NW}contact",
            f"{NW}blog/",
            f"{NW}newsletter",
            f"{NW}careers",
            f"{NW}press",
            f"{NW}partners",
            f"{NW}investors",
            f"{NW}roadmap",
            f"{NW}changelog",
            f"{NW}ideas",
            f"{cu}/",
            "https://help.northwind.test/hc/en-us",
            "https://status.northwind.test/",
        ],
        "robots_disallowed": [f"{NW}cart/", f"{NW}account/login"],
        "activity": {
            "forum": activity.northwind_forum_truth(),
            "social": activity.social_truth(
                "northwind.bsky.social", "northwind@mastodon.social", "@northwindledger"
            ),
            "github": activity.github_truth(),
        },
    }
    hosts = [site, community, help_c, status]
    return Company(
        hosts,
        truth,
        {
            "northwind.test": headers,
            "help.northwind.test": '[redirects]\n"/" = {to = "/hc/en-us", status = 302}\n"/hc" = "/hc/en-us"\n',
        },
    )


# ---------------------------------------------------------------------------------------------------------
# Acme Books — the client, in-between
# ---------------------------------------------------------------------------------------------------------

AC = "https://acme.test/"
AC_SOCIAL = [
    ("x", "https://twitter.com/acmebooks", "Twitter", "https://x.com/acmebooks", "acmebooks"),
    (
        "facebook",
        "https://www.facebook.com/acmebooks",
        "Facebook",
        "https://www.facebook.com/acmebooks",
        "acmebooks",
    ),
    (
        "linkedin",
        "https://www.linkedin.com/company/acme-books",
        "LinkedIn",
        "https://www.linkedin.com/company/acme-books",
        "acme-books",
    ),
]
AC_FAQ = [
    (
        "How much does Acme Books cost?",
        "Solo is $12 a month and Team is $29 a month for up to five users. Annual billing saves two months.",
    ),
    (
        "Is there a free trial?",
        "Yes, 14 days with every feature unlocked. We only ask for a card when you decide to stay.",
    ),
    (
        "Can I connect my bank?",
        "Acme Books connects to most US banks and credit cards. You can also upload statements as CSV files.",
    ),
    (
        "Does Acme Books do payroll?",
        "Not yet. Acme Books exports wages and contractor payments to Gusto and ADP.",
    ),
    (
        "Can I invite my accountant?",
        "Yes. Accountants join for free and see the same books you do, with their own login.",
    ),
    (
        "How do I import data from another tool?",
        "Upload CSV exports of your customers, vendors and chart of accounts under Settings → Import.",
    ),
    (
        "Does Acme Books track sales tax?",
        "You can add tax rates to invoices and run a tax collected report. Filing is up to you or your accountant.",
    ),
    ("Is there a mobile app?", "Our mobile website works on any phone. A native app is planned for 2027."),
    (
        "How do I cancel?",
        "Cancel any time under Settings → Billing. Your data stays available for export for 90 days.",
    ),
    (
        "How do I get help?",
        "Chat with us from any page or email hello@acme.test — we aim to reply within 24 hours on business days.",
    ),
]
AC_POSTS = [
    Post(
        "five-invoicing-mistakes",
        "Five invoicing mistakes that delay payment",
        date(2026, 6, 18),
        "Small fixes that get you paid days sooner.",
        [
            "Missing purchase order numbers, vague due dates and PDFs that land in spam are the usual culprits.",
            "Acme Books adds due dates in the subject line and lets customers pay by card from the invoice.",
        ],
        "Rosa Acme",
    ),
    Post(
        "quarterly-taxes-for-freelancers",
        "Quarterly estimated taxes for freelancers",
        date(2026, 4, 9),
        "A plain-English guide to estimated payments.",
        [
            "If you expect to owe more than $1,000, the IRS expects quarterly payments.",
            "Tag income and expenses as you go and the quarterly summary report does the rest.",
        ],
        "Rosa Acme",
    ),
    Post(
        "bank-rules",
        "Save an hour a week with bank rules",
        date(2026, 2, 12),
        "Let Acme Books categorize your regular transactions.",
        [
            "Bank rules match descriptions and amounts and categorize transactions for you.",
            "Start with your five most frequent vendors.",
        ],
        "Ben Carter",
    ),
    Post(
        "team-plan",
        "Introducing the Team plan",
        date(2025, 12, 3),
        "Up to five users with roles and approvals.",
        [
            "The Team plan adds users, roles and approvals for bills.",
            "Existing customers can upgrade from Settings.",
        ],
        "Ben Carter",
    ),
    Post(
        "hello-world",
        "Why we built Acme Books",
        date(2025, 10, 20),
        "Accounting software for people who would rather not think about accounting.",
        [
            "We built Acme Books after years of running a small studio on spreadsheets.",
            "Our goal: the simplest books that still make your accountant happy.",
        ],
        "Rosa Acme",
    ),
]


def acme() -> Company:
    site = Host("acme.test")
    brand = "Acme Books"
    crisp = (
        '<script type="text/javascript">window.$crisp=[];window.CRISP_WEBSITE_ID="7f3e1c2a-4b5d-4e6f-8a9b-0c1d2e3f4a5b";'
        '(function(){var d=document;var s=d.createElement("script");s.src="https://client.crisp.chat/l.js";'
        's.async=1;d.getElementsByTagName("head")[0].appendChild(s);})();</script>'
    )
    atom_link = (
        '<link rel="alternate" type="application/atom+xml" title="Acme Books blog" href="/blog/atom.xml">\n'
    )

    def page(
        path: str, title: str, description: str, main: str, day: date, head: str = "", listed: bool = True
    ) -> None:
        body = f"""<header class="site-header">
<a href="/" class="brand"><img src="/assets/logo.svg" alt="" width="40" height="40"> Acme Books</a>
<nav><ul>
{link_list([("/features", "Features"), ("/pricing", "Pricing"), ("/blog/", "Blog"), ("/faq", "FAQ"), ("/contact", "Contact")])}
</ul></nav>
</header>
<main>
{main}
</main>
<footer class="site-footer">
<div class="cols">
<div><ul>{link_list([("/about", "About"), ("/careers", "Careers"), ("/privacy", "Privacy & cookies")])}</ul></div>
<div class="social"><p>Follow us</p><ul>
{social_list([(s[0], s[1], s[2]) for s in AC_SOCIAL], brand)}
</ul></div>
</div>
<p>© 2026 Acme Books LLC, Austin, Texas.</p>
</footer>
{crisp}"""
        site.add(
            path,
            document(f"{title} – Acme Books" if path != "/" else title, description, body, atom_link + head),
            day,
            listed,
        )

    page(
        "/",
        "Acme Books — simple accounting for small businesses",
        "Acme Books is simple online accounting for freelancers and small teams: invoices, expenses and tax-ready reports.",
        """<section class="hero"><h1>Simple books for busy people</h1>
<p>Send invoices, track expenses and hand your accountant tidy reports at tax time. Acme Books does the boring parts so you can get back to work.</p>
<p><a class="btn" href="/pricing">Try it free for 14 days</a></p></section>
<section class="cards"><div class="card"><h2>Invoices</h2><p>Professional invoices with online card payments.</p></div>
<div class="card"><h2>Expenses</h2><p>Bank connections and receipt capture.</p></div>
<div class="card"><h2>Reports</h2><p>Profit and loss, balance sheet and tax summaries.</p></div></section>
<p>Questions? Read the <a href="/faq">FAQ</a> or <a href="/contact">get in touch</a>.</p>""",
        date(2026, 6, 18),
    )
    page(
        "/about",
        "About",
        "The small team behind Acme Books.",
        "<h1>About Acme Books</h1><p>Acme Books is a team of twelve in Austin. We started in 2019 and now help 6,000 freelancers and small businesses keep their books.</p>",
        date(2025, 10, 20),
    )
    page(
        "/features",
        "Features",
        "Invoicing, expenses, bank connections and reports in Acme Books.",
        "<h1>Features</h1><ul><li>Invoices and estimates</li><li>Card payments</li><li>Bank and card connections</li><li>Receipt capture</li><li>Profit and loss and balance sheet</li><li>Accountant access</li></ul>",
        date(2026, 2, 12),
    )
    page(
        "/pricing",
        "Pricing",
        "Acme Books costs $12 a month for one user or $29 for a team of five.",
        """<h1>Pricing</h1><div class="cards"><div class="card"><h2>Solo</h2><p>$12 / month</p><a class="btn" href="/cart/?plan=solo">Choose Solo</a></div>
<div class="card"><h2>Team</h2><p>$29 / month, up to 5 users</p><a class="btn" href="/cart/?plan=team">Choose Team</a></div></div>""",
        date(2026, 1, 5),
    )
    page(
        "/contact",
        "Contact",
        "Get in touch with the Acme Books team.",
        """<h1>Contact us</h1><p>Send us a message and we aim to reply within 24 hours (Monday to Friday). You can also chat with us using the bubble at the bottom right, or email <a href="mailto:hello@acme.test">hello@acme.test</a>.</p>
<form class="contact-form" action="/contact" method="post">
<label>Name <input type="text" name="name" required></label>
<label>Email <input type="email" name="email" required></label>
<label>Message <textarea name="message" rows="6" required></textarea></label>
<button type="submit">Send message</button>
</form>""",
        date(2026, 3, 2),
    )
    page(
        "/faq",
        "FAQ",
        "Answers to the most common questions about Acme Books.",
        f"<h1>Frequently asked questions</h1>\n{faq_details(AC_FAQ)}",
        date(2026, 5, 30),
    )
    posts = "\n".join(
        f'<article><h2><a href="/blog/{p.slug}">{p.title}</a></h2><p><time datetime="{p.day}">{p.day:%b %-d, %Y}</time></p><p>{p.summary}</p></article>'
        for p in AC_POSTS
    )
    page(
        "/blog/",
        "Blog",
        "News and tips from Acme Books.",
        f'<h1>Blog</h1>\n<p><a href="/blog/atom.xml">Atom feed</a></p>\n{posts}',
        AC_POSTS[0].day,
    )
    for p in AC_POSTS:
        page(
            f"/blog/{p.slug}",
            p.title,
            p.summary,
            f'<article><h1>{p.title}</h1><p><time datetime="{p.day}">{p.day:%b %-d, %Y}</time> · {p.author}</p>\n{paragraphs(p.body)}</article>\n<p><a href="/blog/">All posts</a></p>',
            p.day,
        )
    site.files["blog/atom.xml"] = atom_feed("Acme Books blog", AC, f"{AC}blog/atom.xml", AC_POSTS)
    page(
        "/careers",
        "Careers",
        "Work at Acme Books in Austin.",
        '<h1>Careers</h1><p>We are hiring a Customer Success Lead in Austin. Send your CV to <a href="mailto:jobs@acme.test">jobs@acme.test</a>.</p>',
        date(2026, 9, 1),
    )
    page(
        "/privacy",
        "Privacy & cookies",
        "How Acme Books handles your data and cookies.",
        "<h1>Privacy &amp; cookies</h1><p>We store your books securely in the US and never sell your data. We use essential cookies and one analytics cookie.</p>",
        date(2025, 10, 20),
    )
    page(
        "/cart/",
        "Checkout",
        "Checkout.",
        "<h1>Checkout</h1><p>Enter your billing details.</p>",
        date(2025, 10, 20),
        listed=False,
    )
    site.disallow = ["/cart/"]
    site.files["assets/logo.svg"] = logo_svg("A", "#d9480f")
    site.files["assets/site.css"] = ":root{--brand:#d9480f}\n" + SITE_CSS
    site.finish()
    truth = {
        "name": brand,
        "url": AC,
        "role": "client",
        "profile": "in-between",
        "social": [{"platform": s[0], "url": s[3], "handle": s[4]} for s in AC_SOCIAL],
        "social_decoys": [],
        "faq": {"present": True, "url": f"{AC}faq", "qa_pairs": len(AC_FAQ), "format": "details"},
        "chat": [{"vendor": "Crisp"}],
        "community": [],
        "help_center": [],
        "blog": {"url": f"{AC}blog/", "posts": len(AC_POSTS), "latest": AC_POSTS[0].day.isoformat()},
        "feeds": [{"url": f"{AC}blog/atom.xml", "kind": "atom"}],
        "newsletter": False,
        "contact_emails": ["hello@acme.test", "jobs@acme.test"],
        "phones": [],
        "promises": [{"text": "we aim to reply within 24 hours", "hours": 24}],
        "functions": {
            "careers": f"{AC}careers",
            "press": None,
            "partners": None,
            "investors": None,
            "roadmap": None,
            "changelog": None,
            "feedback": None,
            "status": None,
        },
        "trust": {
            "security_txt": False,
            "privacy": f"{AC}privacy",
            "accessibility": None,
            "hsts": False,
            "csp": False,
        },
        "engagement_pages": [f"{AC}faq", f"{AC}contact", f"{AC}blog/", f"{AC}careers"],
        "robots_disallowed": [f"{AC}cart/"],
        "activity": {"forum": None, "social": {}, "github": None},
    }
    return Company([site], truth)


# ---------------------------------------------------------------------------------------------------------
# BrightBooks — the broadcaster
# ---------------------------------------------------------------------------------------------------------

BB = "https://brightbooks.test/"
BB_SOCIAL = [
    ("x", "https://x.com/brightbooks", "X", "https://x.com/brightbooks", "brightbooks"),
    (
        "facebook",
        "https://www.facebook.com/brightbooks/",
        "Facebook",
        "https://www.facebook.com/brightbooks",
        "brightbooks",
    ),
    (
        "instagram",
        "https://www.instagram.com/brightbooks.app/?hl=en",
        "Instagram",
        "https://www.instagram.com/brightbooks.app",
        "brightbooks.app",
    ),
    (
        "linkedin",
        "https://www.linkedin.com/company/brightbooks",
        "LinkedIn",
        "https://www.linkedin.com/company/brightbooks",
        "brightbooks",
    ),
    (
        "youtube",
        "https://www.youtube.com/@brightbooks",
        "YouTube",
        "https://www.youtube.com/@brightbooks",
        "@brightbooks",
    ),
    (
        "tiktok",
        "https://www.tiktok.com/@brightbooks",
        "TikTok",
        "https://www.tiktok.com/@brightbooks",
        "@brightbooks",
    ),
    (
        "pinterest",
        "https://www.pinterest.com/brightbooks/",
        "Pinterest",
        "https://www.pinterest.com/brightbooks",
        "brightbooks",
    ),
    (
        "threads",
        "https://www.threads.net/@brightbooks.app",
        "Threads",
        "https://www.threads.net/@brightbooks.app",
        "@brightbooks.app",
    ),
    (
        "bluesky",
        "https://bsky.app/profile/brightbooks.bsky.social",
        "Bluesky",
        "https://bsky.app/profile/brightbooks.bsky.social",
        "brightbooks.bsky.social",
    ),
    (
        "mastodon",
        "https://fosstodon.org/@brightbooks",
        "Mastodon",
        "https://fosstodon.org/@brightbooks",
        "@brightbooks@fosstodon.org",
    ),
    (
        "reddit",
        "https://www.reddit.com/user/brightbooks/",
        "Reddit",
        "https://www.reddit.com/user/brightbooks",
        "brightbooks",
    ),
    (
        "medium",
        "https://medium.com/@brightbooks",
        "Medium",
        "https://medium.com/@brightbooks",
        "@brightbooks",
    ),
]
BB_FAQ = [
    (
        "What is BrightBooks?",
        "BrightBooks is colorful, mobile-first bookkeeping for creators and side hustlers.",
    ),
    (
        "How much does it cost?",
        "BrightBooks Basic is free. BrightBooks Glow is $9 a month with unlimited invoices and receipt scanning.",
    ),
    ("Which countries do you support?", "BrightBooks is available in the US and Canada."),
    ("How do I contact you?", "Email us at hello@brightbooks.test."),
]
BB_AUTHOR = ("Maya Okafor", "https://x.com/mayaokafor")
BB_POSTS = [
    Post(f"post-{i}", t, d, s, b, "Maya Okafor")
    for i, (t, d, s, b) in enumerate(
        [
            (
                "10 TikTok-worthy money habits for creators",
                date(2026, 11, 18),
                "Our favorite money habits, as seen on our TikTok.",
                [
                    "Pay yourself first, then your taxes, then everything else.",
                    "Follow along as we share a new habit every day.",
                ],
            ),
            (
                "Creator tax deductions you're missing",
                date(2026, 11, 11),
                "Ring lights, software and your home studio may be deductible.",
                [
                    "Equipment, software subscriptions and part of your rent can be deductible if you use them for your business.",
                    "Keep receipts in BrightBooks and tag them as you go.",
                ],
            ),
            (
                "Our favorite bookkeeping videos this month",
                date(2026, 11, 4),
                "A round-up of videos we loved, including a great explainer from Ledgerline.",
                [
                    "This month's favorite is <a href=\"https://www.youtube.com/watch?v=Q3kX9bT1mPw\">Ledgerline's explainer on accrual accounting</a> — it's the clearest ten minutes on the topic we've seen.",
                    'Join the conversation with <a href="https://x.com/hashtag/SmallBizTax">#SmallBizTax</a> and tell us what you\'d like us to cover next.',
                ],
            ),
            (
                "Glow up your invoices",
                date(2026, 10, 28),
                "New invoice themes in six colors.",
                [
                    "Invoices now come in six themes, from Sunrise to Midnight.",
                    "Pick yours under Settings → Branding.",
                ],
            ),
            (
                "Side hustle to small business",
                date(2026, 10, 21),
                "When to register an LLC and open a business bank account.",
                [
                    "If your side hustle earns more than a few thousand dollars a year, it's time to separate your money.",
                    "Open a business account and connect it to BrightBooks.",
                ],
            ),
            (
                "BrightBooks turns three",
                date(2026, 10, 14),
                "Three years, 50,000 creators and a lot of emojis.",
                ["Thank you for three bright years.", "To celebrate, Glow is half price this week."],
            ),
            (
                "Receipts: snap, tag, forget",
                date(2026, 10, 7),
                "How receipt scanning works in BrightBooks.",
                [
                    "Point your camera at a receipt and BrightBooks reads the vendor, date and total.",
                    "Tag it and you're done.",
                ],
            ),
            (
                "Budgeting for irregular income",
                date(2026, 9, 30),
                "A simple system for months that look nothing alike.",
                [
                    "Base your budget on your lowest month of the last year.",
                    "Put anything above it into a buffer account.",
                ],
            ),
            (
                "Meet the BrightBooks team",
                date(2026, 9, 23),
                "The twelve people behind BrightBooks.",
                [
                    "We are designers, engineers and one very patient accountant.",
                    "Say hi on any of our social channels!",
                ],
            ),
            (
                "What is a 1099-K?",
                date(2026, 9, 16),
                "Payment apps now report more of your income. Here is what that means.",
                [
                    "Payment platforms send a 1099-K when your payments pass the reporting threshold.",
                    "BrightBooks matches those payments to your invoices.",
                ],
            ),
        ],
        start=1,
    )
]


def bb_share_links(post: Post) -> list[str]:
    """The share-button URLs on one post (decoys: they are not BrightBooks' profiles)."""
    url = quote(f"{BB}blog/{post.slug}", safe="")
    text = quote(post.title, safe="")
    return [
        f"https://twitter.com/intent/tweet?url={url}&text={text}",
        f"https://www.facebook.com/sharer/sharer.php?u={url}",
        f"https://www.linkedin.com/sharing/share-offsite/?url={url}",
    ]


def brightbooks() -> Company:
    site = Host("brightbooks.test")
    brand = "BrightBooks"
    rss_link = (
        '<link rel="alternate" type="application/rss+xml" title="BrightBooks blog" href="/blog/rss.xml">\n'
    )
    hubspot = """<form class="hs-form" id="hsForm_3f9c2a1e" action="https://forms.hubspot.com/uploads/form/v2/21987654/3f9c2a1e-7b6d-4c5e-9f0a-1b2c3d4e5f60" method="post">
<label for="email-3f9c2a1e">Get the Bright Side newsletter every Friday ✨</label>
<input id="email-3f9c2a1e" class="hs-input" type="email" name="email" required placeholder="Email">
<input type="submit" class="hs-button primary" value="Subscribe">
</form>"""

    def page(path: str, title: str, description: str, main: str, day: date, listed: bool = True) -> None:
        body = f"""<header>
<a href="/"><img src="/assets/logo.svg" alt="BrightBooks" width="40" height="40"></a>
<nav><ul>{link_list([("/pricing", "Pricing"), ("/blog/", "Blog"), ("/faq", "FAQ"), ("/press", "Press"), ("/contact", "Contact")])}</ul></nav>
<a class="btn" href="/pricing">Get Glow</a>
</header>
<main>
{main}
</main>
<footer>
<div class="newsletter">{hubspot}</div>
<div class="social"><h4>Follow us everywhere ✨</h4><ul>
{social_list([(s[0], s[1], s[2]) for s in BB_SOCIAL], brand)}
</ul></div>
<p><a href="/careers">Careers</a> · <a href="/privacy">Privacy &amp; cookie policy</a></p>
<p>© 2026 BrightBooks Inc.</p>
</footer>"""
        site.add(
            path,
            document(f"{title} ✨ BrightBooks" if path != "/" else title, description, body, rss_link),
            day,
            listed,
        )

    page(
        "/",
        "BrightBooks — bookkeeping that sparks joy",
        "BrightBooks is colorful, mobile-first bookkeeping for creators and side hustlers.",
        """<section class="hero"><h1>Bookkeeping that sparks joy ✨</h1><p>Invoices, receipts and taxes for creators — in your pocket and in full color.</p>
<p><a class="btn" href="/pricing">Start free</a></p></section>
<p>Join 50,000 creators who follow us on TikTok, Instagram, YouTube and more.</p>""",
        date(2026, 11, 18),
    )
    page(
        "/pricing",
        "Pricing",
        "BrightBooks Basic is free; Glow is $9 a month.",
        '<h1>Pricing</h1><div class="cards"><div class="card"><h2>Basic</h2><p>Free</p></div><div class="card"><h2>Glow</h2><p>$9 / month</p><a class="btn" href="/checkout/?plan=glow">Get Glow</a></div></div>',
        date(2026, 10, 14),
    )
    page(
        "/faq",
        "FAQ",
        "Quick answers about BrightBooks.",
        f'<h1>Help</h1>\n<section class="faq"><h2>FAQ</h2>\n{faq_headings(BB_FAQ)}\n</section>',
        date(2026, 3, 1),
    )
    page(
        "/contact",
        "Contact",
        "Email the BrightBooks team.",
        '<h1>Say hello 👋</h1><p>Email us at <a href="mailto:hello@brightbooks.test">hello@brightbooks.test</a>.</p>',
        date(2026, 3, 1),
    )
    page(
        "/press",
        "Press",
        "BrightBooks in the news and press contact.",
        '<h1>Press</h1><ul><li>"The most colorful accounting app" — Creator Weekly, 2026</li><li>BrightBooks raises $8M seed round, 2025</li></ul><p>Press inquiries: <a href="mailto:press@brightbooks.test">press@brightbooks.test</a></p>',
        date(2026, 6, 1),
    )
    page(
        "/careers",
        "Careers",
        "Join the BrightBooks team.",
        "<h1>Careers</h1><p>We're hiring a Social Media Manager and a Video Producer. Remote in the US or Canada.</p>",
        date(2026, 9, 1),
    )
    page(
        "/privacy",
        "Privacy & cookie policy",
        "How BrightBooks uses your data and cookies.",
        "<h1>Privacy &amp; cookie policy</h1><p>We use cookies for analytics and advertising. You can opt out at any time.</p>",
        date(2026, 1, 10),
    )
    posts = "\n".join(
        f'<article><h2><a href="/blog/{p.slug}">{p.title}</a></h2><p><time datetime="{p.day}">{p.day:%B %-d, %Y}</time></p><p>{p.summary}</p></article>'
        for p in BB_POSTS
    )
    page(
        "/blog/",
        "Blog",
        "Money tips for creators from BrightBooks.",
        f'<h1>The Bright Side</h1><p><a href="/blog/rss.xml">RSS</a></p>\n{posts}',
        BB_POSTS[0].day,
    )
    decoys: list[str] = []
    for p in BB_POSTS:
        shares = bb_share_links(p)
        decoys += shares
        share_html = " ".join(
            f'<a class="share" href="{escape(u)}" target="_blank" rel="noopener">{n}</a>'
            for u, n in zip(shares, ("Share on X", "Share on Facebook", "Share on LinkedIn"), strict=True)
        )
        page(
            f"/blog/{p.slug}",
            p.title,
            p.summary,
            f"""<article><h1>{p.title}</h1><p><time datetime="{p.day}">{p.day:%B %-d, %Y}</time></p>
{paragraphs(p.body)}
<div class="share-buttons">{share_html}</div>
<aside class="author-box"><p><strong>{BB_AUTHOR[0]}</strong> writes about money for creators. Follow her on <a href="{BB_AUTHOR[1]}">X</a>.</p></aside>
</article>
<p><a href="/blog/">← Back to the blog</a></p>""",
            p.day,
        )
    site.files["blog/rss.xml"] = rss_feed(
        "The Bright Side — BrightBooks blog", BB, f"{BB}blog/rss.xml", "Money tips for creators.", BB_POSTS
    )
    page("/checkout/", "Checkout", "Checkout.", "<h1>Checkout</h1>", date(2026, 1, 1), listed=False)
    site.disallow = ["/checkout/"]
    site.files["assets/logo.svg"] = logo_svg("B", "#f08c00")
    site.files["assets/site.css"] = ":root{--brand:#f08c00}\n" + SITE_CSS
    site.finish()
    decoys += [
        BB_AUTHOR[1],
        "https://www.youtube.com/watch?v=Q3kX9bT1mPw",
        "https://x.com/hashtag/SmallBizTax",
    ]
    truth = {
        "name": brand,
        "url": BB,
        "role": "competitor",
        "profile": "broadcaster",
        "social": [{"platform": s[0], "url": s[3], "handle": s[4]} for s in BB_SOCIAL],
        "social_decoys": decoys,
        "faq": {"present": True, "url": f"{BB}faq", "qa_pairs": len(BB_FAQ), "format": "headings"},
        "chat": [],
        "community": [],
        "help_center": [],
        "blog": {"url": f"{BB}blog/", "posts": len(BB_POSTS), "latest": BB_POSTS[0].day.isoformat()},
        "feeds": [{"url": f"{BB}blog/rss.xml", "kind": "rss"}],
        "newsletter": True,
        "contact_emails": ["hello@brightbooks.test", "press@brightbooks.test"],
        "phones": [],
        "promises": [],
        "functions": {
            "careers": f"{BB}careers",
            "press": f"{BB}press",
            "partners": None,
            "investors": None,
            "roadmap": None,
            "changelog": None,
            "feedback": None,
            "status": None,
        },
        "trust": {
            "security_txt": False,
            "privacy": f"{BB}privacy",
            "accessibility": None,
            "hsts": False,
            "csp": False,
        },
        "engagement_pages": [f"{BB}faq", f"{BB}contact", f"{BB}blog/", f"{BB}press", f"{BB}careers"],
        "robots_disallowed": [f"{BB}checkout/"],
        "activity": {
            "forum": None,
            "social": activity.social_truth(
                "brightbooks.bsky.social", "brightbooks@fosstodon.org", "@brightbooks"
            ),
            "github": None,
        },
    }
    return Company([site], truth)


# ---------------------------------------------------------------------------------------------------------
# Quillpay — in-between: a forum and a help center, few words on social
# ---------------------------------------------------------------------------------------------------------

QP = "https://quillpay.test/"
QP_SOCIAL = [
    ("x", "https://x.com/quillpay", "X", "https://x.com/quillpay", "quillpay"),
    (
        "linkedin",
        "https://www.linkedin.com/company/quillpay",
        "LinkedIn",
        "https://www.linkedin.com/company/quillpay",
        "quillpay",
    ),
    (
        "youtube",
        "https://www.youtube.com/@quillpay",
        "YouTube",
        "https://www.youtube.com/@quillpay",
        "@quillpay",
    ),
    (
        "facebook",
        "https://www.facebook.com/quillpayhq",
        "Facebook",
        "https://www.facebook.com/quillpayhq",
        "quillpayhq",
    ),
]
#: phpBB topics: id, forum id, title, [(author, ISO time, staff?)] (see ``activity.py``).
QP_TOPICS = activity.QP_TOPICS
QP_FORUMS = {2: "Help & Support", 3: "Feature Requests"}
QP_ARTICLES = [
    ("48000123401", "connect-your-bank", "Connect your bank"),
    ("48000123402", "send-an-invoice", "Send an invoice"),
    ("48000123403", "accept-card-payments", "Accept card payments"),
    ("48000123404", "set-up-sales-tax", "Set up sales tax"),
    ("48000123405", "export-reports-for-your-accountant", "Export reports for your accountant"),
    ("48000123406", "reset-your-password", "Reset your password"),
]


def quillpay() -> Company:
    site, forum, help_c = Host("quillpay.test"), Host("forum.quillpay.test"), Host("help.quillpay.test")
    brand = "Quillpay"
    tawk = """<!--Start of Tawk.to Script-->
<script type="text/javascript">
var Tawk_API=Tawk_API||{}, Tawk_LoadStart=new Date();
(function(){var s1=document.createElement("script"),s0=document.getElementsByTagName("script")[0];
s1.async=true;s1.src='https://embed.tawk.to/64f1c2d9a91e863a5c11b7e0/default';
s1.charset='UTF-8';s1.setAttribute('crossorigin','*');s0.parentNode.insertBefore(s1,s0);})();
</script>
<!--End of Tawk.to Script-->"""

    def page(path: str, title: str, description: str, main: str, day: date, listed: bool = True) -> None:
        body = f"""<header>
<a href="/"><img src="/assets/logo.svg" alt="Quillpay" width="40" height="40"></a>
<nav><ul>{link_list([("/pricing", "Pricing"), ("https://forum.quillpay.test/", "Community forum"), ("https://help.quillpay.test/support/home", "Support"), ("/contact", "Contact")])}</ul></nav>
<a href="/app/login">Log in</a>
</header>
<main>
{main}
</main>
<footer>
<ul>{link_list([("/about", "About"), ("/careers", "Careers"), ("https://quillpay.statuspage.io", "Status"), ("/privacy", "Privacy")])}</ul>
<div class="social"><span>Follow us</span><ul>
{social_list([(s[0], s[1], s[2]) for s in QP_SOCIAL], brand)}
</ul></div>
<p>© 2026 Quillpay Ltd.</p>
</footer>
{tawk}"""
        site.add(
            path, document(f"{title} | Quillpay" if path != "/" else title, description, body), day, listed
        )

    page(
        "/",
        "Quillpay — invoicing and accounting for service businesses",
        "Quillpay helps agencies, consultants and trades send invoices, get paid and keep clean books.",
        """<section class="hero"><h1>Get paid. Stay balanced.</h1><p>Quillpay combines invoicing, payments and bookkeeping for service businesses with up to 50 people.</p>
<p><a class="btn" href="/pricing">See plans</a></p></section>
<section class="cards"><div class="card"><h2>Ask the community</h2><p>Swap tips with other Quillpay users in our <a href="https://forum.quillpay.test/">forum</a>.</p></div>
<div class="card"><h2>Self-service support</h2><p>Guides and answers in our <a href="https://help.quillpay.test/support/home">support portal</a>.</p></div></section>""",
        date(2026, 9, 15),
    )
    page(
        "/about",
        "About",
        "Quillpay is an independent software company in Chicago.",
        "<h1>About Quillpay</h1><p>Quillpay was founded in Chicago in 2017 by two former agency owners. Today 45 people build Quillpay for 9,000 service businesses.</p>",
        date(2026, 2, 1),
    )
    page(
        "/pricing",
        "Pricing",
        "Quillpay plans start at $19 a month.",
        '<h1>Pricing</h1><div class="cards"><div class="card"><h2>Essentials</h2><p>$19 / month</p></div><div class="card"><h2>Growth</h2><p>$49 / month</p></div></div><p><a class="btn" href="/app/login">Start free trial</a></p>',
        date(2026, 8, 1),
    )
    page(
        "/contact",
        "Contact",
        "Call or email Quillpay support.",
        """<h1>Contact Quillpay</h1><p>Our team answers within 1 business day, Monday to Friday 8am–5pm Central.</p>
<ul><li>Phone: <a href="tel:+1-312-555-0187">+1 (312) 555-0187</a></li><li>Email: <a href="mailto:support@quillpay.test">support@quillpay.test</a></li>
<li>Chat: use the chat widget on this page.</li></ul>
<p>You may find an answer faster in the <a href="https://help.quillpay.test/support/home">support portal</a> or the <a href="https://forum.quillpay.test/">community forum</a>.</p>""",
        date(2026, 7, 1),
    )
    page(
        "/careers",
        "Careers",
        "Work at Quillpay in Chicago.",
        "<h1>Careers</h1><p>We're hiring a Support Engineer and a Frontend Developer in Chicago (hybrid).</p>",
        date(2026, 10, 1),
    )
    page(
        "/privacy",
        "Privacy notice",
        "How Quillpay handles personal data.",
        "<h1>Privacy notice</h1><p>Quillpay processes personal data only to provide the service. We do not sell personal data.</p>",
        date(2026, 1, 1),
    )
    page(
        "/app/login",
        "Log in",
        "Log in to Quillpay.",
        '<h1>Log in</h1><form action="/app/session" method="post"><input type="email" name="email"><input type="password" name="password"></form>',
        date(2026, 1, 1),
        listed=False,
    )
    site.disallow = ["/app/"]
    site.files["assets/logo.svg"] = logo_svg("Q", "#2b8a3e")
    site.files["assets/site.css"] = ":root{--brand:#2b8a3e}\n" + SITE_CSS
    site.finish()

    # -- forum.quillpay.test: phpBB ------------------------------------------------------------------
    def forum_page(path: str, title: str, main: str, day: date) -> None:
        body = f"""<div id="wrap" class="wrap">
<div class="headerbar" role="banner"><a href="/" title="Board index"><img src="{QP}assets/logo.svg" alt="" width="40" height="40"></a>
<h1>Quillpay Community</h1><p class="skiplink"><a href="#start_here">Skip to content</a></p>
<ul class="nav-breadcrumbs"><li><a href="{QP}">quillpay.test</a></li><li><a href="/" accesskey="h">Board index</a></li></ul></div>
<div id="page-body" class="page-body" role="main"><a id="start_here"></a>
{main}
</div>
<div id="page-footer" class="page-footer" role="contentinfo"><div class="copyright">Powered by <a href="https://www.phpbb.com/">phpBB</a>® Forum Software © phpBB Limited</div></div>
</div>"""
        forum.add(
            path,
            document(
                title,
                "Quillpay Community forum",
                body,
                '<link href="./styles/prosilver/theme/stylesheet.css?assets_version=42" rel="stylesheet">\n',
                css=False,
            ),
            day,
        )

    forums = "\n".join(
        f'<li class="row"><a href="./viewforum.php?f={fid}" class="forumtitle">{name}</a></li>'
        for fid, name in QP_FORUMS.items()
    )
    forum_page(
        "/",
        "Quillpay Community - Index page",
        f'<div class="forabg"><ul class="topiclist forums">\n{forums}\n</ul></div>',
        date(2026, 11, 17),
    )
    for fid, name in QP_FORUMS.items():
        rows = "\n".join(
            f'<li class="row"><a href="./viewtopic.php?t={tid}" class="topictitle">{title}</a> <span class="posts">{len(posts) - 1} replies</span> '
            f'<time datetime="{posts[-1][1]}">{posts[-1][1][:10]}</time></li>'
            for tid, f, title, posts in QP_TOPICS
            if f == fid
        )
        forum_page(
            f"/viewforum.php?f={fid}",
            f"{name} - Quillpay Community",
            f'<h2 class="forum-title"><a href="./viewforum.php?f={fid}">{name}</a></h2>\n<ul class="topiclist topics">\n{rows}\n</ul>',
            date(2026, 11, 17),
        )
    for tid, fid, title, posts in QP_TOPICS:
        items = []
        for n, (user, when, staff) in enumerate(posts):
            colour = "username-coloured" if staff else "username"
            rank = ' <span class="rank">Quillpay Staff</span>' if staff else ""
            text = (
                "Thanks for reporting this — we have fixed it on our side."
                if staff
                else (title if n == 0 else "Same here.")
            )
            items.append(
                f'<div id="p{tid * 10 + n}" class="post has-profile"><div class="postbody"><p class="author">'
                f'<span class="{colour}">{user}</span>{rank} » <time datetime="{when}">{when[:10]}</time></p>'
                f'<div class="content">{text}</div></div></div>'
            )
        forum_page(
            f"/viewtopic.php?t={tid}",
            f"{title} - Quillpay Community",
            f'<h2 class="topic-title"><a href="./viewtopic.php?t={tid}">{title}</a></h2>\n<p><a href="./viewforum.php?f={fid}">{QP_FORUMS[fid]}</a></p>\n'
            + "\n".join(items),
            date.fromisoformat(posts[-1][1][:10]),
        )
    forum.disallow = ["/ucp.php", "/memberlist.php", "/search.php"]
    forum.finish()

    # -- help.quillpay.test: Freshdesk ---------------------------------------------------------------
    search = (
        '<form class="hc-search-form" action="/support/search" method="get" autocomplete="off">'
        '<input type="text" name="term" class="special" placeholder="Enter your search term here..." aria-label="Search"></form>'
    )

    def help_page(path: str, title: str, main: str, day: date) -> None:
        body = f"""<header class="banner"><a href="{QP}"><img src="{QP}assets/logo.svg" alt="Quillpay" width="40" height="40"></a>
<nav class="page-tabs"><a href="/support/home">Home</a> <a href="/support/solutions">Solutions</a> <a href="/support/tickets/new">New support ticket</a></nav></header>
<section class="help-center">
{search}
{main}
</section>
<footer class="footer-container"><a href="https://www.freshworks.com/freshdesk/?utm_source=portal&amp;utm_medium=reflink&amp;utm_campaign=portal_reflink" target="_blank">Help Desk Software</a> by Freshdesk</footer>"""
        help_c.add(
            path,
            document(
                title,
                "Quillpay support portal",
                body,
                '<link rel="stylesheet" href="https://assets10.freshdesk.com/assets/cdn/portal_styles.css">\n',
                css=False,
            ),
            day,
        )

    arts = "\n".join(
        f'<li><a href="/support/solutions/articles/{aid}-{slug}">{t}</a></li>' for aid, slug, t in QP_ARTICLES
    )
    help_page(
        "/support/home",
        "Support : Quillpay",
        f"<h2>Welcome to the Quillpay support portal</h2>\n<h3>Knowledge base</h3><ul>\n{arts}\n</ul>",
        date(2026, 8, 1),
    )
    help_page(
        "/support/solutions",
        "Solutions : Quillpay",
        f"<h2>Solutions</h2><h3>Getting started</h3><ul>\n{arts}\n</ul>",
        date(2026, 8, 1),
    )
    for i, (aid, slug, t) in enumerate(QP_ARTICLES):
        help_page(
            f"/support/solutions/articles/{aid}-{slug}",
            f"{t} : Quillpay",
            f'<article class="article"><h2 class="heading">{t}</h2><p>Modified on: Tue, {i + 4} Aug, 2026 at 10:{10 + i} AM</p>'
            f"<p>Follow these steps to {t[0].lower() + t[1:]}.</p><ol><li>Open Settings.</li><li>Choose the option.</li><li>Save.</li></ol>"
            '<p>Did you find it helpful? <a href="/support/tickets/new">Contact support</a></p></article>',
            date(2026, 8, 4 + i),
        )
    help_c.files["support/tickets/new.html"] = document(
        "Submit a ticket : Quillpay",
        "New support ticket",
        '<h2>Submit a ticket</h2><form action="/support/tickets" method="post"><input type="email" name="helpdesk_ticket[email]"><textarea name="helpdesk_ticket[description]"></textarea></form>',
        css=False,
    )
    help_c.sitemap.append(("/support/tickets/new", date(2026, 1, 1)))
    help_c.disallow = ["/support/login", "/support/search"]
    help_c.finish()

    truth = {
        "name": brand,
        "url": QP,
        "role": "competitor",
        "profile": "in-between",
        "social": [{"platform": s[0], "url": s[3], "handle": s[4]} for s in QP_SOCIAL],
        "social_decoys": [],
        "faq": {"present": False, "url": None, "qa_pairs": 0, "format": None},
        "chat": [{"vendor": "Tawk.to"}],
        "community": [{"url": "https://forum.quillpay.test/", "platform": "phpbb", "topics": len(QP_TOPICS)}],
        "help_center": [
            {
                "url": "https://help.quillpay.test/support/home",
                "platform": "freshdesk",
                "articles": len(QP_ARTICLES),
            }
        ],
        "blog": None,
        "feeds": [],
        "newsletter": False,
        "contact_emails": ["support@quillpay.test"],
        "phones": ["+1-312-555-0187"],
        "promises": [{"text": "Our team answers within 1 business day", "hours": 24}],
        "functions": {
            "careers": f"{QP}careers",
            "press": None,
            "partners": None,
            "investors": None,
            "roadmap": None,
            "changelog": None,
            "feedback": None,
            "status": "https://quillpay.statuspage.io",
        },
        "trust": {
            "security_txt": False,
            "privacy": f"{QP}privacy",
            "accessibility": None,
            "hsts": False,
            "csp": False,
        },
        "engagement_pages": [
            f"{QP}contact",
            f"{QP}careers",
            "https://forum.quillpay.test/",
            "https://help.quillpay.test/support/home",
        ],
        "robots_disallowed": [f"{QP}app/login"],
        "activity": {
            "forum": activity.quillpay_forum_truth(),
            "social": activity.social_truth(None, None, "@quillpay"),
            "github": None,
        },
    }
    return Company(
        [site, forum, help_c],
        truth,
        {
            "help.quillpay.test": '[redirects]\n"/" = {to = "/support/home", status = 302}\n"/support" = "/support/home"\n'
        },
    )


# ---------------------------------------------------------------------------------------------------------
# TallyBook — the laggard: three pages
# ---------------------------------------------------------------------------------------------------------

TB = "http://tallybook.test/"
TB_FAQ = [
    ("What is TallyBook?", "TallyBook is desktop accounting software for Windows."),
    ("How do I install updates?", "Download the latest installer from this website and run it."),
    ("How do I get support?", "Use the contact form and we will get back to you."),
]


def tallybook() -> Company:
    site = Host("tallybook.test", scheme="http")

    def page(path: str, title: str, main: str, day: date, listed: bool = True) -> None:
        body = f"""<header><b>TallyBook</b> <nav><a href="/">Home</a> | <a href="/faq">FAQ</a> | <a href="/contact">Contact</a></nav></header>
<main>
{main}
</main>
<footer><p>© 2019 TallyBook Software · <a href="/admin/">Staff login</a></p></footer>"""
        site.add(
            path, document(title, "TallyBook accounting software for Windows.", body, css=False), day, listed
        )

    page(
        "/",
        "TallyBook Accounting Software",
        "<h1>TallyBook Accounting Software</h1><p>Reliable desktop accounting for small businesses since 2004. Version 9.2 now available.</p>",
        date(2019, 5, 14),
    )
    page("/faq", "TallyBook - FAQ", f"<h2>FAQ</h2>\n{faq_headings(TB_FAQ)}", date(2019, 5, 14))
    page(
        "/contact",
        "TallyBook - Contact",
        """<h1>Contact</h1><p>Email: <a href="mailto:info@tallybook.test">info@tallybook.test</a></p>
<form action="/contact" method="post"><p>Name: <input type="text" name="name"></p><p>Email: <input type="text" name="email"></p>
<p>Message:<br><textarea name="message" rows="5" cols="40"></textarea></p><p><input type="submit" value="Send"></p></form>""",
        date(2019, 5, 14),
    )
    page(
        "/admin/",
        "Admin login",
        '<h1>Admin</h1><form action="/admin/login" method="post"><input type="password" name="pw"></form>',
        date(2019, 1, 1),
        listed=False,
    )
    site.disallow = ["/admin/"]
    site.finish()
    truth: dict[str, Any] = {
        "name": "TallyBook",
        "url": TB,
        "role": "competitor",
        "profile": "laggard",
        "social": [],
        "social_decoys": [],
        "faq": {"present": True, "url": f"{TB}faq", "qa_pairs": len(TB_FAQ), "format": "headings"},
        "chat": [],
        "community": [],
        "help_center": [],
        "blog": None,
        "feeds": [],
        "newsletter": False,
        "contact_emails": ["info@tallybook.test"],
        "phones": [],
        "promises": [],
        "functions": dict.fromkeys(
            ("careers", "press", "partners", "investors", "roadmap", "changelog", "feedback", "status")
        ),
        "trust": {"security_txt": False, "privacy": None, "accessibility": None, "hsts": False, "csp": False},
        "engagement_pages": [f"{TB}faq", f"{TB}contact"],
        "robots_disallowed": [f"{TB}admin/"],
        "activity": {"forum": None, "social": {}, "github": None},
    }
    return Company([site], truth)


COMPANIES: list[Callable[[], Company]] = [acme, northwind, brightbooks, quillpay, tallybook]


#: The status page's certificate lapsed: the leader's one TLS blemish, a trust finding in the demo.
EXPIRED_HOSTS = frozenset({"status.northwind.test"})
HSTS = "max-age=63072000; includeSubDomains"


def tls_headers(host: Host, toml_text: str) -> str:
    """A host's ``_headers.toml`` with its TLS: HSTS and an http→https redirect, or plain HTTP only."""
    if host.scheme == "http":
        return f"{toml_text.rstrip()}\n\n[tls]\nhttps = false\n".lstrip()
    if "Strict-Transport-Security" not in toml_text:
        if "[headers]\n" in toml_text:
            toml_text = toml_text.replace(
                "[headers]\n", f'[headers]\nStrict-Transport-Security = "{HSTS}"\n', 1
            )
        else:
            toml_text = f'[headers]\nStrict-Transport-Security = "{HSTS}"\n\n{toml_text}'
    problem = '\nproblem = "expired"' if host.name in EXPIRED_HOSTS else ""
    return f"{toml_text.rstrip()}\n\n[tls]\nredirect = true{problem}\n"


def tls_truth(hosts: list[Host]) -> dict[str, Any]:
    """What the trust probe must find about a company's TLS: HTTPS, HSTS, and a refused certificate."""
    https = hosts[0].scheme == "https"
    expired = [h.name for h in hosts if h.name in EXPIRED_HOSTS]
    return {
        "https": https,
        "hsts": https,
        # the certificates check: True (all valid), the reason one was refused, or None (no HTTPS at all)
        "certificates": f"certificate expired on 2026-01-01 ({expired[0]}"
        if expired
        else (True if https else None),
    }


def build(market_dir: Path = DEFAULT_MARKET_DIR) -> dict[str, str]:
    """Every generated file of the market, relative to ``market_dir`` (``sites/…`` and ``truth/…``)."""
    out: dict[str, str] = {}
    for make in COMPANIES:
        company = make()
        company.truth["hosts"] = [h.name for h in company.hosts]
        company.truth["trust"].update(tls_truth(company.hosts))
        company.truth["pages"] = sum(len(h.sitemap) for h in company.hosts)
        for host in company.hosts:
            for rel, text in host.files.items():
                out[f"sites/{host.name}/{rel}"] = text
        for host in company.hosts:
            toml_text = tls_headers(host, company.headers_toml.get(host.name, ""))
            if toml_text:
                out[f"sites/{host.name}/_headers.toml"] = toml_text
        main_host = company.hosts[0].name
        out[f"truth/{main_host}.json"] = json.dumps(company.truth, indent=2, ensure_ascii=False) + "\n"
    return out


#: Stand-ins for the chat vendors' loaders, served over HTTPS like the real ones (Chromium's HSTS
#: preload list upgrades these hosts to https anyway): each draws a visible launcher the renderer finds,
#: styled through the CSSOM, which a strict Content-Security-Policy (Northwind's) still allows.
CHAT_STANDINS: dict[str, tuple[str, str]] = {
    "widget.intercom.io": (
        "/widget/nw8k2",
        "window.Intercom = window.Intercom || function () {};"
        "(function () { var c = document.createElement('div'); c.id = 'intercom-container';"
        " var app = document.createElement('div'); app.className = 'intercom-lightweight-app';"
        " Object.assign(app.style, {position: 'fixed', right: '20px', bottom: '20px', width: '60px',"
        " height: '60px', borderRadius: '30px', background: '#1f8ded', zIndex: '2147483000'});"
        " app.setAttribute('aria-label', 'Open Intercom Messenger'); c.appendChild(app);"
        " document.body.appendChild(c); })();\n",
    ),
    "client.crisp.chat": (
        "/l.js",
        "window.$crisp = window.$crisp || [];"
        "(function () { var c = document.createElement('div'); c.className = 'crisp-client';"
        " Object.assign(c.style, {position: 'fixed', right: '24px', bottom: '24px', width: '60px',"
        " height: '60px', borderRadius: '30px', background: '#1972f5', zIndex: '2147483000'});"
        " c.setAttribute('aria-label', 'Open chat'); document.body.appendChild(c); })();\n",
    ),
}


def chat_standin_files() -> dict[str, str]:
    """``apis/<vendor host>/_routes.json`` answering each stand-in's loader path with its script."""
    out = {}
    for host, (path, script) in CHAT_STANDINS.items():
        route = {
            "status": 200,
            "content_type": "text/javascript; charset=utf-8",
            "headers": {},
            "body": script,
        }
        out[f"apis/{host}/_routes.json"] = json.dumps({path: route}, indent=1, sort_keys=True) + "\n"
    return out


def build_apis() -> dict[str, str]:
    """The third-party API hosts' files (``apis/<host>/_routes.json``), relative to the market directory."""
    return {**activity.api_files(), **chat_standin_files()}


def write(market_dir: Path = DEFAULT_MARKET_DIR) -> int:
    """Replace ``sites/``, ``truth/`` and ``apis/`` under ``market_dir`` with fresh files; returns the count."""
    files = {**build(market_dir), **build_apis()}
    for sub in ("sites", "truth", "apis"):
        shutil.rmtree(market_dir / sub, ignore_errors=True)
    for rel, text in files.items():
        path = market_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(files)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_MARKET_DIR
    print(f"wrote {write(target)} files under {target}")

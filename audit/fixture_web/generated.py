"""A generated market for scans: N companies of varied maturity, deterministic from a seed.

``generate_market(200, seed=7, directory=d)`` writes ``d/market.toml``, ``d/sites/<host>/…`` and
``d/companies.csv`` (name, url, segment) in well under a second for 200 companies; ``FixtureWeb(d)``
then serves them. The same seed always gives byte-identical files. Each company has one of four profiles
(the demo market's: leader, in-between, broadcaster, laggard) and draws its channels from that profile's
odds: an FAQ (disclosure widgets and FAQPage JSON-LD, or plain headings), a blog with an RSS feed, a
newsletter form, contact e-mails, social accounts on presence-only platforms, a chat widget, a help
center and a community on their own subdomains, careers/press/partners/changelog pages, a privacy page
and security.txt. Sites are plain HTTP (no certificate to issue per host at start-up, so a 1,000-company
web starts at once) and each company has a latency (``latency_ms``) that
:meth:`GeneratedMarket.apply_latency` injects, scaled as asked.
"""

from __future__ import annotations

import csv
import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

from audit.fixture_web.sites.layout import (
    SITE_CSS,
    Host,
    Post,
    document,
    faq_details,
    faq_headings,
    faq_jsonld,
    link_list,
    logo_svg,
    rss_feed,
    social_list,
)

#: Segments of the generated market (the CSV's ``segment`` column), in the order companies cycle them.
SEGMENTS = ("accounting", "payroll", "invoicing", "expenses")

#: Profiles and how often each is drawn.
PROFILE_WEIGHTS = {"leader": 0.15, "in-between": 0.35, "broadcaster": 0.2, "laggard": 0.3}

#: Per profile, the chance that a company has each channel.
ODDS: dict[str, dict[str, float]] = {
    "leader": {
        "faq": 1.0,
        "faq_rich": 0.9,
        "blog": 0.95,
        "newsletter": 0.9,
        "contact": 1.0,
        "social": 1.0,
        "chat": 0.8,
        "help": 0.9,
        "community": 0.7,
        "privacy": 1.0,
        "security_txt": 0.7,
        "functions": 0.85,
    },
    "in-between": {
        "faq": 0.8,
        "faq_rich": 0.4,
        "blog": 0.6,
        "newsletter": 0.5,
        "contact": 0.95,
        "social": 0.7,
        "chat": 0.4,
        "help": 0.4,
        "community": 0.15,
        "privacy": 0.8,
        "security_txt": 0.2,
        "functions": 0.4,
    },
    "broadcaster": {
        "faq": 0.3,
        "faq_rich": 0.2,
        "blog": 1.0,
        "newsletter": 0.9,
        "contact": 0.6,
        "social": 1.0,
        "chat": 0.1,
        "help": 0.1,
        "community": 0.0,
        "privacy": 0.7,
        "security_txt": 0.1,
        "functions": 0.5,
    },
    "laggard": {
        "faq": 0.35,
        "faq_rich": 0.0,
        "blog": 0.1,
        "newsletter": 0.05,
        "contact": 0.7,
        "social": 0.15,
        "chat": 0.0,
        "help": 0.0,
        "community": 0.0,
        "privacy": 0.3,
        "security_txt": 0.0,
        "functions": 0.05,
    },
}

#: Latency (ms) drawn per profile before scaling: leaders answer fast, laggards slowly.
LATENCY_MS = {"leader": (40, 120), "in-between": (80, 250), "broadcaster": (60, 200), "laggard": (200, 600)}

_FIRST = (
    "Brisk", "Cedar", "Harbor", "Juniper", "Maple", "Nimbus", "Orbit", "Pine", "Quartz", "Ridge",
    "Summit", "Tidal", "Umber", "Vale", "Willow", "Zephyr", "Amber", "Birch", "Cobalt", "Delta",
)  # fmt: skip
_SECOND = (
    "Ledger", "Books", "Pay", "Tally", "Sums", "Counts", "Figures", "Balance", "Accounts", "Invoice",
    "Receipts", "Cash", "Numbers", "Journal", "Audit", "Fiscal",
)  # fmt: skip
_SOCIAL = (
    ("x", "https://x.com/{h}", "X"),
    ("linkedin", "https://www.linkedin.com/company/{h}/", "LinkedIn"),
    ("facebook", "https://www.facebook.com/{h}", "Facebook"),
    ("instagram", "https://www.instagram.com/{h}/", "Instagram"),
)
_FUNCTIONS = (
    ("careers", "Careers"),
    ("press", "Press"),
    ("partners", "Partners"),
    ("changelog", "Changelog"),
)
_QUESTIONS = (
    ("Is there a free trial?", "Yes, every plan starts with a 14-day free trial and no card is needed."),
    ("Can my accountant log in?", "Invite your accountant for free; they get their own login."),
    ("Which banks can I connect?", "Most banks in the US, Canada and the UK, plus CSV and OFX imports."),
    ("Can I cancel at any time?", "Plans are month to month; you keep read-only access for a year."),
    ("Is my data secure?", "Data is encrypted in transit and at rest, and two-factor sign-in is available."),
    ("Do you have a mobile app?", "Yes, for iOS and Android: snap receipts and send invoices on the go."),
    ("How do I import my old books?", "Our import assistant reads exports from the common tools."),
    ("What support do you offer?", "Email support on every plan, with replies within one business day."),
)


@dataclass(frozen=True)
class GeneratedCompany:
    """One generated company: display name, home URL, host, segment, profile and base latency."""

    name: str
    url: str
    host: str
    segment: str
    profile: str
    latency_ms: int
    channels: tuple[str, ...] = ()  # the channels drawn for it (the keys of ``ODDS``)
    hosts: tuple[str, ...] = ()  # every host it serves (its help center and community included)


@dataclass
class GeneratedMarket:
    """A generated market written under ``directory`` (serve it with ``FixtureWeb(directory)``)."""

    seed: int
    directory: Path
    companies: list[GeneratedCompany] = field(default_factory=list)

    @property
    def csv_path(self) -> Path:
        """``companies.csv``: the columns ``engage scan`` reads (name, url, segment)."""
        return self.directory / "companies.csv"

    def apply_latency(self, web: Any, scale: float = 1.0) -> None:
        """Inject each company's latency (times ``scale``; 0 for none) on every host it serves."""
        for company in self.companies:
            for served in company.hosts:
                web.set_latency(served, company.latency_ms * scale)


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _draw_profile(rng: random.Random) -> str:
    return rng.choices(list(PROFILE_WEIGHTS), weights=list(PROFILE_WEIGHTS.values()))[0]


def _company_sites(c: GeneratedCompany, rng: random.Random, today: date) -> list[Host]:
    """The hosts of one company, their pages written from the channels drawn for it."""
    site = Host(c.host, scheme="http")
    has = set(c.channels)
    handle = c.host.split(".")[0]
    nav = [("/", "Home"), ("/pricing", "Pricing")]
    if "blog" in has:
        nav.append(("/blog/", "Blog"))
    if "faq" in has:
        nav.append(("/faq", "FAQ"))
    if "contact" in has:
        nav.append(("/contact", "Contact"))
    if "help" in has:
        nav.append((f"http://help.{c.host}/", "Help Center"))
    if "community" in has:
        nav.append((f"http://community.{c.host}/", "Community"))
    socials = rng.sample(_SOCIAL, k=rng.randint(2, 4)) if "social" in has else []
    footer_links = [("/about", "About")] + ([("/privacy", "Privacy policy")] if "privacy" in has else [])
    functions = rng.sample(_FUNCTIONS, k=rng.randint(1, len(_FUNCTIONS))) if "functions" in has else []
    footer_links += [(f"/{slug}", title) for slug, title in functions]
    head = (
        f'<link rel="alternate" type="application/rss+xml" title="{escape(c.name)} blog" '
        'href="/blog/feed.xml">\n'
        if "blog" in has
        else ""
    )
    newsletter = (
        '<form class="newsletter" action="/subscribe" method="post"><label>Get our newsletter '
        '<input type="email" name="email" placeholder="you@example.com"></label>'
        '<button type="submit">Subscribe</button></form>'
        if "newsletter" in has
        else ""
    )
    chat = (
        f'<script src="https://widget.intercom.io/widget/{handle[:8]}" async></script>'
        if "chat" in has
        else ""
    )
    social_html = (
        f'<div class="social"><p>Follow us</p><ul>\n'
        f"{social_list([(p, url.format(h=handle), label) for p, url, label in socials], c.name)}\n</ul></div>"
        if socials
        else ""
    )

    def page(path: str, title: str, main: str, day: date, extra_head: str = "") -> None:
        logo = f'<img src="/assets/logo.svg" alt="{escape(c.name)}" width="40" height="40">'
        body = f"""<header><a href="/" class="brand">{logo}</a>
<nav><ul>
{link_list(nav)}
</ul></nav></header>
<main>
{main}
</main>
<footer><div class="cols"><ul>{link_list(footer_links)}</ul>{social_html}</div>
{newsletter}
<p>© {today.year} {escape(c.name)} Inc.</p></footer>
{chat}"""
        full = f"{title} | {c.name}" if path != "/" else f"{c.name} — {c.segment} software"
        site.add(
            path,
            document(full, f"{c.name}: {c.segment} software for small businesses.", body, head + extra_head),
            day,
        )

    day = today - timedelta(days=rng.randint(5, 400))
    page(
        "/",
        c.name,
        f"<h1>{escape(c.name)}</h1><p>{c.segment.capitalize()} software for small teams.</p>",
        day,
    )
    page("/about", "About", f"<h1>About {escape(c.name)}</h1><p>A team of {rng.randint(3, 90)}.</p>", day)
    page("/pricing", "Pricing", f"<h1>Pricing</h1><p>From ${rng.randint(5, 60)} a month.</p>", day)
    for slug, title in functions:
        page(f"/{slug}", title, f"<h1>{title}</h1><p>{title} at {escape(c.name)}.</p>", day)
    if "privacy" in has:
        page("/privacy", "Privacy policy", "<h1>Privacy policy</h1><p>We never sell your data.</p>", day)
    if "faq" in has:
        pairs = rng.sample(_QUESTIONS, k=rng.randint(3, len(_QUESTIONS)))
        if "faq_rich" in has:
            page(
                "/faq",
                "Frequently asked questions",
                f"<h1>FAQ</h1>\n{faq_details(pairs)}",
                day,
                faq_jsonld(pairs),
            )
        else:
            page("/faq", "FAQ", f"<h1>FAQ</h1>\n{faq_headings(pairs)}", day)
    if "contact" in has:
        page(
            "/contact",
            "Contact",
            f'<h1>Contact us</h1><p>Email <a href="mailto:support@{c.host}">support@{c.host}</a>; '
            "we reply within one business day.</p>",
            day,
        )
    if "blog" in has:
        every = rng.choice((3, 7, 14, 45))
        posts = [
            Post(
                f"post-{i + 1}",
                f"{c.name} update {i + 1}",
                today - timedelta(days=1 + every * i),
                f"What is new at {c.name}, part {i + 1}.",
                [f"News from {escape(c.name)}."],
            )
            for i in range(rng.randint(3, 8))
        ]
        for p in posts:
            page(
                f"/blog/{p.slug}", p.title, f"<article><h1>{p.title}</h1><p>{p.body[0]}</p></article>", p.day
            )
        page(
            "/blog/",
            "Blog",
            "<h1>Blog</h1><ul>" + link_list((f"/blog/{p.slug}", p.title) for p in posts) + "</ul>",
            posts[0].day,
        )
        site.files["blog/feed.xml"] = rss_feed(
            f"{c.name} blog", f"http://{c.host}/", f"http://{c.host}/blog/feed.xml", f"{c.name} news", posts
        )
    site.files["assets/site.css"] = f":root{{--brand:#{rng.randrange(0x1000000):06x}}}\n{SITE_CSS}"
    site.files["assets/logo.svg"] = logo_svg(c.name[0], "#333")
    if "security_txt" in has:
        site.files[".well-known/security.txt"] = (
            f"Contact: mailto:security@{c.host}\nExpires: {today.year + 1}-12-31T00:00:00Z\n"
        )
    site.finish()
    hosts = [site]
    if "help" in has:
        help_host = Host(f"help.{c.host}", scheme="http")
        articles = [
            ("getting-started", "Getting started"),
            ("billing", "Billing"),
            ("import", "Importing data"),
        ]
        for slug, title in articles:
            help_host.add(
                f"/articles/{slug}",
                document(
                    f"{title} – {c.name} Help Center",
                    title,
                    f"<h1>{title}</h1><p>How to {title.lower()}.</p>",
                ),
                day,
            )
        help_host.add(
            "/",
            document(
                f"{c.name} Help Center",
                f"Knowledge base for {c.name}",
                f"<h1>{escape(c.name)} Help Center</h1>"
                f'<p><a href="http://{c.host}/">Back to {escape(c.name)}</a></p>'
                f"<ul>{link_list((f'/articles/{s}', t) for s, t in articles)}</ul>",
            ),
            day,
        )
        help_host.finish()
        hosts.append(help_host)
    if "community" in has:
        forum = Host(f"community.{c.host}", scheme="http")
        forum.add(
            "/",
            document(
                f"{c.name} Community",
                f"Ask questions and share ideas with other {c.name} users",
                f'<h1>{escape(c.name)} Community</h1><p><a href="http://{c.host}/">{escape(c.name)}</a></p>'
                "<p>Ask questions, share ideas and meet other users.</p>",
            ),
            day,
        )
        forum.finish()
        hosts.append(forum)
    return hosts


def generate_market(n: int, seed: int = 0, directory: Path | str | None = None) -> GeneratedMarket:
    """Write a market of ``n`` companies under ``directory`` (replacing its ``sites/``), from ``seed``.

    Without ``directory`` the market is described but nothing is written (``directory`` is then ``.``).
    """
    if n < 1:
        raise ValueError(f"a market needs at least one company, not {n}")
    rng = random.Random(f"engage-market-{seed}")
    today = date(2026, 11, 30)  # fixed: the same seed gives the same files whatever the day
    companies: list[GeneratedCompany] = []
    sites: list[Host] = []
    for i in range(n):
        name = f"{rng.choice(_FIRST)} {rng.choice(_SECOND)}"
        if any(c.name == name for c in companies):
            name = f"{name} {i + 1}"
        host = f"{_slug(name)}-{i + 1}.test"
        profile = _draw_profile(rng)
        odds = ODDS[profile]
        channels = tuple(k for k, p in odds.items() if rng.random() < p)
        if "faq" not in channels:
            channels = tuple(k for k in channels if k != "faq_rich")
        low, high = LATENCY_MS[profile]
        draft = GeneratedCompany(
            name=name,
            url=f"http://{host}/",
            host=host,
            segment=SEGMENTS[i % len(SEGMENTS)],
            profile=profile,
            latency_ms=rng.randint(low, high),
            channels=channels,
        )
        hosts = _company_sites(draft, rng, today)
        sites += hosts
        companies.append(GeneratedCompany(**{**draft.__dict__, "hosts": tuple(h.name for h in hosts)}))
    market = GeneratedMarket(seed=seed, directory=Path(directory) if directory is not None else Path("."))
    market.companies = companies
    if directory is not None:
        _write(market, sites)
    return market


def _write(market: GeneratedMarket, sites: list[Host]) -> None:
    root = market.directory
    shutil.rmtree(root / "sites", ignore_errors=True)
    for host in sites:
        base = root / "sites" / host.name
        for rel, text in host.files.items():
            path = base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (base / "_headers.toml").write_text("[tls]\nhttps = false\n", encoding="utf-8")
    _copy_apis(root)
    lines = [
        f"# Generated by engage (seed {market.seed}): {len(market.companies)} companies.",
        "[market]",
        f'name = "Generated market (seed {market.seed})"',
        'industry = "small-business finance software"',
        f'client = "{market.companies[0].host}"',
        "",
    ]
    for i, c in enumerate(market.companies):
        role = "client" if i == 0 else "competitor"
        lines += ["[[companies]]", f'name = "{c.name}"', f'url = "{c.url}"', f'role = "{role}"']
        lines += [f'profile = "{c.profile}"', ""]
    (root / "market.toml").write_text("\n".join(lines), encoding="utf-8")
    with market.csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "url", "segment"])
        for c in market.companies:
            writer.writerow([c.name, c.url, c.segment])


def _copy_apis(root: Path) -> None:
    """The demo market's third-party stand-ins (the chat vendors' loaders, the social APIs)."""
    from audit.fixture_web.server import DEFAULT_MARKET_DIR

    target = root / "apis"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(DEFAULT_MARKET_DIR / "apis", target)

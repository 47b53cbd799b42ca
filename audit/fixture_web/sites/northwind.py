"""Northwind Ledger — the leader."""

# ruff: noqa: E501 - page copy reads better unwrapped
from __future__ import annotations

import json
from datetime import date

from audit.fixture_web import activity
from audit.fixture_web.sites.layout import (
    SITE_CSS,
    Company,
    Host,
    Post,
    document,
    faq_jsonld,
    link_list,
    logo_svg,
    paragraphs,
    rss_feed,
    social_list,
)

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

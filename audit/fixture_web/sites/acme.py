"""Acme Books — the client, in-between."""

# ruff: noqa: E501 - page copy reads better unwrapped
from __future__ import annotations

from datetime import date

from audit.fixture_web.sites.layout import (
    SITE_CSS,
    Company,
    Host,
    Post,
    atom_feed,
    document,
    faq_details,
    link_list,
    logo_svg,
    paragraphs,
    social_list,
)

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

"""Quillpay — in-between: a forum and a help center, few words on social."""

# ruff: noqa: E501 - page copy reads better unwrapped
from __future__ import annotations

from datetime import date

from audit.fixture_web import activity
from audit.fixture_web.sites.layout import (
    SITE_CSS,
    Company,
    Host,
    document,
    link_list,
    logo_svg,
    social_list,
)

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

"""BrightBooks — the broadcaster."""

# ruff: noqa: E501 - page copy reads better unwrapped
from __future__ import annotations

from datetime import date
from html import escape
from urllib.parse import quote

from audit.fixture_web import activity
from audit.fixture_web.sites.layout import (
    SITE_CSS,
    Company,
    Host,
    Post,
    document,
    faq_headings,
    link_list,
    logo_svg,
    paragraphs,
    rss_feed,
    social_list,
)

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

"""TallyBook — the laggard: three pages."""

# ruff: noqa: E501 - page copy reads better unwrapped
from __future__ import annotations

from datetime import date
from typing import Any

from audit.fixture_web.sites.layout import (
    Company,
    Host,
    document,
    faq_headings,
)

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

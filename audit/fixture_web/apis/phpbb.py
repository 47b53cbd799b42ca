"""Quillpay's phpBB forum: topics for the HTML thread pages (``<time datetime>``) and the truth."""

from __future__ import annotations

from typing import Any

from audit.fixture_web.apis.common import at, forum_truth

#: phpBB topics: id, forum id, title, [(author, ISO time, staff?)] — the first post opens it.
QP_TOPICS: list[tuple[int, int, str, list[tuple[str, str, bool]]]] = [
    (121, 2, "Invoice PDF shows the wrong currency symbol", [("mr_ledger", "2026-11-18T09:00:00Z", False)]),
    (
        118,
        2,
        "Bank sync stuck on 'pending' since Monday",
        [("glenn_r", "2026-11-16T09:00:00Z", False), ("QuillpayTeam", "2026-11-17T11:00:00Z", True)],
    ),
    (
        117,
        2,
        "Can I void a paid invoice?",
        [
            ("hana.m", "2026-11-10T15:00:00Z", False),
            ("dave_books", "2026-11-11T08:00:00Z", False),
            ("QuillpayTeam", "2026-11-12T10:00:00Z", True),
        ],
    ),
    (115, 3, "Feature request: Xero import", [("priyanka_s", "2026-10-29T12:00:00Z", False)]),
    (
        112,
        3,
        "Dark mode please!",
        [("mr_ledger", "2026-10-20T18:00:00Z", False), ("hana.m", "2026-10-22T06:00:00Z", False)],
    ),
    (
        108,
        2,
        "Recurring invoice emails not sent",
        [("dave_books", "2026-10-01T10:00:00Z", False), ("QuillpayTeam", "2026-10-04T08:00:00Z", True)],
    ),
]


def quillpay_forum_truth() -> dict[str, Any]:
    """What the community probe must measure on Quillpay's phpBB thread pages."""
    threads = [
        (
            "customer",
            at(posts[0][1]),
            [(staff, at(when)) for user, when, staff in posts[1:] if user != posts[0][0]],
            False,
        )
        for _tid, _fid, _title, posts in QP_TOPICS
    ]
    return forum_truth(threads, False, "html-time")

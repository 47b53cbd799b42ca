"""Northwind's Discourse forum: its threads, the JSON API files (latest, topics, about) and the truth."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from audit.fixture_web.apis.common import at, forum_truth, iso

#: id, slug, title, category, opened (author, ISO time), replies [(user, staff?, hours after opening)],
#: accepted post number (or None), pinned. Staff: maya_nw (moderator), dan_nw (admin), priya_nw (moderator).
NW_THREADS: list[
    tuple[int, str, str, str, tuple[str, str], list[tuple[str, bool, float]], int | None, bool]
] = [
    (
        1842,
        "how-do-i-reconcile-stripe-payouts-with-fees",
        "How do I reconcile Stripe payouts with fees?",
        "support",
        ("jorge_builds", "2026-11-19T14:00:00Z"),
        [("maya_nw", True, 1.0), ("jorge_builds", False, 2.75)],
        2,
        False,
    ),
    (
        1839,
        "multi-currency-bank-feeds-for-eur-accounts",
        "Multi-currency bank feeds for EUR accounts",
        "ideas",
        ("lena.k", "2026-11-17T08:30:00Z"),
        [("dan_nw", True, 2.0), ("oakridge_cpa", False, 4.0)],
        None,
        False,
    ),
    (
        1835,
        "sales-tax-report-doesnt-match-my-state-filing",
        "Sales tax report doesn't match my state filing",
        "support",
        ("bakery_bea", "2026-11-14T19:00:00Z"),
        [("tom_h", False, 1.5), ("maya_nw", True, 6.0)],
        3,
        False,
    ),
    (
        1831,
        "best-way-to-handle-owner-draws",
        "Best way to handle owner draws?",
        "accounting-questions",
        ("sam_woodshop", "2026-11-11T16:00:00Z"),
        [("oakridge_cpa", False, 0.5), ("priya_nw", True, 2.5)],
        3,
        False,
    ),
    (
        1828,
        "recurring-invoices-skipped-a-month",
        "Recurring invoices skipped a month",
        "support",
        ("kwame.designs", "2026-11-08T10:00:00Z"),
        [("maya_nw", True, 0.5)],
        2,
        False,
    ),
    (
        1824,
        "month-end-close-checklist-share-yours",
        "Month-end close checklist — share yours",
        "accounting-questions",
        ("oakridge_cpa", "2026-11-04T13:00:00Z"),
        [("lena.k", False, 2.0), ("bakery_bea", False, 19.0), ("priya_nw", True, 26.0)],
        None,
        False,
    ),
    (
        1819,
        "bank-feed-disconnected-after-password-change",
        "Bank feed disconnected after password change",
        "support",
        ("glenn_r", "2026-10-28T09:00:00Z"),
        [("maya_nw", True, 3.0)],
        2,
        False,
    ),
    (
        1815,
        "invoice-emails-going-to-spam",
        "Invoice emails going to spam",
        "support",
        ("hana.m", "2026-10-21T11:00:00Z"),
        [("dan_nw", True, 1.5)],
        2,
        False,
    ),
    (
        1811,
        "depreciation-schedule-for-a-delivery-van",
        "Depreciation schedule for a delivery van",
        "accounting-questions",
        ("sam_woodshop", "2026-10-13T15:00:00Z"),
        [("oakridge_cpa", False, 4.0), ("priya_nw", True, 10.0)],
        None,
        False,
    ),
    (
        1806,
        "export-the-general-ledger-to-csv",
        "Export the general ledger to CSV",
        "support",
        ("tom_h", "2026-10-02T08:00:00Z"),
        [("maya_nw", True, 4.0)],
        None,
        False,
    ),
    (
        1802,
        "dark-mode-for-the-mobile-app",
        "Dark mode for the mobile app",
        "ideas",
        ("kwame.designs", "2026-09-22T12:00:00Z"),
        [("dan_nw", True, 2.0)],
        None,
        False,
    ),
    (
        1797,
        "how-do-you-track-tips-for-staff",
        "How do you track tips for staff?",
        "accounting-questions",
        ("bakery_bea", "2026-09-05T18:00:00Z"),
        [("lena.k", False, 5.0)],
        None,
        False,
    ),
    (
        1790,
        "release-notes-september-2026",
        "Release notes: September 2026",
        "ideas",
        ("maya_nw", "2026-09-01T09:00:00Z"),
        [("jorge_builds", False, 3.0)],
        None,
        False,
    ),
    (
        1650,
        "getting-ready-for-the-2026-tax-season",
        "Getting ready for the 2026 tax season",
        "accounting-questions",
        ("oakridge_cpa", "2026-05-10T10:00:00Z"),
        [("priya_nw", True, 1.0)],
        None,
        False,
    ),
    (
        1001,
        "welcome-to-the-northwind-community",
        "Welcome to the Northwind Community",
        "support",
        ("dan_nw", "2025-01-10T09:00:00Z"),
        [],
        None,
        True,
    ),
]
NW_STAFF = {"maya_nw": "moderator", "dan_nw": "admin", "priya_nw": "moderator"}
NW_CATEGORY_IDS = {"support": 2, "accounting-questions": 3, "ideas": 5}
NW_PAGE_SIZE = 6  # topics per latest.json page (Discourse uses 30; small here so paging is exercised)


def nw_html_topics() -> list[tuple[int, str, str, str, list[tuple[str, bool, str]]]]:
    """The six newest threads in the shape of ``build.NW_TOPICS`` (the forum's HTML pages)."""
    out = []
    for tid, slug, title, cat, (author, opened), replies, _solved, _pinned in NW_THREADS[:6]:
        posts = [(author, author in NW_STAFF, opened)]
        posts += [(user, staff, iso(at(opened, h))) for user, staff, h in replies]
        out.append((tid, slug, title, cat, posts))
    return out


def _posts(thread: tuple[Any, ...]) -> list[tuple[str, datetime]]:
    _tid, _slug, _title, _cat, (author, opened), replies, _solved, _pinned = thread
    return [(author, at(opened))] + [(user, at(opened, h)) for user, _staff, h in replies]


def _discourse_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _user_ids() -> dict[str, int]:
    names = sorted({u for t in NW_THREADS for u, _ in _posts(t)})
    return {name: 100 + i for i, name in enumerate(names)}


def discourse_files() -> dict[str, str]:
    """``latest.json`` (+ pages), ``t/{id}.json`` and ``about.json`` of community.northwind.test."""
    ids = _user_ids()
    files: dict[str, str] = {}
    by_bump = sorted(NW_THREADS, key=lambda t: (not t[7], -_posts(t)[-1][1].timestamp()))
    pages = [by_bump[i : i + NW_PAGE_SIZE] for i in range(0, len(by_bump), NW_PAGE_SIZE)]
    for n, page in enumerate(pages):
        topic_list: dict[str, Any] = {"can_create_topic": False, "per_page": NW_PAGE_SIZE, "topics": []}
        if n + 1 < len(pages):
            topic_list["more_topics_url"] = f"/latest?page={n + 1}"
        users = sorted({u for t in page for u, _ in _posts(t)})
        for t in page:
            tid, slug, title, cat, (author, opened), replies, solved, pinned = t
            posts = _posts(t)
            topic_list["topics"].append(
                {
                    "id": tid,
                    "title": title,
                    "fancy_title": title,
                    "slug": slug,
                    "posts_count": len(posts),
                    "reply_count": len(replies),
                    "highest_post_number": len(posts),
                    "created_at": _discourse_time(at(opened)),
                    "last_posted_at": _discourse_time(posts[-1][1]),
                    "bumped": True,
                    "bumped_at": _discourse_time(posts[-1][1]),
                    "archetype": "regular",
                    "unseen": False,
                    "pinned": pinned,
                    "unpinned": None,
                    "visible": True,
                    "closed": False,
                    "archived": False,
                    "views": 40 + 7 * len(posts),
                    "like_count": len(replies),
                    "has_summary": False,
                    "last_poster_username": posts[-1][0],
                    "category_id": NW_CATEGORY_IDS[cat],
                    "pinned_globally": pinned,
                    "has_accepted_answer": solved is not None,
                    "posters": [
                        {
                            "extras": None,
                            "description": "Original Poster",
                            "user_id": ids[author],
                            "primary_group_id": None,
                        }
                    ],
                }
            )
        body = {
            "users": [
                {
                    "id": ids[u],
                    "username": u,
                    "name": u,
                    "avatar_template": f"/user_avatar/community.northwind.test/{u}/{{size}}/1_2.png",
                }
                for u in users
            ],
            "primary_groups": [],
            "topic_list": topic_list,
        }
        files["latest.json" if n == 0 else f"latest.json@page={n}"] = json.dumps(body, indent=1) + "\n"
    for t in NW_THREADS:
        files[f"t/{t[0]}.json"] = json.dumps(_topic_json(t, ids), indent=1) + "\n"
    about = {
        "about": {
            "title": "Northwind Community",
            "description": "Ask questions, share ideas, meet other Northwind Ledger customers.",
            "admins": [{"id": ids[u], "username": u} for u, role in NW_STAFF.items() if role == "admin"],
            "moderators": [
                {"id": ids[u], "username": u} for u, role in NW_STAFF.items() if role == "moderator"
            ],
            "stats": {"topic_count": len(NW_THREADS), "post_count": sum(len(_posts(t)) for t in NW_THREADS)},
            "version": "3.3.2",
        }
    }
    files["about.json"] = json.dumps(about, indent=1) + "\n"
    return files


def _topic_json(t: tuple[Any, ...], ids: dict[str, int]) -> dict[str, Any]:
    tid, slug, title, cat, (author, opened), _replies, solved, pinned = t
    posts = []
    for n, (user, when) in enumerate(_posts(t), start=1):
        role = NW_STAFF.get(user)
        posts.append(
            {
                "id": tid * 100 + n,
                "username": user,
                "name": user,
                "user_id": ids[user],
                "created_at": _discourse_time(when),
                "post_number": n,
                "post_type": 1,
                "reply_to_post_number": None if n == 1 else 1,
                "cooked": f"<p>{title}</p>" if n == 1 else "<p>Here is what worked for me.</p>",
                "staff": role is not None,
                "moderator": role == "moderator",
                "admin": role == "admin",
                "user_title": "Northwind Staff" if role else None,
                "accepted_answer": n == solved,
                "can_accept_answer": False,
            }
        )
    body: dict[str, Any] = {
        "post_stream": {"posts": posts, "stream": [p["id"] for p in posts]},
        "id": tid,
        "title": title,
        "fancy_title": title,
        "slug": slug,
        "posts_count": len(posts),
        "created_at": _discourse_time(at(opened)),
        "archetype": "regular",
        "category_id": NW_CATEGORY_IDS[cat],
        "pinned": pinned,
        "details": {"created_by": {"id": ids[author], "username": author}},
    }
    if solved is not None:
        body["accepted_answer"] = {
            "post_number": solved,
            "username": posts[solved - 1]["username"],
            "excerpt": "Here is what worked for me.",
        }
    return body


def northwind_forum_truth() -> dict[str, Any]:
    """What the community probe must measure on Northwind's Discourse."""
    threads = [
        (
            "staff" if author in NW_STAFF else "customer",
            at(opened),
            [(s, at(opened, h)) for u, s, h in replies if u != author],
            accepted is not None,
        )
        for _tid, _slug, _title, _cat, (author, opened), replies, accepted, pinned in NW_THREADS
        if not pinned  # pinned topics are not part of the sample
    ]
    return forum_truth(threads, True, "discourse-api")

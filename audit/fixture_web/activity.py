"""The demo market's activity data: forum threads, social feeds, YouTube uploads and GitHub issues.

``build.py`` turns it into files: the leader's Discourse JSON (``sites/community.northwind.test/*.json``),
Quillpay's phpBB thread pages, and the third-party API hosts under ``apis/<host>/_routes.json`` (Bluesky
AppView, Mastodon, YouTube, GitHub REST) in their documented response shapes. Every timestamp is fixed,
so the truth files' ``activity`` sections state exact medians, p90s, shares and cadences; they are
computed here with ``statistics`` — an implementation independent of the probes that measure them.

Windows end at the newest item of each source (the forum's newest topic, an account's newest post), so
the figures never depend on when a test runs; only ``*_age_days`` metrics are relative to the crawl.
"""

# ruff: noqa: E501 - data rows read better unwrapped
from __future__ import annotations

import json
import math
import statistics
from datetime import datetime, timedelta
from typing import Any

from audit.fixture_web.server import route_key

WINDOW_DAYS = 90

#: API base URLs of the fixture's third-party API hosts (``--api-base NAME=URL``); used by ``engage demo``.
API_BASES: dict[str, str] = {
    "bluesky": "http://bsky.api.test",
    "mastodon": "http://mastodon.api.test",
    "youtube": "http://youtube.api.test",
    "github": "http://github.api.test",
}


def iso(moment: datetime) -> str:
    """``2026-11-19T14:00:00Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def at(text: str, hours: float = 0.0) -> datetime:
    """An ISO time (UTC) plus ``hours``."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")) + timedelta(hours=hours)


def p90(values: list[float]) -> float:
    """Nearest-rank 90th percentile."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(0.9 * len(ordered))) - 1]


# ---------------------------------------------------------------------------------------------------------
# Northwind's Discourse forum
# ---------------------------------------------------------------------------------------------------------

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


def _forum_truth(
    threads: list[tuple[str, datetime, list[tuple[bool, datetime]], bool]], has_solved: bool, method: str
) -> dict[str, Any]:
    """Expected forum metrics. ``threads``: ("staff" | "customer" opener, opened, [(staff?, reply time)], solved?)."""
    anchor = max(opened for _a, opened, _r, _s in threads)
    start = anchor - timedelta(days=WINDOW_DAYS)
    window = [t for t in threads if t[1] >= start]
    customer = [t for t in window if t[0] == "customer"]
    first = [(r[0][1] - t[1]).total_seconds() / 3600 for t in customer if (r := t[2])]
    staff = [
        (min(w for s, w in t[2] if s) - t[1]).total_seconds() / 3600
        for t in customer
        if any(s for s, _ in t[2])
    ]

    def share(hours: float) -> float:
        return round(sum(1 for f in first if f <= hours) / len(customer), 3)

    return {
        "method": method,
        "window_days": WINDOW_DAYS,
        "topics_per_week": round(len(window) / WINDOW_DAYS * 7, 2),
        "topics_sampled": len(customer),
        "first_reply_hours_median": round(statistics.median(first), 2),
        "first_reply_hours_p90": round(p90(first), 2),
        "first_staff_reply_hours_median": round(statistics.median(staff), 2),
        "first_staff_reply_hours_p90": round(p90(staff), 2),
        "answered_24h_share": share(24),
        "answered_72h_share": share(72),
        "solved_share": round(sum(1 for t in customer if t[3]) / len(customer), 3) if has_solved else None,
        "staff_participation_share": round(len(staff) / len(customer), 3),
    }


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
    return _forum_truth(threads, True, "discourse-api")


# ---------------------------------------------------------------------------------------------------------
# Quillpay's phpBB forum (HTML thread pages with <time datetime>)
# ---------------------------------------------------------------------------------------------------------

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
    return _forum_truth(threads, False, "html-time")


# ---------------------------------------------------------------------------------------------------------
# Social accounts: Bluesky, Mastodon, YouTube
# ---------------------------------------------------------------------------------------------------------


def _series(newest: str, step_days: float, count: int) -> list[datetime]:
    return [at(newest) - timedelta(days=step_days * i) for i in range(count)]


#: handle → (did, display name, followers, newest post, days between posts, posts in the window, replies
#: to others at these indexes, a self-reply (thread) index, posts older than the window (days before newest)).
BLUESKY: dict[str, tuple[str, str, int, str, float, int, tuple[int, ...], int | None, tuple[int, ...]]] = {
    "northwind.bsky.social": (
        "did:plc:nwledger4k2m7q",
        "Northwind Ledger",
        4210,
        "2026-11-19T16:00:00Z",
        3.5,
        24,
        tuple(range(1, 24, 2)),
        4,
        (100, 120),
    ),
    "brightbooks.bsky.social": (
        "did:plc:brightbk9x3v1p",
        "BrightBooks",
        380,
        "2026-11-20T12:00:00Z",
        2.0,
        40,
        (),
        None,
        (95,),
    ),
}
BSKY_PAGE = 10
OTHER_DID = "did:plc:customer7h2k9w"


def _bsky_items(handle: str) -> list[dict[str, Any]]:
    did, name, _followers, newest, step, count, replies, self_reply, older = BLUESKY[handle]
    times = _series(newest, step, count) + [at(newest) - timedelta(days=d) for d in older]
    author = {"did": did, "handle": handle, "displayName": name}
    items: list[dict[str, Any]] = []
    for i, when in enumerate(times):
        uri = f"at://{did}/app.bsky.feed.post/3l{i:011d}"
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": f"Post {i} from {name}",
            "createdAt": iso(when),
            "langs": ["en"],
        }
        if i in replies or i == self_reply:
            parent_did = did if i == self_reply else OTHER_DID
            parent = {"uri": f"at://{parent_did}/app.bsky.feed.post/3p{i:011d}", "cid": f"bafyparent{i}"}
            record["reply"] = {"root": parent, "parent": parent}
        post = {
            "uri": uri,
            "cid": f"bafy{i:08d}",
            "author": author,
            "record": record,
            "replyCount": 0,
            "repostCount": 0,
            "likeCount": i % 5,
            "indexedAt": iso(when),
        }
        items.append({"post": post})
        if i == 2:  # a repost of somebody else's post: not the account's own post
            other = {
                "uri": f"at://{OTHER_DID}/app.bsky.feed.post/3r{i:011d}",
                "cid": "bafyrepost",
                "author": {"did": OTHER_DID, "handle": "customer.bsky.social"},
                "record": {
                    "$type": "app.bsky.feed.post",
                    "text": "Love this app",
                    "createdAt": iso(when - timedelta(hours=2)),
                },
                "indexedAt": iso(when - timedelta(hours=2)),
            }
            items.append(
                {
                    "post": other,
                    "reason": {
                        "$type": "app.bsky.feed.defs#reasonRepost",
                        "by": author,
                        "indexedAt": iso(when - timedelta(hours=1)),
                    },
                }
            )
    return items


def _social_truth(
    times: list[datetime], conversation: int, followers: int, window_posts: int
) -> dict[str, Any]:
    newest = max(times)
    in_window = [t for t in times if t >= newest - timedelta(days=WINDOW_DAYS)]
    assert len(in_window) == window_posts
    return {
        "posts_90d": len(in_window),
        "reply_share": round(conversation / len(in_window), 3),
        "followers": followers,
        "last_post_at": iso(newest),
    }


def bluesky_truth(handle: str) -> dict[str, Any]:
    """Expected Bluesky metrics of one account."""
    _did, _name, followers, newest, step, count, replies, _self, older = BLUESKY[handle]
    times = _series(newest, step, count) + [at(newest) - timedelta(days=d) for d in older]
    return _social_truth(times, len(replies), followers, count)


#: acct → (id, followers, newest, days between statuses, statuses in the window, replies to others,
#: self-reply index, older statuses (days before newest)).
MASTODON: dict[str, tuple[str, int, str, float, int, tuple[int, ...], int | None, tuple[int, ...]]] = {
    "northwind@mastodon.social": (
        "110000000000000001",
        1520,
        "2026-11-18T17:00:00Z",
        6.0,
        15,
        (1, 3, 6, 8, 11, 13),
        4,
        (150,),
    ),
    "brightbooks@fosstodon.org": (
        "110000000000000002",
        95,
        "2026-11-21T10:00:00Z",
        4.0,
        20,
        (),
        None,
        (120, 130),
    ),
}
MASTODON_PAGE = 10


def _mastodon_statuses(acct: str) -> list[dict[str, Any]]:
    account_id, followers, newest, step, count, replies, self_reply, older = MASTODON[acct]
    username, domain = acct.split("@")
    account = {
        "id": account_id,
        "username": username,
        "acct": acct,
        "display_name": username.title(),
        "url": f"https://{domain}/@{username}",
        "followers_count": followers,
    }
    times = _series(newest, step, count) + [at(newest) - timedelta(days=d) for d in older]
    out: list[dict[str, Any]] = []
    for i, when in enumerate(times):
        sid = str(int(account_id) * 1000 + 900 - 2 * i)
        reply_to = "200000000000000001" if i in replies else (sid + "1" if i == self_reply else None)
        reply_account = "200000000000000009" if i in replies else (account_id if i == self_reply else None)
        out.append(
            {
                "id": sid,
                "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "in_reply_to_id": reply_to,
                "in_reply_to_account_id": reply_account,
                "visibility": "public",
                "url": f"https://{domain}/@{username}/{sid}",
                "content": f"<p>Status {i}</p>",
                "reblog": None,
                "account": account,
            }
        )
        if i == 3:  # a boost of somebody else's status
            boost_id = str(int(sid) - 1)
            out.append(
                {
                    "id": boost_id,
                    "created_at": (when - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                    "in_reply_to_id": None,
                    "in_reply_to_account_id": None,
                    "visibility": "public",
                    "url": f"https://{domain}/@{username}/{boost_id}",
                    "content": "",
                    "reblog": {"id": "300000000000000001", "content": "<p>Great tips</p>"},
                    "account": account,
                }
            )
    return out


def mastodon_truth(acct: str) -> dict[str, Any]:
    """Expected Mastodon metrics of one account."""
    _id, followers, newest, step, count, replies, _self, older = MASTODON[acct]
    times = _series(newest, step, count) + [at(newest) - timedelta(days=d) for d in older]
    return _social_truth(times, len(replies), followers, count)


#: handle → (channel id, newest upload, days between uploads, uploads in the window, older uploads (days)).
YOUTUBE: dict[str, tuple[str, str, float, int, tuple[int, ...]]] = {
    "@northwindledger": ("UCnwLedger00000000000001", "2026-11-16T15:00:00Z", 14.0, 6, (120, 150, 200)),
    "@brightbooks": ("UCbrightBooks000000000002", "2026-11-12T18:00:00Z", 30.0, 3, (100, 140, 180, 220)),
    "@quillpay": ("UCquillPay00000000000003", "2026-03-01T12:00:00Z", 45.0, 2, ()),
}


YOUTUBE_CHANNEL_CREATED = "2019-05-14T09:00:00+00:00"  # the feed-level <published> of every stand-in channel


def _youtube_times(handle: str) -> list[datetime]:
    _cid, newest, step, count, older = YOUTUBE[handle]
    return _series(newest, step, count) + [at(newest) - timedelta(days=d) for d in older]


def youtube_truth(handle: str) -> dict[str, Any]:
    """Expected YouTube cadence of one channel."""
    times = _youtube_times(handle)
    newest = max(times)
    return {
        "uploads_90d": sum(1 for t in times if t >= newest - timedelta(days=WINDOW_DAYS)),
        "last_upload_at": iso(newest),
    }


def _youtube_feed(handle: str) -> str:
    cid = YOUTUBE[handle][0]
    entries = "".join(
        f"""<entry><id>yt:video:v{handle[1:5]}{i:07d}</id><yt:videoId>v{handle[1:5]}{i:07d}</yt:videoId><yt:channelId>{cid}</yt:channelId>
<title>Video {i}</title><link rel="alternate" href="https://www.youtube.com/watch?v=v{handle[1:5]}{i:07d}"/><author><name>{handle[1:]}</name></author>
<published>{when.strftime("%Y-%m-%dT%H:%M:%S+00:00")}</published><updated>{when.strftime("%Y-%m-%dT%H:%M:%S+00:00")}</updated></entry>
"""
        for i, when in enumerate(_youtube_times(handle))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">\n'
        f'<link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id={cid}"/><id>yt:channel:{cid}</id><yt:channelId>{cid}</yt:channelId><title>{handle[1:]}</title>\n'
        # as a real feed: the channel's own link, author and <published> (its creation date, not an upload)
        f'<link rel="alternate" href="https://www.youtube.com/channel/{cid}"/><author><name>{handle[1:]}</name><uri>https://www.youtube.com/channel/{cid}</uri></author>\n'
        f"<published>{YOUTUBE_CHANNEL_CREATED}</published>\n"
        f"{entries}</feed>\n"
    )


# ---------------------------------------------------------------------------------------------------------
# GitHub: the leader's organisation
# ---------------------------------------------------------------------------------------------------------

GH_ORG = "northwind-ledger"
#: repo → (pushed_at, archived, fork, issues: [(number, author association, opened, [(association, hours)], is PR)])
GH_REPOS: dict[str, tuple[str, bool, bool, list[tuple[int, str, str, list[tuple[str, float]], bool]]]] = {
    "northwind-sdk-python": (
        "2026-11-18T10:00:00Z",
        False,
        False,
        [
            (42, "NONE", "2026-11-17T09:00:00Z", [("MEMBER", 1.0)], True),
            (41, "NONE", "2026-11-15T09:00:00Z", [("MEMBER", 3.0)], False),
            (40, "CONTRIBUTOR", "2026-11-10T12:00:00Z", [("NONE", 1.0), ("MEMBER", 6.0)], False),
            (39, "NONE", "2026-11-02T08:00:00Z", [], False),
            (38, "MEMBER", "2026-10-30T08:00:00Z", [("MEMBER", 0.5)], False),
            (36, "NONE", "2026-10-20T14:00:00Z", [("COLLABORATOR", 12.0)], False),
        ],
    ),
    "northwind-api-docs": (
        "2026-11-10T10:00:00Z",
        False,
        False,
        [
            (12, "NONE", "2026-11-05T10:00:00Z", [("OWNER", 2.0)], False),
            (11, "NONE", "2026-10-25T10:00:00Z", [("CONTRIBUTOR", 5.0)], False),
            (10, "FIRST_TIME_CONTRIBUTOR", "2026-10-11T10:00:00Z", [("MEMBER", 24.0)], False),
        ],
    ),
    "legacy-importer": ("2026-11-19T10:00:00Z", True, False, []),
    "awesome-accounting": ("2026-11-20T10:00:00Z", False, True, []),
}
MAINTAINERS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})


def github_truth() -> dict[str, Any]:
    """Expected GitHub responsiveness of the leader's organisation."""
    replies = []
    sampled = 0
    for _pushed, archived, fork, issues in GH_REPOS.values():
        if archived or fork:
            continue
        for _n, assoc, _opened, comments, is_pr in issues:
            if is_pr or assoc in MAINTAINERS:
                continue
            sampled += 1
            hours = [h for a, h in comments if a in MAINTAINERS]
            if hours:
                replies.append(min(hours))
    return {
        "issues_sampled": sampled,
        "answered_share": round(len(replies) / sampled, 3),
        "first_maintainer_reply_hours_median": round(statistics.median(replies), 2),
    }


def _github_routes() -> dict[str, dict[str, Any]]:
    base = API_BASES["github"]
    routes: dict[str, dict[str, Any]] = {}
    repos = []
    for i, (name, (pushed, archived, fork, issues)) in enumerate(
        sorted(GH_REPOS.items(), key=lambda r: r[1][0], reverse=True)
    ):
        repos.append(
            {
                "id": 7000 + i,
                "name": name,
                "full_name": f"{GH_ORG}/{name}",
                "private": False,
                "fork": fork,
                "archived": archived,
                "has_issues": True,
                "open_issues_count": len(issues),
                "pushed_at": pushed,
                "html_url": f"https://github.com/{GH_ORG}/{name}",
                "url": f"{base}/repos/{GH_ORG}/{name}",
            }
        )
        listing = []
        for n, assoc, opened, comments, is_pr in issues:
            user = "nw-maintainer" if assoc in MAINTAINERS else f"user{n}"
            item: dict[str, Any] = {
                "number": n,
                "title": f"Issue {n}",
                "state": "open",
                "user": {"login": user, "type": "User"},
                "author_association": assoc,
                "created_at": opened,
                "comments": len(comments),
                "html_url": f"https://github.com/{GH_ORG}/{name}/issues/{n}",
            }
            if is_pr:
                item["pull_request"] = {"url": f"{base}/repos/{GH_ORG}/{name}/pulls/{n}"}
            listing.append(item)
            if comments:
                body = [
                    {
                        "id": n * 10 + k,
                        "user": {
                            "login": "nw-maintainer" if a in MAINTAINERS else f"helper{k}",
                            "type": "User",
                        },
                        "author_association": a,
                        "created_at": iso(at(opened, h)),
                        "body": "Thanks for the report.",
                    }
                    for k, (a, h) in enumerate(comments)
                ]
                routes[route_key(f"/repos/{GH_ORG}/{name}/issues/{n}/comments", "per_page=100")] = (
                    _json_route(body)
                )
        routes[
            route_key(f"/repos/{GH_ORG}/{name}/issues", "state=all&sort=created&direction=desc&per_page=30")
        ] = _json_route(listing)
    routes[route_key(f"/orgs/{GH_ORG}/repos", "sort=pushed&per_page=10")] = _json_route(repos)
    return routes


# ---------------------------------------------------------------------------------------------------------
# Routes of the API hosts
# ---------------------------------------------------------------------------------------------------------


def _json_route(data: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "status": 200,
        "content_type": "application/json; charset=utf-8",
        "headers": headers or {},
        "body": json.dumps(data, indent=1),
    }


def _bluesky_routes() -> dict[str, dict[str, Any]]:
    routes: dict[str, dict[str, Any]] = {}
    for handle, (did, name, followers, *_rest) in BLUESKY.items():
        items = _bsky_items(handle)
        own = sum(1 for i in items if "reason" not in i)
        routes[route_key("/xrpc/app.bsky.actor.getProfile", f"actor={handle}")] = _json_route(
            {
                "did": did,
                "handle": handle,
                "displayName": name,
                "followersCount": followers,
                "followsCount": 12,
                "postsCount": own,
                "createdAt": "2023-05-02T10:00:00.000Z",
            }
        )
        for n in range(0, len(items), BSKY_PAGE):
            page: dict[str, Any] = {"feed": items[n : n + BSKY_PAGE]}
            if n + BSKY_PAGE < len(items):
                page["cursor"] = f"c{n + BSKY_PAGE}"
            query = f"actor={handle}&limit=100" + (f"&cursor=c{n}" if n else "")
            routes[route_key("/xrpc/app.bsky.feed.getAuthorFeed", query)] = _json_route(page)
    return routes


def _mastodon_routes() -> dict[str, dict[str, Any]]:
    base = API_BASES["mastodon"]
    routes: dict[str, dict[str, Any]] = {}
    for acct, (account_id, followers, *_rest) in MASTODON.items():
        statuses = _mastodon_statuses(acct)
        username, domain = acct.split("@")
        last = max(s["created_at"] for s in statuses)
        account = {
            "id": account_id,
            "username": username,
            "acct": acct,
            "display_name": username.title(),
            "url": f"https://{domain}/@{username}",
            "followers_count": followers,
            "following_count": 20,
            "statuses_count": len(statuses),
            "last_status_at": last[:10],
        }
        routes[route_key("/api/v1/accounts/lookup", f"acct={acct}")] = _json_route(account)
        for n in range(0, len(statuses), MASTODON_PAGE):
            page = statuses[n : n + MASTODON_PAGE]
            headers = {}
            if n + MASTODON_PAGE < len(statuses):
                headers["Link"] = (
                    f'<{base}/api/v1/accounts/{account_id}/statuses?limit=40&max_id={page[-1]["id"]}>; rel="next"'
                )
            query = "limit=40" + (f"&max_id={statuses[n - 1]['id']}" if n else "")
            routes[route_key(f"/api/v1/accounts/{account_id}/statuses", query)] = _json_route(page, headers)
    return routes


def _youtube_routes() -> dict[str, dict[str, Any]]:
    routes: dict[str, dict[str, Any]] = {}
    for handle, (cid, *_rest) in YOUTUBE.items():
        page = (
            f'<!DOCTYPE html><html><head><title>{handle[1:]} - YouTube</title><link rel="canonical" href="https://www.youtube.com/channel/{cid}">'
            f'<meta itemprop="channelId" content="{cid}"></head><body><div id="channel-header">{handle}</div></body></html>\n'
        )
        routes[route_key(f"/{handle}")] = {
            "status": 200,
            "content_type": "text/html; charset=utf-8",
            "headers": {},
            "body": page,
        }
        routes[route_key("/feeds/videos.xml", f"channel_id={cid}")] = {
            "status": 200,
            "content_type": "application/atom+xml; charset=utf-8",
            "headers": {},
            "body": _youtube_feed(handle),
        }
    return routes


def api_routes() -> dict[str, dict[str, dict[str, Any]]]:
    """Host → routes of every third-party API host of the fixture web."""
    host = {name: base.split("//", 1)[1] for name, base in API_BASES.items()}
    return {
        host["bluesky"]: _bluesky_routes(),
        host["mastodon"]: _mastodon_routes(),
        host["youtube"]: _youtube_routes(),
        host["github"]: _github_routes(),
    }


def api_files() -> dict[str, str]:
    """Generated files under ``apis/`` (``<host>/_routes.json``)."""
    return {
        f"apis/{h}/_routes.json": json.dumps(r, indent=1, sort_keys=True) + "\n"
        for h, r in api_routes().items()
    }


def social_truth(bluesky: str | None, mastodon: str | None, youtube: str | None) -> dict[str, Any]:
    """The ``activity.social`` truth of a company's measurable accounts."""
    out: dict[str, Any] = {}
    if bluesky:
        out["bluesky"] = bluesky_truth(bluesky)
    if mastodon:
        out["mastodon"] = mastodon_truth(mastodon)
    if youtube:
        out["youtube"] = youtube_truth(youtube)
    return out

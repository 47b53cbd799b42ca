"""Mastodon accounts on their instance (``/api/v1/accounts/lookup``, statuses with ``Link`` paging)."""

# ruff: noqa: E501 - data rows read better unwrapped
from __future__ import annotations

from datetime import timedelta
from typing import Any

from audit.fixture_web.apis.common import API_BASES, account_truth, at, json_route, series
from audit.fixture_web.server import route_key

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
    times = series(newest, step, count) + [at(newest) - timedelta(days=d) for d in older]
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
    times = series(newest, step, count) + [at(newest) - timedelta(days=d) for d in older]
    return account_truth(times, len(replies), followers, count)


def routes() -> dict[str, dict[str, Any]]:
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
        routes[route_key("/api/v1/accounts/lookup", f"acct={acct}")] = json_route(account)
        for n in range(0, len(statuses), MASTODON_PAGE):
            page = statuses[n : n + MASTODON_PAGE]
            headers = {}
            if n + MASTODON_PAGE < len(statuses):
                headers["Link"] = (
                    f'<{base}/api/v1/accounts/{account_id}/statuses?limit=40&max_id={page[-1]["id"]}>; rel="next"'
                )
            query = "limit=40" + (f"&max_id={statuses[n - 1]['id']}" if n else "")
            routes[route_key(f"/api/v1/accounts/{account_id}/statuses", query)] = json_route(page, headers)
    return routes

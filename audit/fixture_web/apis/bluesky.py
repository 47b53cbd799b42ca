"""Bluesky accounts through the public AppView (``getProfile``, ``getAuthorFeed`` with cursor paging)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from audit.fixture_web.apis.common import account_truth, at, iso, json_route, series
from audit.fixture_web.server import route_key

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
    times = series(newest, step, count) + [at(newest) - timedelta(days=d) for d in older]
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


def bluesky_truth(handle: str) -> dict[str, Any]:
    """Expected Bluesky metrics of one account."""
    _did, _name, followers, newest, step, count, replies, _self, older = BLUESKY[handle]
    times = series(newest, step, count) + [at(newest) - timedelta(days=d) for d in older]
    return account_truth(times, len(replies), followers, count)


#: acct → (id, followers, newest, days between statuses, statuses in the window, replies to others,


def routes() -> dict[str, dict[str, Any]]:
    routes: dict[str, dict[str, Any]] = {}
    for handle, (did, name, followers, *_rest) in BLUESKY.items():
        items = _bsky_items(handle)
        own = sum(1 for i in items if "reason" not in i)
        routes[route_key("/xrpc/app.bsky.actor.getProfile", f"actor={handle}")] = json_route(
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
            routes[route_key("/xrpc/app.bsky.feed.getAuthorFeed", query)] = json_route(page)
    return routes

"""A Flarum forum market: FlarumCo's site links to its forum, read through Flarum's public JSON:API.

The newest discussions (``/api/discussions?sort=-createdAt&page[limit]=50``) and each discussion with its
posts, users and groups, in Flarum's response shapes. ``write_market(root)`` writes a one-company market
that ``FixtureWeb(root)`` serves; tests/test_flarum.py checks the figures the community probe measures.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from audit.fixture_web.server import route_key

T0 = "2026-06-01T09:00:00+00:00"


def at(hours: float) -> str:
    return (datetime.fromisoformat(T0) + timedelta(hours=hours)).isoformat()


USERS = [
    {
        "type": "users",
        "id": "1",
        "attributes": {"username": "customer"},
        "relationships": {"groups": {"data": []}},
    },
    {
        "type": "users",
        "id": "2",
        "attributes": {"username": "support-sam"},
        "relationships": {"groups": {"data": [{"type": "groups", "id": "4"}]}},
    },
    {
        "type": "users",
        "id": "3",
        "attributes": {"username": "another-customer"},
        "relationships": {"groups": {"data": []}},
    },
    {"type": "groups", "id": "4", "attributes": {"nameSingular": "Mod"}},
]


def discussion(
    did: int, opened_h: float, author: str, posts: list[tuple[str, float]], sticky: bool = False
) -> dict[str, Any]:
    """A Flarum discussion document: its first post by ``author`` and replies (user id, hours after)."""
    post_items = [
        {
            "type": "posts",
            "id": f"{did}0",
            "attributes": {"contentType": "comment", "createdAt": at(opened_h)},
            "relationships": {"user": {"data": {"type": "users", "id": author}}},
        }
    ]
    post_items += [
        {
            "type": "posts",
            "id": f"{did}{n + 1}",
            "attributes": {"contentType": "comment", "createdAt": at(opened_h + h)},
            "relationships": {"user": {"data": {"type": "users", "id": user}}},
        }
        for n, (user, h) in enumerate(posts)
    ]
    head = {
        "type": "discussions",
        "id": str(did),
        "attributes": {"title": f"Discussion {did}", "createdAt": at(opened_h), "isSticky": sticky},
        "relationships": {"user": {"data": {"type": "users", "id": author}}},
    }
    return {"data": head, "included": post_items + USERS}


DISCUSSIONS = [
    discussion(1, 0, "1", [("3", 1), ("2", 2)]),  # first reply 1 h, first staff reply 2 h
    discussion(2, 24, "3", [("2", 5)]),  # staff after 5 h
    discussion(3, 48, "1", []),  # unanswered
    discussion(4, 50, "2", [("1", 1)]),  # opened by staff: not in the customer sample
    discussion(5, -10, "2", [], sticky=True),  # sticky announcement: left out
]


def write_market(root: Path) -> None:
    """FlarumCo's site, its forum and the JSON:API routes under ``root`` (a fixture market)."""
    home = root / "sites" / "flarumco.test"
    forum = root / "sites" / "forum.flarumco.test"
    home.mkdir(parents=True)
    forum.mkdir(parents=True)
    (home / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>FlarumCo</title></head><body><header><nav>'
        '<a href="http://forum.flarumco.test/">Community</a></nav></header><main><h1>FlarumCo</h1></main></body></html>'
    )
    (forum / "index.html").write_text(
        '<!DOCTYPE html><html><head><title>FlarumCo Community</title></head><body><div id="app"></div>'
        '<script id="flarum-json-payload" type="application/json">{"resources":[]}</script></body></html>'
    )
    listing = {"data": [d["data"] for d in DISCUSSIONS], "included": USERS}
    routes = {route_key("/api/discussions", "sort=-createdAt&page[limit]=50"): json_api(listing)}
    for d in DISCUSSIONS:
        routes[route_key(f"/api/discussions/{d['data']['id']}")] = json_api(d)
    (forum / "_routes.json").write_text(json.dumps(routes))
    (root / "market.toml").write_text(
        '[market]\nname = "f"\nindustry = "f"\nclient = "flarumco.test"\n\n[[companies]]\nname = "FlarumCo"\n'
        'url = "http://flarumco.test/"\nrole = "client"\nprofile = "leader"\n'
    )


def json_api(doc: dict[str, Any]) -> dict[str, Any]:
    return {"status": 200, "content_type": "application/vnd.api+json", "headers": {}, "body": json.dumps(doc)}

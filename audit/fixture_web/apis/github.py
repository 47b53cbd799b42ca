"""GitHub REST for the leader's organisation: repositories, their issues and issue comments."""

# ruff: noqa: E501 - data rows read better unwrapped
from __future__ import annotations

import statistics
from typing import Any

from audit.fixture_web.apis.common import API_BASES, at, iso, json_route
from audit.fixture_web.server import route_key

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


def routes() -> dict[str, dict[str, Any]]:
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
                routes[route_key(f"/repos/{GH_ORG}/{name}/issues/{n}/comments", "per_page=100")] = json_route(
                    body
                )
        routes[
            route_key(f"/repos/{GH_ORG}/{name}/issues", "state=all&sort=created&direction=desc&per_page=30")
        ] = json_route(listing)
    routes[route_key(f"/orgs/{GH_ORG}/repos", "sort=pushed&per_page=10")] = json_route(repos)
    return routes

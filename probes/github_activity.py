"""GitHub responsiveness of the owner's organisation: how fast maintainers answer issues.

When the site links a GitHub organisation (social_profiles, platform ``github``): its most recently
pushed public repositories (not archived, not forks; ``max_github_repos``), their latest issues (pull requests
excluded, issues opened by maintainers excluded), and for those with comments the first comment by a
maintainer (``author_association`` OWNER, MEMBER or COLLABORATOR). Anonymous by default — 60 requests
an hour, so the sample is small and a rate limit stops it cleanly; ``GITHUB_TOKEN`` from the environment
is sent when present (by the gather stage; never written to any output).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from audit.models import Evidence, Page, Request, SiteCapture
from probes.activity import answer, api_base, hours, load_json, parse_time, share, stats
from probes.base import safe_urlsplit
from probes.social_activity import own_accounts

NAME = "github_activity"
CHANNELS: tuple[str, ...] = ()
REQUIRES = ("social_profiles",)  # through social_activity.own_accounts

MAINTAINERS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})
METRICS = (
    "github.first_maintainer_reply_hours_median",
    "github.first_maintainer_reply_hours_p90",
    "github.answered_share",
    "github.issues_sampled",
    "github.issues_not_measured",
)


def organisation(capture: SiteCapture) -> str | None:
    """The owner's GitHub organisation (or user) linked from the site, if any."""
    for f in own_accounts(capture):
        if f.attrs.get("platform") == "github":
            name = safe_urlsplit(f.url).path.strip("/").split("/")[0]
            if name:
                return name
    return None


def _base(capture: SiteCapture, org: str) -> str | None:
    """The GitHub API base the gather stage used: that of the answer to the repos request (found by URL
    in a capture recorded before requests had keys)."""
    keyed = capture.response(NAME, _repos_key(org))
    if keyed is not None:
        return keyed.url.split("/orgs/", 1)[0]
    for page in capture.pages:
        if (
            page.found_via == f"api:{NAME}"
            and "/orgs/" in page.url
            and page.url.endswith("/repos?sort=pushed&per_page=10")
        ):
            return page.url.split("/orgs/", 1)[0]
    return None


def _repos_key(org: str) -> str:
    return f"github:repos:{org}"


def _repos(base: str, org: str) -> Request:
    return Request(NAME, _repos_key(org), f"{base}/orgs/{quote(org, safe='')}/repos?sort=pushed&per_page=10")


def _issues(base: str, full_name: str) -> Request:
    url = f"{base}/repos/{full_name}/issues?state=all&sort=created&direction=desc&per_page=30"
    return Request(NAME, f"github:issues:{full_name}", url)


def _comments(base: str, full_name: str, number: int) -> Request:
    url = f"{base}/repos/{full_name}/issues/{number}/comments?per_page=100"
    return Request(NAME, f"github:comments:{full_name}#{number}", url)


def _repo_names(capture: SiteCapture, base: str, org: str) -> tuple[list[str], str | None]:
    page = answer(capture, _repos(base, org))
    if page is None:
        return [], "not fetched"
    data, reason = load_json(page)
    if reason:
        return [], reason
    listed = data if isinstance(data, list) else []
    repos = [
        r
        for r in listed
        if isinstance(r, dict) and not r.get("archived") and not r.get("fork") and r.get("has_issues", True)
    ]
    repos.sort(key=lambda r: str(r.get("pushed_at", "")), reverse=True)
    return [str(r["full_name"]) for r in repos[: capture.limits.max_github_repos] if r.get("full_name")], None


def _customer_issues(data: Any) -> list[dict[str, Any]]:
    """Issues (not pull requests) opened by people other than maintainers."""
    if not isinstance(data, list):
        return []
    return [
        i
        for i in data
        if isinstance(i, dict) and "pull_request" not in i and i.get("author_association") not in MAINTAINERS
    ]


def plan(capture: SiteCapture, api_bases: Mapping[str, str]) -> list[Request]:
    """Repositories, then their issues, then the comments of issues that have any."""
    org = organisation(capture)
    base = api_base(api_bases, "github")
    if org is None or base is None:
        return []
    requests = [_repos(base, org)]
    repos, reason = _repo_names(capture, base, org)
    if reason:
        return requests
    comments: list[Request] = []
    for full_name in repos:
        requests.append(_issues(base, full_name))
        page = answer(capture, _issues(base, full_name))
        data, why = load_json(page) if page is not None else (None, "not fetched")
        if why:
            continue
        comments += [
            _comments(base, full_name, int(i["number"]))
            for i in _customer_issues(data)
            if i.get("comments") and isinstance(i.get("number"), int)
        ]
    return requests + comments[: capture.limits.max_github_comment_requests]


def probe(capture: SiteCapture) -> Evidence:
    """Median and p90 hours to the first maintainer comment, and the share of issues answered."""
    evidence = Evidence(probe=NAME, metrics=dict.fromkeys(METRICS))
    org = organisation(capture)
    if org is None:
        evidence.notes.append("no GitHub organisation linked from the site")
        return evidence
    base = _base(capture, org)
    evidence.tried = [f"GitHub REST API for {org}"]
    if base is None:
        evidence.notes.append(f"GitHub organisation {org}: its API was not fetched")
        return evidence
    repos, reason = _repo_names(capture, base, org)
    if reason:
        evidence.notes.append(f"GitHub organisation {org}: {reason}")
        return evidence
    delays, sampled, failures = [], 0, []
    unmeasured: dict[str, int] = {}
    for full_name in repos:
        page = answer(capture, _issues(base, full_name))
        data, why = load_json(page) if page is not None else (None, "not fetched")
        if why:
            failures.append(f"{full_name}: {why}")
            continue
        for issue in _customer_issues(data):
            delay = _first_maintainer_reply(capture, base, full_name, issue)
            if isinstance(delay, str):  # not measured: counted and shown, never silently dropped
                unmeasured[delay] = unmeasured.get(delay, 0) + 1
                continue
            sampled += 1
            if isinstance(delay, float):
                delays.append(delay)
    evidence.notes += failures
    missing = sum(unmeasured.values())
    median, p90 = stats(delays)
    evidence.metrics.update(
        {
            "github.first_maintainer_reply_hours_median": median,
            "github.first_maintainer_reply_hours_p90": p90,
            "github.answered_share": share(len(delays), sampled),
            "github.issues_sampled": float(sampled),
            "github.issues_not_measured": float(missing),
        }
    )
    if missing:
        why = "; ".join(_unmeasured_words(k, n) for k, n in sorted(unmeasured.items()))
        evidence.explain(
            "github.first_maintainer_reply_hours_median",
            f"first reply measured on {sampled} of {sampled + missing} issues; {why}",
        )
    evidence.notes.insert(0, f"measured from the GitHub REST API: {sampled} issue(s) in {', '.join(repos)}")
    if sampled and not delays:
        evidence.notes.append("no sampled issue got a maintainer reply")
    return evidence


_UNMEASURED = {
    "unreadable": "without a readable number or creation time",
    "not fetched": "comments not fetched (request cap or rate limit)",
    "failed": "comments could not be fetched",
}


def _unmeasured_words(kind: str, n: int) -> str:
    """``2 issues' comments could not be fetched``, ``1 issue without a readable …``."""
    noun = "issue" if n == 1 else "issues"
    if kind == "unreadable":
        return f"{n} {noun} {_UNMEASURED[kind]}"
    mark = "'s" if n == 1 else "'"
    return f"{n} {noun}{mark} {_UNMEASURED[kind]}"


def _first_maintainer_reply(
    capture: SiteCapture, base: str, full_name: str, issue: dict[str, Any]
) -> float | str | None:
    """Hours to the first maintainer comment; None when unanswered; why not, when not measurable."""
    opened = parse_time(issue.get("created_at"))
    if opened is None or not isinstance(issue.get("number"), int):
        return "unreadable"
    if not issue.get("comments"):
        return None
    page: Page | None = answer(capture, _comments(base, full_name, int(issue["number"])))
    if page is None:
        return "not fetched"  # beyond the request cap or the rate limit: not measured rather than guessed
    data, reason = load_json(page)
    if reason or not isinstance(data, list):
        return "failed"
    times = [
        t
        for c in data
        if isinstance(c, dict)
        and c.get("author_association") in MAINTAINERS
        and (t := parse_time(c.get("created_at"))) is not None
    ]
    return hours(min(times) - opened) if times else None

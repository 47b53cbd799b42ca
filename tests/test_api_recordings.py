"""The activity probes on real recorded API answers (issue 15): Discourse, Mastodon, Bluesky, YouTube, GitHub.

The answers in ``tests/fixtures/api/`` were recorded by client libraries' test suites against real
servers (see ``PROVENANCE.csv``; where a case needed for a bug was not in any recording it was built from a
real one by a minimal edit, said there). They are replayed as the gather stage would store them: each
probe's ``plan`` is asked, round after round, what it needs; recorded URLs are answered with the
recording, others are left unfetched (as a spent budget would leave them). No network.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from audit.models import Evidence, Finding, Page, Request, SiteCapture
from probes import github_activity, social_activity
from probes.computed import probe_run
from probes.forums.discourse import discourse_activity, plan_discourse

API = Path(__file__).parent / "fixtures" / "api"
FINISHED = "2026-08-02T00:00:00Z"


def recorded(rel: str) -> str:
    return (API / rel).read_text("utf-8")


def answer(rel: str, status: int = 200, ctype: str = "application/json; charset=utf-8") -> Page:
    return Page(url="", status=status, content_type=ctype, text=recorded(rel) if rel else "")


Planner = Callable[[SiteCapture, Mapping[str, str]], list[Request]]


def replay(
    capture: SiteCapture, plan: Planner, probe: str, answers: Mapping[str, Page], cap: int = 150
) -> list[str]:
    """Fetch what ``plan`` declares in rounds (as ``audit.crawl`` does, keys kept with the answers);
    returns every URL declared."""
    declared: list[str] = []
    for _ in range(10):
        key_of: dict[str, str] = {}
        for request in plan(capture, {}):
            key_of.setdefault(request.url, request.key)
        wanted = [u for u in key_of if u not in declared][: cap - len(declared)]
        if not wanted:
            break
        declared += wanted
        for url in wanted:
            if url in answers:
                page = answers[url]
                capture.pages.append(
                    Page(
                        url=url,
                        status=page.status,
                        content_type=page.content_type,
                        headers=dict(page.headers),
                        text=page.text,
                        found_via=f"api:{probe}",
                        request_key=key_of[url],
                    )
                )
    return declared


def with_profiles(capture: SiteCapture, *profiles: Finding) -> Any:
    """A probe run in which social_profiles found ``profiles`` (the owner's accounts)."""
    run = probe_run(capture, [])
    ctx = run.__enter__()
    ctx.results["social_profiles"] = Evidence(probe="social_profiles", findings=list(profiles))
    return run


def social_capture() -> SiteCapture:
    return SiteCapture(name="recorded", url="https://recorded.example/", finished_at=FINISHED)


# -- Mastodon ---------------------------------------------------------------------------------------------

MASTODON = Finding("social", "https://mastodon.example/@mastodonpy_test", {"platform": "mastodon"})
MASTODON_API = "https://mastodon.example/api/v1/accounts"


def mastodon_evidence(statuses: str) -> Evidence:
    capture = social_capture()
    answers = {
        f"{MASTODON_API}/lookup?acct=mastodonpy_test": answer("mastodon/lookup_mastodonpy_test.json"),
        f"{MASTODON_API}/117020565966271181/statuses?limit=40": answer(statuses),
    }
    run = with_profiles(capture, MASTODON)
    try:
        declared = replay(capture, social_activity.plan, social_activity.NAME, answers)
        assert set(answers) <= set(declared)
        return social_activity.probe(capture)
    finally:
        run.__exit__(None, None, None)


def test_mastodon_recorded_statuses_without_replies() -> None:
    ev = mastodon_evidence("mastodon/statuses_page1.recorded.json")
    assert ev.metrics["social.mastodon.posts_90d"] == 5.0
    assert ev.metrics["social.mastodon.reply_share"] == 0.0
    assert ev.metrics["social.mastodon.followers"] == 0.0


def test_mastodon_reply_whose_parent_is_not_visible_is_a_reply() -> None:
    """``in_reply_to_id: null`` with ``in_reply_to_account_id`` of another account: a reply (was 0.0)."""
    ev = mastodon_evidence("mastodon/statuses_replies_parent_hidden.json")
    assert ev.metrics["social.mastodon.posts_90d"] == 3.0
    assert ev.metrics["social.mastodon.reply_share"] == 0.667
    assert ev.metrics["social.reply_share"] == 0.667


# -- Bluesky ----------------------------------------------------------------------------------------------

BLUESKY = Finding(
    "social",
    "https://bsky.app/profile/chriskenny.bsky.social",
    {"platform": "bluesky", "handle": "chriskenny.bsky.social"},
)
BSKY = "https://public.api.bsky.app/xrpc"
BSKY_RECORDED_AT = "2025-05-19T17:41:26Z"  # when bskyr's cassette recorded the feed


def bluesky_evidence(feed: Page, finished_at: str = BSKY_RECORDED_AT) -> tuple[Evidence, list[str]]:
    capture = SiteCapture(name="recorded", url="https://recorded.example/", finished_at=finished_at)
    actor = "chriskenny.bsky.social"
    answers = {
        f"{BSKY}/app.bsky.actor.getProfile?actor={actor}": answer("bluesky/getProfile_chriskenny.json"),
        f"{BSKY}/app.bsky.feed.getAuthorFeed?actor={actor}&limit=100": feed,
    }
    run = with_profiles(capture, BLUESKY)
    try:
        declared = replay(capture, social_activity.plan, social_activity.NAME, answers)
        return social_activity.probe(capture), declared
    finally:
        run.__exit__(None, None, None)


def test_bluesky_recorded_author_feed() -> None:
    """50 recorded items: 7 reposts (not the account's posts), 43 own posts; the window ends at the newest
    (2025-05-05T01:30) and holds 22 of them, 12 replying to other accounts (a self-reply of 2024-11-30 is
    a thread and out of the window anyway). Counted by hand from the recording."""
    ev, declared = bluesky_evidence(answer("bluesky/getAuthorFeed_chriskenny.recorded.json"))
    # the first page already spans more than the 90-day window: the cursor is not followed
    assert not any("cursor=" in u for u in declared)
    assert ev.metrics["social.bluesky.followers"] == 554.0
    assert ev.metrics["social.bluesky.posts_90d"] == 22.0
    assert ev.metrics["social.bluesky.reply_share"] == 0.545
    assert ev.metrics["social.bluesky.last_post_age_days"] == 14.7  # 2025-05-05T01:30 to the recording
    assert ev.metrics["social.reply_share"] == 0.545
    assert ev.metrics["social.accounts_measured"] == 1.0


def test_bluesky_recorded_feed_split_in_two_pages_follows_the_cursor() -> None:
    """The recording cut after its 12th item (40 days, less than the window): the cursor is followed, the
    second page is read, and the figures are those of the whole recording."""
    feed = json.loads(recorded("bluesky/getAuthorFeed_chriskenny.recorded.json"))
    cursor = feed["feed"][11]["post"]["record"]["createdAt"]  # bsky cursors are the last item's time
    first = {"feed": feed["feed"][:12], "cursor": cursor}
    second = {"feed": feed["feed"][12:], "cursor": feed["cursor"]}
    ctype = "application/json; charset=utf-8"
    capture = SiteCapture(name="recorded", url="https://recorded.example/", finished_at=BSKY_RECORDED_AT)
    base = f"{BSKY}/app.bsky.feed.getAuthorFeed?actor=chriskenny.bsky.social&limit=100"
    answers = {
        f"{BSKY}/app.bsky.actor.getProfile?actor=chriskenny.bsky.social": answer(
            "bluesky/getProfile_chriskenny.json"
        ),
        base: Page(url="", status=200, content_type=ctype, text=json.dumps(first)),
        f"{base}&cursor=2025-03-26T02%3A05%3A30.903Z": Page(
            url="", status=200, content_type=ctype, text=json.dumps(second)
        ),
    }
    run = with_profiles(capture, BLUESKY)
    try:
        declared = replay(capture, social_activity.plan, social_activity.NAME, answers)
        ev = social_activity.probe(capture)
    finally:
        run.__exit__(None, None, None)
    assert cursor == "2025-03-26T02:05:30.903Z"
    assert set(declared) == set(answers)  # the second page's own cursor is not followed: window covered
    assert ev.metrics["social.bluesky.posts_90d"] == 22.0
    assert ev.metrics["social.bluesky.reply_share"] == 0.545


def test_bluesky_recorded_feed_failing_is_not_measured() -> None:
    failed = Page(url="", status=429, content_type="application/json", text='{"error":"RateLimitExceeded"}')
    ev, _ = bluesky_evidence(failed)
    assert ev.metrics["social.bluesky.posts_90d"] is None
    assert ev.metrics["social.accounts_measured"] == 0.0
    assert any("HTTP 429 rate limited" in n for n in ev.notes)


# -- YouTube ----------------------------------------------------------------------------------------------

YOUTUBE = Finding(
    "social", "https://www.youtube.com/channel/UC9PBzalIcEQCsiIkq36PyUA", {"platform": "youtube"}
)


def youtube_evidence(feed: str) -> Evidence:
    capture = social_capture()
    url = "https://www.youtube.com/feeds/videos.xml?channel_id=UC9PBzalIcEQCsiIkq36PyUA"
    run = with_profiles(capture, YOUTUBE)
    try:
        declared = replay(
            capture, social_activity.plan, social_activity.NAME, {url: answer(feed, ctype="text/xml")}
        )
        assert declared == [url]
        return social_activity.probe(capture)
    finally:
        run.__exit__(None, None, None)


def test_youtube_recorded_feed_counts_its_entries() -> None:
    ev = youtube_evidence("youtube/videos_UC9PBzalIcEQCsiIkq36PyUA.xml")
    assert ev.metrics["social.youtube.uploads_90d"] == 3.0
    assert ev.metrics["social.youtube.last_upload_age_days"] == 577.3  # 2025-01-01T16:07:24 to FINISHED


def test_youtube_channel_creation_date_is_not_an_upload() -> None:
    """The feed-level <published> (2008, the channel's creation) is no upload (was uploads_90d 1)."""
    ev = youtube_evidence("youtube/videos_no_uploads.xml")
    assert ev.metrics["social.youtube.uploads_90d"] == 0.0
    assert ev.metrics["social.youtube.last_upload_age_days"] is None
    assert "social.youtube: no posts at all" in " ".join(ev.notes)


# -- Discourse --------------------------------------------------------------------------------------------

FORUM = "https://meta.discourse.example/"


def discourse_answers(topic: str) -> dict[str, Page]:
    return {
        f"{FORUM}latest.json": answer("discourse/latest.json"),
        f"{FORUM}t/57.json": answer(topic),
        f"{FORUM}t/57/posts.json?post_ids[]=86&post_ids[]=226": answer("discourse/t_57_posts_86_226.json"),
    }


def forum(answers: Mapping[str, Page], cap: int = 150) -> tuple[dict[str, float | None], list[str]]:
    capture = SiteCapture(name="forum", url=FORUM, finished_at=FINISHED)
    declared = replay(capture, lambda c, _b: plan_discourse(c, FORUM), "community", answers, cap)
    return discourse_activity(capture, FORUM).metrics, declared


def test_discourse_recorded_topic_whole_in_one_answer() -> None:
    """All 4 posts in /t/57.json (stream = posts): no further request; the opener is staff, not sampled."""
    metrics, declared = forum(discourse_answers("discourse/t_57.recorded.json"))
    assert not any("posts.json" in u for u in declared)
    assert metrics["community.topics_sampled"] == 0.0


def test_discourse_reads_posts_beyond_the_first_chunk() -> None:
    """Posts 3 and 14 are only in post_stream.stream: asked by id, the staff reply is found (was None)."""
    metrics, declared = forum(discourse_answers("discourse/t_57.json"))
    assert f"{FORUM}t/57/posts.json?post_ids[]=86&post_ids[]=226" in declared
    assert metrics["community.topics_sampled"] == 1.0
    assert metrics["community.first_reply_hours_median"] == 0.04  # stienman, 2 min 28 s after the opener
    assert metrics["community.first_staff_reply_hours_median"] == 0.04
    assert metrics["community.staff_participation_share"] == 1.0
    assert metrics["community.answered_24h_share"] == 1.0


def test_discourse_later_posts_respect_the_request_cap() -> None:
    """With the budget spent before the later posts, the topic is measured on what was read."""
    metrics, declared = forum(discourse_answers("discourse/t_57.json"), cap=4)
    assert not any("posts.json" in u for u in declared)
    assert metrics["community.topics_sampled"] == 1.0
    assert metrics["community.first_staff_reply_hours_median"] is None


# -- GitHub -----------------------------------------------------------------------------------------------

GITHUB = Finding("social", "https://github.com/octokit-fixture-org", {"platform": "github"})
GH = "https://api.github.com"


def github_evidence(comments: Mapping[int, Page]) -> Evidence:
    capture = social_capture()
    repo = json.loads(recorded("github/repo_hello_world.recorded.json"))
    repos = Page(url="", status=200, content_type="application/json", text=json.dumps([repo]))
    issues = f"{GH}/repos/octokit-fixture-org/hello-world/issues?state=all&sort=created&direction=desc"
    answers = {
        f"{GH}/orgs/octokit-fixture-org/repos?sort=pushed&per_page=10": repos,
        f"{issues}&per_page=30": answer("github/issues_customers.json"),
    }
    for number, page in comments.items():
        answers[f"{GH}/repos/octokit-fixture-org/hello-world/issues/{number}/comments?per_page=100"] = page
    run = with_profiles(capture, GITHUB)
    try:
        replay(capture, github_activity.plan, github_activity.NAME, answers)
        return github_activity.probe(capture)
    finally:
        run.__exit__(None, None, None)


def test_github_issues_whose_comments_failed_are_counted_as_not_measured() -> None:
    """Issues 13 and 12 have comments that answer HTTP 502: 11 of 13 measured, 2 shown (were dropped)."""
    failed = Page(url="", status=502, content_type="text/plain", text="bad gateway")
    ev = github_evidence({13: failed, 12: failed})
    assert ev.metrics["github.issues_sampled"] == 11.0
    assert ev.metrics["github.answered_share"] == 0.0
    assert ev.metrics["github.issues_not_measured"] == 2.0
    assert (
        "github.first_maintainer_reply_hours_median: first reply measured on 11 of 13 issues; "
        "2 issues' comments could not be fetched"
    ) in ev.notes


def test_github_comments_never_fetched_are_counted_too() -> None:
    ev = github_evidence({})  # the comment lists were declared but never answered (budget, rate limit)
    assert ev.metrics["github.issues_sampled"] == 11.0
    assert ev.metrics["github.issues_not_measured"] == 2.0
    assert any("2 issues' comments not fetched" in n for n in ev.notes)


# -- provenance -------------------------------------------------------------------------------------------


def test_every_recording_has_its_provenance() -> None:
    """Each answer file names its source repository, path, commit and a permissive licence."""
    rows = list(csv.DictReader((API / "PROVENANCE.csv").open(encoding="utf-8")))
    files = sorted(
        str(p.relative_to(API)) for p in API.rglob("*") if p.is_file() and p.name != "PROVENANCE.csv"
    )
    assert sorted(r["file"] for r in rows) == files
    for row in rows:
        assert re.fullmatch(r"[0-9a-f]{40}", row["source_commit"]), row["file"]
        assert row["licence"] in {"MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause"}, row["file"]
        assert row["source_repo"].count("/") == 1 and row["source_path"] and row["edit"], row["file"]

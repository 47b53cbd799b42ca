"""Activity and responsiveness (issue 6): forum, social and GitHub metrics against the truth files."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from audit.clock import SYSTEM_CLOCK, Clock, VirtualClock
from audit.fixture_web import FixtureWeb, load_truth
from audit.fixture_web.activity import API_BASES
from audit.fixture_web.build import CHAT_STANDINS, build_apis
from audit.fixture_web.server import DEFAULT_MARKET_DIR, Fault
from audit.models import Evidence, SiteCapture
from audit.runner import Target, _reason, gather
from audit.settings import load_settings
from probes import community, github_activity, reply_promise, run_probes, social_activity
from probes.activity import fetched
from probes.forums.discourse import next_list_url, posts_url

FORUM = "https://community.northwind.test/"


def crawl(
    web: FixtureWeb, tmp: Path, *urls: str, clock: Clock = SYSTEM_CLOCK, **overrides: Any
) -> list[SiteCapture]:
    """Gather ``urls`` through the fixture web (no rendering), API clients pointed at its API hosts."""
    settings = load_settings(
        proxy=web.proxy_url, render="never", api_bases=dict(API_BASES), **{"max_pages": 60, **overrides}
    )
    targets = [Target(u, "competitor") for u in urls]
    captures, _ = gather(targets, settings, tmp / "capture.warc.gz", clock=clock)
    return captures


@pytest.fixture(scope="module")
def market(fixture_web: FixtureWeb, tmp_path_factory: pytest.TempPathFactory) -> dict[str, SiteCapture]:
    tmp = tmp_path_factory.mktemp("activity")
    urls = (
        "http://northwind.test/",
        "http://brightbooks.test/",
        "http://quillpay.test/",
        "http://acme.test/",
    )
    return {c.url.split("//")[1].strip("/"): c for c in crawl(fixture_web, tmp, *urls)}


@pytest.fixture()
def faults(fixture_web: FixtureWeb) -> Iterator[FixtureWeb]:
    fixture_web.clear_faults()
    try:
        yield fixture_web
    finally:
        fixture_web.clear_faults()


def forum_metrics(truth: dict[str, Any]) -> dict[str, float | None]:
    skip = {"method"}
    return {f"community.{k}": (None if v is None else float(v)) for k, v in truth.items() if k not in skip}


def age(finished_at: str, newest: str) -> float:
    end = datetime.fromisoformat(finished_at.replace("Z", "+00:00"))
    start = datetime.fromisoformat(newest.replace("Z", "+00:00"))
    return round((end - start).total_seconds() / 86400, 1)


# -- truth ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["northwind.test", "quillpay.test"])
def test_forum_metrics_equal_truth(market: dict[str, SiteCapture], host: str) -> None:
    truth = load_truth(host)["activity"]["forum"]
    ev = community.probe(market[host])
    measured = {k: v for k, v in ev.metrics.items() if k != "community.channels"}
    assert measured == forum_metrics(truth)
    forum = next(f for f in ev.findings if f.attrs.get("activity_method"))
    assert forum.attrs["activity_method"] == truth["method"]


def test_discourse_paging_reads_every_list_page_and_only_window_topics(
    market: dict[str, SiteCapture],
) -> None:
    api = [p.url for p in market["northwind.test"].pages if p.found_via == "api:community"]
    assert [u for u in api if "latest.json" in u] == [
        f"{FORUM}latest.json",
        f"{FORUM}latest.json?page=1",
        f"{FORUM}latest.json?page=2",
    ]
    topics = {u.rsplit("/", 1)[1] for u in api if "/t/" in u}
    assert "1650.json" not in topics and "1001.json" not in topics  # older than the window; pinned
    assert len(topics) == 13
    assert next_list_url(FORUM, "/latest?no_definitions=true&page=3") == (
        f"{FORUM}latest.json?no_definitions=true&page=3"
    )


@pytest.mark.parametrize("host", ["northwind.test", "brightbooks.test", "quillpay.test"])
def test_social_metrics_equal_truth(market: dict[str, SiteCapture], host: str) -> None:
    capture = market[host]
    ev = social_activity.probe(capture)
    truth = load_truth(host)["activity"]["social"]
    for platform, expected in truth.items():
        key = f"social.{platform}"
        if platform == "youtube":
            assert ev.metrics[f"{key}.uploads_90d"] == expected["uploads_90d"]
            assert ev.metrics[f"{key}.last_upload_age_days"] == age(
                capture.finished_at, expected["last_upload_at"]
            )
            continue
        assert ev.metrics[f"{key}.posts_90d"] == expected["posts_90d"]
        assert ev.metrics[f"{key}.reply_share"] == expected["reply_share"]
        assert ev.metrics[f"{key}.followers"] == expected["followers"]
        assert ev.metrics[f"{key}.last_post_age_days"] == age(capture.finished_at, expected["last_post_at"])


def test_platforms_without_public_api_are_presence_only(market: dict[str, SiteCapture]) -> None:
    ev = social_activity.probe(market["brightbooks.test"])
    for platform in ("x", "facebook", "instagram", "linkedin", "tiktok"):
        assert ev.metrics[f"social.{platform}.posts_90d"] is None
        assert "not measurable without credentials" in _reason(ev, f"social.{platform}.posts_90d")
    assert ev.metrics["social.reply_share"] == 0.0  # broadcast: 60 posts, no replies


def test_github_metrics_equal_truth(market: dict[str, SiteCapture]) -> None:
    ev = github_activity.probe(market["northwind.test"])
    truth = load_truth("northwind.test")["activity"]["github"]
    for key, value in truth.items():
        assert ev.metrics[f"github.{key}"] == value
    assert github_activity.probe(market["acme.test"]).metrics["github.issues_sampled"] is None


def test_promise_kept_compares_stated_and_measured(market: dict[str, SiteCapture]) -> None:
    kept = "responsiveness.promise_kept"
    measured = "responsiveness.measured_reply_hours"
    assert reply_promise.probe(market["northwind.test"]).metrics == {kept: 1.0, measured: 2.5}
    quill = reply_promise.probe(market["quillpay.test"])  # 24 h promised, 43 h measured
    assert quill.metrics[kept] == 0.0 and quill.metrics[measured] is not None and quill.metrics[measured] > 24
    assert "not kept" in quill.notes[0]
    acme = reply_promise.probe(market["acme.test"])  # a promise, nothing measured
    assert acme.metrics[kept] is None and acme.metrics.get(measured) is None
    assert "no reply time" in acme.notes[0]


def test_no_forum_is_null_with_the_reason(market: dict[str, SiteCapture]) -> None:
    ev = community.probe(market["acme.test"])
    assert ev.metrics["community.first_reply_hours_median"] is None
    assert "no forum" in _reason(ev, "community.first_reply_hours_median")


# -- faults -----------------------------------------------------------------------------------------------


def forum_evidence(
    web: FixtureWeb, tmp: Path, clock: Clock = SYSTEM_CLOCK, **overrides: Any
) -> tuple[Evidence, SiteCapture]:
    capture = crawl(web, tmp, FORUM, clock=clock, max_pages=4, **overrides)[0]
    return community.probe(capture), capture


def test_rate_limit_with_retry_after_is_waited_out(faults: FixtureWeb, tmp_path: Path) -> None:
    faults.add_fault(
        "community.northwind.test", "/latest.json", Fault(429, b"{}", headers={"Retry-After": "1"}, times=1)
    )
    clock = VirtualClock()
    ev, _ = forum_evidence(faults, tmp_path, clock)
    assert ev.metrics["community.first_staff_reply_hours_median"] == 2.5
    assert 1.0 in clock.sleeps  # the Retry-After was waited out (on the virtual clock) before the retry
    with gzip.open(tmp_path / "capture.warc.gz", "rb") as fh:
        warc = fh.read()
    assert b"HTTP/1.1 429" in warc and b"Retry-After: 1" in warc


def test_persistent_rate_limit_is_null_with_reason(faults: FixtureWeb, tmp_path: Path) -> None:
    faults.add_fault(
        "community.northwind.test", "/latest.json", Fault(429, b"{}", headers={"Retry-After": "1"})
    )
    ev, _ = forum_evidence(faults, tmp_path, retries=0)
    assert ev.metrics["community.topics_per_week"] is None
    assert "HTTP 429 rate limited (Retry-After 1)" in _reason(ev, "community.topics_per_week")


def test_login_required_forum_is_not_public(faults: FixtureWeb, tmp_path: Path) -> None:
    body = b'{"errors":["You need to be logged in to do that."],"error_type":"not_logged_in"}'
    faults.add_fault("community.northwind.test", "/latest.json", Fault(403, body))
    ev, _ = forum_evidence(faults, tmp_path)
    assert all(v is None for k, v in ev.metrics.items() if k != "community.channels")
    assert "login required (not public)" in ev.notes[0]


def test_empty_forum_has_zero_topics_and_no_reply_times(faults: FixtureWeb, tmp_path: Path) -> None:
    empty = (
        b'{"users":[],"primary_groups":[],"topic_list":{"can_create_topic":false,"per_page":30,"topics":[]}}'
    )
    faults.add_fault("community.northwind.test", "/latest.json", Fault(200, empty))
    ev, _ = forum_evidence(faults, tmp_path)
    assert ev.metrics["community.topics_per_week"] == 0.0
    assert ev.metrics["community.topics_sampled"] == 0.0
    assert ev.metrics["community.first_reply_hours_median"] is None
    assert "no topics" in ev.notes[0]


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (Fault(200, b'{"topic_list": {"topics": [', "application/json"), "malformed JSON"),
        (Fault(200, b"<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html"), "not JSON"),
        (Fault(502, b"bad gateway", "text/plain"), "HTTP 502"),
    ],
)
def test_malformed_answers_are_null_with_reason(
    faults: FixtureWeb, tmp_path: Path, fault: Fault, reason: str
) -> None:
    faults.add_fault("community.northwind.test", "/latest.json", fault)
    ev, _ = forum_evidence(faults, tmp_path, retries=0)
    assert ev.metrics["community.first_reply_hours_median"] is None
    assert reason in ev.notes[0]


def test_one_failing_topic_is_skipped_and_counted(faults: FixtureWeb, tmp_path: Path) -> None:
    faults.add_fault("community.northwind.test", "/t/1842.json", Fault(500, b"oops", "text/plain"))
    ev, _ = forum_evidence(faults, tmp_path, retries=0)
    assert ev.metrics["community.topics_sampled"] == 11.0
    assert "topics skipped: 1 failed" in ev.notes


def test_garbage_social_api_is_null_with_reason(faults: FixtureWeb, tmp_path: Path) -> None:
    faults.add_fault(
        "bsky.api.test", "/xrpc/app.bsky.actor.getProfile", Fault(200, b"<html>nope</html>", "text/html")
    )
    capture = crawl(faults, tmp_path, "http://brightbooks.test/", max_pages=20)[0]
    ev = social_activity.probe(capture)
    assert ev.metrics["social.bluesky.posts_90d"] is None
    assert "not JSON" in _reason(ev, "social.bluesky.posts_90d")
    assert ev.metrics["social.mastodon.posts_90d"] == 20.0  # the other account is unaffected


# -- fixture web ------------------------------------------------------------------------------------------


def test_api_hosts_match_the_builder(fixture_web: FixtureWeb) -> None:
    for rel, text in build_apis().items():
        assert (DEFAULT_MARKET_DIR / rel).read_text("utf-8") == text, rel
    stand_ins = set(CHAT_STANDINS)  # the chat vendors' loaders, served beside the APIs
    assert fixture_web.api_hosts == sorted({h.split("//")[1] for h in API_BASES.values()} | stand_ins)


def test_routes_match_whatever_the_query_order(fixture_web: FixtureWeb) -> None:
    proxies = {"http": fixture_web.proxy_url}
    url = "http://bsky.api.test/xrpc/app.bsky.feed.getAuthorFeed?limit=100&actor=northwind.bsky.social"
    response = requests.get(url, proxies=proxies, timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    assert response.json()["cursor"] == "c10"
    missing = requests.get("http://bsky.api.test/xrpc/nope", proxies=proxies, timeout=10)
    assert missing.status_code == 404


def test_reasons_are_attributed_per_metric() -> None:
    ev = Evidence(probe="social_activity", notes=["general"])
    ev.explain("social.x.posts_90d", "no API")
    ev.explain("social.bluesky", "HTTP 500")
    assert ev.notes == ["general", "social.x.posts_90d: no API", "social.bluesky: HTTP 500"]
    assert ev.reasons == {"social.x.posts_90d": "no API", "social.bluesky": "HTTP 500"}
    assert _reason(ev, "social.x.posts_90d") == "general; no API"
    assert _reason(ev, "social.bluesky.followers") == "general; HTTP 500"
    assert _reason(ev, "social.reply_share") == "general"
    assert json.dumps(_reason(Evidence(probe="p"), "a.b")) == '""'


def test_a_note_that_only_looks_like_a_reason_is_a_general_note() -> None:
    """Reasons are what the probe declared, not whatever a note's text starts with."""
    ev = Evidence(probe="p", notes=["site.example: a general remark"])
    ev.explain("p.metric", "why")
    assert _reason(ev, "p.other") == "site.example: a general remark"
    assert _reason(ev, "p.metric") == "site.example: a general remark; why"


def test_every_reason_note_of_the_market_is_declared(market: dict[str, SiteCapture]) -> None:
    """A probe note headed by a metric id (``metric: why``) is one it declared with ``explain``."""
    head = re.compile(r"^([a-z_]+(?:\.[a-z0-9_]+)+): ")
    for capture in market.values():
        for ev in run_probes(capture):
            for note in ev.notes:
                if (found := head.match(note)) is not None:
                    assert found.group(1) in ev.reasons, (ev.probe, note)


def test_discourse_later_posts_are_fetched_by_id_through_the_gather_stage(
    faults: FixtureWeb, tmp_path: Path
) -> None:
    """A topic answering with only its first posts (the real recording's shape): the rest asked by id."""
    api = Path(__file__).parent / "fixtures" / "api" / "discourse"
    chunk, later = (api / "t_57.json").read_bytes(), (api / "t_57_posts_86_226.json").read_bytes()
    faults.add_fault("community.northwind.test", "/t/1842.json", Fault(200, chunk))
    faults.add_fault("community.northwind.test", "/t/1842/posts.json", Fault(200, later))
    _, capture = forum_evidence(faults, tmp_path)
    page = fetched(capture, posts_url(FORUM, 1842, [86, 226]))
    assert page is not None and page.ok and page.found_via == "api:community"


def test_declared_requests_are_keyed_in_the_capture_and_the_warc(
    fixture_web: FixtureWeb, tmp_path: Path
) -> None:
    """Each API answer carries its request's key (also as a WARC header); a capture recorded before keys
    existed (an older WARC) is read by URL and gives the same evidence."""
    from dataclasses import replace

    from warcio.archiveiterator import ArchiveIterator

    from audit.warc import REQUEST_KEY_HEADER, read_capture

    (capture,) = crawl(fixture_web, tmp_path, "http://northwind.test/")
    api = [p for p in capture.pages if p.found_via.startswith("api:")]
    assert api and all(p.request_key for p in api)
    assert capture.response("community", "discourse:latest") is not None
    with (tmp_path / "capture.warc.gz").open("rb") as fh:
        headers = {
            r.rec_headers.get_header("WARC-Target-URI"): r.rec_headers.get_header(REQUEST_KEY_HEADER)
            for r in ArchiveIterator(fh)
            if r.rec_type == "response"
        }
    assert all(headers[p.final_url or p.url] == p.request_key for p in api if p.status is not None)
    (replayed,), _ = read_capture(tmp_path / "capture.warc.gz")
    assert {p.url: p.request_key for p in replayed.pages} == {p.url: p.request_key for p in capture.pages}

    older = replace(capture, pages=[replace(p, request_key="") for p in capture.pages])
    probes = (community, social_activity, github_activity)
    with_keys = {e.probe: e for e in run_probes(capture) if e.probe in {m.NAME for m in probes}}
    without = {e.probe: e for e in run_probes(older) if e.probe in {m.NAME for m in probes}}
    assert with_keys == without
    assert with_keys["community"].metrics["community.topics_sampled"]
    social = with_keys["social_activity"].metrics
    assert social["social.bluesky.posts_90d"] and social["social.mastodon.posts_90d"]
    assert social["social.youtube.uploads_90d"]
    assert with_keys["github_activity"].metrics["github.issues_sampled"]


def test_a_warc_record_header_gives_a_page_its_key(tmp_path: Path) -> None:
    """A capture record whose pages lack keys (written by another tool) takes them from the responses."""
    from audit.fetch import Exchange
    from audit.models import Page as CapturedPage
    from audit.warc import WarcRecorder, read_capture

    url = "https://api.test/latest.json"
    recorder = WarcRecorder(tmp_path / "capture.warc.gz")
    recorder(Exchange(url, {}, 200, "OK", [("Content-Type", "application/json")], b"{}", "", "https://a.test/",
                      request_key="discourse:latest"))  # fmt: skip
    page = CapturedPage(url=url, final_url=url, status=200, found_via="api:community")
    recorder.write_captures([SiteCapture(name="A", url="https://a.test/", pages=[page])], {})
    recorder.close()
    (capture,), _ = read_capture(tmp_path / "capture.warc.gz")
    assert capture.response("community", "discourse:latest") is not None
    assert capture.pages[0].text == "{}"


def test_the_activity_limits_are_settings_kept_with_the_capture(
    fixture_web: FixtureWeb, tmp_path: Path
) -> None:
    """A narrower window and fewer topics (settings) are planned and measured with; a replay reads them
    from the capture, and a capture recorded before they were kept reads with the defaults."""
    from dataclasses import fields

    from audit.models import ActivityLimits
    from audit.settings import Settings
    from audit.warc import read_capture

    defaults = Settings()
    assert ActivityLimits() == ActivityLimits(
        **{f.name: getattr(defaults, f.name) for f in fields(ActivityLimits)}
    )
    assert SiteCapture.from_dict({"name": "a", "url": "https://a.test/"}).limits == ActivityLimits()
    (capture,) = crawl(
        fixture_web, tmp_path, "http://northwind.test/", activity_window_days=30, max_forum_topics=3
    )
    assert capture.limits.activity_window_days == 30 and capture.limits.max_forum_topics == 3
    topics = [p for p in capture.pages if p.request_key.startswith("discourse:topic:")]
    assert 1 <= len(topics) <= 3
    (replayed,), _ = read_capture(tmp_path / "capture.warc.gz")
    assert replayed.limits == capture.limits
    forum = community.probe(replayed).metrics
    assert forum["community.window_days"] == 30.0 and (forum["community.topics_sampled"] or 0) <= 3
    assert "social.bluesky.posts_90d" in social_activity.probe(replayed).metrics  # the name keeps the default

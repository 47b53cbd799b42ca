"""The forum engine and social platform registries (``probes/forums``, ``probes/social``)."""

from __future__ import annotations

from probes.fingerprints import table
from probes.forum_activity import METRICS
from probes.forums import ENGINES, engine_for


def test_every_forum_engine_reads_a_known_platform_and_declares_its_metrics() -> None:
    platforms = {p.id for p in table("community_platforms")}
    ids = [e.platform for e in ENGINES]
    assert len(set(ids)) == len(ids)
    assert all(e.platform in platforms for e in ENGINES if e.platform)
    assert all(e.metrics == METRICS and e.method for e in ENGINES)
    assert [e.platform for e in ENGINES if e.plan is not None] == ["discourse", "flarum"]


def test_a_forum_without_an_engine_of_its_own_is_read_from_its_thread_pages() -> None:
    assert engine_for("discourse").method == "discourse-api"
    assert engine_for("flarum").method == "flarum-api"
    assert engine_for("phpbb") is engine_for("unknown") is ENGINES[-1]
    assert ENGINES[-1].method == "html-time" and ENGINES[-1].plan is None


def test_every_social_platform_declares_its_metrics_and_functions() -> None:
    from probes.social import PLATFORMS
    from probes.social_profiles import platforms

    known = {p.id for p in platforms()}
    assert set(PLATFORMS) == {"bluesky", "mastodon", "youtube"} and set(PLATFORMS) <= known
    for pid, platform in PLATFORMS.items():
        assert platform.id == pid and callable(platform.plan) and callable(platform.measure)
        assert platform.metrics[0].endswith("_90d") and platform.metrics[1].endswith("_age_days")
        assert ("reply_share" in platform.metrics) is platform.conversation
    assert [p for p, e in PLATFORMS.items() if e.conversation] == ["bluesky", "mastodon"]

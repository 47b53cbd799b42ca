"""The fixture web's third-party APIs, one module per API, in their documented response shapes.

Every timestamp is fixed, so the truth files' ``activity`` sections state exact medians, p90s, shares and
cadences (``common``: computed with ``statistics``, independently of the probes). ``build.py`` turns the
data into files: the leader's Discourse JSON (``discourse``), Quillpay's phpBB thread pages (``phpbb``),
and the API hosts under ``apis/<host>/_routes.json`` (``bluesky``, ``mastodon``, ``youtube``,
``github``); ``flarum`` is a small Flarum forum market of its own (tests/test_flarum.py).
"""

from __future__ import annotations

import json
from typing import Any

from audit.fixture_web.apis import bluesky, github, mastodon, youtube
from audit.fixture_web.apis.bluesky import bluesky_truth
from audit.fixture_web.apis.common import API_BASES
from audit.fixture_web.apis.mastodon import mastodon_truth
from audit.fixture_web.apis.youtube import youtube_truth

__all__ = ["API_BASES", "api_files", "api_routes", "social_truth"]


def api_routes() -> dict[str, dict[str, dict[str, Any]]]:
    """Host → routes of every third-party API host of the fixture web."""
    host = {name: base.split("//", 1)[1] for name, base in API_BASES.items()}
    return {
        host["bluesky"]: bluesky.routes(),
        host["mastodon"]: mastodon.routes(),
        host["youtube"]: youtube.routes(),
        host["github"]: github.routes(),
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

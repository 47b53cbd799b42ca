"""The demo market's activity data, as ``build.py`` reads it; the data lives in ``apis/`` (one module per
API: Discourse, phpBB, Bluesky, Mastodon, YouTube, GitHub, Flarum). This module keeps the names
``build.py`` and the tests have always imported from here."""

from __future__ import annotations

from audit.fixture_web.apis import api_files, api_routes, social_truth
from audit.fixture_web.apis.common import API_BASES, WINDOW_DAYS, at, iso, p90
from audit.fixture_web.apis.discourse import discourse_files, northwind_forum_truth, nw_html_topics
from audit.fixture_web.apis.github import github_truth
from audit.fixture_web.apis.phpbb import QP_TOPICS, quillpay_forum_truth

__all__ = [
    "API_BASES",
    "QP_TOPICS",
    "WINDOW_DAYS",
    "api_files",
    "api_routes",
    "at",
    "discourse_files",
    "github_truth",
    "iso",
    "northwind_forum_truth",
    "nw_html_topics",
    "p90",
    "quillpay_forum_truth",
    "social_truth",
]

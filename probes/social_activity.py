"""Social activity of the owner's accounts: Bluesky, Mastodon and YouTube through their public APIs.

For each official account the social_profiles probe finds: followers, posts in the window, the share of
posts that are replies to *other* accounts (conversation rather than broadcast; reposts/boosts and
replies to oneself — threads — are not conversation), and the age of the newest post. Platforms with no
public API (X, Facebook, Instagram, LinkedIn, TikTok, …) are presence only: their activity is reported as
not measurable without credentials, never guessed. See ``activity`` for how windows are anchored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from audit.models import Evidence, Finding, Request, SiteCapture, explain
from probes import social_profiles
from probes.activity import age_days, in_window, share
from probes.computed import required
from probes.social import PLATFORMS
from probes.social.common import NAME, Account, Platform

CHANNELS: tuple[str, ...] = ()
REQUIRES = (social_profiles.NAME,)

ELSEWHERE = ("github",)  # measured by the github_activity probe
__all__ = ["NAME", "own_accounts", "plan", "probe"]


def own_accounts(capture: SiteCapture) -> list[Finding]:
    """The owner's social profiles (as the social_profiles probe finds them), sorted by URL."""
    return [f for f in required(capture, social_profiles.NAME).findings if f.channel == "social"]


def plan(capture: SiteCapture, api_bases: Mapping[str, str]) -> list[Request]:
    """The requests of every account on a measurable platform (profile, feed page after page)."""
    return [
        r
        for f in own_accounts(capture)
        if (p := _platform(f)) is not None
        for r in p.plan(capture, api_bases, f)
    ]


def _platform(f: Finding) -> Platform | None:
    return PLATFORMS.get(str(f.attrs.get("platform")))


def probe(capture: SiteCapture) -> Evidence:
    """Followers, posts in the window, reply share and last-post age of each measurable account."""
    metrics: dict[str, float | None] = {}
    notes: list[str] = []
    reasons: dict[str, str] = {}
    # the planner's api_bases are not in the capture: find each account's answers by what was fetched
    accounts = [p.measure(capture, f) for f in own_accounts(capture) if (p := _platform(f)) is not None]
    seen: set[str] = set()
    for f in own_accounts(capture):
        platform = re.sub(r"[^a-z0-9_]", "_", str(f.attrs.get("platform", "")).lower())
        if platform in PLATFORMS or platform in ELSEWHERE or platform in seen or not platform:
            continue
        seen.add(platform)
        metrics[f"social.{platform}.posts_90d"] = None
        explain(
            notes,
            reasons,
            f"social.{platform}.posts_90d",
            f"activity not measurable without credentials ({platform} has no public API); presence only "
            f"({f.url})",
        )
    for account in accounts:
        metrics.update(_account_metrics(account, capture, notes, reasons))
    conversing = [a for a in accounts if PLATFORMS[a.platform].conversation and a.reason is None]
    days = capture.limits.activity_window_days
    posts = sum(len(in_window(a.times, days)) for a in conversing)
    metrics["social.reply_share"] = share(sum(a.replies for a in conversing), posts)
    metrics["social.accounts_measured"] = float(sum(1 for a in accounts if a.reason is None))
    if not any(PLATFORMS[a.platform].conversation for a in accounts):
        explain(notes, reasons, "social.reply_share", "no Bluesky or Mastodon account linked from the site")
    elif not conversing:
        explain(notes, reasons, "social.reply_share", "no Bluesky or Mastodon account could be read")
    elif not posts:
        explain(notes, reasons, "social.reply_share", "no posts in the window")
    return Evidence(
        probe=NAME,
        metrics=dict(sorted(metrics.items())),
        tried=[f"public APIs of {len(accounts)} account(s)", *(a.url for a in accounts)],
        notes=notes,
        reasons=reasons,
    )


def _account_metrics(
    account: Account, capture: SiteCapture, notes: list[str], reasons: dict[str, str]
) -> dict[str, float | None]:
    key = f"social.{account.platform}"
    platform = PLATFORMS[account.platform]
    names = platform.metrics
    if account.reason is not None:
        explain(notes, reasons, key, account.reason)
        return {f"{key}.{n}": None for n in names}
    window = in_window(account.times, capture.limits.activity_window_days)
    out: dict[str, float | None] = {
        f"{key}.{names[0]}": float(len(window)),
        f"{key}.{names[1]}": age_days(capture.finished_at, max(account.times) if account.times else None),
    }
    if platform.conversation:
        out[f"{key}.reply_share"] = share(account.replies, len(window))
        out[f"{key}.followers"] = account.followers
    if not account.times:
        explain(notes, reasons, key, f"no posts at all ({account.url})")
    return out

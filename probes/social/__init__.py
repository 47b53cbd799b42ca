"""Social platforms with a public API: one module each, in ``PLATFORMS``; ``probes/social_activity.py``
measures each official account through its platform's entry.

Adding a platform: a module here with its requests (``plan``), its measurement (``measure``) and
``PLATFORM = Platform(id, metrics, conversation, plan, measure)``, one row in ``PLATFORMS``, one test.
"""

from __future__ import annotations

from probes.social import bluesky, mastodon, youtube
from probes.social.common import Platform

#: The measurable platforms by id (the social_profiles platform ids).
PLATFORMS: dict[str, Platform] = {p.id: p for p in (bluesky.PLATFORM, mastodon.PLATFORM, youtube.PLATFORM)}

"""Forum engines: one module each, in ``ENGINES``; ``probes/community.py`` asks the one its forum runs.

Adding an engine: a module here with its requests (``plan``), its measurement (``measure``) and
``ENGINE = Engine(platform id, method, measure, plan)``, one row in ``ENGINES``, one test.
"""

from __future__ import annotations

from probes.forum_activity import Engine
from probes.forums import discourse, flarum, html_threads

#: The engines in the order their forums are preferred (API engines first); the last reads any forum.
ENGINES: tuple[Engine, ...] = (discourse.ENGINE, flarum.ENGINE, html_threads.ENGINE)


def engine_for(platform: str) -> Engine:
    """The engine that measures a forum of ``platform`` (the HTML thread pages when none has its own)."""
    return next((e for e in ENGINES if e.platform == platform), ENGINES[-1])

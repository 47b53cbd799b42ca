"""Stated vs measured responsiveness: is the published reply-time promise kept where customers ask?

The fastest promise the contact probe finds ("we reply within 4 business hours" → 4 h) is compared with
the measured median time to the first staff reply on the company's forum, or, without a forum, to the
first maintainer reply on GitHub. Kept when the median is within the promise (clock hours: a
business-hours promise is held to the same number of clock hours, which favours no one in a forum that
answers around the clock). Nothing is judged when either side is missing.
"""

from __future__ import annotations

from audit.models import Evidence, SiteCapture
from probes import community, contact, github_activity
from probes.computed import required

NAME = "reply_promise"
CHANNELS: tuple[str, ...] = ()
REQUIRES = (contact.NAME, community.NAME, github_activity.NAME)
METRIC = "responsiveness.promise_kept"
#: The measured median the promise was held to (so the report shows the number the verdict used).
MEASURED = "responsiveness.measured_reply_hours"


def probe(capture: SiteCapture) -> Evidence:
    """``responsiveness.promise_kept``: 1 when the measured median meets the promise, 0 when not; the
    median compared is ``responsiveness.measured_reply_hours``, and the note says where it was measured."""
    promised = required(capture, contact.NAME).metrics.get("contact.promised_reply_hours")
    measured, source = _measured(capture)
    evidence = Evidence(
        probe=NAME,
        metrics={METRIC: None, MEASURED: measured},
        tried=["contact promises vs forum/GitHub replies"],
    )
    if promised is None:
        evidence.explain(METRIC, "no published reply-time promise to check")
        return evidence
    if measured is None:
        evidence.explain(METRIC, f"promise of {promised:g} h found, but no reply time was measured")
        return evidence
    kept = measured <= promised
    evidence.metrics[METRIC] = 1.0 if kept else 0.0
    verdict = "kept" if kept else "not kept"
    evidence.explain(METRIC, f"{verdict} — promised {promised:g} h; {source}, median {measured:g} h")
    return evidence


def _measured(capture: SiteCapture) -> tuple[float | None, str]:
    forum = required(capture, community.NAME).metrics.get("community.first_staff_reply_hours_median")
    if forum is not None:
        return forum, "forum first staff reply"
    github = required(capture, github_activity.NAME).metrics.get("github.first_maintainer_reply_hours_median")
    return github, "GitHub first maintainer reply"

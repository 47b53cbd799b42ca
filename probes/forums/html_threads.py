"""Other forums (phpBB, Vanilla, XenForo, …), best effort: the crawled thread pages whose posts carry
``<time datetime>`` and an author."""

from __future__ import annotations

import re

from bs4 import Tag

from audit.models import SiteCapture
from probes.activity import parse_time
from probes.base import ParsedPage, attr_text, tag_text
from probes.forum_activity import Engine, ForumActivity, Thread, thread_metrics, unmeasured

ID = "html_threads"
METHOD = "html-time"

#: What marks a post block (the selector ``div.post, article.message, li.Item, [itemprop=comment],
#: .crawler-post``): phpBB/vBulletin, XenForo, Vanilla, schema.org comments, Discourse's crawler view.
_POST_CLASSES = {"div": "post", "article": "message", "li": "Item"}


def _is_post(tag: Tag) -> bool:
    classes = tag.get("class") or ()
    own = _POST_CLASSES.get(tag.name)
    if own is not None and own in classes:
        return True
    return "crawler-post" in classes or tag.get("itemprop") == "comment"


_AUTHOR_SELECTORS = (
    ".username, .username-coloured, [itemprop=author] [itemprop=name], .message-name, .Username"
)
_STAFF_WORDS = re.compile(r"\b(?:staff|team|admin(?:istrator)?|moderator|employee)\b", re.IGNORECASE)


def html_thread(pp: ParsedPage) -> Thread | None:
    """A ``Thread`` from one forum thread page whose posts carry ``<time datetime>`` and an author."""
    posts = []
    for block in pp.index.all_tags():
        if not _is_post(block):
            continue
        time_tag = block.find("time", attrs={"datetime": True})
        author = block.select_one(_AUTHOR_SELECTORS)
        when = parse_time(attr_text(time_tag, "datetime")) if isinstance(time_tag, Tag) else None
        if when is None or author is None:
            continue
        header = author.parent if isinstance(author.parent, Tag) else author
        staff = "username-coloured" in attr_text(author, "class") or bool(
            _STAFF_WORDS.search(tag_text(header))
        )
        posts.append((when, tag_text(author).lower(), staff))
    if not posts:
        return None
    opened, opener, staff_opened = posts[0]
    replies = [(w, s) for w, name, s in posts[1:] if name != opener]
    return Thread(opened, staff_opened, replies, None)


def html_activity(capture: SiteCapture, pages: list[ParsedPage], root: str) -> ForumActivity:
    """Forum metrics from the crawled thread pages of a forum at ``root`` (best effort)."""
    method = METHOD
    threads = [t for pp in pages if (t := html_thread(pp)) is not None]
    if not threads:
        return unmeasured(f"forum {root}: no thread page with machine-readable times was crawled", method)
    anchor = max(t.opened for t in threads)
    days = capture.limits.activity_window_days
    window = [t for t in threads if t.opened >= anchor - days * 86400]
    result = thread_metrics(window, len(window), float(days), capture.finished_at, method)
    result.notes[0] += f" ({len(threads)} thread page(s) crawled)"
    return result


def measure(capture: SiteCapture, root: str, pages: list[ParsedPage]) -> ForumActivity:
    """The forum's activity from the crawled pages under ``root``."""
    return html_activity(capture, [pp for pp in pages if pp.url.startswith(root)], root)


ENGINE = Engine("", METHOD, measure)

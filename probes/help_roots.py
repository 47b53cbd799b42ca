"""Where a help center starts, read from a URL alone: shared by the help-center probe and the community
probe (a help site's forums are its help center's)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

from probes.base import safe_urlsplit, words

#: host labels of a dedicated help site that are not help words in a path (``/docs/`` is often a product)
_HELP_HOSTS = frozenset({"service", "faq", "faqs"})
_SITE_SECTIONS = frozenset({"about", "info", "service", "services", "company", "pages", "site", "corporate"})


def help_root(url: str) -> str | None:
    """The help center's root for a link, or ``None`` when nothing in the URL names help/support/FAQ.

    A dedicated host (``help.``, ``support.``, ``faq.`` …) is its own root; otherwise the path up to and
    including the first segment naming help (``/gp/help/…`` → ``/gp/help/``, ``/services-faq/`` kept whole),
    a file name (``faq.html``) not included.
    """
    return _help_root(url)


@lru_cache(maxsize=65536)
def _help_root(url: str) -> str | None:
    parts = safe_urlsplit(url)
    netloc = parts.netloc.lower()
    if not netloc:
        return None
    base = f"{parts.scheme}://{netloc}/"
    label = netloc.split(".")[0]
    if label in words("community_slug"):
        return None  # a forum's help category or FAQ is the forum's
    if help_word(label) or label in _HELP_HOSTS:
        return base
    segments = [s for s in parts.path.split("/") if s]
    for i, segment in enumerate(segments[:2]):  # deeper help pages are topics (/gp/video/help/)
        if i == 1 and not _site_prefix(segments[0]):
            break  # /coronavirus/faq/, /kyoiku/support/: a topic's own FAQ, not the site's help
        if help_word(segment):
            kept = segments[:i] if i == len(segments) - 1 and "." in segment else segments[: i + 1]
            return base + "".join(f"{s}/" for s in kept) if kept else None  # /faq.html: not the home page
    return None


def _site_prefix(segment: str) -> bool:
    """A first path segment that prefixes the whole site's pages: a locale or short code (``gp``, ``in-en``,
    ``ct2``) or a site-information section (``about``, ``services``), not a topic."""
    return len(segment) <= 5 or segment.lower() in _SITE_SECTIONS


def help_word(segment: str) -> bool:
    """A host label or path segment naming help: a help/FAQ word, or a short compound naming an FAQ.

    ``services-faq`` and ``haeufig-gestellte-fragen`` name FAQ pages; ``accessibility-help`` or
    ``help-desk-software`` are topics, so compounds count for FAQ words only.
    """
    stem = unquote(segment).lower().split(".")[0]
    if stem in help_vocabulary():
        return True
    tokens = [t for t in re.split(r"[-_]", stem) if t]
    return 1 < len(tokens) <= 3 and any(t in words("faq_slug") for t in tokens)


@lru_cache(maxsize=1)
def help_vocabulary() -> frozenset[str]:
    """Every help and FAQ word of the word lists (``help_slug``, ``faq_slug``), in all languages."""
    return frozenset(words("help_slug")) | frozenset(words("faq_slug"))

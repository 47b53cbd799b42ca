"""What every probe shares: the probe signature, parsed pages, and small HTML helpers.

A probe is a module in ``probes/`` with ``NAME`` (its id), ``CHANNELS`` (the ``audit.json`` channel kinds
its findings fill) and ``probe(capture) -> Evidence``. Probes read the capture only: they never fetch,
never score. An absence records what was tried (pages and methods) in ``Evidence.tried``.
"""

from __future__ import annotations

import gc
import json
import re
import tomllib
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache, cached_property, lru_cache, wraps
from pathlib import Path
from re import _parser as _re_parser  # type: ignore[attr-defined]
from typing import Any, TypeVar, cast
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.element import DEFAULT_OUTPUT_ENCODING

from audit.models import Evidence, Finding, Page, SiteCapture
from audit.urls import same_site
from probes.soup import Built, build, walk

ProbeFn = Callable[[SiteCapture], Evidence]
T = TypeVar("T")

#: Elements whose links belong to the site's chrome (repeated on every page), not to an article body.
CHROME_SELECTORS = (
    "header",
    "footer",
    "nav",
    '[role="banner"]',
    '[role="contentinfo"]',
    '[role="navigation"]',
)


class PageIndex:
    """What probes read from one parsed page, gathered in a single walk of its tree.

    Tags by name in document order, ``<a href>`` links with their absolute URLs (``<base href>`` resolved
    once), and memos for the questions probes ask per tag (is it in the site chrome, in an article body,
    what is its short text). Every answer costs at most one walk up or down the tree, so the work per
    page stays linear in its size, however wide or deep its DOM.
    """

    def __init__(self, soup: BeautifulSoup, url: str, html: str, built: Built | None = None) -> None:
        self.soup = soup
        self.url = url
        self.html = html
        if built is None or built.soup is not soup:
            built = walk(soup)
        self._by_name: dict[str, list[Tag]] = built.by_name
        self._position: dict[int, int] = built.position
        #: Every string node (text, comments, script bodies…) in document order, as ``find_all(string=…)``
        #: sees them.
        self.strings: list[NavigableString] = built.strings
        self._absolute: dict[str, str] = {}
        #: what :func:`per_page` functions gave for a page object with this DOM: key → (page, value)
        self.derived: dict[tuple[Any, ...], tuple[Page, Any]] = {}
        base = next((b for b in self.tags("base") if b.get("href") is not None), None)
        self.base_url = _join(url, str(base["href"])) or url if base is not None else url
        anchors = [(a, self.absolute(str(a["href"]))) for a in self.tags("a") if a.get("href") is not None]
        self.anchors: list[tuple[Tag, str]] = [(a, href) for a, href in anchors if href]
        self._within: dict[int, tuple[bool, bool]] = {}
        self._short: dict[int, list[str] | None] = {}
        self._short_text: dict[int, str | None] = {}
        self._snippets: dict[tuple[int, int], str] = {}
        self._memo: dict[str | tuple[str, ...], Any] = {}

    @property
    def folded_html(self) -> str:
        """The page source case-folded as ``re.IGNORECASE`` sees it (for "can this match at all" tests)."""
        return folded(self.html)

    def remember(self, key: str, compute: Callable[[PageIndex], T]) -> T:
        """``compute(self)``, computed once per page under ``key`` (for answers several probes ask for)."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]

    def absolute(self, href: str) -> str:
        """``href`` resolved against the page URL (respecting ``<base href>``); resolved once per href.

        "" for an href no URL parser accepts (``http://[bad``): one odd link must not fail every probe.
        """
        found = self._absolute.get(href)
        if found is None:
            found = self._absolute[href] = _join(self.base_url, href.strip())
        return found

    def tags(self, *names: str) -> list[Tag]:
        """Every element named one of ``names``, in document order (``find_all`` without the walk)."""
        if len(names) == 1:
            return self._by_name.get(names[0], [])
        key = ("tags", *names)
        if key not in self._memo:  # several probes ask for the same mix (links and buttons, headings)
            found = [t for name in names for t in self._by_name.get(name, [])]
            self._memo[key] = sorted(found, key=lambda t: self._position[id(t)])
        return self._memo[key]

    def with_attr(self, attr: str, *names: str) -> list[Tag]:
        """Elements (named one of ``names``) that carry ``attr``, in document order."""
        return [t for t in self.tags(*names) if t.get(attr) is not None]

    def position(self, tag: Tag) -> int:
        """``tag``'s place in document order (-1 for a tag not in this page)."""
        return self._position.get(id(tag), -1)

    def all_tags(self) -> list[Tag]:
        """Every element, in document order (``find_all(True)`` without the walk; computed once per page)."""
        return self.remember(
            "all_tags",
            lambda index: sorted(
                (t for found in index._by_name.values() for t in found), key=lambda t: index._position[id(t)]
            ),
        )

    def with_id(self) -> list[Tag]:
        """Every element that carries an ``id``, in document order (computed once per page)."""
        return self.remember(
            "with_id", lambda index: [t for t in index.all_tags() if t.get("id") is not None]
        )

    def in_chrome(self, tag: Tag) -> bool:
        """True when ``tag`` sits in the header, footer or navigation of its page."""
        return isinstance(tag.parent, Tag) and self._flags(tag.parent)[0]

    def in_body_block(self, tag: Tag) -> bool:
        """True when ``tag`` sits in an article body, author box, comment or share bar."""
        return isinstance(tag.parent, Tag) and self._flags(tag.parent)[1]

    def in_site_chrome(self, tag: Tag) -> bool:
        """True when ``tag`` is in the site's header/footer/nav (not an article's own header or footer)."""
        return self.in_chrome(tag) and not self.in_body_block(tag)

    def _flags(self, tag: Tag) -> tuple[bool, bool]:
        """(chrome, body) for ``tag`` and everything inside it; one walk up to the nearest known ancestor."""
        chain: list[Tag] = []
        node: Tag | None = tag
        while isinstance(node, Tag) and id(node) not in self._within:
            chain.append(node)
            node = node.parent
        chrome, body = self._within[id(node)] if isinstance(node, Tag) else (False, False)
        for el in reversed(chain):
            body = body or _is_body_element(el, in_chrome=chrome and not body)
            chrome = chrome or is_chrome_element(el)
            self._within[id(el)] = (chrome, body)
        return chrome, body

    def short_strings(self, tag: Tag) -> list[str] | None:
        """``tag``'s stripped strings when it holds under ``SHORT_TEXT`` visible characters, else ``None``.

        Reading stops as soon as the text is known to be long, so asking about a huge container is cheap.
        """
        key = id(tag)
        if key not in self._short:
            self._short[key] = _short_strings(tag)
        return self._short[key]

    def text(self, tag: Tag) -> str:
        """``tag_text(tag)``, computed once per tag."""
        short = self.short_text(tag)
        return short if short is not None else tag_text(tag)

    def short_text(self, tag: Tag) -> str | None:
        """``tag_text(tag)`` when the tag holds under ``SHORT_TEXT`` visible characters, else ``None``."""
        key = id(tag)
        if key not in self._short_text:
            strings = self.short_strings(tag)
            # str.split and ``\s`` agree on what whitespace is (str.isspace): the text ``tag_text`` gives
            text = None if strings is None else " ".join(" ".join(strings).split())
            self._short_text[key] = text
        return self._short_text[key]

    def snippet(self, tag: Tag, limit: int = 160) -> str:
        """``snippet(tag, limit)``, serialised once per tag."""
        key = (id(tag), limit)
        if key not in self._snippets:
            self._snippets[key] = snippet(tag, limit)
        return self._snippets[key]


#: Visible characters under which a tag's text counts as short (every length test of the probes is below).
SHORT_TEXT = 1000


def _short_strings(tag: Tag) -> list[str] | None:
    """``tag.stripped_strings`` while they hold under ``SHORT_TEXT`` visible characters, else ``None``."""
    contents = tag.contents
    if len(contents) <= 1:  # most links and labels: one string or nothing, no walk needed
        if not contents:
            return []
        only = contents[0]
        if isinstance(only, NavigableString):  # bs4's own test of which strings count (``_all_strings``)
            types = tag.interesting_string_types
            if types is None:
                types = Tag.MAIN_CONTENT_STRING_TYPES
            if not (type(only) is types if isinstance(types, type) else type(only) in types):
                return []
            stripped = only.strip()
            if not stripped:
                return []
            return None if len("".join(stripped.split())) >= SHORT_TEXT else [stripped]
    strings: list[str] = []
    seen = 0
    for s in tag.stripped_strings:
        seen += len("".join(s.split()))  # its characters that are not whitespace
        if seen >= SHORT_TEXT:
            return None
        strings.append(s)
    return strings


def is_chrome_element(el: Tag) -> bool:
    """True when ``el`` is the site's header, footer or navigation (by element, ARIA role or page-wide id)."""
    if el.name in ("header", "footer", "nav") or el.get("role") in ("banner", "contentinfo", "navigation"):
        return True
    id_ = el.get("id")
    return isinstance(id_, str) and _CHROME_ID.fullmatch(id_) is not None


#: ids of the page-wide footer and header in markup older than ``<footer>`` (``<div id="footer">``)
_CHROME_ID = re.compile(
    r"(?:site|page|global|main)?[-_]?(?:footer|header)(?:[-_]?(?:wrap|wrapper|container))?", re.IGNORECASE
)


def _is_body_element(el: Tag, in_chrome: bool = False) -> bool:
    """True when ``el`` opens an article body, author box, comment or share bar.

    An ``<article>`` inside the site's footer, header or navigation is that chrome's own wrapper (some
    CMS templates write ``<footer><article>…``), not an article body: its links stay site chrome.
    """
    attrs = el.attrs  # read directly: asked once for every ancestor of every link
    if el.name == "article" or attrs.get("role") == "article":
        return not in_chrome
    classes, id_ = attrs.get("class"), attrs.get("id")
    if classes and _body_marked(classes if isinstance(classes, str) else " ".join(classes)):
        return True
    if not id_:
        return False
    return _body_marked(id_ if isinstance(id_, str) else " ".join(id_))


@lru_cache(maxsize=8192)  # a page repeats its class lists; so do the pages of one site
def _body_marked(value: str) -> bool:
    return _BODY_MARKERS.search(value) is not None


@dataclass(frozen=True)
class ParsedPage:
    """A page's DOM parsed once and shared by all probes, with its index."""

    page: Page
    soup: BeautifulSoup
    facts: PageIndex | None = None

    @property
    def url(self) -> str:
        return self.page.final_url or self.page.url

    @cached_property
    def index(self) -> PageIndex:
        """The page's index (built from ``soup`` when the page was not made by ``parse``)."""
        return self.facts if self.facts is not None else PageIndex(self.soup, self.url, self.page.html)

    def absolute(self, href: str) -> str:
        """``href`` resolved against the page URL (respecting ``<base href>``)."""
        return self.index.absolute(href)

    def anchors(self) -> Iterator[tuple[Tag, str]]:
        """Every ``<a href>`` with its absolute URL."""
        return iter(self.index.anchors)


# A body served or saved as HTML may be XML (a feed, a sitemap): the probes read it as the browser would,
# as HTML, and bs4's advice to use an XML parser is noise on a user's terminal.
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)


@lru_cache(maxsize=256)
def _built(html: str) -> Built:
    built = build(html)
    _LIVE.add(built)
    return built


#: Every tree built and not yet freed, for :func:`page_at_a_time` to take apart.
_LIVE: weakref.WeakSet[Built] = weakref.WeakSet()


@lru_cache(maxsize=256)
def _index(html: str, url: str) -> PageIndex:
    built = _built(html)
    return PageIndex(built.soup, url, html, built)


def forget_pages() -> None:
    """Drop every cached parse and index (a long batch keeps memory flat this way)."""
    for cached in (_built, _index, _visible_text, _jsonld, present_words, folded):
        cached.cache_clear()


@contextmanager
def page_at_a_time() -> Iterator[None]:
    """Probe pages and let them go: the cyclic collector paused meanwhile, and every tree built inside the
    block taken apart at its end (:meth:`probes.soup.Built.release`), then the caches dropped.

    For a batch that reads one page after another (``engage inspect`` of many files): a page's tree is tens
    of thousands of objects in reference cycles, which the collector would otherwise walk several times
    while it lives and once more to free it. What the probes make besides is plain data, freed by
    reference counting. Nothing parsed inside may be used after the block; trees parsed before it are left
    whole.
    """
    before = {id(built) for built in _LIVE}
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # before the caches go: a tree no cache holds any more drops out of the weak set, still whole
        for built in [b for b in _LIVE if id(b) not in before]:
            built.release()
            _LIVE.discard(built)
        forget_pages()
        if collecting:
            gc.enable()


def parse(page: Page) -> ParsedPage:
    """The page's DOM (rendered when available), parsed by :func:`probes.soup.build` and indexed; cached
    per HTML text."""
    index = _index(page.html, page.final_url or page.url)
    return ParsedPage(page, index.soup, index)


def per_page(copy: Callable[[T], T]) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Remember what ``fn(pp, *args)`` gave for this page, so a page's findings are worked out once, however
    often the API planners re-read a growing capture during the crawl and then the probe run reads it.

    ``fn`` must depend only on the page (its DOM, URL and headers) and on ``args``. The memo sits on the
    page's index (dropped with it by :func:`forget_pages`) and is keyed by the very page object, so a page
    that merely has the same HTML never shares it. Each caller gets ``copy(value)``: callers may add
    attributes to a finding, and that must not reach the next caller.
    """

    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        name = f"{fn.__module__}.{fn.__qualname__}"

        @wraps(fn)
        def memo(pp: ParsedPage, *args: Any) -> T:
            key = (name, id(pp.page), *args)
            hit = pp.index.derived.get(key)
            if hit is not None and hit[0] is pp.page:
                return copy(hit[1])
            value = fn(pp, *args)
            pp.index.derived[key] = (pp.page, value)
            return copy(value)

        return memo

    return decorate


def copy_finding(finding: Finding | None) -> Finding | None:
    """A finding of its own for the caller (its ``attrs`` too), for :func:`per_page`."""
    return None if finding is None else replace(finding, attrs=dict(finding.attrs))


def parsed_pages(capture: SiteCapture) -> list[ParsedPage]:
    """All successful HTML pages of a capture, parsed."""
    return [parse(p) for p in capture.html_pages]


def in_chrome(tag: Tag) -> bool:
    """True when ``tag`` sits in the header, footer or navigation of its page."""
    return any(isinstance(parent, Tag) and is_chrome_element(parent) for parent in tag.parents)


def snippet(tag: Tag, limit: int = 160) -> str:
    """A short, single-line HTML excerpt of ``tag`` for evidence: ``str(tag)`` whitespace-collapsed and cut.

    The markup is serialised as ``Tag.decode`` does it, piece by piece, and only until the excerpt is
    known: a link wrapping a whole product card, or a form, is not written out in full for 160 characters.
    """
    formatter = tag.formatter_for_name("minimal")
    pieces: list[str] = []
    size, check = 0, 2 * limit
    for event, element in tag._event_stream():
        if event is Tag.STRING_ELEMENT_EVENT:
            piece = cast(NavigableString, element).output_ready(formatter)
        else:
            opening = event is not Tag.END_ELEMENT_EVENT
            piece = cast(Tag, element)._format_tag(DEFAULT_OUTPUT_ENCODING, formatter, opening=opening)
        pieces.append(piece)
        size += len(piece)
        if size >= check:
            check *= 2
            head = _SPACES.sub(" ", "".join(pieces)).lstrip()
            # all but its last character are the start of the whole excerpt, which is longer than limit
            if len(head) >= limit + 2:
                return head[: limit - 1] + "…"
    text = _SPACES.sub(" ", "".join(pieces)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SPACES = re.compile(r"\s+")


#: ``urlsplit`` with a cache the size of a page's links (the standard library's keeps 128 results, and
#: each probe splits every link of a page again).
_split = lru_cache(maxsize=65536)(urlsplit)


def host_of(url: str) -> str:
    """Lower-case host of ``url`` without a leading ``www.``."""
    host = (_split(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def dedupe(findings: list[Finding]) -> list[Finding]:
    """Findings with duplicates (same channel and URL) removed, first occurrence kept, sorted by URL."""
    seen: dict[tuple[str, str], Finding] = {}
    for f in findings:
        seen.setdefault(f.key(), f)
    return sorted(seen.values(), key=lambda f: (f.channel, f.url))


def tried_pages(capture: SiteCapture, what: str) -> list[str]:
    """The ``tried`` record for an absence: which method ran over which pages."""
    urls = [p.final_url or p.url for p in capture.html_pages]
    return [f"{what} on {len(urls)} page(s)", *urls]


# --- shared helpers for the probes (data files, structured data, text, attribution) ---------------------

DATA_DIR = Path(__file__).parent / "data"

#: Class/id tokens of blocks that are an article body, an author box, a share bar, a person's card (team
#: members, speakers, testimonials) or a forum post (vBulletin ``postcontent``/``post_message_…``, Vanilla
#: ``Message``, XenForo ``messageText``/``bbWrapper``, Discourse ``cooked``, MyBB ``post_body``, bbPress
#: ``bbp-reply-content``): links there are mentions, not the site owner's own channels.
_BODY_MARKERS = re.compile(
    r"(?:^|[-_ ])(?:entry-content|post-content|post-body|article-body|article-content|entry-footer|"
    r"author|byline|bio|comment|comments|share|sharing|sharedaddy|addtoany|a2a_kit|social-share|"
    r"shariff|mention|related|team|member|members|speaker|speakers|staff|testimonial|testimonials|person|"
    r"employee|founder|postcontent|postcontainer|postbody|post_body|post_message|message|messagetext|"
    r"message-body|message-content|bbwrapper|cooked|reply-content|topic-content)(?:$|[-_ ])",
    re.IGNORECASE,
)


@cache
def load_data(name: str) -> dict[str, Any]:
    """The TOML data file ``probes/data/<name>.toml``, parsed once."""
    with (DATA_DIR / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def words(section: str) -> tuple[str, ...]:
    """Every language's words of ``section`` in ``data/words.toml``, lower-cased, longest first."""
    table = load_data("words")[section]
    merged = {w.lower() for lang in table.values() for w in lang}
    return tuple(sorted(merged, key=lambda w: (-len(w), w)))


def words_pattern(section: str) -> re.Pattern[str]:
    """A case-insensitive regex matching any word of ``section`` as a whole word."""
    return _words_regex(words(section))


@cache
def _words_regex(items: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in items)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def has_word(section: str, text: str) -> bool:
    """``words_pattern(section).search(text) is not None``, several times faster on a long text.

    ``re`` cannot skip ahead to the words' first letters when a pattern opens with a look-behind and ignores
    case, so it tries every position. Here the folded words are looked for case-sensitively in the folded
    text (folding keeps every position), and the look-behind is checked by hand at each candidate.
    """
    pattern = _folded_words_regex(words(section))
    low = fold(text)
    start = 0
    while (m := pattern.search(low, start)) is not None:
        at = m.start()
        if at == 0 or not _WORD_CHAR.match(low, at - 1):
            return True
        start = at + 1
    return False


@cache
def _folded_words_regex(items: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted({fold(w) for w in items}, key=lambda w: (-len(w), w))
    return re.compile(rf"(?:{'|'.join(re.escape(w) for w in ordered)})(?!\w)")


_WORD_CHAR = re.compile(r"\w")


def attr_text(tag: Tag, name: str) -> str:
    """An attribute as one string (class lists joined by spaces); empty when absent."""
    value = tag.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(value)


def page_url(page: Page) -> str:
    """The URL a page was finally served from."""
    return page.final_url or page.url


def strip_url(url: str) -> str:
    """``url`` without query and fragment."""
    parts = _split(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, "", ""))


def in_body_block(tag: Tag) -> bool:
    """True when ``tag`` sits in an article body, author box, comment or share bar."""
    chain = [p for p in tag.parents if isinstance(p, Tag)]
    chrome = False
    for parent in reversed(chain):  # from the root down, as PageIndex walks
        if _is_body_element(parent, in_chrome=chrome):
            return True
        chrome = chrome or is_chrome_element(parent)
    return False


def in_site_chrome(tag: Tag) -> bool:
    """True when ``tag`` is in the site's header/footer/nav (not an article's own header or footer)."""
    return in_chrome(tag) and not in_body_block(tag)


def is_own(url: str, capture: SiteCapture) -> bool:
    """True when ``url`` is on the company's own registrable domain (any subdomain)."""
    return _same_site(url, capture.url)


@lru_cache(maxsize=65536)  # several probes ask about every link of every page
def _same_site(url: str, other: str) -> bool:
    return same_site(url, other)


@lru_cache(maxsize=256)
def _visible_text(html: str, url: str = "") -> str:
    invisible = _INVISIBLE
    parts = [
        s
        for s in _index(html, url).strings
        if (parent := s.parent) is not None and parent.name not in invisible and not isinstance(s, Comment)
    ]
    return _BLANKS.sub(" ", " ".join(parts))


_BLANKS = re.compile(r"[ \t\r\f\v]+")


_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title", "[document]"})


def visible_text(pp: ParsedPage) -> str:
    """The page's human-visible text (no scripts/styles), whitespace-collapsed; cached."""
    return _visible_text(pp.page.html, pp.url)


def tag_text(tag: Tag) -> str:
    """A tag's text, whitespace-collapsed."""
    return re.sub(r"\s+", " ", tag.get_text(" ", strip=True)).strip()


_LD_JSON = re.compile(r"ld\+json", re.IGNORECASE)


@lru_cache(maxsize=256)
def _jsonld(html: str) -> tuple[dict[str, Any], ...]:
    items: list[dict[str, Any]] = []
    scripts = _built(html).by_name.get("script", [])  # the index's list: no walk of the tree
    for script in (s for s in scripts if _LD_JSON.search(attr_text(s, "type"))):
        try:
            data = json.loads(script.get_text() or "null", strict=False)
        except ValueError:
            continue
        items.extend(_flatten_jsonld(data))
    return tuple(items)


def _flatten_jsonld(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten_jsonld(item)
    elif isinstance(data, dict):
        yield data
        yield from _flatten_jsonld(data.get("@graph"))


def jsonld(pp: ParsedPage) -> tuple[dict[str, Any], ...]:
    """Top-level JSON-LD items of the page (``@graph`` flattened); invalid blocks skipped."""
    return _jsonld(pp.page.html)


def types_of(item: dict[str, Any]) -> set[str]:
    """The ``@type`` names of a JSON-LD item, without a schema.org prefix."""
    raw = item.get("@type") or []
    names = [raw] if isinstance(raw, str) else [t for t in raw if isinstance(t, str)]
    return {n.rsplit("/", 1)[-1] for n in names}


def as_list(value: Any) -> list[Any]:
    """``value`` as a list (``None`` → empty)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def dedupe_by(findings: list[Finding], key: Callable[[Finding], Any]) -> list[Finding]:
    """Findings with duplicates by ``key`` removed, first occurrence kept, sorted by (key, url)."""
    seen: dict[Any, Finding] = {}
    for f in findings:
        seen.setdefault(key(f), f)
    return [seen[k] for k in sorted(seen, key=lambda k: (str(k), seen[k].url))]


def compile_all(patterns: list[str], flags: int = 0) -> re.Pattern[str] | None:
    """One regex matching any of ``patterns`` (``None`` when the list is empty)."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


@dataclass(frozen=True)
class Literals:
    """Substrings every match of a pattern list must contain: a cheap test before the regex.

    Most fingerprints start with ``\\b`` or a look-behind, which makes ``re`` try every position of a long
    page; one Aho-Corasick pass over the case-folded page tells which literals occur, and rules out nearly
    every pattern with the same result. Each pattern contributes every run of three or more literal
    characters at its top level (spaces end a run), all of which a match of it contains
    (``Powered [Bb]y <a href="https?://(?:www\\.)?mybb\\.com`` needs ``powered``, ``href="http``, ``://``
    and ``mybb.com``: its longest run alone would let it run on every page with a link). Folding makes the
    test looser for case-sensitive patterns, never stricter: it only decides whether the regex runs.
    """

    runs: tuple[frozenset[str], ...]  # per pattern, its case-folded literal runs

    def absent_from(self, text: str) -> bool:
        """True when no match is possible in ``text``."""
        return not self.possible(present_words(folded(text)))

    def possible(self, found: frozenset[str]) -> bool:
        """True when some pattern may match a text in which exactly ``found`` (of the registered literals)
        occur."""
        return any(runs <= found for runs in self.runs)


def literals_of(patterns: list[str], flags: int = 0) -> Literals | None:
    """The :class:`Literals` of ``patterns``; ``None`` when some pattern has no literal run to test for."""
    runs = [_literal_runs(p, flags) for p in patterns]
    if not runs or not all(runs):
        return None
    found = tuple(frozenset(folded(w) for w in pattern_runs) for pattern_runs in runs)
    register_words(w for pattern_runs in found for w in sorted(pattern_runs))
    return Literals(found)


#: Every literal some probe tests pages for; one Aho-Corasick pass over a text finds which occur in it.
_WORDS: dict[str, None] = {}


def register_words(words: Iterable[str]) -> None:
    """Add literals to those :func:`present_words` looks for."""
    new = [w for w in words if w and w not in _WORDS]
    if new:
        _WORDS.update(dict.fromkeys(new))
        _automaton.cache_clear()
        present_words.cache_clear()


#: Literals found many times on nearly every page (measured on the real-page corpus: ``id`` 350 times a page,
#: ``<div`` 180, ``://`` 175 …). The automaton reports every occurrence, each one a Python tuple; a
#: substring test answers for these at once. Only where a literal is looked for changes, never the answer.
_COMMON = frozenset(
    {
        "id", "<div", "://", 'href="', ".com/", 'href="http', "script", "name", "title", "new",
        'href="https://', "var", "forum", "<meta", "<link", ".js", "cdn.", "code", "help", "iframe",
    }
)  # fmt: skip


@lru_cache(maxsize=1)
def _automaton() -> tuple[Any, list[str]] | None:
    try:
        import ahocorasick_rs
    except ImportError:  # without it, one substring test per literal: slower, same answers
        return None
    words = [w for w in _WORDS if w not in _COMMON]
    if not words:
        return None
    # Over UTF-8 bytes with a DFA: three times the speed of the str automaton on a long page. A substring
    # occurs in a text exactly when its UTF-8 bytes occur in the text's (UTF-8 is self-synchronising).
    encoded = [w.encode("utf-8", "surrogatepass") for w in words]
    dfa = ahocorasick_rs.Implementation.DFA
    return ahocorasick_rs.BytesAhoCorasick(encoded, implementation=dfa), words


@lru_cache(maxsize=16)
def present_words(text: str) -> frozenset[str]:
    """The registered (case-folded) literals that occur in ``text`` (a :func:`folded` text)."""
    built = _automaton()
    if built is None:
        return frozenset(w for w in list(_WORDS) if w in text)
    automaton, words = built
    data = text.encode("utf-8", "surrogatepass")
    found = {words[i] for i, _, _ in automaton.find_matches_as_indexes(data, overlapping=True)}
    found.update(w for w in _COMMON if w in _WORDS and w in text)
    return frozenset(found)


def _literal_runs(pattern: str, flags: int) -> tuple[str, ...]:
    """The runs of ASCII literal characters at the top level of ``pattern`` (so in every match of it), of
    three characters or more; empty when there is none."""
    parsed = _re_parser.parse(pattern, flags)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE) != flags & (re.IGNORECASE | re.VERBOSE):
        return ()  # inline flags: keep it simple, always run the regex
    runs, current = [], ""
    for op, arg in parsed:
        if str(op) == "LITERAL" and 32 < arg < 127:
            current += chr(arg)
        else:
            runs.append(current)
            current = ""
    runs.append(current)
    return tuple(dict.fromkeys(run for run in runs if len(run) >= 3))


#: Characters that ``re.IGNORECASE`` matches to an ASCII letter but ``str.lower`` does not lower to it.
_FOLDS = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"))


def fold(text: str) -> str:
    """``text`` lower-cased, with the few letters ``re.IGNORECASE`` equates to ASCII ones mapped to them;
    every character stays at its position."""
    for char, ascii_letter in _FOLDS:  # str.replace: ~100× faster than str.translate on a long page
        text = text.replace(char, ascii_letter)
    return text.lower()


@lru_cache(maxsize=8)
def folded(text: str) -> str:
    """:func:`fold`, remembered for the few long texts (a page's source) many probes fold."""
    return fold(text)


def channel_root(url: str, slug_section: str) -> str:
    """Root URL of a channel site: the host for a ``community.``-style subdomain, else a first path word."""
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    if netloc.split(".")[0] in words(slug_section):
        return f"{parts.scheme}://{netloc}/"
    first = next((s for s in parts.path.split("/") if s), "")
    if first.lower() in words(slug_section):
        return f"{parts.scheme}://{netloc}/{first}/"
    return f"{parts.scheme}://{netloc}/"


def on_channel_site(url: str, capture: SiteCapture, slug_section: str) -> bool:
    """True when ``url`` is on the owner's domain under a ``slug_section`` subdomain or first path word."""
    return _on_channel_site(url, capture.url, slug_section)


@lru_cache(maxsize=65536)
def _on_channel_site(url: str, site: str, slug_section: str) -> bool:
    if not _same_site(url, site):
        return False
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    first = next((s for s in parts.path.split("/") if s), "").lower()
    return host.split(".")[0] in words(slug_section) or first in words(slug_section)


#: An absolute http(s) URL that ``urljoin`` gives back unchanged whatever the base, and that ``urlsplit``
#: reads without error: a plain host name (no port, user, IPv6 or non-ASCII name), and nothing after it that
#: the parse would drop or rewrite (tabs and line breaks, an empty query, fragment or ``;params``).
_PLAIN_ABSOLUTE = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#][^;\t\r\n]*)?")


def _join(base: str, href: str) -> str:
    """``urljoin`` that gives "" instead of raising, for a result that ``urlsplit`` can read again."""
    if (
        href[:4] == "http"  # most links of a page: no parse needed for them (a sixteenth of a page's time)
        and _PLAIN_ABSOLUTE.fullmatch(href)
        and href[-1] not in "?#"
        and "?#" not in href
    ):
        return href
    try:
        joined = urljoin(base, href)
        urlsplit(joined).port  # noqa: B018 — raises ValueError for a bad port or IPv6 literal
    except ValueError:
        return ""
    return joined


_EMPTY = urlsplit("")


@lru_cache(maxsize=65536)
def safe_urlsplit(url: str) -> SplitResult:
    """``urlsplit`` that reads an unparseable URL (``http://[bad``, a port of 99999) as empty, not raising."""
    try:
        parts = urlsplit(url)  # this function's own cache holds the answer
        parts.port  # noqa: B018 — the port is only checked when read
    except ValueError:
        return _EMPTY
    return parts

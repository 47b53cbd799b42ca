"""FAQ pages and their question/answer count (JSON-LD, microdata, details, definition lists, accordions)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import extruct
from bs4 import Tag

from audit.models import Evidence, Finding, SiteCapture
from probes.base import (
    PageIndex,
    ParsedPage,
    as_list,
    attr_text,
    dedupe,
    is_own,
    jsonld,
    parsed_pages,
    safe_urlsplit,
    strip_url,
    tag_text,
    tried_pages,
    types_of,
    words,
    words_pattern,
)

NAME = "faq"
CHANNELS: tuple[str, ...] = ("faq",)

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ACCORDION = re.compile(r"accordion|collaps|toggle|faq|question", re.IGNORECASE)


@lru_cache(maxsize=8192)  # asked for every button, link, div and span: a page repeats its class lists
def _accordion_class(classes: str) -> bool:
    return _ACCORDION.search(classes) is not None


def probe(capture: SiteCapture) -> Evidence:
    """FAQ content on captured pages (with Q&A counts) plus links to FAQ pages that were not captured."""
    pages = parsed_pages(capture)
    content = [f for pp in pages if (f := faq_on_page(pp)) is not None]
    seen = {strip_url(f.url) for f in content} | {strip_url(pp.url) for pp in pages}
    links = [f for pp in pages for f in _faq_links(pp, capture) if strip_url(f.url) not in seen]
    counts = [int(f.attrs["qa_pairs"]) for f in content]
    return Evidence(
        probe=NAME,
        findings=dedupe(content + links),
        metrics={"faq.pages": float(len(content)), "faq.qa_pairs": float(max(counts)) if counts else None},
        tried=tried_pages(
            capture,
            "FAQPage JSON-LD and microdata, details/summary, dl, accordions, "
            "question headings under an FAQ heading, FAQ links",
        ),
    )


def faq_on_page(pp: ParsedPage) -> Finding | None:
    """The page's FAQ finding with its Q&A count, or ``None`` when the page holds no FAQ."""
    faq_page = _is_faq_page(pp)
    best: tuple[int, str, str] = (0, "", "")
    for method, counter in _COUNTERS:
        count, snip = counter(pp, faq_page)
        if count > best[0]:
            best = (count, method, snip)
    count, method, snip = best
    if count == 0:
        return None
    attrs = {"qa_pairs": count, "title": _title(pp)}
    return Finding("faq", strip_url(pp.url), attrs, source_url=pp.url, snippet=snip, method=method)


def _is_faq_page(pp: ParsedPage) -> bool:
    segments = [s.lower() for s in unquote(safe_urlsplit(pp.url).path).split("/") if s]
    if any(s in words("faq_slug") or s.split(".")[0] in words("faq_slug") for s in segments):
        return True
    return _faq_heading(pp) is not None or bool(words_pattern("faq_heading").search(_page_title(pp)))


def _page_title(pp: ParsedPage) -> str:
    title = next(iter(pp.index.tags("title")), None)
    return tag_text(title)[:300] if title is not None else ""


def _qa_titled(pp: ParsedPage) -> bool:
    """A page whose ``<title>`` or first ``<h1>`` names questions and answers ("Q&A", "Help and answers")
    without saying FAQ: an FAQ only when its items are plainly questions with their answers."""
    h1 = next(iter(pp.index.tags("h1")), None)
    texts = (_page_title(pp), tag_text(h1)[:300] if h1 is not None else "")
    return any(words_pattern("qa_title").search(t) for t in texts)


def _faq_heading(pp: ParsedPage) -> Tag | None:
    return pp.index.remember("faq_heading", _first_faq_heading)  # asked three times per page


def _first_faq_heading(index: PageIndex) -> Tag | None:
    for h in index.tags("h1", "h2"):
        if words_pattern("faq_heading").search(tag_text(h)):
            return h
    return None


def _title(pp: ParsedPage) -> str:
    heading = _faq_heading(pp) or next(iter(pp.index.tags("h1")), None)
    if heading is not None:
        return tag_text(heading)[:120]
    title = next(iter(pp.index.tags("title")), None)
    return tag_text(title)[:120] if title else ""


def _count_jsonld(pp: ParsedPage, faq_page: bool) -> tuple[int, str]:
    total = 0
    for item in jsonld(pp):
        total += _questions(item)
    return total, "json-ld FAQPage" if total else ""


def _questions(item: dict[str, Any]) -> int:
    # Not QAPage: that is one question answered by users (a forum thread, a Q&A site), not an FAQ.
    if "FAQPage" in types_of(item):
        entities = as_list(item.get("mainEntity"))
        return sum(1 for e in entities if isinstance(e, dict) and _answered(e))
    return 0


def _answered(question: dict[str, Any]) -> bool:
    return "Question" in types_of(question) and bool(
        question.get("acceptedAnswer") or question.get("suggestedAnswer")
    )


def _count_microdata(pp: ParsedPage, faq_page: bool) -> tuple[int, str]:
    html = pp.page.html
    if "itemscope" not in html or "FAQPage" not in html:
        return 0, ""
    items = extruct.extract(html, base_url=pp.url, syntaxes=["microdata"], errors="ignore").get(
        "microdata", []
    )
    total = sum(_microdata_questions(i) for i in items)
    return total, "microdata FAQPage" if total else ""


def _microdata_questions(item: dict[str, Any]) -> int:
    if not str(item.get("type", "")).endswith("FAQPage"):
        return 0
    entities = as_list(item.get("properties", {}).get("mainEntity"))
    return sum(1 for e in entities if isinstance(e, dict) and str(e.get("type", "")).endswith("Question"))


def _count_details(pp: ParsedPage, faq_page: bool) -> tuple[int, str]:
    items = [d for d in pp.index.tags("details") if d.find("summary")]
    questions = [d for d in items if _is_question(tag_text(d.find("summary")))]  # type: ignore[arg-type]
    chosen = items if faq_page else questions
    if len(chosen) < (1 if faq_page else 2):
        return 0, ""
    return len(chosen), pp.index.snippet(chosen[0], 120)


def _count_dl(pp: ParsedPage, faq_page: bool) -> tuple[int, str]:
    best = (0, "")
    for dl in pp.index.tags("dl"):
        if pp.index.in_body_block(dl) and not faq_page:
            continue
        terms = [dt for dt in dl.find_all("dt") if isinstance(dt, Tag)]
        questions = [t for t in terms if _is_question(tag_text(t))]
        count = len(terms) if faq_page and len(questions) * 2 >= len(terms) else len(questions)
        if count >= (1 if faq_page else 2) and count > best[0]:
            best = (count, pp.index.snippet(dl, 120))
    return best


def _count_accordion(pp: ParsedPage, faq_page: bool) -> tuple[int, str]:
    index = pp.index
    triggers = [
        t
        for name in ("button", "a", "div", "span", "h2", "h3", "h4", "h5")  # a few per page: sorted after
        for t in index.tags(name)
        if _is_trigger(index, t) and _is_question(index.short_text(t) or "")
    ]
    triggers.sort(key=index.position)
    questions = {index.short_text(t) for t in triggers}  # a header and its button carry the same question
    if len(questions) < (1 if faq_page else 2):
        return 0, ""
    return len(questions), index.snippet(triggers[0], 120)


def _is_trigger(index: PageIndex, tag: Tag) -> bool:
    attrs = tag.attrs  # read directly: this runs for every button, link, div and span of a page
    if "aria-expanded" in attrs or "aria-controls" in attrs:
        return True
    if attrs.get("data-toggle") or attrs.get("data-bs-toggle"):
        return True
    classes = attrs.get("class")
    if not classes or not _accordion_class(classes if isinstance(classes, str) else " ".join(classes)):
        return False
    text = index.short_text(tag)
    return text is not None and len(text) < 250


def _count_headings(pp: ParsedPage, faq_page: bool) -> tuple[int, str]:
    anchor = _faq_heading(pp)
    if anchor is None:
        return 0, ""
    level = int(anchor.name[1])
    count = 0
    for h in anchor.find_all_next(_HEADINGS):
        if not isinstance(h, Tag):
            continue
        if int(h.name[1]) <= level:
            break
        count += _is_question(tag_text(h))
    return count, pp.index.snippet(anchor, 120) if count else ""


def _is_question(text: str) -> bool:
    return 8 <= len(text) <= 300 and text.rstrip().endswith(("?", "？"))


#: A "Q:" / "Q." / "Question:" prefix (and its answer's "A:" / "Answer:"), as FAQ pages write them.
_Q_PREFIX = re.compile(
    r"^\s*(?:Q|Question|Frage|Vraag|Domanda|Pregunta|Pergunta)\s*[:.)]\s*\S", re.IGNORECASE
)
_A_PREFIX = re.compile(
    r"^\s*(?:A|Answer|Antwort|Antwoord|Risposta|Respuesta|Resposta|R)\s*[:.)]\s*\S", re.IGNORECASE
)
_BLOCKS = ("p", "li", "div", "td", "dd")


def _count_lead_ins(pp: ParsedPage, faq_page: bool) -> tuple[int, str]:
    """On an FAQ page: paragraphs led by a bold question (``<p><strong>Q: …?</strong> A: …</p>``) or a
    "Q:" paragraph, each followed by its answer (in the same block or the next one)."""
    if not faq_page:
        return 0, ""
    index = pp.index
    found: dict[str, Tag] = {}
    for lead in index.tags("strong", "b"):
        block = lead.parent
        if not isinstance(block, Tag) or block.name not in _BLOCKS or index.in_site_chrome(lead):
            continue
        question = index.short_text(lead) or ""
        if not (_is_question(question) or _Q_PREFIX.match(question)) or not _leads(lead, block):
            continue
        if _answer_follows(index, lead, block) and question not in found:
            found[question] = lead
    for para in index.tags("p"):
        text = index.short_text(para) or ""
        if _Q_PREFIX.match(text) and text not in found and not index.in_site_chrome(para):
            answer = para.find_next_sibling(True)
            if isinstance(answer, Tag) and _A_PREFIX.match(index.short_text(answer) or tag_text(answer)[:40]):
                found[text] = para
    if len(found) < 2:
        return 0, ""
    return len(found), index.snippet(next(iter(found.values())), 120)


def _leads(lead: Tag, block: Tag) -> bool:
    """True when nothing but white space comes before ``lead`` in ``block``."""
    for el in block.children:
        if el is lead:
            return True
        if isinstance(el, Tag) or str(el).strip():
            return False
    return False


def _answer_follows(index: PageIndex, lead: Tag, block: Tag) -> bool:
    """Answer text after the bold question: in its own block, or the next element."""
    after = "".join(str(s) for s in lead.find_all_next(string=True, limit=8) if s.find_parent() is block)
    if len(after.strip()) >= 20:
        return True
    following = block.find_next_sibling(True)
    text = index.short_text(following) if isinstance(following, Tag) else None
    return following is not None and len(text if text is not None else "x" * 20) >= 20


def _count_index(pp: ParsedPage, faq_page: bool) -> tuple[int, str]:
    """An index of in-page links to the answers (``<a href="#q3">…``), its entries or their targets
    question-shaped: on an FAQ page half of them, on a page titled "Q&A"/"answers" most of them."""
    if not faq_page and not _qa_titled(pp):
        return 0, ""
    index = pp.index
    targets = _fragment_targets(index)
    links: dict[str, Tag] = {}
    for a in index.tags("a"):
        href = attr_text(a, "href").strip()
        if href.startswith("#") and len(href) > 1 and not index.in_site_chrome(a):
            links.setdefault(unquote(href[1:]), a)
    # The index is the run of links before the first answer they point to ("back to questions" links
    # come after it).
    first = min((index.position(targets[f]) for f in links if f in targets), default=-1)
    entries = {f: a for f, a in links.items() if index.position(a) < first}
    if len(entries) < 3:
        return 0, ""
    questions = sum(
        1
        for fragment, a in entries.items()
        if _is_question(index.text(a)) or _is_question(_target_text(index, targets.get(fragment)))
    )
    if questions * 2 < len(entries) if faq_page else questions * 2 <= len(entries):
        return 0, ""
    return len(entries), index.snippet(next(iter(entries.values())), 120)


def _fragment_targets(index: PageIndex) -> dict[str, Tag]:
    found: dict[str, Tag] = {}
    for tag in index.with_attr("name", "a"):
        found.setdefault(attr_text(tag, "name"), tag)
    for tag in index.with_id():
        found.setdefault(attr_text(tag, "id"), tag)
    return found


def _target_text(index: PageIndex, target: Tag | None) -> str:
    """The text an anchor target names: its own text, else the text right after it (``<a name=x></a>Q?``)."""
    if target is None:
        return ""
    own = index.short_text(target)
    if own:
        return own
    first = next((s for s in target.find_all_next(string=True, limit=12) if s.strip()), None)
    if first is None:
        return ""
    block = first.find_parent(("p", "li", "div", "td", "dt", "h1", "h2", "h3", "h4", "h5", "h6"))
    text = index.short_text(block) if block is not None else None
    return text if text is not None and len(text) <= 300 else first.strip()


_COUNTERS: tuple[tuple[str, Callable[[ParsedPage, bool], tuple[int, str]]], ...] = (
    ("json-ld", _count_jsonld),
    ("microdata", _count_microdata),
    ("details", _count_details),
    ("dl", _count_dl),
    ("accordion", _count_accordion),
    ("headings", _count_headings),
    ("lead-ins", _count_lead_ins),
    ("index", _count_index),
)


def _faq_links(pp: ParsedPage, capture: SiteCapture) -> list[Finding]:
    out = []
    for a, href in pp.anchors():
        if not is_own(href, capture) or pp.index.in_body_block(a):
            continue
        path = unquote(safe_urlsplit(href).path).lower().rstrip("/")
        last = path.rsplit("/", 1)[-1].split(".")[0]
        text = pp.index.text(a)
        if last in words("faq_slug") or (len(text) < 40 and words_pattern("faq_heading").fullmatch(text)):
            attrs = {"qa_pairs": None, "title": text[:120]}
            out.append(
                Finding(
                    "faq",
                    strip_url(href),
                    attrs,
                    source_url=pp.url,
                    snippet=pp.index.snippet(a),
                    method="anchor",
                )
            )
    return out

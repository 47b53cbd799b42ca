"""Contact options: e-mail addresses, phone numbers, contact forms and published reply-time promises."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from bs4 import Comment, Tag

from audit.models import Evidence, Finding, SiteCapture
from audit.urls import registrable_domain
from probes.base import (
    ParsedPage,
    attr_text,
    dedupe_by,
    has_word,
    host_of,
    jsonld,
    load_data,
    parsed_pages,
    strip_url,
    tried_pages,
    types_of,
    visible_text,
    words,
    words_pattern,
)
from probes.fingerprints import table

NAME = "contact"
CHANNELS: tuple[str, ...] = ("contact",)

EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![\w-])"
)
_FILE_TLDS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "css", "js", "avif", "ico"})
#: Domains of sample addresses in form hints and docs ("you@example.com", "name@yourcompany.com").
_PLACEHOLDER_DOMAIN = re.compile(
    r"(?:^|\.)(?:example|yourcompany|yourdomain|your-domain|your-company|domain|company|email)\.[a-z.]+$"
    r"|\.(?:example|test|invalid|localhost)$"
)
#: Elements whose addresses are samples (form hints, code), not contact addresses.
_SAMPLE_CONTAINERS = frozenset({"form", "code", "pre", "samp", "kbd", "textarea"})
_CF_PATH = "/cdn-cgi/l/email-protection#"


def _has_bracket(text: str) -> bool:
    return "(" in text or "[" in text or "{" in text


@dataclass(frozen=True)
class Promise:
    """A published reply-time promise, normalised to hours."""

    hours: float
    business: bool
    text: str


def probe(capture: SiteCapture) -> Evidence:
    """Contact options on every page; the metric is the fastest reply promise, in hours."""
    own = registrable_domain(host_of(capture.url)) if host_of(capture.url) else ""
    found = [f for pp in parsed_pages(capture) for f in contact_findings(pp, own)]
    findings = dedupe_by(found, _identity)
    hours = [float(f.attrs["hours"]) for f in findings if f.attrs["type"] == "promise"]
    counts = {t: float(sum(1 for f in findings if f.attrs["type"] == t)) for t in ("email", "phone", "form")}
    return Evidence(
        probe=NAME,
        findings=findings,
        metrics={
            "contact.promised_reply_hours": min(hours) if hours else None,
            "contact.emails": counts["email"],
            "contact.phones": counts["phone"],
            "contact.forms": counts["form"],
        },
        tried=tried_pages(
            capture,
            "mailto/tel links, page text, data-cfemail, JSON-LD ContactPoint, forms, "
            "reply promises (en/de/fr/es/it/nl/pt)",
        ),
    )


def _identity(f: Finding) -> tuple[str, str]:
    kind = str(f.attrs["type"])
    value = f.attrs.get(kind) if kind in ("email", "phone") else f.attrs.get("hours", f.url)
    return kind, str(value)


def contact_findings(pp: ParsedPage, own: str = "") -> list[Finding]:
    """E-mails, phones, forms and promises on one page."""
    return [*emails(pp, own), *phones(pp), *forms(pp), *promise_findings(pp)]


def _email(address: str, pp: ParsedPage, snip: str, method: str) -> Finding:
    return Finding("contact", f"mailto:{address}", {"type": "email", "email": address}, pp.url, snip, method)


def emails(pp: ParsedPage, own: str = "") -> Iterator[Finding]:
    """E-mail addresses: mailto links, plain text, Cloudflare-obfuscated and JSON-LD ones."""
    for tag, address, method in _raw_emails(pp):
        address = address.strip().lower()
        if not _valid(address) or (tag is not None and _is_sample(tag, address, own)):
            continue
        foreign = own and not _same_brand(registrable_domain(address.rsplit("@", 1)[1]), own)
        if (
            tag is not None
            and foreign
            and (
                pp.index.in_body_block(tag)
                or _in_credit_line(pp, tag)
                or _in_prose(tag)
                or _in_user_name(tag)
            )
            and not _in_byline(tag)
            and not _signed_off(pp, tag, address)
        ):
            continue  # an address quoted inside an article, or the web agency's, is somebody else's
        snip = pp.index.snippet(tag) if tag is not None else f"json-ld email {address}"
        yield _email(address, pp, snip, method)


def _raw_emails(pp: ParsedPage) -> Iterator[tuple[Tag | None, str, str]]:
    for a, href in pp.anchors():
        if href.lower().startswith("mailto:"):
            for address in unquote(href[7:]).split("?")[0].split(","):
                yield a, address, "mailto"
        elif _CF_PATH in href:
            yield a, decode_cfemail(href.split("#", 1)[1]), "cfemail"
    if "data-cfemail" in pp.index.folded_html:  # else no tag can carry it: spare the walk
        for tag in (t for t in pp.index.all_tags() if t.get("data-cfemail") is not None):
            yield tag, decode_cfemail(attr_text(tag, "data-cfemail")), "cfemail"
    for text in pp.index.strings:
        if "@" not in text or text.parent is None or text.parent.name in ("script", "style"):
            continue  # every address has an "@": a substring test spares the regex on nearly every string
        if isinstance(text, Comment):
            continue  # "<!-- Rating@Mail.ru counter -->": markup notes are not published addresses
        for m in EMAIL_RE.finditer(str(text)):
            yield text.parent, m.group(0), "text"
    for value in _jsonld_values(pp, "email"):
        yield None, value.removeprefix("mailto:"), "json-ld"
    yield from _obfuscated(pp)


def _obfuscated(pp: ParsedPage) -> Iterator[tuple[Tag | None, str, str]]:
    """Addresses written out against harvesters: ``info(at)acme.de``, ``info [at] acme [dot] de``."""
    for text in pp.index.strings:
        parent = text.parent
        if parent is None or parent.name in ("script", "style") or not _has_bracket(text):
            continue  # "(at)", "[at]", "{at}": no bracket, no obfuscated address
        if isinstance(text, Comment):
            continue
        if not _obfuscated_re().search(text):
            continue
        for m in _obfuscated_re().finditer(str(text)):
            domain = re.sub(r"\s+", "", _dot_re().sub(".", m.group("domain")))
            yield parent, f"{m.group('local')}@{domain}", "obfuscated"


@lru_cache(maxsize=1)
def _obfuscated_re() -> re.Pattern[str]:
    at = "|".join(re.escape(w) for w in words("email_at"))
    dot = "|".join(re.escape(w) for w in words("email_dot"))
    return re.compile(
        rf"(?<![\w.+-])(?P<local>[A-Za-z0-9._%+-]+)\s*[(\[{{]\s*(?:{at})\s*[)\]}}]\s*"
        rf"(?P<domain>[A-Za-z0-9-]+(?:\s*(?:\.|[(\[{{]\s*(?:{dot})\s*[)\]}}])\s*[A-Za-z0-9-]+)+)",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def _dot_re() -> re.Pattern[str]:
    dot = "|".join(re.escape(w) for w in words("email_dot"))
    return re.compile(rf"\s*[(\[{{]\s*(?:{dot})\s*[)\]}}]\s*", re.IGNORECASE)


def _is_sample(tag: Tag, address: str, own: str) -> bool:
    """True for placeholder domains and for foreign addresses shown in forms or code."""
    domain = address.rsplit("@", 1)[1]
    if _PLACEHOLDER_DOMAIN.search(domain) and registrable_domain(domain) != own:
        return True
    in_sample = tag.name in _SAMPLE_CONTAINERS or any(
        isinstance(p, Tag) and p.name in _SAMPLE_CONTAINERS for p in tag.parents
    )
    return in_sample and registrable_domain(domain) != own


def _same_brand(domain: str, own: str) -> bool:
    """The owner's domain, or a sibling naming the same brand (``prospect-magazine.co.uk`` for
    ``prospectmagazine.co.uk``, ``buzzfeed.com`` for ``buzzfeednews.com``): a staff address, not a quote."""
    if domain == own:
        return True
    a, b = (re.sub(r"[\W_]+", "", d.split(".")[0]) for d in (domain, own))
    return min(len(a), len(b)) >= 4 and (a in b or b in a)


_BYLINE = re.compile(r"byline|author", re.IGNORECASE)


def _in_user_name(tag: Tag) -> bool:
    """True when the address is a member's name on a forum post or profile card (``<div class="username">``,
    four levels up at most): a board that shows e-mail addresses as user names publishes its members'."""
    for depth, parent in enumerate(tag.parents):
        if depth >= 4 or not isinstance(parent, Tag) or parent.name in ("body", "html"):
            return False
        if _USER_NAME.search(f"{attr_text(parent, 'class')} {attr_text(parent, 'id')}"):
            return True
    return False


_USER_NAME = re.compile(
    r"(?:^|[-_\s])(?:user-?name|poster(?:-?name)?|member-?name|nick-?name|post-?author)(?:$|[-_\s])", re.I
)


def _in_byline(tag: Tag) -> bool:
    """True when the address sits in the article's byline or author box (six levels up at most): a
    reporter's published address on the group's mail domain (``washpost.com``, ``dowjones.com``) is the
    publisher's staff address, not one quoted in the story."""
    for depth, parent in enumerate(tag.parents):
        if depth >= 6 or not isinstance(parent, Tag) or parent.name in ("body", "html", "article"):
            return False
        if _BYLINE.search(attr_text(parent, "class")) or _BYLINE.search(attr_text(parent, "id")):
            return True
    return False


_SIGN_OFF = re.compile(
    r"(?:\bwrite to|\be-?mail|\bcontact the author|\breach the author)[^.@]{0,60}?\bat\s*$", re.IGNORECASE
)


def _signed_off(pp: ParsedPage, tag: Tag, address: str) -> bool:
    """True for an article's sign-off naming its reporter's address ("Write to Kristin Jones at …")."""
    text = (pp.index.short_text(tag) or "").lower()
    at = text.find(address)
    return at > 0 and _SIGN_OFF.search(text[:at]) is not None


def _in_prose(tag: Tag) -> bool:
    """True when ``tag`` sits in running text: an ancestor (four levels up at most) holding three or more
    paragraphs is an article's body even without article markup."""
    for depth, parent in enumerate(tag.parents):
        if depth >= 4 or not isinstance(parent, Tag) or parent.name in ("body", "html"):
            return False
        if sum(1 for c in parent.children if isinstance(c, Tag) and c.name == "p") >= 3:
            return True
    return False


def _in_credit_line(pp: ParsedPage, tag: Tag) -> bool:
    """True when the address sits in a short "web design by …" credit line."""
    block = tag if tag.name not in ("a", "span") else (tag.parent or tag)
    strings = pp.index.short_strings(block) if isinstance(block, Tag) else []
    text = " ".join(strings) if strings is not None else None  # None: far over 200 characters
    return text is not None and len(text) < 200 and bool(words_pattern("site_credit").search(text))


def _valid(address: str) -> bool:
    return bool(EMAIL_RE.fullmatch(address)) and address.rsplit(".", 1)[-1] not in _FILE_TLDS


def decode_cfemail(hexed: str) -> str:
    """Decode Cloudflare's e-mail obfuscation (first byte is the XOR key); empty on bad input."""
    try:
        data = bytes.fromhex(hexed.strip())
    except ValueError:
        return ""
    if len(data) < 2:
        return ""
    return bytes(b ^ data[0] for b in data[1:]).decode("utf-8", "replace")


def _jsonld_values(pp: ParsedPage, key: str) -> Iterator[str]:
    for item in jsonld(pp):
        yield from _walk(item, key)


def _walk(node: Any, key: str) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, key)
    elif isinstance(node, dict) and "Person" not in types_of(node):
        if isinstance(node.get(key), str):
            yield node[key]
        for name, value in node.items():
            if name not in ("author", "creator", "editor", "contributor"):
                yield from _walk(value, key)


def phones(pp: ParsedPage) -> Iterator[Finding]:
    """Phone numbers from tel: links and JSON-LD telephone values."""
    raw: list[tuple[Tag | None, str, str]] = [
        (a, unquote(href[4:]), "tel") for a, href in pp.anchors() if href.lower().startswith("tel:")
    ]
    raw += [(None, value, "json-ld") for value in _jsonld_values(pp, "telephone")]
    for tag, number, method in raw:
        phone = normalise_phone(number)
        if len(re.sub(r"\D", "", phone)) >= 6:
            snip = pp.index.snippet(tag) if tag is not None else f"json-ld telephone {number}"
            yield Finding("contact", f"tel:{phone}", {"type": "phone", "phone": phone}, pp.url, snip, method)


def normalise_phone(number: str) -> str:
    """A phone number as ``+`` and digits only (``+49 (30) 123-45`` → ``+493012345``)."""
    digits = re.sub(r"\D", "", number)
    if digits.startswith("00"):
        return f"+{digits[2:]}"
    return f"+{digits}" if number.strip().startswith("+") else digits


def forms(pp: ParsedPage) -> Iterator[Finding]:
    """Contact forms: hosted form services, or a form with a message box and an e-mail field."""
    for tag in pp.index.tags("form", "iframe", "script"):
        target = attr_text(tag, "action" if tag.name == "form" else "src")
        provider = _form_provider(pp.absolute(target)) if target else None
        if provider is None and not (tag.name == "form" and is_contact_form(tag)):
            continue
        url = strip_url((pp.absolute(target) if target else "") or pp.url)
        attrs = {"type": "form", "provider": provider or "generic"}
        yield Finding(
            "contact", url, attrs, source_url=pp.url, snippet=pp.index.snippet(tag), method=tag.name
        )


def _form_provider(url: str) -> str | None:
    return next((p.id for p in table("contact_forms") if p.urls and p.urls.search(url)), None)


def is_contact_form(form: Tag) -> bool:
    """True for a message form (textarea + e-mail field) that is not a comment or search form."""
    ident = " ".join(attr_text(form, a).lower() for a in ("action", "id", "class", "name"))
    if "comment" in ident or "search" in ident or form.find("input", attrs={"type": "password"}):
        return False
    has_email = any(
        isinstance(f, Tag) and ("mail" in attr_text(f, "name").lower() or attr_text(f, "type") == "email")
        for f in form.find_all("input")
    )
    return has_email and form.find("textarea") is not None


def promise_findings(pp: ParsedPage) -> Iterator[Finding]:
    """Reply-time promises in the page text."""
    for p in parse_promises(visible_text(pp)):
        attrs: dict[str, Any] = {"type": "promise", "hours": p.hours, "text": p.text, "business": p.business}
        yield Finding("contact", strip_url(pp.url), attrs, source_url=pp.url, snippet=p.text, method="text")


def parse_promises(text: str) -> list[Promise]:
    """Reply-time promises in ``text`` ("we reply within 24 hours" → 24.0), any supported language."""
    out = []
    if not has_word("reply", text):
        return []  # a sentence's match is a match in the whole text: no need to split it
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        if not has_word("reply", sentence):
            continue
        for m in _duration_re().finditer(sentence):
            if _after_within(sentence, m.start()):
                out.append(_promise(m, sentence))
    return [p for p in out if 0 < p.hours <= 24 * 30]


def _after_within(sentence: str, start: int) -> bool:
    window = sentence[max(0, start - 30) : start]
    return bool(words_pattern("within").search(window))


def _promise(m: re.Match[str], sentence: str) -> Promise:
    number = m.group("num").lower().replace(",", ".")
    value = float(number) if number[0].isdigit() else float(_numbers()[number])
    unit = m.group("unit").lower()
    hours = value * 24 if unit in words("day_units") else value
    span = m.group(0).lower()
    business = any(marker in span for marker in words("business"))
    return Promise(hours=hours, business=business, text=sentence.strip()[:200])


@lru_cache(maxsize=1)
def _numbers() -> dict[str, int]:
    return {w.lower(): int(n) for lang in load_data("words")["numbers"].values() for w, n in lang.items()}


@lru_cache(maxsize=1)
def _duration_re() -> re.Pattern[str]:
    number_words = "|".join(re.escape(w) for w in sorted(_numbers(), key=len, reverse=True))
    units = "|".join(
        re.escape(u) for u in sorted({*words("hour_units"), *words("day_units")}, key=len, reverse=True)
    )
    business = "|".join(re.escape(b) for b in words("business"))
    return re.compile(
        rf"(?<!\w)(?P<num>\d{{1,3}}(?:[.,]\d)?|{number_words})\s*(?:-\s*)?"
        rf"(?:(?P<pre>(?:{business})\w*)\s+)?(?P<unit>{units})(?!\w)\.?(?:\s+(?P<post>(?:{business})\w*))?",
        re.IGNORECASE,
    )

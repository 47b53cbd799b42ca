"""Newsletter sign-up forms: provider embeds and generic e-mail-only subscribe forms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag

from audit.models import Evidence, Finding, SiteCapture
from probes.base import (
    ParsedPage,
    attr_text,
    dedupe_by,
    parsed_pages,
    strip_url,
    tag_text,
    tried_pages,
    words_pattern,
)
from probes.fingerprints import Platform, table

NAME = "newsletter"
CHANNELS: tuple[str, ...] = ("newsletter",)

_CAPTCHA = re.compile(r"^(?:g-recaptcha|h-captcha|cf-turnstile)-response$", re.IGNORECASE)
_NOT_TYPED_IN = frozenset({"submit", "button", "image", "reset", "checkbox", "radio"})
_NOT_SUBSCRIBE = ("search", "login", "log-in", "signin", "sign-in", "checkout", "cart", "comment", "contact")


def providers() -> tuple[Platform, ...]:
    """The newsletter provider table (``data/newsletter_providers.toml``)."""
    return table("newsletter_providers")


def probe(capture: SiteCapture) -> Evidence:
    """Sign-up forms on any page, one finding per (provider, form target)."""
    found = [f for pp in parsed_pages(capture) for f in signups(pp)]
    findings = dedupe_by(found, lambda f: (f.attrs["provider"], f.url))
    return Evidence(
        probe=NAME,
        findings=findings,
        metrics={"newsletter.forms": float(len(findings))},
        tried=tried_pages(capture, "provider embeds (form actions, iframes, scripts) and e-mail-only forms"),
    )


def signups(pp: ParsedPage) -> list[Finding]:
    """Newsletter sign-ups on one page (provider embeds first, then generic forms)."""
    out = list(_provider_embeds(pp))
    if not out:
        out = [_finding(pp, form, "generic") for form in _generic_forms(pp)]
    return out


def _provider_embeds(pp: ParsedPage) -> Iterator[Finding]:
    for tag in pp.index.tags("form", "iframe", "script"):
        target = attr_text(tag, "action" if tag.name == "form" else "src")
        for p in providers():
            if target and p.urls and p.urls.search(pp.absolute(target)):
                yield _finding(pp, tag, p.id)
                return
    has_email = any(_is_email(f) for f in pp.index.tags("input"))
    for p in providers():
        m = p.html_match(pp.page.html)
        if m and not has_email and m.group(0).startswith(("id=", "class=")):
            continue  # an embed's empty container (``<div id="mc_embed_signup">`` with no form) is no form
        if m:
            yield Finding("newsletter", pp.url, {"provider": p.id}, pp.url, m.group(0)[:120], "html")
            return


def _finding(pp: ParsedPage, tag: Tag, provider: str) -> Finding:
    target = attr_text(tag, "action" if tag.name == "form" else "src")
    url = strip_url((pp.absolute(target) if target else "") or pp.url)
    return Finding(
        "newsletter", url, {"provider": provider}, pp.url, snippet=pp.index.snippet(tag), method=tag.name
    )


def _generic_forms(pp: ParsedPage) -> Iterator[Tag]:
    for form in pp.index.tags("form"):
        if is_subscribe_form(form):
            yield form
    yield from _template_forms(pp)


#: ``<script type=…>`` of client-side templates (jQuery tmpl, Underscore, Handlebars, Knockout) whose HTML
#: the page inserts at run time: a sign-up pop-up or banner often lives there, not in the static DOM
_TEMPLATE_TYPE = re.compile(r"^text/(?:x-[\w.-]*(?:tmpl|template|handlebars|mustache)|template|html)$", re.I)


def _template_forms(pp: ParsedPage) -> Iterator[Tag]:
    """Subscribe forms written in a client-side template script (parsed as HTML of their own)."""
    for script in pp.index.tags("script"):
        text = script.string or ""
        if "<form" not in text.lower() or not _TEMPLATE_TYPE.match(attr_text(script, "type").strip()):
            continue
        for form in BeautifulSoup(text, "lxml").find_all("form"):
            if isinstance(form, Tag) and is_subscribe_form(form):
                yield form


def is_subscribe_form(form: Tag) -> bool:
    """True for a form with exactly one e-mail field, no password/textarea, and newsletter words nearby.

    In a form wrapping the whole page (ASP.NET's), a CMS's sign-up block around an e-mail field (Sitecore's
    ``<div class="scfForm">``) is judged as a form of its own.
    """
    if len(tag_text(form)) > _PAGE_FORM:
        blocks = (_inner_form(field, form) for field in form.find_all("input") if _is_email(field))
        if any(block is not None and _is_subscribe(block) for block in blocks):
            return True
    return _is_subscribe(form)


#: a class naming a form block (``scfForm``, ``signup-form``, ``form_newsletter``), not a field inside one
_FORM_CLASS = re.compile(r"form$|^form[-_]|[-_]form[-_]", re.IGNORECASE)


def _inner_form(field: Tag, wrapper: Tag) -> Tag | None:
    """The nearest block around ``field`` inside ``wrapper`` that its class calls a form, if short."""
    parent = field.parent
    for _ in range(10):
        if not isinstance(parent, Tag) or parent is wrapper:
            return None
        if any(_FORM_CLASS.search(c) for c in attr_text(parent, "class").split()):
            return parent if len(tag_text(parent)) <= _PAGE_FORM else None
        parent = parent.parent
    return None


def _is_subscribe(form: Tag) -> bool:
    fields = [f for f in form.find_all(["input", "textarea", "select"]) if isinstance(f, Tag)]
    fields = [f for f in fields if not _CAPTCHA.search(attr_text(f, "name"))]  # reCAPTCHA's own textarea
    types = [attr_text(f, "type").lower() or ("textarea" if f.name == "textarea" else "text") for f in fields]
    if "password" in types or "textarea" in types or "search" in types:
        return False
    emails = [f for f in fields if _is_email(f)]
    visible = [t for t in types if t not in ("hidden", "submit", "button", "checkbox", "radio", "image")]
    # a sign-up may ask for a name, a company, a city when the form calls itself a newsletter or opens with
    # a sign-up heading ("Get Updates, Invites & Special Deals")
    named = _says_newsletter(form) or bool(words_pattern("newsletter").search(tag_text(form)[:_HEADING]))
    if len(emails) != 1 or len(visible) > (_MAX_NAMED_FIELDS if named else 3):
        return False
    ident = " ".join(attr_text(form, a).lower() for a in ("action", "id", "class", "name", "role"))
    if any(word in ident for word in _NOT_SUBSCRIBE) and not _says_newsletter(form):
        return False
    if len(tag_text(form)) > _PAGE_FORM:
        # a form wrapping the whole page (ASP.NET's aspnetForm): only the e-mail field's own block speaks
        ident = "" if "aspnet" in ident or "__viewstate" in str(form)[:4000].lower() else ident
        context = _context_text(emails[0])
    else:
        context = _context_text(form)
    return bool(words_pattern("newsletter").search(f"{ident} {_field_words(emails[0])} {context}"))


def _field_words(field: Tag) -> str:
    """The e-mail field's class and id as words (``SubscribeBox-input`` → ``Subscribe Box input``)."""
    marks = f"{attr_text(field, 'class')} {attr_text(field, 'id')}"
    return _CAMEL.sub(" ", marks).replace("-", " ").replace("_", " ")


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


#: visible fields a form its own marks call a newsletter may have (e-mail, names, company, job, country …)
_MAX_NAMED_FIELDS = 8
#: characters at the start of a form's text read as its heading
_HEADING = 80

#: characters of text over which a form is a page-wide wrapper rather than a sign-up box
_PAGE_FORM = 3000


def _says_newsletter(form: Tag) -> bool:
    """True when the form's own class or hidden tags call it a newsletter (Shopify: ``contact[tags]``)."""
    marks = [attr_text(form, "class")]
    marks += [attr_text(f, "value") for f in form.find_all("input", type="hidden") if isinstance(f, Tag)]
    return any("newsletter" in m.lower() for m in marks)


def _is_email(field: Tag) -> bool:
    kind = attr_text(field, "type").lower()
    if kind == "email":
        return True
    if kind in _NOT_TYPED_IN:
        return False  # a "Sign up" button named submit_email is not a second e-mail field
    names = " ".join(attr_text(field, a).lower() for a in ("name", "id", "placeholder", "autocomplete"))
    return "mail" in names


def _context_text(form: Tag) -> str:
    """The form's own text plus a short heading/intro around it (up to three levels up)."""
    text = tag_text(form)
    parent = form.parent
    for _ in range(3):
        if not isinstance(parent, Tag) or len(tag_text(parent)) > 600:
            break
        text = tag_text(parent)
        parent = parent.parent
    return text

"""Every word list is exercised in every language: FAQ headings, newsletters, careers/press, help and
community, obfuscated e-mails, follow-us blocks and agency credit lines."""

from __future__ import annotations

import pytest

from audit.models import Page, SiteCapture
from probes import community, contact, faq, functions, help_center, newsletter, social_profiles
from probes.base import parse

LANGS = ("en", "de", "fr", "es", "it", "nl", "pt")


def _capture(html: str, url: str = "https://acme.test/page") -> SiteCapture:
    page = Page(
        url=url, final_url=url, status=200, content_type="text/html", text=f"<html><body>{html}</body></html>"
    )
    return SiteCapture(name="Acme", url="https://acme.test/", pages=[page])


FAQ_HEADINGS = dict(
    zip(
        LANGS,
        (
            "Frequently asked questions",
            "Häufig gestellte Fragen",
            "Foire aux questions",
            "Preguntas frecuentes",
            "Domande frequenti",
            "Veelgestelde vragen",
            "Perguntas frequentes",
        ),
        strict=True,
    )
)


@pytest.mark.parametrize("lang", LANGS)
def test_faq_heading(lang: str) -> None:
    html = (
        f"<h1>{FAQ_HEADINGS[lang]}</h1><h3>Is the first question long enough?</h3><p>a</p>"
        "<h3>And is the second one too?</h3><p>b</p>"
    )
    finding = faq.faq_on_page(parse(_capture(html).pages[0]))
    assert finding is not None and finding.attrs["qa_pairs"] == 2


NEWSLETTER = {
    "en": "Subscribe to our newsletter",
    "de": "Newsletter abonnieren",
    "fr": "Abonnez-vous à notre lettre",
    "es": "Suscríbete a nuestro boletín",
    "it": "Iscriviti alla newsletter",
    "nl": "Schrijf je in voor de nieuwsbrief",
    "pt": "Assine nossa newsletter",
}


@pytest.mark.parametrize("lang", LANGS)
def test_newsletter_words(lang: str) -> None:
    form = '<form action="/x"><input type="email" name="e"><button>OK</button></form>'
    assert newsletter.probe(_capture(f"<div><h3>{NEWSLETTER[lang]}</h3>{form}</div>")).found
    assert not newsletter.probe(_capture(f"<div><h3>Login</h3>{form}</div>")).found


CAREERS_PRESS = {
    "en": ("Careers", "Press"),
    "de": ("Karriere", "Presse"),
    "fr": ("Carrières", "Salle de presse"),
    "es": ("Trabaja con nosotros", "Sala de prensa"),
    "it": ("Lavora con noi", "Sala stampa"),
    "nl": ("Werken bij", "Pers"),
    "pt": ("Trabalhe conosco", "Imprensa"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_careers_and_press_link_texts(lang: str) -> None:
    careers, press = CAREERS_PRESS[lang]
    html = f'<footer><a href="/a1">{careers}</a> <a href="/b2">{press}</a></footer>'
    found = {(f.attrs["function"], f.url) for f in functions.probe(_capture(html)).findings}
    assert found == {("careers", "https://acme.test/a1"), ("press", "https://acme.test/b2")}


HELP = {
    "en": ("help", "Help center"),
    "de": ("hilfe", "Hilfe"),
    "fr": ("aide", "Centre d'aide"),
    "es": ("ayuda", "Centro de ayuda"),
    "it": ("assistenza", "Assistenza"),
    "nl": ("klantenservice", "Klantenservice"),
    "pt": ("ajuda", "Central de ajuda"),
}
COMMUNITY = {
    "en": "forum",
    "de": "foren",
    "fr": "communaute",
    "es": "comunidad",
    "it": "comunita",
    "nl": "gemeenschap",
    "pt": "comunidade",
}


@pytest.mark.parametrize("lang", LANGS)
def test_help_and_community_links(lang: str) -> None:
    slug, text = HELP[lang]
    html = f'<nav><a href="/{slug}/">{text}</a> <a href="https://{COMMUNITY[lang]}.acme.test/">x</a></nav>'
    helps = [f.url for f in help_center.probe(_capture(html)).findings]
    forums = [f.url for f in community.probe(_capture(html)).findings]
    assert helps == [f"https://acme.test/{slug}/"]
    assert forums == [f"https://{COMMUNITY[lang]}.acme.test/"]


OBFUSCATED = {
    "en": "info (at) acme (dot) test",
    "de": "info [ät] acme [punkt] test",
    "fr": "info [arobase] acme [point] test",
    "es": "info (arroba) acme (punto) test",
    "it": "info [chiocciola] acme [punto] test",
    "nl": "info (apenstaartje) acme (punt) test",
    "pt": "info [arroba] acme [ponto] test",
}


@pytest.mark.parametrize("lang", LANGS)
def test_obfuscated_emails(lang: str) -> None:
    evidence = contact.probe(_capture(f"<p>E-mail: {OBFUSCATED[lang]}</p>"))
    assert [f.attrs["email"] for f in evidence.findings if f.attrs["type"] == "email"] == ["info@acme.test"]


CREDIT = {
    "en": "Website by",
    "de": "Umsetzung:",
    "fr": "Réalisation :",
    "es": "Desarrollado por",
    "it": "Realizzazione:",
    "nl": "Ontwikkeld door",
    "pt": "Desenvolvido por",
}


@pytest.mark.parametrize("lang", LANGS)
def test_agency_credit_address_is_not_the_owners(lang: str) -> None:
    html = f"<p>info@acme.test</p><p>{CREDIT[lang]} Pixelwerk, hallo@pixelwerk-studio.de</p>"
    evidence = contact.probe(_capture(html))
    assert [f.attrs["email"] for f in evidence.findings if f.attrs["type"] == "email"] == ["info@acme.test"]


FOLLOW = {
    "en": "Follow us",
    "de": "Folgen Sie uns",
    "fr": "Suivez-nous",
    "es": "Síguenos",
    "it": "Seguici",
    "nl": "Volg ons",
    "pt": "Siga-nos",
}


@pytest.mark.parametrize("lang", LANGS)
def test_follow_us_blocks(lang: str) -> None:
    link = '<a href="https://www.instagram.com/roadrunnerhq/">Instagram</a>'
    html = f"<main><div><p>{FOLLOW[lang]}: {link}</p></div></main>"
    found = social_profiles.probe(_capture(html)).findings
    assert [f.url for f in found] == ["https://www.instagram.com/roadrunnerhq"]

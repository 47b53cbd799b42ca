"""Chat widgets seen only by a browser: literal ``Page.render`` records (requests, globals, iframes)."""

from __future__ import annotations

from typing import Any

from audit.models import Page, SiteCapture
from probes import chat_widgets

TAG_LOADER = """<html><head><script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':
new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],j=d.createElement(s);j.async=true;
j.src='https://www.googletagmanager.com/gtm.js?id='+i;f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer','GTM-K9XZ2');</script></head>
<body><header><a href="/">Widgets Inc</a></header><main><h1>Talk to us</h1></main></body></html>"""


def _request(
    url: str, status: int | None = 200, failure: str | None = None, kind: str = "script"
) -> dict[str, Any]:
    return {"url": url, "type": kind, "status": status, "failure": failure}


def _render(
    requests: list[dict[str, Any]] | None = None,
    globals_: list[str] | None = None,
    iframes: list[str] | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    return {
        "requests": requests or [],
        "globals": globals_ or [],
        "iframes": iframes or [],
        "console_errors": [],
        "timing": {"ttfb_ms": 12.0, "load_ms": 180.0},
        "screenshot": None,
        "error": error,
    }


def _page(url: str, render: dict[str, Any] | None, html: str = TAG_LOADER) -> Page:
    return Page(url=url, final_url=url, status=200, content_type="text/html", text=html, render=render)


def _capture(*pages: Page, **stats: Any) -> SiteCapture:
    return SiteCapture(name="Widgets", url="https://widgets.test/", pages=list(pages), stats=dict(stats))


def _vendors(capture: SiteCapture) -> dict[str, tuple[str, str, str, str]]:
    evidence = chat_widgets.probe(capture)
    assert evidence.status == "ok"
    return {f.attrs["vendor"]: (f.method, f.url, f.source_url, f.snippet) for f in evidence.findings}


def test_tag_manager_injected_widget_is_found_by_its_request() -> None:
    render = _render(
        [
            _request("https://www.googletagmanager.com/gtm.js?id=GTM-K9XZ2"),
            _request("https://js.driftt.com/include/1790000000/wi42.js"),
            _request("https://www.google-analytics.com/g/collect?v=2", kind="fetch"),
        ]
    )
    found = _vendors(_capture(_page("https://widgets.test/", render), rendered=True))
    assert found == {
        "Drift": (
            "request",
            "https://js.driftt.com/include/1790000000/wi42.js",
            "https://widgets.test/",
            "request https://js.driftt.com/include/1790000000/wi42.js",
        )
    }


def test_blocked_or_failed_request_still_counts() -> None:
    blocked = _request(
        "https://cdn.livechatinc.com/tracking.js", status=None, failure="net::ERR_BLOCKED_BY_CLIENT"
    )
    found = _vendors(_capture(_page("https://widgets.test/contact", _render([blocked])), rendered=True))
    assert found["LiveChat"][0] == "request"
    assert "cdn.livechatinc.com/tracking.js" in found["LiveChat"][3]


def test_js_global_names_the_vendor() -> None:
    found = _vendors(
        _capture(_page("https://widgets.test/", _render(globals_=["LiveChatWidget"])), rendered=True)
    )
    assert found == {
        "LiveChat": (
            "global",
            "https://widgets.test/",
            "https://widgets.test/",
            "global window.LiveChatWidget",
        )
    }


def test_iframe_names_the_vendor() -> None:
    render = _render(iframes=["https://embed.tawk.to/_s/v4/app/frame.html"])
    found = _vendors(_capture(_page("https://widgets.test/", render), rendered=True))
    assert found["Tawk.to"][:3] == (
        "iframe",
        "https://embed.tawk.to/_s/v4/app/frame.html",
        "https://widgets.test/",
    )


def test_static_evidence_comes_first_and_vendors_are_deduplicated() -> None:
    html = '<html><body><script src="https://widget.intercom.io/widget/abc"></script></body></html>'
    render = _render([_request("https://widget.intercom.io/widget/abc")], ["Intercom"])
    found = _vendors(_capture(_page("https://widgets.test/", render, html), rendered=True))
    assert list(found) == ["Intercom"] and found["Intercom"][0] == "script"


def test_marketing_loaders_alone_are_not_chat() -> None:
    render = _render(
        [
            _request("https://www.googletagmanager.com/gtm.js?id=GTM-K9XZ2"),
            _request("https://js.hs-scripts.com/1234567.js"),
            _request("https://js.hs-analytics.net/analytics/1700000000000/1234567.js"),
            _request("https://js.hs-banner.com/v2/1234567/banner.js"),
            _request("https://connect.facebook.net/en_US/fbevents.js"),
            _request("https://connect.facebook.net/en_US/sdk.js"),
            _request("https://static.zdassets.com/hc/assets/application-abc.js"),  # a Zendesk help center
        ],
        ["dataLayer", "_hsq", "fbq"],
    )
    evidence = chat_widgets.probe(_capture(_page("https://widgets.test/", render), rendered=True))
    assert evidence.status == "ok" and evidence.findings == []
    assert any("rendered requests" in t for t in evidence.tried)


def test_hubspot_loader_with_chat_configured_is_chat() -> None:
    render = _render(
        [
            _request("https://js.hs-scripts.com/1234567.js"),
            _request("https://js.usemessages.com/conversations-embed.js"),
        ],
        ["HubSpotConversations"],
    )
    found = _vendors(_capture(_page("https://widgets.test/", render), rendered=True))
    assert found["HubSpot"][0] == "request"


def test_nothing_rendered_and_nothing_static_is_not_measured() -> None:
    evidence = chat_widgets.probe(_capture(_page("https://widgets.test/", None)))
    assert evidence.status == "not_measured" and evidence.findings == []
    assert evidence.notes[0].startswith("rendering off: script-injected chat widgets cannot be seen")
    assert evidence.tried


def test_rendering_switched_off_is_not_measured_with_its_reason() -> None:
    gap = "rendering switched off (--render never)"
    evidence = chat_widgets.probe(
        _capture(_page("https://widgets.test/", None), rendered=False, render_gap=gap)
    )
    assert evidence.status == "not_measured" and gap in evidence.notes[0]


def test_only_failed_renders_is_not_measured() -> None:
    render = _render(error="TimeoutError: page.goto: Timeout 15000ms exceeded")
    evidence = chat_widgets.probe(_capture(_page("https://widgets.test/", render), rendered=True))
    assert evidence.status == "not_measured"


def test_static_find_without_rendering_is_still_found() -> None:
    html = '<html><body><a href="https://wa.me/4930123456">WhatsApp</a></body></html>'
    evidence = chat_widgets.probe(_capture(_page("https://widgets.test/", None, html), rendered=False))
    assert evidence.status == "ok" and [f.attrs["vendor"] for f in evidence.findings] == ["WhatsApp"]


def test_rendered_and_nothing_found_is_a_measured_absence() -> None:
    evidence = chat_widgets.probe(_capture(_page("https://widgets.test/", _render()), rendered=True))
    assert evidence.status == "ok" and evidence.findings == []
    assert evidence.metrics["chat.vendors"] == 0


def test_widget_injected_into_the_rendered_dom_is_credited_to_the_browser() -> None:
    injected = TAG_LOADER.replace(
        "</body>", '<script src="https://js.driftt.com/include/1/wi42.js"></script></body>'
    )
    page = _page("https://widgets.test/", _render([_request("https://js.driftt.com/include/1/wi42.js")]))
    page.rendered_html = injected
    found = _vendors(_capture(page, rendered=True))
    assert found["Drift"][0] == "request"  # the static HTML never named Drift
    static = _page("https://widgets.test/", _render(), injected)
    static.rendered_html = injected
    assert _vendors(_capture(static, rendered=True))["Drift"][0] == "script"

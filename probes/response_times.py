"""How fast the site answers: time to first byte and total time of its successful HTML pages.

Connection set-up is split like curl's ``-w``: DNS lookup, TCP connect and TLS handshake, each a median
over the pages that opened a new connection (behind a proxy, DNS and TCP are the proxy's).

Medians and p90 over the pages fetched, with the sample size; timings come from the gather stage.
"""

from __future__ import annotations

import math

from audit.models import Evidence, SiteCapture

NAME = "response_times"
CHANNELS: tuple[str, ...] = ()


def median(values: list[float]) -> float | None:
    """The median, or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile (``pct`` in 0–100), or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def probe(capture: SiteCapture) -> Evidence:
    """TTFB and total-time statistics over the capture's successful HTML pages."""
    pages = [p for p in capture.html_pages if p.timing.ttfb_ms is not None]
    ttfb = [p.timing.ttfb_ms for p in pages if p.timing.ttfb_ms is not None]
    # key pages were fetched more than once (settings.timing_samples): every sample counts
    ttfb += [v for values in capture.facts.timing_samples.values() for v in values]
    total = [p.timing.total_ms for p in pages if p.timing.total_ms is not None]
    evidence = Evidence(probe=NAME, tried=[f"timings of {len(pages)} HTML page(s)"])
    if not ttfb:
        evidence.notes.append("no page was fetched successfully, so no response time was measured")
    connects = [p.timing.connect_ms for p in pages if p.timing.connect_ms]  # new connections only
    # the phases of opening a connection, like curl -w (None on a reused connection)
    phases = {
        name: [v for p in pages if (v := getattr(p.timing, f"{name}_ms")) is not None]
        for name in ("dns", "tcp", "tls")
    }
    lcp = [
        float(p.render["timing"]["lcp_ms"])
        for p in capture.pages
        if p.render and not p.render.get("error") and (p.render.get("timing") or {}).get("lcp_ms") is not None
    ]
    evidence.metrics = {
        "site.ttfb_ms_median": _round(median(ttfb)),
        "site.ttfb_ms_p90": _round(percentile(ttfb, 90)),
        "site.total_ms_median": _round(median(total)),
        "site.pages_timed": float(len(pages)),
        "site.ttfb_samples": float(len(ttfb)),
        "site.connect_ms_median": _round(median(connects)),
        "site.dns_ms_median": _round(median(phases["dns"])),
        "site.tcp_ms_median": _round(median(phases["tcp"])),
        "site.tls_ms_median": _round(median(phases["tls"])),
        "site.lcp_ms_median": _round(median(lcp)),
        "site.lcp_pages_timed": float(len(lcp)),
    }
    if not connects:
        evidence.explain("site.connect_ms_median", "every page came over a reused connection")
    if connects and not phases["tls"]:
        evidence.explain("site.tls_ms_median", "no page was fetched over HTTPS on a new connection")
    if not lcp:
        evidence.explain("site.lcp_ms_median", "no page was rendered in a browser (LCP needs rendering)")
    return evidence


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)

"""Regenerate the demo market's sites and truth files: ``python -m audit.fixture_web.build [MARKET_DIR]``.

The five sites are written from ``sites/`` (one module per company, on the shared ``sites/layout.py``), so
a fact and the page that shows it live side by side, and the truth file of each company is written from the
same facts; this module assembles them, adds TLS headers and truth, and writes the files. The
committed files under ``audit/demo_market/`` are this module's output; a test fails when they drift.
"""

# ruff: noqa: E501 - page copy reads better unwrapped
from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from audit.fixture_web import activity
from audit.fixture_web.server import DEFAULT_MARKET_DIR
from audit.fixture_web.sites.acme import acme
from audit.fixture_web.sites.brightbooks import brightbooks
from audit.fixture_web.sites.layout import Company, Host
from audit.fixture_web.sites.northwind import northwind
from audit.fixture_web.sites.quillpay import quillpay
from audit.fixture_web.sites.tallybook import tallybook

COMPANIES: list[Callable[[], Company]] = [acme, northwind, brightbooks, quillpay, tallybook]


#: The status page's certificate lapsed: the leader's one TLS blemish, a trust finding in the demo.
EXPIRED_HOSTS = frozenset({"status.northwind.test"})
HSTS = "max-age=63072000; includeSubDomains"


def tls_headers(host: Host, toml_text: str) -> str:
    """A host's ``_headers.toml`` with its TLS: HSTS and an http→https redirect, or plain HTTP only."""
    if host.scheme == "http":
        return f"{toml_text.rstrip()}\n\n[tls]\nhttps = false\n".lstrip()
    if "Strict-Transport-Security" not in toml_text:
        if "[headers]\n" in toml_text:
            toml_text = toml_text.replace(
                "[headers]\n", f'[headers]\nStrict-Transport-Security = "{HSTS}"\n', 1
            )
        else:
            toml_text = f'[headers]\nStrict-Transport-Security = "{HSTS}"\n\n{toml_text}'
    problem = '\nproblem = "expired"' if host.name in EXPIRED_HOSTS else ""
    return f"{toml_text.rstrip()}\n\n[tls]\nredirect = true{problem}\n"


def tls_truth(hosts: list[Host]) -> dict[str, Any]:
    """What the trust probe must find about a company's TLS: HTTPS, HSTS, and a refused certificate."""
    https = hosts[0].scheme == "https"
    expired = [h.name for h in hosts if h.name in EXPIRED_HOSTS]
    return {
        "https": https,
        "hsts": https,
        # the certificates check: True (all valid), the reason one was refused, or None (no HTTPS at all)
        "certificates": f"certificate expired on 2026-01-01 ({expired[0]}"
        if expired
        else (True if https else None),
    }


def build(market_dir: Path = DEFAULT_MARKET_DIR) -> dict[str, str]:
    """Every generated file of the market, relative to ``market_dir`` (``sites/…`` and ``truth/…``)."""
    out: dict[str, str] = {}
    for make in COMPANIES:
        company = make()
        company.truth["hosts"] = [h.name for h in company.hosts]
        company.truth["trust"].update(tls_truth(company.hosts))
        company.truth["pages"] = sum(len(h.sitemap) for h in company.hosts)
        for host in company.hosts:
            for rel, text in host.files.items():
                out[f"sites/{host.name}/{rel}"] = text
        for host in company.hosts:
            toml_text = tls_headers(host, company.headers_toml.get(host.name, ""))
            if toml_text:
                out[f"sites/{host.name}/_headers.toml"] = toml_text
        main_host = company.hosts[0].name
        out[f"truth/{main_host}.json"] = json.dumps(company.truth, indent=2, ensure_ascii=False) + "\n"
    return out


#: Stand-ins for the chat vendors' loaders, served over HTTPS like the real ones (Chromium's HSTS
#: preload list upgrades these hosts to https anyway): each draws a visible launcher the renderer finds,
#: styled through the CSSOM, which a strict Content-Security-Policy (Northwind's) still allows.
CHAT_STANDINS: dict[str, tuple[str, str]] = {
    "widget.intercom.io": (
        "/widget/nw8k2",
        "window.Intercom = window.Intercom || function () {};"
        "(function () { var c = document.createElement('div'); c.id = 'intercom-container';"
        " var app = document.createElement('div'); app.className = 'intercom-lightweight-app';"
        " Object.assign(app.style, {position: 'fixed', right: '20px', bottom: '20px', width: '60px',"
        " height: '60px', borderRadius: '30px', background: '#1f8ded', zIndex: '2147483000'});"
        " app.setAttribute('aria-label', 'Open Intercom Messenger'); c.appendChild(app);"
        " document.body.appendChild(c); })();\n",
    ),
    "client.crisp.chat": (
        "/l.js",
        "window.$crisp = window.$crisp || [];"
        "(function () { var c = document.createElement('div'); c.className = 'crisp-client';"
        " Object.assign(c.style, {position: 'fixed', right: '24px', bottom: '24px', width: '60px',"
        " height: '60px', borderRadius: '30px', background: '#1972f5', zIndex: '2147483000'});"
        " c.setAttribute('aria-label', 'Open chat'); document.body.appendChild(c); })();\n",
    ),
}


def chat_standin_files() -> dict[str, str]:
    """``apis/<vendor host>/_routes.json`` answering each stand-in's loader path with its script."""
    out = {}
    for host, (path, script) in CHAT_STANDINS.items():
        route = {
            "status": 200,
            "content_type": "text/javascript; charset=utf-8",
            "headers": {},
            "body": script,
        }
        out[f"apis/{host}/_routes.json"] = json.dumps({path: route}, indent=1, sort_keys=True) + "\n"
    return out


def build_apis() -> dict[str, str]:
    """The third-party API hosts' files (``apis/<host>/_routes.json``), relative to the market directory."""
    return {**activity.api_files(), **chat_standin_files()}


def write(market_dir: Path = DEFAULT_MARKET_DIR) -> int:
    """Replace ``sites/``, ``truth/`` and ``apis/`` under ``market_dir`` with fresh files; returns the count."""
    files = {**build(market_dir), **build_apis()}
    for sub in ("sites", "truth", "apis"):
        shutil.rmtree(market_dir / sub, ignore_errors=True)
    for rel, text in files.items():
        path = market_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(files)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_MARKET_DIR
    print(f"wrote {write(target)} files under {target}")

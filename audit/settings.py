"""Every default in one place, documented, and the layering that overrides them.

Layers, lowest first: these defaults < ``engage.toml`` (current directory, or ``ENGAGE_CONFIG``) <
``ENGAGE_*`` environment variables (e.g. ``ENGAGE_MAX_PAGES=80``) < command-line options.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from audit import __version__

TOOL_URL = "https://github.com/engage-audit/engage"


@dataclass(frozen=True)
class Settings:
    """Run settings. Each field's comment is its documentation (README § Settings mirrors it)."""

    # --- identity and manners -----------------------------------------------------------------
    user_agent: str = f"Engage/{__version__} (+{TOOL_URL}; engagement audit)"
    obey_robots: bool = True  # robots.txt for our User-Agent; 401/403 on robots.txt means "disallow all"
    allow_private: bool = False  # refuse loopback/private/link-local targets unless set
    proxy: str | None = None  # HTTP proxy for every request, the browser's included
    # PEM file of CAs to trust as well as certifi's (never instead; verification stays on); default
    # REQUESTS_CA_BUNDLE or SSL_CERT_FILE. Chromium trusts its CAs by SPKI hash.
    ca_bundle: str | None = None

    # --- limits -------------------------------------------------------------------------------
    max_pages: int = 60  # pages fetched per company (robots.txt and sitemaps not counted)
    max_depth: int = 3  # link hops from the home page
    connect_timeout: float = 5.0  # seconds to open a connection
    read_timeout: float = 10.0  # seconds between bytes
    request_deadline: float = 20.0  # seconds for a whole response, however it trickles
    max_bytes: int = 5_000_000  # body bytes read per response (streamed; cut beyond)
    max_decompressed_bytes: int = 20_000_000  # after gzip/deflate/br: a bomb is cut here
    max_redirects: int = 5
    retries: int = 2  # extra attempts for idempotent GETs on connection errors and 5xx/429
    company_budget: float = 180.0  # seconds of crawling per company
    probe_budget: float = 120.0  # seconds of probing per company; probes not run by then are errors
    per_host_concurrency: int = 2  # parallel requests to one host
    min_delay: float = 0.0  # seconds between requests to a host, at least
    max_delay: float = 10.0  # adaptive delay never exceeds this (Crawl-delay may)
    # fetch threads shared by all companies: they mostly wait on the network, and a thread waiting on a slow
    # host must not hold up another company's fast one (16 left the demo's 60 ms company at 1.6× its bound)
    workers: int = 64
    timing_samples: int = 3  # fetches of each key page (home, contact, help, FAQ) for response times
    max_api_requests: int = 150  # declared API requests per company (forum, social and GitHub APIs)
    max_api_rounds: int = (
        6  # rounds of declared API requests per company, each planned from the answers so far
    )
    # days of forum topics and social posts measured, ending at the newest one (metric names such as
    # social.bluesky.posts_90d state the default window; community.window_days reports the one used)
    activity_window_days: int = 90
    max_forum_list_pages: int = 5  # Discourse topic-list pages read per forum (latest.json, paging)
    max_forum_topics: int = 50  # forum topics (Discourse) or discussions (Flarum) read per forum
    max_github_repos: int = 2  # GitHub repositories sampled per organisation
    max_github_comment_requests: int = 20  # GitHub issue comment lists fetched per organisation
    max_feed_pages: int = 5  # feed pages read per social account (Bluesky, Mastodon)

    # --- rendering ----------------------------------------------------------------------------
    render: str = "auto"  # auto | always | never
    chromium: str = "/usr/bin/chromium"
    render_timeout: float = 15.0  # seconds per rendered page
    render_budget: float = 60.0  # seconds of browser time per company
    render_concurrency: int = 4  # pages rendered at once (one browser for the run)
    render_max_pages: int = 4  # pages rendered per company: the home page, then pages matching render_pages
    render_pages: tuple[str, ...] = ("contact", "help", "support", "pricing", "kontakt", "contacto", "aide")

    # --- outputs and model --------------------------------------------------------------------
    formats: tuple[str, ...] = ("pdf", "html", "json", "csv")
    model: str | None = None  # path to a model TOML; default: the shipped engagement model
    db: str | None = None  # history database URL
    api_bases: dict[str, str] = field(default_factory=dict)  # NAME=URL overrides for API clients
    consultant: str = "Engage"  # "prepared by" on the report cover
    page_size: str = "A4"  # A4 | Letter
    pdf_variant: str = ""  # "" (plain PDF) | pdf/ua-1 (tagged, accessible) | pdf/ua-2 | pdf/a-3b
    # [theme] table of engage.toml: consultant, logo (file, relative to engage.toml), accent (#rrggbb),
    # client_name (display name of the client on the report)
    theme: dict[str, str] = field(default_factory=dict)
    notes: str | None = None  # Markdown file: the consultant's notes, after the executive summary

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with the non-None ``values`` applied (command-line layer)."""
        clean = {k: v for k, v in values.items() if v is not None}
        return replace(self, **clean)


class SettingsError(ValueError):
    """A setting that cannot be used, with a one-line reason."""


THEME_KEYS = ("consultant", "logo", "accent", "client_name")
PDF_VARIANTS = ("", "pdf/ua-1", "pdf/ua-2", "pdf/a-3b")
_ACCENT = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def read_theme(table: Any, base_dir: Path, where: str) -> dict[str, str]:
    """The ``[theme]`` table checked: known keys only, a hex accent, the logo path made absolute."""
    if not isinstance(table, dict):
        raise SettingsError(f"{where}: [theme] must be a table")
    unknown = sorted(set(table) - set(THEME_KEYS))
    if unknown:
        raise SettingsError(f"{where}: unknown theme key {unknown[0]!r} (use {', '.join(THEME_KEYS)})")
    theme = {str(k): str(v).strip() for k, v in table.items() if str(v).strip()}
    if "accent" in theme and not _ACCENT.match(theme["accent"]):
        raise SettingsError(
            f"{where}: theme accent must be a hex colour like #1f4e79, not {theme['accent']!r}"
        )
    if "logo" in theme:
        logo = Path(theme["logo"]).expanduser()
        theme["logo"] = str(logo if logo.is_absolute() else (base_dir / logo).resolve())
    return theme


def _coerce(name: str, raw: Any, default: Any) -> Any:
    """Convert a TOML/env value to the type of the default."""
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in ("1", "true", "yes", "on")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            number = float(raw)
            if not math.isfinite(number):  # a budget or timeout of nan/inf would reach audit.json
                raise ValueError("not a finite number")
            return number
        if isinstance(default, tuple):
            items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
            return tuple(str(i).strip() for i in items if str(i).strip())
        if isinstance(default, dict):
            if isinstance(raw, dict):
                return {str(k): str(v) for k, v in raw.items()}
            pairs = [p.split("=", 1) for p in str(raw).split(",") if "=" in p]
            return {k.strip(): v.strip() for k, v in pairs}
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name!r}: cannot read {raw!r} ({exc})") from None
    return None if raw in ("", None) else str(raw)


def load_settings(
    config_path: str | Path | None = None, environ: dict[str, str] | None = None, **cli: Any
) -> Settings:
    """Settings from defaults < engage.toml < ENGAGE_* environment < ``cli`` keyword overrides."""
    env = dict(os.environ if environ is None else environ)
    base = Settings()
    values: dict[str, Any] = {}
    defaults = {f.name: getattr(base, f.name) for f in fields(Settings)}

    path = Path(config_path or env.get("ENGAGE_CONFIG") or "engage.toml")
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise SettingsError(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"{path}: {exc}") from None
        table = data.get("engage", data)
        if isinstance(data.get("theme"), dict):
            values["theme"] = read_theme(data["theme"], path.resolve().parent, str(path))
        for key, raw in table.items():
            if key == "theme" and isinstance(raw, dict):
                values["theme"] = read_theme(raw, path.resolve().parent, str(path))
                continue
            if key not in defaults:
                if isinstance(raw, dict):  # other tables (theme, project) belong to other readers
                    continue
                raise SettingsError(f"{path}: unknown setting {key!r}")
            try:
                values[key] = _coerce(key, raw, defaults[key])
            except SettingsError as exc:
                raise SettingsError(f"{path}: {exc}") from None
    elif config_path:
        raise SettingsError(f"config file not found: {config_path}")

    for key, default in defaults.items():
        raw = env.get(f"ENGAGE_{key.upper()}")
        if raw is not None:
            try:
                values[key] = _coerce(key, raw, default)
            except SettingsError as exc:
                raise SettingsError(f"ENGAGE_{key.upper()}: {exc}") from None

    settings = replace(base, **values).with_overrides(**cli)
    _check_credentials(env, settings)
    if settings.render not in ("auto", "always", "never"):
        raise SettingsError(f"render must be auto, always or never, not {settings.render!r}")
    if settings.pdf_variant not in PDF_VARIANTS:
        raise SettingsError(f"pdf_variant must be one of {', '.join(v for v in PDF_VARIANTS if v)}")
    if env.get("ENGAGE_THEME") is not None:
        settings = replace(settings, theme=read_theme(settings.theme, Path.cwd(), "ENGAGE_THEME"))
    if settings.max_pages < 1:
        raise SettingsError("max_pages must be at least 1")
    return replace(settings, ca_bundle=_ca_bundle(settings.ca_bundle, env))


def _check_credentials(env: dict[str, str], settings: Settings) -> None:
    """Credential variables checked at load (one line naming the variable, never its value); the proxy's
    password registered so no error text or log line can show it."""
    from audit.credentials import CredentialError, check_environment, without_password

    try:
        check_environment(env)
    except CredentialError as exc:
        raise SettingsError(str(exc)) from None
    without_password(settings.proxy)


#: The variables requests and curl (OpenSSL) users set for their CAs, in the order they are honoured.
CA_BUNDLE_ENV = ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE")


def _ca_bundle(value: str | None, env: dict[str, str]) -> str | None:
    """The CA bundle to add (the setting, else REQUESTS_CA_BUNDLE / SSL_CERT_FILE), checked, absolute."""
    from audit.certificates import BundleError, read_bundle

    where = "ca_bundle"
    if not value:
        where, value = next(((name, env[name]) for name in CA_BUNDLE_ENV if env.get(name)), (where, None))
    if not value:
        return None
    path = Path(value).expanduser().resolve()
    try:
        read_bundle(path)
    except BundleError as exc:
        raise SettingsError(f"{where}: {exc}") from None
    return str(path)

"""Render the report: HTML (self-contained), PDF (WeasyPrint) and CSV exports, written atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from report_templates.export import findings_csv, scores_csv
from report_templates.view import ReportView, build_view

#: The package directory; computed here (not in ``__init__``) so it works even if the package is imported
#: as a namespace package by a stale editable install.
PACKAGE_DIR = Path(__file__).resolve().parent
FORMATS: frozenset[str] = frozenset({"html", "pdf", "csv", "json"})
PAGE_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}
#: Package sub-directories WeasyPrint may read from; everything else is refused.
ALLOWED_DIRS: tuple[str, ...] = ("fonts", "assets")
FONT_FACES: tuple[tuple[str, int], ...] = (
    ("Inter-Regular.otf", 400),
    ("Inter-Medium.otf", 500),
    ("Inter-SemiBold.otf", 600),
    ("Inter-Bold.otf", 700),
)


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(PACKAGE_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def page_size_css(page_size: str) -> str:
    """The ``@page`` size rule for ``A4`` or ``Letter``."""
    try:
        size = PAGE_SIZES[page_size.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown page size {page_size!r}; use A4 or Letter") from None
    return f"@page {{ size: {size}; }}\n"


def font_face_css(embed: bool) -> str:
    """``@font-face`` rules: the shipped files for the PDF, locally installed Inter for the HTML."""
    rules = []
    for filename, weight in FONT_FACES:
        local = filename.removesuffix(".otf").replace("-", " ")
        source = (
            f'url("fonts/{filename}") format("opentype")' if embed else f'local("{local}"), local("Inter")'
        )
        face = f'font-family: "Inter"; font-style: normal; font-weight: {weight}; src: {source};'
        rules.append(f"@font-face {{ {face} }}")
    return "\n".join(rules) + "\n"


def stylesheet(page_size: str, embed_fonts: bool) -> str:
    css = (PACKAGE_DIR / "report.css").read_text(encoding="utf-8")
    return font_face_css(embed_fonts) + page_size_css(page_size) + css


def render_html(view: ReportView, *, page_size: str = "A4", for_pdf: bool = False) -> str:
    """The report as one HTML document: CSS inline, charts inline SVG, every string autoescaped."""
    template = _environment().get_template("report.html")
    return template.render(v=view, css=stylesheet(page_size, embed_fonts=for_pdf))


class PackageURLFetcher:
    """A WeasyPrint URL fetcher that serves only this package's fonts and assets.

    Anything else — http(s), data:, file:// outside the package — is refused and recorded, so text
    scraped from the web can never make the renderer read a local file or open a connection.
    """

    def __init__(self, root: Path = PACKAGE_DIR) -> None:
        self.root = root.resolve()
        self.requested: list[str] = []
        self.refused: list[str] = []
        self.served: list[str] = []

    def allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        for name in ALLOWED_DIRS:
            base = self.root / name
            if path.is_relative_to(base) and path.is_file():
                return path
        return None

    #: Read by WeasyPrint >= 66 when a fetch fails: refusals are warnings, not fatal errors.
    _fail_on_errors = False

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        """Serve a package font or asset; raise ``ValueError`` for anything else."""
        self.requested.append(url)
        path = self.allowed_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url!r}: only the report's own fonts and assets are served")
        self.served.append(url)
        body = path.read_bytes()
        media = "font/otf" if path.suffix == ".otf" else "application/octet-stream"
        try:
            from weasyprint.urls import URLFetcherResponse
        except ImportError:  # WeasyPrint < 66 takes a plain dict
            return {"string": body, "mime_type": media, "redirected_url": url}
        return URLFetcherResponse(url, body=body, headers={"Content-Type": media})

    def __call__(self, url: str, *args: Any, **kwargs: Any) -> Any:
        """WeasyPrint calls the fetcher with the URL."""
        return self.fetch(url)


def source_date() -> str | None:
    """``SOURCE_DATE_EPOCH`` as a W3C date for the PDF metadata, or ``None`` (no dates at all)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_pdf(
    view: ReportView,
    *,
    page_size: str = "A4",
    fetcher: PackageURLFetcher | None = None,
) -> bytes:
    """The PDF bytes; metadata carries no varying dates unless ``SOURCE_DATE_EPOCH`` is set."""
    from weasyprint import HTML

    html = render_html(view, page_size=page_size, for_pdf=True)
    fetcher = fetcher or PackageURLFetcher()
    document = HTML(
        string=html, base_url=PACKAGE_DIR.as_uri() + "/", url_fetcher=fetcher, media_type="print"
    ).render()
    stamp = source_date()
    document.metadata.title = f"{view.title} — {view.client}"
    document.metadata.authors = [view.consultant]
    document.metadata.generator = f"Engage {view.tool_version}".strip()
    document.metadata.created = stamp
    document.metadata.modified = stamp
    return bytes(document.write_pdf())


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_reports(
    audit: dict[str, Any],
    out_dir: Path,
    formats: Iterable[str],
    *,
    page_size: str = "A4",
    consultant: str = "Engage",
    assets: dict[str, bytes] | None = None,
) -> list[Path]:
    """Write ``report.html``, ``report.pdf``, ``scores.csv`` and ``findings.csv`` as ``formats`` ask.

    ``json`` is accepted and ignored (``audit.json`` is written by the runner). ``assets`` are extra
    files (e.g. screenshots) written under ``out_dir/assets/``; templates do not reference them yet.
    """
    wanted = {f.strip().lower() for f in formats if f.strip()}
    unknown = wanted - FORMATS
    if unknown:
        raise ValueError(f"unknown report format(s): {', '.join(sorted(unknown))}")
    page_size_css(page_size)  # validate before doing any work
    out_dir = Path(out_dir)
    written: list[Path] = []
    view = build_view(audit, consultant=consultant, charts=bool(wanted & {"html", "pdf"}))
    if "html" in wanted:
        html = render_html(view, page_size=page_size)
        written.append(write_atomic(out_dir / "report.html", html.encode("utf-8")))
    if "pdf" in wanted:
        written.append(write_atomic(out_dir / "report.pdf", render_pdf(view, page_size=page_size)))
    if "csv" in wanted:
        written.append(write_atomic(out_dir / "scores.csv", scores_csv(audit).encode("utf-8")))
        written.append(write_atomic(out_dir / "findings.csv", findings_csv(audit).encode("utf-8")))
    for name, data in sorted((assets or {}).items()):
        safe = Path(name).name
        if safe and not safe.startswith("."):
            written.append(write_atomic(out_dir / "assets" / safe, data))
    return written

"""Render the report: HTML (self-contained), PDF (WeasyPrint) and CSV exports, written atomically."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from audit.safe_files import write_file
from report_templates.export import findings_csv, scores_csv
from report_templates.options import ReportOptions
from report_templates.theme import MEDIA_TYPES, RUN_SCHEME, install_logo, run_image, theme_from
from report_templates.view import ReportView, build_view, toc

#: The package directory; computed here (not in ``__init__``) so it works even if the package is imported
#: as a namespace package by a stale editable install.
PACKAGE_DIR = Path(__file__).resolve().parent
FORMATS: frozenset[str] = frozenset({"html", "pdf", "csv", "json"})
PAGE_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}
#: WeasyPrint PDF variants offered (``--pdf-variant``); "" is a plain PDF.
PDF_VARIANTS: tuple[str, ...] = ("", "pdf/ua-1", "pdf/ua-2", "pdf/a-3b")
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


def accent_css(accent: str, for_pdf: bool) -> str:
    """The theme's accent colour (already validated as ``#rgb``/``#rrggbb``) as CSS overrides."""
    css = f":root {{ --accent: {accent}; }}\n" if accent else ""
    if for_pdf:
        css += f"@page cover {{ border-left: 7mm solid {accent or '#1f4e79'}; }}\n"
    return css


def stylesheet(page_size: str, embed_fonts: bool, accent: str = "") -> str:
    """Fonts, page size, the shared stylesheet and, for the PDF, the print-only rules."""
    css = (PACKAGE_DIR / "report.css").read_text(encoding="utf-8")
    if not embed_fonts:  # the HTML: no paged-media rules, so the Nu Html Checker finds no CSS errors
        return font_face_css(False) + css + accent_css(accent, False)
    printing = (PACKAGE_DIR / "print.css").read_text(encoding="utf-8")
    return font_face_css(True) + page_size_css(page_size) + css + printing + accent_css(accent, True)


def render_html(view: ReportView, *, page_size: str = "A4", for_pdf: bool = False) -> str:
    """The report as one HTML document: CSS inline, charts inline SVG, images as data URIs (HTML) or
    the run's own files (PDF), every string autoescaped."""
    template = _environment().get_template("report.html")
    css = stylesheet(page_size, embed_fonts=for_pdf, accent=view.accent)
    return template.render(v=view, css=css, pdf=for_pdf)


class PackageURLFetcher:
    """A WeasyPrint URL fetcher that serves only this package's fonts and assets, and images of the run.

    ``run_dir`` (the audit's output directory) adds its PNG/JPEG/SVG files: screenshots and the theme's
    logo. Anything else — http(s), data:, file:// elsewhere — is refused and recorded, so text scraped
    from the web can never make the renderer read a local file or open a connection.
    """

    def __init__(self, root: Path = PACKAGE_DIR, run_dirs: Iterable[Path] = ()) -> None:
        self.root = root.resolve()
        self.run_dirs = tuple(Path(d).resolve() for d in run_dirs)
        self.requested: list[str] = []
        self.refused: list[str] = []
        self.served: list[str] = []

    def allowed_path(self, url: str) -> Path | None:
        if url.startswith(RUN_SCHEME):
            return self.run_file(unquote(url.removeprefix(RUN_SCHEME)))
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        for name in ALLOWED_DIRS:
            base = self.root / name
            if path.is_relative_to(base) and path.is_file():
                return path
        return None

    def run_file(self, relative: str) -> Path | None:
        """An image of the run (``engage-run:screenshots/x.png``), found under one of the run directories."""
        for base in self.run_dirs:
            path = (base / relative).resolve()
            if path.is_relative_to(base) and path.suffix.lower() in MEDIA_TYPES and path.is_file():
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
        media = "font/otf" if path.suffix == ".otf" else MEDIA_TYPES.get(path.suffix.lower(), "")
        if url.startswith(RUN_SCHEME + "screenshots/") and path.suffix.lower() == ".png":
            body, media = print_screenshot(body, media)
        media = media or "application/octet-stream"
        try:
            from weasyprint.urls import URLFetcherResponse
        except ImportError:  # WeasyPrint < 66 takes a plain dict
            return {"string": body, "mime_type": media, "redirected_url": url}
        return URLFetcherResponse(url, body=body, headers={"Content-Type": media})

    def __call__(self, url: str, *args: Any, **kwargs: Any) -> Any:
        """WeasyPrint calls the fetcher with the URL."""
        return self.fetch(url)


#: Screenshots are printed about 82 mm wide: this many pixels is 200 dpi, sharper than the page needs.
SHOT_PRINT_PX = 660
SHOT_JPEG_QUALITY = 82


def print_screenshot(body: bytes, media: str) -> tuple[bytes, str]:
    """A full-page screenshot as the PDF needs it: scaled to ``SHOT_PRINT_PX`` wide and JPEG-encoded,
    which WeasyPrint embeds as is — a 1280-pixel PNG would be decoded and re-compressed by it, the
    costliest step of the appendix, for detail no printed page shows. Small images (chat-launcher
    close-ups) and images with transparency are served unchanged; so is anything PIL cannot read."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(io.BytesIO(body)) as image:
            if image.width <= SHOT_PRINT_PX or image.mode not in ("RGB", "L", "P"):
                return body, media
            if image.mode == "P" and "transparency" in image.info:
                return body, media
            height = round(image.height * SHOT_PRINT_PX / image.width)
            scaled = image.convert("RGB").resize((SHOT_PRINT_PX, height), PILImage.Resampling.LANCZOS)
            out = io.BytesIO()
            scaled.save(out, format="JPEG", quality=SHOT_JPEG_QUALITY, optimize=True)
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return body, media
    return out.getvalue(), "image/jpeg"


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
    variant: str = "",
    run_dir: Path | None = None,
) -> bytes:
    """The PDF bytes; metadata carries no varying dates unless ``SOURCE_DATE_EPOCH`` is set.

    ``variant`` ``pdf/ua-1`` makes a tagged, accessible PDF (title, language, alt text on every chart
    and image); ``run_dir`` lets the fetcher serve the run's screenshots and logo.
    """
    from weasyprint import HTML

    if variant not in PDF_VARIANTS:
        raise ValueError(f"unknown PDF variant {variant!r}; use {', '.join(v for v in PDF_VARIANTS if v)}")
    html = render_html(view, page_size=page_size, for_pdf=True)
    fetcher = fetcher or PackageURLFetcher(run_dirs=(run_dir,) if run_dir is not None else ())
    options: dict[str, Any] = {"pdf_variant": variant} if variant else {}
    if variant:
        options["pdf_tags"] = True
    document = HTML(
        string=html, base_url=PACKAGE_DIR.as_uri() + "/", url_fetcher=fetcher, media_type="print"
    ).render(**options)
    stamp = source_date()
    document.metadata.title = f"{view.title} — {view.client}"
    document.metadata.lang = "en"
    document.metadata.authors = [view.consultant]
    document.metadata.generator = f"Engage {view.tool_version}".strip()
    document.metadata.created = stamp
    document.metadata.modified = stamp
    return bytes(document.write_pdf(**options))


def write_atomic(path: Path, data: bytes, root: Path | None = None) -> Path:
    """Write ``data`` to ``path`` through a new temporary file in the same directory and a rename: a
    symlink at ``path`` is replaced, never followed; directories under ``root`` must not be symlinks
    (:func:`audit.safe_files.write_file`)."""
    return write_file(path, data, root)


def write_reports(audit: dict[str, Any], out_dir: Path, options: ReportOptions) -> list[Path]:
    """Write ``report.html``, ``report.pdf``, ``scores.csv`` and ``findings.csv`` as ``options`` ask.

    The theme's logo is copied into ``out_dir``; a bad format, page size, PDF variant or logo is a
    ``ValueError`` before anything is written.
    """
    formats, page_size, consultant = options.formats, options.page_size, options.consultant
    pdf_variant, notes = options.pdf_variant, options.notes
    wanted = {f.strip().lower() for f in formats if f.strip()}
    unknown = wanted - FORMATS
    if unknown:
        raise ValueError(f"unknown report format(s): {', '.join(sorted(unknown))}")
    page_size_css(page_size)  # validate before doing any work
    if pdf_variant not in PDF_VARIANTS:
        raise ValueError(
            f"unknown PDF variant {pdf_variant!r}; use {', '.join(v for v in PDF_VARIANTS if v)}"
        )
    out_dir = Path(out_dir)
    run_dir = Path(options.run_dir) if options.run_dir is not None else out_dir
    written: list[Path] = []
    chosen = theme_from(options.theme)
    logo_name = install_logo(chosen, out_dir) if wanted & {"html", "pdf"} else ""
    logo = run_image(out_dir, logo_name, f"Logo of {chosen.consultant or consultant}") if logo_name else None
    view = build_view(
        audit,
        consultant=consultant,
        charts=bool(wanted & {"html", "pdf"}),
        theme=chosen,
        run_dir=run_dir,
        logo=logo,
    )
    if "csv" in wanted:  # first: the cheapest outputs are kept whatever the PDF renderer does
        written.append(write_atomic(out_dir / "scores.csv", scores_csv(audit).encode("utf-8")))
        written.append(write_atomic(out_dir / "findings.csv", findings_csv(audit).encode("utf-8")))
    if notes:
        from audit.consultant import notes_html, read_notes

        view.notes_html = notes_html(read_notes(notes))
        view.toc = toc(view.dimension_sections, trend=view.trend is not None, notes=True)
    if "html" in wanted:
        html = render_html(view, page_size=page_size)
        written.append(write_atomic(out_dir / "report.html", html.encode("utf-8")))
    if "pdf" in wanted:
        fetcher = PackageURLFetcher(run_dirs=(run_dir, out_dir))
        pdf = render_pdf(view, page_size=page_size, variant=pdf_variant, fetcher=fetcher)
        written.append(write_atomic(out_dir / "report.pdf", pdf))
    for name, data in sorted(options.assets.items()):
        safe = Path(name).name
        if safe and not safe.startswith("."):
            written.append(write_atomic(out_dir / "assets" / safe, data, root=out_dir))
    return written

"""The report's theme (``[theme]`` of ``engage.toml``) and the run's own images (logo, screenshots).

Images are read only from the run's output directory, only when they are PNG, JPEG or SVG by their
first bytes, and only up to a size cap: a crafted ``audit.json`` cannot make the report embed any
other local file.
"""

from __future__ import annotations

import base64
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit.safe_files import write_file

LOGO_STEM = "theme-logo"
#: URL scheme of the run's own files in the PDF: served by the fetcher from the run directory only, and
#: independent of where that directory is, so the PDF's bytes do not depend on it.
RUN_SCHEME = "engage-run:"
MAX_IMAGE_BYTES = 8_000_000
_ACCENT = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
MEDIA_TYPES: dict[str, str] = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Theme:
    """Who prepared the report, their logo and colour, and the client's display name."""

    consultant: str = ""
    logo: str = ""  # a file path; copied into the run directory before rendering
    accent: str = ""  # "#rrggbb"
    client_name: str = ""


@dataclass(frozen=True)
class Image:
    """An image of the run: a data URI for the self-contained HTML, an ``engage-run:`` URL for the PDF."""

    alt: str
    caption: str
    data_uri: str
    file_uri: str
    css_class: str = ""  # how the report lays it out (``closeup``: a small crop, not a page)


def theme_from(value: Theme | Mapping[str, Any] | str | None) -> Theme:
    """A :class:`Theme` from settings' ``theme`` dict, a TOML file with a ``[theme]`` table, or nothing."""
    if value is None or isinstance(value, Theme):
        return value or Theme()
    if isinstance(value, str):
        path = Path(value)
        if not path.is_file():
            raise ValueError(f"theme file not found: {value}")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        table = dict(data.get("theme", data))
        logo = str(table.get("logo", ""))
        if logo and not Path(logo).is_absolute():
            table["logo"] = str((path.parent / logo).resolve())
        value = table
    accent = str(value.get("accent", "")).strip()
    if accent and not _ACCENT.match(accent):
        raise ValueError(f"theme accent must be a hex colour like #1f4e79, not {accent!r}")
    return Theme(
        consultant=str(value.get("consultant", "")).strip(),
        logo=str(value.get("logo", "")).strip(),
        accent=accent,
        client_name=str(value.get("client_name", "")).strip(),
    )


def install_logo(theme: Theme, run_dir: Path) -> str:
    """Copy the theme's logo into ``run_dir`` (so the renderer reads only the run's own files).

    Returns the file name inside ``run_dir``, or "" when there is no logo. A missing or unsupported
    logo is an error the user must fix, not a silent omission.
    """
    if not theme.logo:
        return ""
    source = Path(theme.logo)
    suffix = source.suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise ValueError(f"theme logo must be PNG, JPEG or SVG: {source}")
    if not source.is_file():
        raise ValueError(f"theme logo not found: {source}")
    name = LOGO_STEM + suffix
    target = run_dir / name
    if source.resolve() != target.resolve():
        write_file(target, source.read_bytes())  # a symlink planted at the target is replaced
    return name


def _sniff(head: bytes, suffix: str) -> bool:
    if suffix == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    text = head.lstrip()[:256].lower()
    return text.startswith((b"<svg", b"<?xml")) and b"<svg" in head.lower()


def run_image(run_dir: Path | None, relative: str, alt: str, caption: str = "") -> Image | None:
    """The image ``relative`` to ``run_dir`` if it is safe to embed, else ``None``."""
    if run_dir is None or not relative:
        return None
    root = run_dir.resolve()
    path = (root / relative).resolve()
    suffix = path.suffix.lower()
    if not path.is_relative_to(root) or suffix not in MEDIA_TYPES or not path.is_file():
        return None
    if path.stat().st_size > MAX_IMAGE_BYTES:
        return None
    body = path.read_bytes()
    if not _sniff(body[:512], suffix):
        return None
    data = base64.b64encode(body).decode("ascii")
    return Image(
        alt=alt,
        caption=caption,
        data_uri=f"data:{MEDIA_TYPES[suffix]};base64,{data}",
        file_uri=RUN_SCHEME + path.relative_to(root).as_posix(),
    )

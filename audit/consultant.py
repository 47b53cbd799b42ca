"""Consultant controls shared by ``engage audit``, ``engage project run`` and ``engage report``.

``--consultant``, ``--logo``, ``--page-size``, ``--theme FILE.toml`` and ``--notes FILE.md`` shape the
report; ``-c "Name=URL"`` names a competitor; ``--companies FILE.csv`` (``name,url,role``) lists the
companies. Every problem is a :class:`ConsultantError`: one line naming the file (and line) and value.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

#: Largest notes file read (a consultant's commentary, not a book).
MAX_NOTES_BYTES = 200_000
ROLES = ("client", "competitor")


class ConsultantError(ValueError):
    """A consultant option that cannot be used; the message is one line naming the file or value."""


def look_options(fn: F) -> F:
    """``--consultant``, ``--logo``, ``--page-size``, ``--theme``, ``--notes``."""
    options = [
        click.option("--consultant", metavar="NAME", help="Who prepared the report (on the cover)."),
        click.option(
            "--logo",
            type=click.Path(dir_okay=False),
            help="The consultant's logo for the cover (PNG, JPEG or SVG).",
        ),
        click.option("--page-size", type=click.Choice(["A4", "Letter"]), default=None, help="PDF page size."),
        click.option(
            "--theme",
            "theme_file",
            type=click.Path(dir_okay=False),
            help="A TOML file with a [theme] table: consultant, logo, accent (#rrggbb), client_name.",
        ),
        click.option(
            "--notes",
            type=click.Path(dir_okay=False),
            help="A Markdown file: the consultant's notes, shown after the executive summary.",
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@dataclass(frozen=True)
class Look:
    """The consultant options as given (``None``: not given)."""

    consultant: str | None = None
    logo: str | None = None
    page_size: str | None = None
    theme_file: str | None = None
    notes: str | None = None

    def theme(self) -> dict[str, str]:
        """The ``[theme]`` values these options set: the ``--theme`` file's, then ``--logo`` and
        ``--consultant`` over them (paths made absolute)."""
        from audit.settings import SettingsError, read_theme

        table: dict[str, str] = {}
        if self.theme_file:
            path = Path(self.theme_file)
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except OSError as exc:
                raise ConsultantError(f"--theme {path}: cannot read it ({exc.strerror})") from None
            except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise ConsultantError(f"--theme {path}: not a TOML file ({exc})") from None
            raw = data.get("theme", data)
            try:
                table = read_theme(raw, path.resolve().parent, f"--theme {path}")
            except SettingsError as exc:
                raise ConsultantError(str(exc)) from None
        if self.logo:
            table["logo"] = str(Path(self.logo).expanduser().resolve())
        if self.consultant is not None and self.consultant.strip():
            table["consultant"] = self.consultant.strip()
        return table

    def apply(self, settings: Any) -> Any:
        """``settings`` with these options on top (theme merged over the settings' own)."""
        theme = {**dict(settings.theme), **self.theme()}
        values: dict[str, Any] = {"theme": theme}
        if self.page_size:
            values["page_size"] = self.page_size
        if self.consultant is not None and self.consultant.strip():
            values["consultant"] = self.consultant.strip()
        if self.notes:
            values["notes"] = str(Path(self.notes).expanduser().resolve())
        return replace(settings, **values)


def check_look(settings: Any) -> None:
    """Fail before any work when the logo or the notes file cannot be used."""
    logo = (settings.theme or {}).get("logo")
    if logo and not Path(logo).is_file():
        raise ConsultantError(f"theme logo not found: {logo}")
    if getattr(settings, "notes", None):
        read_notes(settings.notes)


def read_notes(path: str | Path) -> str:
    """The notes file's Markdown text (UTF-8, at most ``MAX_NOTES_BYTES``)."""
    file = Path(path)
    try:
        body = file.read_bytes()
    except OSError as exc:
        raise ConsultantError(f"--notes {file}: cannot read it ({exc.strerror})") from None
    if len(body) > MAX_NOTES_BYTES:
        raise ConsultantError(f"--notes {file}: larger than {MAX_NOTES_BYTES // 1000} kB")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConsultantError(f"--notes {file}: not a UTF-8 text file (byte {exc.start})") from None


def notes_html(markdown: str) -> str:
    """The consultant's Markdown as HTML (CommonMark and tables, by markdown-it-py). Raw HTML in the
    input is shown as text, never passed through; images are not loaded; links keep markdown-it's
    safe-scheme check (no ``javascript:``, ``file:`` or ``data:``)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table").disable("image")
    return str(md.render(markdown))


def split_named(raw: str) -> tuple[str | None, str]:
    """``"Northwind Ledger=https://northwind.example"`` → (name, URL); a plain URL → (None, URL).

    A URL's own ``=`` (a query string) is not a name: the part before ``=`` names a company only when
    it has no ``://``, ``/`` or ``?``.
    """
    head, sep, tail = raw.partition("=")
    if sep and head.strip() and tail.strip() and not any(ch in head for ch in ("://", "/", "?")):
        return head.strip(), tail.strip()
    return None, raw.strip()


@dataclass(frozen=True)
class CompanyRow:
    name: str | None
    url: str
    role: str


def read_companies(path: str | Path) -> list[CompanyRow]:
    """``--companies FILE.csv``: a header ``name,url,role`` (role ``client`` or ``competitor``; empty:
    competitor), one company a line. Bad rows are one-line errors naming the file and line."""
    from audit.urls import BadURL, normalize_target

    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConsultantError(f"--companies {file}: cannot read it ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ConsultantError(f"--companies {file}: not a UTF-8 text file (byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text))
    rows = [(number, row) for number, row in enumerate(reader, start=1) if any(c.strip() for c in row)]
    if not rows:
        raise ConsultantError(f"--companies {file}: empty (expected a header name,url,role)")
    header = [c.strip().lower() for c in rows[0][1]]
    if "url" not in header:
        raise ConsultantError(
            f"--companies {file}: line {rows[0][0]}: the header needs a url column (name,url,role)"
        )
    unknown = [c for c in header if c not in ("name", "url", "role")]
    if unknown:
        raise ConsultantError(
            f"--companies {file}: line {rows[0][0]}: unknown column {unknown[0]!r} (use name,url,role)"
        )
    out: list[CompanyRow] = []
    for number, row in rows[1:]:
        where = f"--companies {file}: line {number}"
        if len(row) > len(header):
            raise ConsultantError(f"{where}: {len(row)} fields, the header has {len(header)}")
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        role = (cells.get("role") or "competitor").lower()
        if role not in ROLES:
            raise ConsultantError(f"{where}: role {cells.get('role')!r} is not client or competitor")
        try:
            url = normalize_target(cells.get("url", ""))
        except BadURL as exc:
            raise ConsultantError(f"{where}: {exc}") from None
        out.append(CompanyRow(cells.get("name") or None, url, role))
    clients = [r for r in out if r.role == "client"]
    if len(clients) > 1:
        raise ConsultantError(
            f"--companies {file}: {len(clients)} rows have role client; one company is the client"
        )
    return out


def merge_targets(
    url: str | None, name: str | None, competitors: Sequence[str], companies: Sequence[CompanyRow]
) -> tuple[tuple[str, str | None], list[tuple[str, str | None]]]:
    """The client (URL, name) and competitors [(URL, name)], from the arguments and the CSV rows."""
    csv_client = next((r for r in companies if r.role == "client"), None)
    if url is None and csv_client is None:
        raise ConsultantError("no client: give its URL, or a row with role client in --companies")
    if url is not None and csv_client is not None:
        raise ConsultantError(f"two clients: {url} and {csv_client.url} (--companies row with role client)")
    if url is not None:
        client: tuple[str, str | None] = (url, name)
    else:
        assert csv_client is not None
        client = (csv_client.url, name or csv_client.name)
    rivals: list[tuple[str, str | None]] = []
    for raw in competitors:
        rival_name, rival_url = split_named(raw)
        rivals.append((rival_url, rival_name))
    rivals += [(r.url, r.name) for r in companies if r.role == "competitor"]
    return client, rivals

"""How a report is written: one frozen value that every caller of ``write_reports`` builds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from report_templates.theme import Theme


@dataclass(frozen=True)
class ReportOptions:
    """Which report files to write and how they look.

    ``formats``: any of pdf, html, csv (json is accepted and ignored: ``audit.json`` is the runner's).
    ``theme``: a :class:`Theme`, the settings' ``[theme]`` dict, or a TOML file with a ``[theme]`` table.
    ``run_dir``: where the audit's screenshots are (default: the output directory). ``notes``: a Markdown
    file of the consultant's notes. ``assets``: extra files written under ``assets/``.
    """

    formats: tuple[str, ...]
    page_size: str = "A4"
    consultant: str = "Engage"
    theme: Theme | Mapping[str, str] | str | None = None
    pdf_variant: str = ""
    notes: str | Path | None = None
    run_dir: Path | None = None
    assets: Mapping[str, bytes] = field(default_factory=dict)

    @property
    def files(self) -> tuple[str, ...]:
        """The formats that are report files (``json`` left out)."""
        return tuple(f for f in self.formats if f.strip().lower() != "json")

"""The report stage: view model, charts, CSV exports and the HTML/PDF templates.

Public entry points: :func:`report_templates.render.write_reports` (with a
:class:`report_templates.options.ReportOptions`), :func:`report_templates.view.build_view`,
:mod:`report_templates.charts` and :mod:`report_templates.export`.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent

"""The ``engage`` command line: the console script ``audit.cli:main``. Each command's docstring is its
``--help``.

Commands by group: ``stages`` (audit, gather, score, report), ``tools`` (inspect, demo, model),
``project`` (project init|run), ``history`` (history, diff, rescore), ``schedule``, ``scan`` (scan, worker);
what they share (``guarded``, the reporter, exits, shared options) is in ``common``. The commands import
the crawler, the browser, the PDF renderer and the database inside their bodies, so ``engage --help``
starts fast (``tests/test_startup.py``).
"""

from __future__ import annotations

import click

from audit import __version__
from audit.cli import history, project, scan, schedule, stages, tools


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="engage")
def main() -> None:
    """Engage audits how well companies engage their customers online — forums, FAQs and help
    centers, social accounts, live chat, blogs and newsletters, contact options, response times —
    side by side with competitors, and writes a PDF report with every score backed by evidence.

    \b
    Try it on the embedded fictional market (no internet needed):
      engage demo --out reports/demo
    """


for _group in (stages, tools, project, history, schedule, scan):
    for _command in _group.COMMANDS:
        main.add_command(_command)

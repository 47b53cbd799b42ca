"""The corpus gate's report: filled by test_corpus_gate, printed at the end of the run.

(This directory was ``tests/probes``, which Python could take for the ``probes`` package; its new name
shadows nothing, so no conftest needs to touch ``sys.path`` or ``sys.modules``.)
"""

from __future__ import annotations

import pytest

_CORPUS_REPORT: list[str] = []


@pytest.fixture(scope="session")
def corpus_report() -> list[str]:
    """Lines of the corpus precision/recall/F1 table, printed in the terminal summary."""
    return _CORPUS_REPORT


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show the corpus table even without ``-s``."""
    if _CORPUS_REPORT:
        terminalreporter.section("corpus gate (tests/corpus)")
        for line in _CORPUS_REPORT:
            terminalreporter.write_line(line)

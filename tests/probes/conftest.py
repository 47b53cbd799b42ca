"""Make ``import probes`` mean the package, not this test directory.

``tests/`` is on ``sys.path`` (rootdir conftest, prepend import mode), so ``tests/probes`` can shadow the real
``probes`` package as a namespace package. Put the project root first and drop such a namespace module.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
if "probes" in sys.modules and getattr(sys.modules["probes"], "__file__", None) is None:
    for name in [n for n in sys.modules if n == "probes" or n.startswith("probes.")]:
        del sys.modules[name]


# --- corpus gate report: filled by test_corpus_gate, printed at the end of the run ------------------------

import pytest  # noqa: E402

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

"""Exit codes of every command (CONTRACT.md), in a tiny module: the CLI starts without the crawler."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Exit codes of every command (CONTRACT.md)."""

    OK = 0
    ERROR = 1
    USAGE = 2
    PARTIAL = 3
    GATE_FAILED = 4  # a regression gate failed (--fail-under, --fail-on-regression); results stored
    INTERRUPTED = 130

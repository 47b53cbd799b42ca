"""Exit codes of every command (CONTRACT.md), in a tiny module: the CLI starts without the crawler."""

from __future__ import annotations

from enum import IntEnum
from typing import NoReturn


class ExitStatus(IntEnum):
    """Exit codes of every command (CONTRACT.md)."""

    OK = 0
    ERROR = 1
    USAGE = 2
    PARTIAL = 3
    GATE_FAILED = 4  # a regression gate failed (--fail-under, --fail-on-regression); results stored
    INTERRUPTED = 130


class EngageError(Exception):
    """An expected failure: one clear line for the user and an exit status. Domain code raises it (or a
    subclass); the CLI's ``guarded`` turns it into that line on stderr and the exit status."""

    def __init__(self, message: str, status: ExitStatus = ExitStatus.ERROR) -> None:
        super().__init__(message)
        self.status = status


def fail(message: str, status: ExitStatus = ExitStatus.ERROR) -> NoReturn:
    """Stop the command with a one-line error."""
    raise EngageError(message, status)

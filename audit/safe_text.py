"""Scraped text made safe to show a person: the one place the report, the CSVs, the charts and the
terminal take site-controlled strings through.

- **Bidi controls** (U+202A–U+202E embeddings/overrides, U+2066–U+2069 isolates, U+200E/U+200F marks,
  U+061C) are removed: a company name or file name cannot reorder what is displayed around it
  (``gnp.exe`` shown as ``exe.png``).
- **Length** is bounded with an ellipsis: a name at :data:`NAME_CHARS`, any other string at
  :data:`TEXT_CHARS`, so a 100 KB ``og:site_name`` costs the layout nothing.
- **CSV cells** that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, tab or
  carriage return, OWASP's list) get a leading ``'``; numeric columns are not text and keep their sign.
- **Chart labels** are plain text (matplotlib's mathtext is also switched off where the charts are drawn).

``audit.json`` keeps the raw values; only what is shown is changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from audit.credentials import redact

#: The bidirectional formatting characters (Unicode UAX #9): embeddings, overrides, isolates and marks.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")

#: Characters of a company or site name shown anywhere (report, charts, CSV, terminal).
NAME_CHARS = 120
#: Characters of any other scraped string shown in the report.
TEXT_CHARS = 2000
ELLIPSIS = "…"

#: First characters that make a spreadsheet evaluate a cell (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def strip_bidi(text: str) -> str:
    """``text`` without bidi embedding, override, isolate or mark characters."""
    return _BIDI.sub("", text) if text else text


def bounded(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, the last one an ellipsis when it was cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + ELLIPSIS


def display(text: Any, limit: int = TEXT_CHARS) -> str:
    """A scraped string as shown to a person: bidi controls removed, no credential (an ``audit.json``
    from an older version may hold one), bounded to ``limit`` characters."""
    return bounded(redact(strip_bidi(str(text))), limit)


def terminal(text: str) -> str:
    """A line for stderr: bidi controls removed and credentials redacted (not bounded: it is a log)."""
    return redact(strip_bidi(text))


def display_name(text: Any) -> str:
    """A company or site name as shown: :func:`display` at :data:`NAME_CHARS`, on one line."""
    return display(" ".join(str(text).split()), NAME_CHARS)


def chart_label(text: Any) -> str:
    """A name as a chart label: plain text (``$`` is a dollar sign, never mathtext), bounded."""
    return display_name(text)


def csv_cell(value: str) -> str:
    """A text cell a spreadsheet shows as text: bidi controls removed, a formula start neutralised, and
    carriage returns made line feeds (which the CSV writer quotes; a bare CR would split the row)."""
    text = redact(strip_bidi(value))
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: Keys of ``audit.json`` whose string values are names (bounded at NAME_CHARS in the report).
NAME_KEYS = frozenset({"name", "company"})


def for_display(data: Any, key: str = "") -> Any:
    """A copy of ``data`` (an ``audit.json`` document or part of one) with every string value shown
    safely: bidi controls removed everywhere, names (and lists of names: a gap's ``have``/``lack``) at
    :data:`NAME_CHARS`, other strings at :data:`TEXT_CHARS`. Keys are left alone (they are ids)."""
    if isinstance(data, str):
        return display_name(data) if key in NAME_KEYS else display(data)
    if isinstance(data, Mapping):
        return {k: for_display(v, str(k)) for k, v in data.items()}
    if isinstance(data, list | tuple):
        inner = "name" if key in ("have", "lack", "competitors") else key
        return [for_display(v, inner) for v in data]
    return data

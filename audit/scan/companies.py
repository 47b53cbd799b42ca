"""The companies file of ``engage scan``: a CSV with columns ``name``, ``url`` and optional ``segment``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from audit.urls import BadURL, host, normalize_target


class CompaniesError(ValueError):
    """A companies file that cannot be used; the message names the file and row."""


@dataclass(frozen=True)
class ScanCompany:
    """One row: the company's host (its key in a scan), display name, home URL and segment."""

    host: str
    name: str
    url: str
    segment: str


#: Accepted names of the segment column (the first one present wins).
SEGMENT_COLUMNS = ("segment", "industry")


def read_companies(path: Path) -> list[ScanCompany]:
    """The rows of ``path``; a missing column, an empty or bad URL, or a repeated host is an error."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CompaniesError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise CompaniesError(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "url" not in columns:
        raise CompaniesError(f"{path}: row 1: no 'url' column (columns: name, url, segment)")
    reader.fieldnames = columns
    segment_column = next((c for c in SEGMENT_COLUMNS if c in columns), None)
    out: list[ScanCompany] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(reader, start=2):
        if None in row:
            raise CompaniesError(f"{path}: row {row_number}: more fields than columns")
        raw = (row.get("url") or "").strip()
        if not raw:
            if not any((v or "").strip() for v in row.values()):
                continue  # a blank line
            raise CompaniesError(f"{path}: row {row_number}: empty url")
        try:
            url = normalize_target(raw)
        except BadURL as exc:
            raise CompaniesError(f"{path}: row {row_number}: {exc}") from None
        key = host(url).removeprefix("www.")
        if key in seen:
            raise CompaniesError(f"{path}: row {row_number}: {key} is already on row {seen[key]}")
        seen[key] = row_number
        name = (row.get("name") or "").strip() or key
        segment = ((row.get(segment_column) if segment_column else "") or "").strip() or "all"
        out.append(ScanCompany(key, name, url, segment))
    if not out:
        raise CompaniesError(f"{path}: no companies (expected a header line and one row per company)")
    return out

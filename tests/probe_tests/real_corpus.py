"""Scoring ``engage inspect`` against the real-page corpus in ``tests/corpus/real``.

The pages were saved by third parties (see ``PROVENANCE.csv``) and labelled by hand following ``LABELS.md``;
``manifest.csv`` assigns each page to the ``dev`` or ``heldout`` split. Pages are read the way
``engage inspect`` reads a file (bytes → ``decode_text``, URL through ``normalize_target``), and items are
matched with the rules of the synthetic gate (``test_corpus_gate.FIELDS``: sets per field, micro-averaged).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from test_corpus_gate import FIELDS, Score

from audit.decoding import clean_strings, decode_text
from audit.urls import normalize_target
from probes.inspect import inspect_html

REAL = Path(__file__).resolve().parents[1] / "corpus" / "real"
SPLITS = ("dev", "heldout")


@dataclass(frozen=True)
class Page:
    """One manifest row."""

    file: str
    url: str
    split: str
    kind: str
    language: str


@dataclass
class Result:
    """Scores per field for one split, with a line per wrong item."""

    pages: int = 0
    scores: dict[str, Score] = field(default_factory=lambda: {name: Score() for name in FIELDS})
    errors: list[str] = field(default_factory=list)


def manifest() -> list[Page]:
    """The pages of the real corpus, in manifest order."""
    with (REAL / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        return [Page(**row) for row in csv.DictReader(fh)]


def label(page: Page) -> dict[str, Any]:
    """The hand label of a page."""
    data: dict[str, Any] = json.loads((REAL / page.file).with_suffix(".json").read_text(encoding="utf-8"))
    return data


def inspect_page(page: Page) -> dict[str, Any]:
    """What ``engage inspect FILE --url URL --format json`` prints for the page, as a dict."""
    html = decode_text((REAL / page.file).read_bytes())
    result: dict[str, Any] = clean_strings(inspect_html(html, normalize_target(page.url)))
    return result


def evaluate(pages: list[Page] | None = None) -> dict[str, Result]:
    """Scores per split (and ``all``) over the given pages (default: the whole manifest)."""
    results = {name: Result() for name in (*SPLITS, "all")}
    for page in manifest() if pages is None else pages:
        expected, found = label(page), inspect_page(page)
        for split in (page.split, "all"):
            results[split].pages += 1
        for name, items in FIELDS.items():
            want, got = items(expected), items(found)
            for split in (page.split, "all"):
                score = results[split].scores[name]
                score.tp += len(want & got)
                score.fp += len(got - want)
                score.fn += len(want - got)
            errors = [f"{page.file} {name} +{item}" for item in sorted(got - want)]
            errors += [f"{page.file} {name} -{item}" for item in sorted(want - got)]
            results[page.split].errors += errors
            results["all"].errors += errors
    return results


def table(results: dict[str, Result], floors: dict[str, dict[str, float]] | None = None) -> list[str]:
    """Precision/recall/F1 per field and split as text lines (with the floors when given)."""
    lines: list[str] = []
    for split, result in results.items():
        lines.append(f"{split}: {result.pages} pages")
        head = f"  {'field':<18} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6} {'F1':>6}"
        lines.append(head + (f" {'floor':>6}" if floors and split in floors else ""))
        for name, s in result.scores.items():
            row = f"  {name:<18} {s.tp:>4} {s.fp:>4} {s.fn:>4}"
            row += f" {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}"
            if floors and split in floors:
                row += f" {floors[split][name]:>6.2f}"
            lines.append(row)
    return lines

"""Accuracy gate: ``engage inspect`` over the labelled corpus in ``tests/corpus`` against pinned F1 floors.

Each ``<name>.html`` has a hand-labelled ``<name>.json`` (CONTRACT.md ``inspect`` shape plus ``url``). Items
are compared per field as sets (social profiles by URL, chat by vendor, links and feeds by URL, e-mails by
address; the FAQ as "present" and as its exact Q&A count) and micro-averaged over all pages.
Raise a floor when the probes improve; never lower one to make a change pass.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from probes.inspect import inspect_html

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CASES = sorted(p.stem for p in CORPUS.glob("*.html"))

Items = Callable[[dict[str, Any]], set[str]]

#: field → how one inspect result (or label) becomes a set of comparable items
FIELDS: dict[str, Items] = {
    "social_profiles": lambda r: {s["url"] for s in r["social_profiles"]},
    "chat_widgets": lambda r: {c["vendor"] for c in r["chat_widgets"]},
    "faq.present": lambda r: {"present"} if r["faq"]["present"] else set(),
    "faq.qa_pairs": lambda r: {str(r["faq"]["qa_pairs"])} if r["faq"]["present"] else set(),
    "community_links": lambda r: {c["url"] for c in r["community_links"]},
    "help_center_links": lambda r: {h["url"] for h in r["help_center_links"]},
    "feeds": lambda r: {f["url"] for f in r["feeds"]},
    "newsletter_form": lambda r: {"form"} if r["newsletter_form"] else set(),
    "contact_emails": lambda r: {e["email"] for e in r["contact_emails"]},
}

#: Pinned F1 floors. The issue asks ≥ 0.95 for social and chat and ≥ 0.9 elsewhere; every field reaches 1.0 on
#: this corpus, so each floor sits just under it (about one wrong item of slack for the field's size).
FLOORS: dict[str, float] = {
    "social_profiles": 0.98,
    "chat_widgets": 0.97,
    "faq.present": 0.96,
    "faq.qa_pairs": 0.96,
    "community_links": 0.95,
    "help_center_links": 0.96,
    "feeds": 0.96,
    "newsletter_form": 0.97,
    "contact_emails": 0.98,
}


@dataclass
class Score:
    """Counts for one field over the corpus, with the pages that went wrong."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate() -> tuple[dict[str, Score], list[str]]:
    """Scores per field and a line per wrong item (``case field +extra / -missing``)."""
    scores = {name: Score() for name in FIELDS}
    errors: list[str] = []
    for case in CASES:
        expected = json.loads((CORPUS / f"{case}.json").read_text(encoding="utf-8"))
        found = inspect_html((CORPUS / f"{case}.html").read_text(encoding="utf-8"), expected["url"])
        for name, items in FIELDS.items():
            want, got = items(expected), items(found)
            score = scores[name]
            score.tp += len(want & got)
            score.fp += len(got - want)
            score.fn += len(want - got)
            errors += [f"{case} {name} +{item}" for item in sorted(got - want)]
            errors += [f"{case} {name} -{item}" for item in sorted(want - got)]
    return scores, errors


def table(scores: dict[str, Score]) -> list[str]:
    """The precision/recall/F1 table as text lines."""
    lines = [
        f"{len(CASES)} pages",
        f"{'field':<18} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6} {'F1':>6} {'floor':>6}",
    ]
    for name, s in scores.items():
        counts = f"{name:<18} {s.tp:>4} {s.fp:>4} {s.fn:>4}"
        lines.append(f"{counts} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f} {FLOORS[name]:>6.2f}")
    return lines


def test_corpus_is_big_enough_and_labelled() -> None:
    assert len(CASES) >= 60
    for case in CASES:
        label = json.loads((CORPUS / f"{case}.json").read_text(encoding="utf-8"))
        assert label["url"].startswith("http"), case
        keys = {
            "url",
            "social_profiles",
            "chat_widgets",
            "faq",
            "community_links",
            "help_center_links",
            "feeds",
        }
        assert keys | {"newsletter_form", "contact_emails"} <= set(label), case


def test_corpus_gate(corpus_report: list[str]) -> None:
    scores, errors = evaluate()
    lines = table(scores)
    corpus_report[:] = lines
    print("\n" + "\n".join(lines))
    below = [f"{name}: F1 {s.f1:.3f} < {FLOORS[name]}" for name, s in scores.items() if s.f1 < FLOORS[name]]
    assert not below, "\n".join([*below, "", *errors])

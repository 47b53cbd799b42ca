"""Accuracy gate on real saved pages (``tests/corpus/real``), next to the synthetic gate.

The whole corpus (about 240 pages, both splits) is scored by ``tests/corpus/real/score.py``; at today's
probe speed that takes minutes, so this gate runs the pages of at most ``GATE_MAX_BYTES`` (a fixed,
size-based subset of both splits, about a sixth of the corpus) to stay well under a minute in
``make test``. Floors are pinned a little under the F1 measured on that subset; raise them as the probes
improve, never lower one to make a change pass. Items are matched as in ``test_corpus_gate``.
"""

from __future__ import annotations

from real_corpus import REAL, Page, evaluate, label, manifest, table

#: pages up to this size (bytes on disk) are in the gate subset
GATE_MAX_BYTES = 50_000

#: pinned F1 floors on the gate subset (both splits together), measured before any probe fix for issue 15
#: (38 pages: social 0.846, chat 1.000 on one item, community 0.571, help 0.706, feeds 0.778, newsletter
#: 0.667, e-mails 0.923). The subset has no real FAQ, so FAQ F1 is 0 by construction; its false positives are
#: capped instead (2 measured).
FLOORS: dict[str, float] = {
    "social_profiles": 0.82,
    "chat_widgets": 0.95,
    "faq.present": 0.0,
    "faq.qa_pairs": 0.0,
    "community_links": 0.50,
    "help_center_links": 0.65,
    "feeds": 0.75,
    "newsletter_form": 0.60,
    "contact_emails": 0.90,
}

#: at most this many pages of the gate subset may be called an FAQ (none of them is one)
MAX_FAQ_FALSE_POSITIVES = 2

KEYS = {
    "url",
    "social_profiles",
    "chat_widgets",
    "faq",
    "community_links",
    "help_center_links",
    "feeds",
    "newsletter_form",
    "contact_emails",
}


def gate_pages() -> list[Page]:
    """The fixed gate subset: every manifest page no larger than ``GATE_MAX_BYTES``."""
    return [p for p in manifest() if (REAL / p.file).stat().st_size <= GATE_MAX_BYTES]


def test_real_corpus_is_complete() -> None:
    pages = manifest()
    assert len(pages) >= 150
    assert {p.split for p in pages} == {"dev", "heldout"}
    assert len({p.language for p in pages}) >= 7
    provenance = (REAL / "PROVENANCE.csv").read_text(encoding="utf-8")
    for page in pages:
        assert (REAL / page.file).is_file(), page.file
        data = label(page)
        assert set(data) >= KEYS, page.file
        assert data["url"] == page.url and page.url.startswith("http"), page.file
        assert f"{page.file}," in provenance, page.file
    labelled = {p.with_suffix(".html").name for p in REAL.glob("*.json")}
    assert labelled == {p.file for p in pages}, "every label has a manifest row and vice versa"


def test_real_corpus_gate() -> None:
    pages = gate_pages()
    assert len(pages) >= 35
    result = evaluate(pages)["all"]
    lines = table({"gate subset (all splits)": result})
    print("\n" + "\n".join(lines))
    below = [
        f"{name}: F1 {s.f1:.3f} < {FLOORS[name]}" for name, s in result.scores.items() if s.f1 < FLOORS[name]
    ]
    faq_fp = result.scores["faq.present"].fp
    if faq_fp > MAX_FAQ_FALSE_POSITIVES:
        below.append(f"faq.present: {faq_fp} false positives > {MAX_FAQ_FALSE_POSITIVES}")
    assert not below, "\n".join([*below, "", *result.errors])

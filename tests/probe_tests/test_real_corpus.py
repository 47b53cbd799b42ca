"""Accuracy gate on real saved pages (``tests/corpus/real``), next to the synthetic gate.

The whole corpus (about 330 pages, both splits) is scored, as ``tests/corpus/real/score.py`` prints it; the
probes take well under a minute for all of it. Floors are pinned a little under the F1 measured on both
splits together after the issue-15 fixes; raise them as the probes improve, never lower one to make a change
pass. Items are matched as in ``test_corpus_gate``.
"""

from __future__ import annotations

from real_corpus import REAL, evaluate, label, manifest, table

#: pinned F1 floors on the whole corpus (both splits). Fourth issue-15 pass (rule fixes tuned on dev errors,
#: 4 dev labels fixed): social 0.949, chat 0.750 on 5 items, community 0.900, help 0.856, feeds 0.964,
#: newsletter 0.933, e-mails 0.949. Third issue-15 pass (332 pages: 62 news/blog pages
#: from AndreasMadsen/htmlparser-benchmark added, labelled before Engage ran on them; no probe changed):
#: social 0.948, chat 0.750 on 5 items, community 0.829, help 0.800, feeds 0.964, newsletter 0.907, e-mails
#: 0.916. The floors sit lower than after the second pass because the new pages are harder (help links in
#: javascript: hrefs and subscription portals, author accounts beside the owner's, feed links in footers),
#: not because a probe got worse: the 270 older pages still score what they did. Second pass (270 pages):
#: 0.964 / 0.750 / 0.864 / 0.843 / 0.985 / 0.945 / 0.921; first pass (239 pages): 0.962 / 1.000 on 1 item /
#: 0.774 / 0.834 / 0.982 / 0.952 / 0.913. The corpus has no real FAQ, so FAQ F1 says nothing; its false
#: positives are capped instead.
FLOORS: dict[str, float] = {
    "social_profiles": 0.94,
    "chat_widgets": 0.70,
    "faq.present": 0.0,
    "faq.qa_pairs": 0.0,
    "community_links": 0.89,
    "help_center_links": 0.85,
    "feeds": 0.96,
    "newsletter_form": 0.93,
    "contact_emails": 0.94,
}

#: at most this many pages of the corpus may be called an FAQ (none of them is one)
MAX_FAQ_FALSE_POSITIVES = 0

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
    results = evaluate(manifest())
    result = results["all"]
    assert result.pages >= 200
    lines = table(results, {"all": FLOORS})
    print("\n" + "\n".join(lines))
    below = [
        f"{name}: F1 {s.f1:.3f} < {FLOORS[name]}" for name, s in result.scores.items() if s.f1 < FLOORS[name]
    ]
    faq_fp = result.scores["faq.present"].fp
    if faq_fp > MAX_FAQ_FALSE_POSITIVES:
        below.append(f"faq.present: {faq_fp} false positives > {MAX_FAQ_FALSE_POSITIVES}")
    assert not below, "\n".join([*below, "", *result.errors])

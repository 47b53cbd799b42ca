"""Accuracy gate on real saved pages (``tests/corpus/real``), next to the synthetic gate.

The whole corpus (about 400 pages, both splits) is scored, as ``tests/corpus/real/score.py`` prints it; the
probes take well under a minute for all of it. Floors are pinned a little under the F1 measured on both
splits together after the issue-15 fixes; raise them as the probes improve, never lower one to make a change
pass. Items are matched as in ``test_corpus_gate``.
"""

from __future__ import annotations

from real_corpus import REAL, evaluate, label, manifest, table

#: pinned F1 floors on the whole corpus (both splits). After the sixth pass, the FAQ probe no longer takes
#: QAPage markup (one question answered by users: a forum thread) for an FAQ: FAQ 0.667 -> 0.750, the dev
#: false positive of the sixth pass gone, so the FAQ floors go back to 0.74 and the false-positive cap to 1.
#: Sixth issue-15 pass (457 pages: 54 forum pages from
#: fhgr/harvest added, labelled before Engage ran on them; no probe changed): social 0.950, chat 0.912 on 36
#: items, FAQ 0.667, community 0.856, help 0.822, feeds 0.969, newsletter 0.895, e-mails 0.95999. Five floors
#: drop because the new pages are harder, not because a probe got worse (the 403 older pages score as
#: before): chat 0.92 -> 0.91 (the new pages have no chat widget; one held-out new page gets a false one, not
#: examined); FAQ 0.74 -> 0.66 and the FAQ false-positive cap 1 -> 2 (dev: the QAPage JSON-LD of an inSided
#: community thread, community.kaspersky.com, is taken for FAQPage markup); community 0.89 -> 0.85 (dev: 11
#: of 39 forum roots missed -- Phorum, SMF under /message_board/, forums at a site's root or under /gassing/,
#: /Talk/, /Discussions/ -- and 10 false roots: every sub-forum of paradisi.de's menu, XenForo's /forums/
#: board path, android-hilfe.de's /forum/); help 0.84 -> 0.82 (dev: forum software help taken for a help
#: center -- XenForo /help/, phpBB and vBulletin faq.php, Mumsnet's Talk FAQ, MoneySavingExpert's forum
#: guides -- hosts whose name contains "help"/"hilfe" (medhelp.org, android-hilfe.de) and a patient
#: community's "Support" section); e-mails 0.96 -> 0.95 (dev: a poster's address in a medhelp.org thread; two
#: held-out new-page false positives, not examined). Every dev disagreement of the new pages was re-read
#: against the HTML; no label changed. Fifth issue-15 pass (403 pages, FAQ and chat fixes tuned on dev errors
#: only): social 0.947, chat 0.925 on 36 items, FAQ 0.750 (3 of the 4 real FAQ pages found, 1 false positive,
#: both held out), community 0.830, help 0.793, feeds 0.968, newsletter 0.876, e-mails 0.945; floors raised
#: to just under (social 0.94, chat 0.92, FAQ 0.74, newsletter 0.87, e-mails 0.94). Fourth issue-15 pass (403
#: pages: 71 small-business pages from scrapinghub/webstruct added, labelled before Engage ran on them; no
#: probe changed): social 0.940 (0.93998), chat 0.737 on 36 items, FAQ 0.000 (4 real FAQ pages, none found, 1
#: false positive), community 0.822, help 0.793, feeds 0.965, newsletter 0.843, e-mails 0.945. The social
#: floor drops from 0.94 to 0.93 because the probe misses 26 of the 115 profiles of the new pages (in dev:
#: the whole footer of one FAQ page, platforms it does not model such as Houzz, a second Facebook address of
#: the same page, a hashbang Twitter link, a Facebook icon link on a realtor's page); those labels were re-
#: read against the HTML and stand. The newsletter floor drops from 0.90 to 0.84 because the probe misses 9
#: of the 18 sign-up forms on the new pages (in dev: a Sitecore "interest list" form, Merrell's e-mail sign-
#: up, and one of two Parkside pages carrying the same form); every newsletter label of the new pages was re-
#: read against the HTML and stands, so the probe is wrong there, not the label. The FAQ floors stay at 0.0:
#: the probe finds none of the four real FAQ pages (F1 as measured 0.000). Third pass (332 pages: 62
#: news/blog pages from AndreasMadsen/htmlparser-benchmark, no probe changed): social 0.948, chat 0.750 on 5
#: items, community 0.829, help 0.800, feeds 0.964, newsletter 0.907, e-mails 0.916; lower than after the
#: second pass because those pages are harder (help links in javascript: hrefs and subscription portals,
#: author accounts beside the owner's, feed links in footers), not because a probe got worse. Second pass
#: (270 pages): 0.964 / 0.750 / 0.864 / 0.843 / 0.985 / 0.945 / 0.921; first pass (239 pages): 0.962 / 1.000
#: on 1 item / 0.774 / 0.834 / 0.982 / 0.952 / 0.913. Rule-fix pass on the 332 older pages (branch rules
#: tuned on dev errors, 4 dev labels fixed): social 0.949, chat 0.750 on 5 items, community 0.900, help
#: 0.856, feeds 0.964, newsletter 0.933, e-mails 0.949. Third issue-15 pass (332 pages: 62 news/blog pages
#: from AndreasMadsen/htmlparser-benchmark added, labelled before Engage ran on them; no probe changed):
#: social 0.948, chat 0.750 on 5 items, community 0.829, help 0.800, feeds 0.964, newsletter 0.907, e-mails
#: 0.916. The floors sit lower than after the second pass because the new pages are harder (help links in
#: javascript: hrefs and subscription portals, author accounts beside the owner's, feed links in footers),
#: not because a probe got worse: the 270 older pages still score what they did. Second pass (270 pages):
#: 0.964 / 0.750 / 0.864 / 0.843 / 0.985 / 0.945 / 0.921; first pass (239 pages): 0.962 / 1.000 on 1 item /
#: 0.774 / 0.834 / 0.982 / 0.952 / 0.913. The corpus has no real FAQ, so FAQ F1 says nothing; its false
#: positives are capped instead.
#: Seventh pass (session 8), all 457 pages: social 0.950 → 0.958, help 0.822 → 0.835, feeds 0.969 → 0.981,
#: newsletter 0.895 → 0.914, e-mails 0.960 → 0.963; floors raised.
#: Eighth pass (session 9), all 457 pages: community 0.856 → 0.897 (Phorum, boards named in a compound on the
#: site's main host, a board's topic sections folded into it, links into the board a page is on);
#: newsletter 0.914 → 0.932 (sign-ups that ask for names and a company when the form calls itself a
#: newsletter, a CMS sign-up block inside ASP.NET's page-wide form); help 0.835 → 0.844 ("FAQs/Help"
#: link texts); floors raised.
FLOORS: dict[str, float] = {
    "social_profiles": 0.95,
    "chat_widgets": 0.91,
    "faq.present": 0.74,
    "faq.qa_pairs": 0.74,
    "community_links": 0.88,
    # sixth pass: 0.822 (see above); fifth: 0.852 → 0.846, a blind second labelling of the held-out pages
    # added 10 help items the first labelling missed (second_labelling/SUMMARY.md)
    "help_center_links": 0.84,
    "feeds": 0.97,
    "newsletter_form": 0.92,
    "contact_emails": 0.955,
}

#: at most this many pages of the corpus may be called an FAQ that are not one. 0 on the first 332 pages; the
#: fourth pass added one held-out page the probe calls an FAQ (not examined: held-out errors are not
#: read); the sixth pass's dev forum thread with QAPage markup (community.kaspersky.com) is no longer one
#: since QAPage markup stopped counting as an FAQ.
MAX_FAQ_FALSE_POSITIVES = 1

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

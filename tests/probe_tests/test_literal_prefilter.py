"""The literal pre-test before a fingerprint regex runs: never rules out a match, and rules out more
than one common literal would."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from probes import base
from probes.chat_widgets import vendors
from probes.fingerprints import table

DATA = Path(base.DATA_DIR)
TABLES = ("community_platforms", "help_centers", "comment_systems", "newsletter_providers", "contact_forms")


def _examples(value: Any) -> list[str]:
    """Every string under an ``*example*`` key of a data file, at any depth."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "example" in key:
                found += [x for x in (item if isinstance(item, list) else [item]) if isinstance(x, str)]
            else:
                found += _examples(item)
    elif isinstance(value, list):
        for item in value:
            found += _examples(item)
    return found


def _texts() -> list[str]:
    texts = [x for name in (*TABLES, "chat_vendors") for x in _examples(base.load_data(name))]
    pages = sorted((Path(__file__).parent / "golden").glob("*.html"))
    return texts + [p.read_bytes().decode("utf-8", "replace") for p in pages]


def _pairs() -> list[tuple[str, re.Pattern[str], base.Literals]]:
    pairs = [
        (p.id, p.html, p.html_words)
        for name in TABLES
        for p in table(name)
        if p.html is not None and p.html_words is not None
    ]
    for v in vendors():
        pairs += [
            (v.name, pat, lit)
            for pat, lit in ((v.script, v.script_words), (v.inline, v.inline_words))
            if pat is not None and lit is not None
        ]
    return pairs


def test_the_pretest_never_rules_out_a_match() -> None:
    """Over every example of the data files and the golden pages: where a regex matches, its literals are
    all found."""
    pairs = _pairs()
    assert len(pairs) > 300
    checked = 0
    for text in _texts():
        base.forget_pages()
        for name, pattern, literals in pairs:
            if pattern.search(text):
                checked += 1
                assert not literals.absent_from(text), (name, pattern.pattern[:80], text[:80])
    assert checked > 200


def test_every_literal_run_of_a_pattern_must_occur() -> None:
    """A common run (``y <a href="http``) does not let a pattern run on every page: all of its top-level
    runs must be there."""
    literals = base.literals_of([r'Powered [Bb]y <a href="https?://(?:www\.)?mybb\.com', "var my_post_key"])
    assert literals is not None
    assert literals.runs == (
        frozenset({"powered", 'href="http', "://", "mybb.com"}),
        frozenset({"var", "my_post_key"}),
    )
    other = '<p>Powered by <a href="https://example.com">Example</a></p>'
    assert literals.absent_from(other)
    assert not literals.absent_from('<p>Powered By <a href="https://mybb.com">MyBB</a></p>')
    assert not literals.absent_from("<script>var my_post_key = '1';</script>")


@pytest.mark.parametrize(
    "text",
    ["caf\u00e9 mybb.com \u00fc", "\u4e2d\u6587 var my_post_key", "\ud800 lone surrogate var my_post_key"],
)
def test_literals_are_found_in_any_script(text: str) -> None:
    """The automaton reads UTF-8 bytes: a literal beside non-ASCII text (or a lone surrogate) is found."""
    literals = base.literals_of(["mybb\\.com", "var my_post_key"])
    assert literals is not None
    assert not literals.absent_from(text)
    assert literals.absent_from(text.replace("mybb", "myb").replace("post", "pots"))


def test_a_pattern_without_a_long_literal_always_runs() -> None:
    assert base.literals_of([r"\bab\b", "abc"]) is None
    assert base.literals_of(["(?i)abcdef"]) is None


EDGE_TEXTS = [
    "We REPLY within 24 hours.",
    "xreply reply",
    "replyx",
    "_reply",
    "réponse sous 48 heures",
    "RÉPONSE",
    "Rückmeldung innerhalb 2 Tagen",
    "RÜCKMELDUNG",
    "\u0130nnerhalb",  # dotted capital I: folds to i as re.IGNORECASE reads it
    "we an\u017fwer",  # long s
    "answer\u0301",  # a combining accent is a word character: no whole word
    "2answers",
    "answers!",
    "",
]


@pytest.mark.parametrize("section", ["reply", "within", "faq_heading", "newsletter", "help_text", "follow"])
def test_has_word_is_the_words_pattern_search(section: str) -> None:
    """The fast whole-word test answers as the case-insensitive regex does, on edge cases and real text."""
    pages = sorted((Path(__file__).parents[1] / "corpus" / "real").glob("*.html"))[::60]
    texts = list(EDGE_TEXTS)
    for page in pages:
        html = page.read_bytes().decode("utf-8", "replace")
        texts += [html, *re.split(r"(?<=[.!?<>])\s*|\n+", html)[:400]]
    pattern = base.words_pattern(section)
    answers = [(pattern.search(t) is not None, base.has_word(section, t)) for t in texts]
    assert all(slow == fast for slow, fast in answers), [
        t[:60] for t, (s, f) in zip(texts, answers, strict=True) if s != f
    ]
    assert any(slow for slow, _ in answers) and not all(slow for slow, _ in answers)

"""``probes.soup.build`` makes the very tree ``BeautifulSoup(html, "lxml")`` makes, node by node."""

from __future__ import annotations

import csv
import gc
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, PageElement, Tag

from probes import soup as soup_module
from probes.soup import Built, build, walk

CORPUS = Path(__file__).parent / "corpus"
REAL = CORPUS / "real"

EDGE_CASES = {
    "empty": "",
    "text only": "just words",
    "bom": "\ufeff<p>after a byte-order mark</p>",
    "doctype and comments": "<!DOCTYPE html><!-- top --><html><body><!--   -->"
    "<p>x<!--in--></p></body></html>",
    "legacy doctype": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html><body>x</body></html>',
    "xml declaration": '<?xml version="1.0" encoding="utf-8"?><rss><channel><title>t</title></channel></rss>',
    "processing instruction": "<html><body><?php echo 1 ?><p>a</p></body></html>",
    "whitespace folding": "<div>  \n  <span> a </span>\t\t<pre>  \n keep  </pre>"
    "<textarea>  </textarea> </div>",
    "string containers": "<script>var a = '<b>';</script><style>p{}</style><template><p>t</p></template>"
    "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
    "multi-valued attributes": '<a class=" x  y " rel="nofollow noopener" rev="r" accesskey="k" '
    'href="/a">a</a>'
    '<td headers="h1 h2">c</td><form accept-charset="utf-8 latin1"></form><iframe sandbox="a b"></iframe>',
    "meta substitutions": '<head><meta charset="iso-8859-1"><meta http-equiv="Content-Type" '
    'content="text/html; charset=utf-8"><meta name="x" content="y"></head>',
    "void elements": "<p>a<br>b<img src=x><input disabled><hr></p>",
    "misnested": "<p><b>bold <i>both</b> italic?</i></p><table><tr><td>1<td>2</table></div></span>",
    "stray end tags": "</p></div><p>x</p></html></body>extra",
    "duplicate attributes": '<a href="/one" href="/two" data-x="1" DATA-X="2">dup</a>',
    "svg": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<use xlink:href="#i"/><title>Facebook</title></svg>',
    "entities": "<p>&amp; &lt; &copy; &#x1F600; &bogus; &nbsp;</p>",
    "nested pre": "<pre> a <pre> b </pre>   </pre>  <pre></pre> ",
}


def real_sample() -> list[Path]:
    """Every tenth real corpus page (by manifest order): news, shops, forums, 19 languages."""
    with (REAL / "manifest.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [REAL / r["file"] for r in rows[::10]]


def pages() -> list[Any]:
    params = [pytest.param(html, id=name) for name, html in EDGE_CASES.items()]
    files = sorted(CORPUS.glob("*.html")) + real_sample()
    params += [pytest.param(f, id=f.name) for f in files]
    return params


def _nodes(soup: BeautifulSoup) -> list[PageElement]:
    return [soup, *soup.descendants]


def assert_same_tree(fast: BeautifulSoup, ref: BeautifulSoup) -> None:
    """Same nodes, classes, names, attributes (and value classes), strings and every tree link."""
    mine, theirs = _nodes(fast), _nodes(ref)
    assert len(mine) == len(theirs)
    where_mine = {id(n): i for i, n in enumerate(mine)}
    where_theirs = {id(n): i for i, n in enumerate(theirs)}

    def at(where: dict[int, int], node: Any) -> int | None:
        return None if node is None else where.get(id(node), -1)

    links = ("parent", "next_sibling", "previous_sibling", "next_element", "previous_element")
    fields = (
        "name",
        "prefix",
        "namespace",
        "can_be_empty_element",
        "interesting_string_types",
        "hidden",
        "known_xml",
        "sourceline",
        "sourcepos",
        "cdata_list_attributes",
        "preserve_whitespace_tags",
        "parser_class",
        "_namespaces",
        "attribute_value_list_class",
    )
    for i, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        assert type(a) is type(b), i
        for link in links:
            assert at(where_mine, getattr(a, link)) == at(where_theirs, getattr(b, link)), (i, link)
        if isinstance(a, Tag):
            assert isinstance(b, Tag)
            for name in fields:
                assert getattr(a, name) == getattr(b, name), (i, name)
            assert type(a.attrs) is type(b.attrs)
            assert list(a.attrs.items()) == list(b.attrs.items()), i
            assert [type(v) for v in a.attrs.values()] == [type(v) for v in b.attrs.values()], i
            assert [at(where_mine, c) for c in a.contents] == [at(where_theirs, c) for c in b.contents], i
        else:
            assert str(a) == str(b), i
            assert vars(a).keys() == vars(b).keys(), i
    assert vars(fast).keys() == vars(ref).keys()
    assert at(where_mine, fast._most_recent_element) == at(where_theirs, ref._most_recent_element)
    assert dict(fast.open_tag_counter) == dict(ref.open_tag_counter)
    assert fast.original_encoding == ref.original_encoding
    assert str(fast) == str(ref)


def assert_same_facts(built: Built) -> None:
    """The facts gathered while building are those one walk of the finished tree gives."""
    walked = walk(built.soup)
    assert built.by_name == walked.by_name
    assert built.position == walked.position
    assert built.strings == walked.strings
    assert [id(s) for s in built.strings] == [id(s) for s in walked.strings]


@pytest.mark.parametrize("page", pages())
def test_tree_is_bs4s_own(page: str | Path) -> None:
    html = page if isinstance(page, str) else page.read_bytes().decode("utf-8", errors="replace")
    built = build(html)
    assert_same_tree(built.soup, BeautifulSoup(html, "lxml"))
    assert_same_facts(built)


def test_probes_read_the_built_tree() -> None:
    """``probes.base.parse`` uses the fast tree and its facts (not a second walk)."""
    from audit.models import Page
    from probes import base

    base.forget_pages()
    page = Page(url="https://acme.test/", status=200, text=EDGE_CASES["multi-valued attributes"])
    parsed = base.parse(page)
    assert parsed.index._by_name is base._built(page.html).by_name
    assert [href for _, href in parsed.anchors()] == ["https://acme.test/a"]


def test_events_it_does_not_expect_go_to_bs4(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the events hold something the fast path does not model, bs4 itself builds the page."""
    html = "<p class='a b'>fallback</p>"
    real_target = soup_module._target

    def surprised(soup: BeautifulSoup, built: Built) -> Any:
        target = real_target(soup, built)

        def start(name: str, attrib: dict[str, str]) -> None:
            raise soup_module._Unexpected(name)

        target.start = start
        return target

    monkeypatch.setattr(soup_module, "_target", surprised)
    built = build(html)
    assert_same_tree(built.soup, BeautifulSoup(html, "lxml"))
    assert_same_facts(built)


def test_markup_lxml_rejects_is_bs4s_answer() -> None:
    """A lone surrogate (a text no codec writes): the same tree or the same error as bs4's."""
    html = "<p>\ud800 broken</p>"
    try:
        ref = BeautifulSoup(html, "lxml")
    except Exception as exc:
        with pytest.raises(type(exc)):
            build(html)
        return
    assert_same_tree(build(html).soup, ref)


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_state_is_restored(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        build("<p>x</p>")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_real_sample_is_varied() -> None:
    """The real sample is not all English news: the identity above is checked across scripts and kinds."""
    with (REAL / "manifest.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[::10]
    assert len(rows) >= 40
    assert len({r["language"] for r in rows}) >= 3
    assert len({r["kind"] for r in rows}) >= 4


def _tags_alive() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is Tag)


@pytest.mark.parametrize("enabled", [True, False])
def test_a_page_let_go_is_freed_without_the_collector(enabled: bool) -> None:
    """``page_at_a_time`` takes the trees apart: with the collector off, the nodes are gone at once (a
    bs4 tree is a web of reference cycles that only the collector would free), and its state is restored."""
    import weakref

    from audit.models import Page
    from probes import base

    html = (REAL / "ws-darlinghomes.com.html").read_bytes().decode("utf-8", "replace")
    was = gc.isenabled()
    gc.disable()
    try:
        base.forget_pages()
        kept = base.parse(Page(url="https://acme.test/", status=200, text="<p>held <a href='/x'>x</a></p>"))
        gc.collect()
        (gc.enable if enabled else gc.disable)()
        with base.page_at_a_time():
            parsed = base.parse(Page(url="https://www.darlinghomes.com/", status=200, text=html))
            assert not gc.isenabled()
            link = weakref.ref(parsed.index.anchors[0][0])
            body = weakref.ref(parsed.index.tags("body")[0])
            links = [href for _, href in parsed.anchors()]
            del parsed
        assert gc.isenabled() is enabled
        gc.disable()
        assert link() is None and body() is None
        assert links
        # a tree parsed before the block, still held, is left whole
        assert kept.soup.find("a") is not None and [h for _, h in kept.anchors()] == ["https://acme.test/x"]
    finally:
        (gc.enable if was else gc.disable)()


def test_released_trees_leave_no_node_behind() -> None:
    """Many pages in a row under ``page_at_a_time``: no node of theirs is left for the collector."""
    from probes import base
    from probes.inspect import inspect_html

    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        before = _tags_alive()
        for path in real_sample()[:8]:
            with base.page_at_a_time():
                inspect_html(path.read_bytes().decode("utf-8", "replace"), "https://example.test/")
        assert _tags_alive() <= before
    finally:
        (gc.enable if was else gc.disable)()

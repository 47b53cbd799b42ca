"""A BeautifulSoup tree built from lxml's parse events without bs4's per-node machinery.

``BeautifulSoup(html, "lxml")`` drives lxml's HTML parser with bs4's tree builder as its target. Over real
pages nearly all of that time is bs4's Python bookkeeping per start tag and per string (attribute
classes, namespace stacks, filters, linkage checks), not lxml's parse. :func:`build` feeds the very same
parser the very same markup, and turns its events into the very same ``Tag`` and ``NavigableString``
objects, filled in directly: the tree is indistinguishable from bs4's own (names, attribute values and
their list classes, string classes, whitespace folding, every parent/sibling/element link), which
``tests/test_soup.py`` checks node by node against ``BeautifulSoup(html, "lxml")`` on the fixture and
real pages.

While it builds, it also records what :class:`probes.base.PageIndex` would otherwise walk the finished
tree for: tags by name, each node's place in document order, and every string node.

It relies on bs4's internals; ``constraints.txt`` pins bs4. Anything it does not expect (markup lxml
rejects as text, a namespaced name) makes it hand the page to bs4 itself, so the answer never changes,
only the speed.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction, Tag
from bs4.builder import nonwhitespace_re as _NONWHITESPACE
from bs4.builder._lxml import LXMLTreeBuilderForXML
from lxml import etree


@dataclass(eq=False)  # one per tree: compared and hashed by identity (kept in a weak set)
class Built:
    """A parsed page: the soup, and the index facts gathered while building it."""

    soup: BeautifulSoup
    by_name: dict[str, list[Tag]] = field(default_factory=dict)
    position: dict[int, int] = field(default_factory=dict)
    strings: list[NavigableString] = field(default_factory=list)

    def release(self) -> None:
        """Take the tree apart: every node's links to its neighbours dropped, so the nodes are freed by
        reference counting at once instead of waiting, a web of reference cycles, for the cyclic collector
        to walk them (about a tenth of a batch's time). The emptied ``soup`` object itself may linger a
        while (lxml's parser keeps the build's handlers in a small cycle of its own). Nothing may use the
        tree afterwards."""
        for tags in self.by_name.values():
            for tag in tags:
                tag.__dict__.clear()
        for string in self.strings:
            string.__dict__.clear()
        self.soup.__dict__.clear()
        self.by_name.clear()
        self.position.clear()
        self.strings.clear()


class _Unexpected(Exception):
    """The events hold something only bs4's own builder knows how to treat."""


def build(html: str) -> Built:
    """``BeautifulSoup(html, "lxml")``, built faster, with the index facts gathered on the way."""
    soup = BeautifulSoup("", "lxml")
    built = Built(soup)
    markup = html[1:] if html[:1] == "\N{BYTE ORDER MARK}" else html
    # A tree is a web of reference cycles; the collector would walk the growing heap again and again
    # while it is built (a quarter of the time) and find nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        parser = etree.HTMLParser(target=_target(soup, built), recover=True, huge_tree=False, encoding=None)
        parser.feed(markup)
        parser.close()
    except (_Unexpected, UnicodeError, LookupError, etree.ParserError, ValueError, TypeError):
        return walk(BeautifulSoup(html, "lxml"))
    finally:
        if collecting:
            gc.enable()
    return built


class _Events:
    """What lxml calls on its parser target (it looks the methods up by name)."""

    def __init__(self, **handlers: Any) -> None:
        self.__dict__.update(handlers)


def _target(soup: BeautifulSoup, built: Built) -> _Events:
    """An lxml parser target that grows ``soup`` as ``BeautifulSoup.handle_*`` would (closures: no
    attribute lookups per event)."""
    builder = soup.builder
    attr_dict = builder.attribute_dict_class
    value_list = builder.attribute_value_list_class
    cdata_lists: dict[str, set[str]] = builder.cdata_list_attributes or {}
    universal = cdata_lists.get("*", set())
    empty_tags = builder.empty_element_tags or set()
    preserve = builder.preserve_whitespace_tags or set()
    containers: dict[str, type[NavigableString]] = builder.string_containers
    interesting = {name: {cls} for name, cls in containers.items()}
    main_types = Tag.MAIN_CONTENT_STRING_TYPES
    set_up_substitutions = builder.set_up_substitutions
    spaces = BeautifulSoup.ASCII_SPACES
    # What ``Tag.__init__`` sets alike on every tag the lxml builder makes.
    shared: dict[str, Any] = {
        "parser_class": BeautifulSoup,
        "namespace": None,
        "_namespaces": dict(LXMLTreeBuilderForXML.DEFAULT_NSMAPS),
        "prefix": None,
        "sourceline": None,
        "sourcepos": None,
        "attribute_value_list_class": value_list,
        "known_xml": False,
        "hidden": False,
        "cdata_list_attributes": builder.cdata_list_attributes,
        "preserve_whitespace_tags": builder.preserve_whitespace_tags,
        "next_element": None,
        "next_sibling": None,
    }
    by_name = built.by_name
    position = built.position
    strings = built.strings
    new_str = str.__new__
    new_tag = Tag.__new__
    split = _NONWHITESPACE.findall
    stack: list[Tag] = [soup]
    pending: list[str] = []
    preserve_stack: list[Tag] = []
    container_stack: list[Tag] = []
    open_count: dict[str, int] = {}
    last: Any = None  # the most recently added node (``BeautifulSoup._most_recent_element``)
    count = 0

    def flush(cls: type[NavigableString] | None = None) -> None:
        nonlocal last, count
        text = "".join(pending)
        pending.clear()
        if not preserve_stack and not text.strip(spaces):
            text = "\n" if "\n" in text else " "
        if cls is None:
            cls = (
                containers.get(container_stack[-1].name, NavigableString)
                if container_stack
                else NavigableString
            )
        node = new_str(cls, text)
        parent = stack[-1]
        siblings = parent.contents
        previous_sibling = siblings[-1] if siblings else None
        node.__dict__ = {
            "hidden": False,
            "parent": parent,
            "previous_element": last,
            "next_element": None,
            "next_sibling": None,
            "previous_sibling": previous_sibling,
        }
        if last is not None:
            last.next_element = node
        if previous_sibling is not None:
            previous_sibling.next_sibling = node
        siblings.append(node)
        last = node
        strings.append(node)
        count += 1

    def start(name: str, attrib: dict[str, str]) -> None:
        nonlocal last, count
        if pending:
            flush()
        if name[:1] == "{":
            raise _Unexpected(name)
        attrs = attr_dict(attrib)
        if attrs:
            specific = cdata_lists.get(name.lower())
            for key, value in attrs.items():
                if key[:1] == "{":
                    raise _Unexpected(key)
                if key in universal or (specific and key in specific):
                    dict.__setitem__(attrs, key, value_list(split(value)))
        tag = new_tag(Tag)
        parent = stack[-1]
        siblings = parent.contents
        previous_sibling = siblings[-1] if siblings else None
        state = dict(shared)
        state["name"] = name
        state["attrs"] = attrs
        state["contents"] = []
        state["parent"] = parent
        state["previous_element"] = last
        state["previous_sibling"] = previous_sibling
        state["can_be_empty_element"] = name in empty_tags
        state["interesting_string_types"] = interesting.get(name, main_types)
        tag.__dict__ = state
        if last is not None:
            last.next_element = tag
        if previous_sibling is not None:
            previous_sibling.next_sibling = tag
        if name == "meta":
            set_up_substitutions(tag)
        siblings.append(tag)
        last = tag
        stack.append(tag)
        open_count[name] = open_count.get(name, 0) + 1
        if name in preserve:
            preserve_stack.append(tag)
        if name in containers:
            container_stack.append(tag)
        found = by_name.get(name)
        if found is None:
            by_name[name] = [tag]
        else:
            found.append(tag)
        position[id(tag)] = count
        count += 1

    def pop() -> None:
        # BeautifulSoup.popTag (its stacks compare with ``==``, as here)
        tag = stack.pop()
        open_count[tag.name] -= 1
        if preserve_stack and tag == preserve_stack[-1]:
            preserve_stack.pop()
        if container_stack and tag == container_stack[-1]:
            container_stack.pop()

    def end(name: str) -> None:
        if pending:
            flush()
        if name[:1] == "{":
            raise _Unexpected(name)
        # BeautifulSoup._popToTag: pop up to and including the most recent open tag of that name
        for i in range(len(stack) - 1, 0, -1):
            if not open_count.get(name):
                break
            if stack[i].name == name:
                pop()
                break
            pop()

    def special(text: str, cls: type[NavigableString]) -> None:
        if pending:
            flush()
        pending.append(text)
        flush(cls)

    def close() -> None:
        if pending:
            flush()
        while len(stack) > 1:
            pop()
        soup._most_recent_element = last
        soup.open_tag_counter.update(open_count)
        soup.markup = None

    return _Events(
        start=start,
        end=end,
        data=pending.append,
        comment=lambda text: special(text, Comment),
        doctype=lambda name, pubid, system: special(
            Doctype._string_for_name_and_ids(name, pubid, system), Doctype
        ),
        pi=lambda target, data: special(target + " " + data, ProcessingInstruction),
        close=close,
    )


def walk(soup: BeautifulSoup) -> Built:
    """The index facts of an already built ``soup``, gathered in one walk of its tree."""
    built = Built(soup)
    for position, el in enumerate(soup.descendants):
        if isinstance(el, Tag):
            built.by_name.setdefault(el.name, []).append(el)
            built.position[id(el)] = position
        elif isinstance(el, NavigableString):
            built.strings.append(el)
    return built

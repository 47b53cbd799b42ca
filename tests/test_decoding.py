"""The one decoding path: browser-like encoding choice, and text that every later stage can take."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.decoding import choose_encoding, clean_strings, clean_text, decode, whatwg_encoding
from audit.fetch import body_text

#: Labels a hostile or broken server may send: Python codecs that raise, transform or yield surrogates.
HOSTILE_LABELS = [
    "utf-7",
    "unicode_escape",
    "raw_unicode_escape",
    "idna",
    "punycode",
    "rot13",
    "base64",
    "zlib",
    "hex",
    "uu",
    "undefined",
    "charmap",
    "unicode-internal",
    "mbcs",
    "utf-32",
    "bogus",
    "",
    '"utf-8',
    "x-user-defined",
    "iso-2022-kr",
    "utf-16",
    "utf-16be",
    "shift_jis",
    "gbk",
    "latin1",
]


def test_a_lone_surrogate_in_utf_7_is_never_produced() -> None:
    # The fault that ended a whole audit: "+3U8-" is a lone U+DD4F in UTF-7, which lxml cannot encode.
    got = decode(b"<p>caf +3U8- x</p>", "text/html; charset=utf-7")
    assert got.text == "<p>caf +3U8- x</p>"
    assert (got.encoding, got.source) == ("utf-8", "detected")
    BeautifulSoup(got.text, "lxml")  # raised UnicodeEncodeError before


def test_a_meta_charset_naming_a_python_codec_is_not_honoured() -> None:
    got = decode(b"<meta charset=unicode_escape><p>\\udd4f</p>", "text/html")
    assert got.text.endswith("<p>\\udd4f</p>")
    assert got.encoding == "utf-8"


@pytest.mark.parametrize(
    ("body", "ctype", "encoding", "source"),
    [
        (b"\xef\xbb\xbfhi", "text/html; charset=latin1", "utf-8", "bom"),  # the BOM beats the header
        ("hi".encode("utf-16-le"), "", "utf-8", "detected"),  # no BOM, valid UTF-8 bytes
        (b"\xff\xfeh\x00i\x00", "text/html; charset=utf-8", "utf-16le", "bom"),
        ("caf\xe9".encode("latin-1"), "text/html; charset=ISO-8859-1", "windows-1252", "header"),
        (b'<meta charset="koi8-r"><p>\xf0\xd2\xc9</p>', "text/html; charset=utf-8", "utf-8", "header"),
        (b'<meta charset="koi8-r"><p>\xf0\xd2\xc9</p>', "text/html", "koi8-r", "declared"),
        (b'<meta charset="utf-16"><p>x</p>', "text/html", "utf-8", "declared"),  # ASCII can't be UTF-16
        (
            b'<?xml version="1.0" encoding="ISO-8859-1"?><a>\xe9</a>',
            "application/xml",
            "windows-1252",
            "declared",
        ),
        ("é".encode() + b"\xc3", "", "utf-8", "detected"),  # UTF-8 cut mid-character by the size cap
        (b"", "", "utf-8", "default"),
    ],
)
def test_encoding_is_chosen_as_a_browser_would(body: bytes, ctype: str, encoding: str, source: str) -> None:
    assert choose_encoding(body, ctype) == (encoding, source)


def test_undeclared_legacy_text_is_detected_not_mangled() -> None:
    body = "<p>Größe, café, über, naïve — déjà vu.</p>".encode("cp1252") * 10
    assert "Größe, café, über" in decode(body, "text/html").text


def test_text_decodes_as_declared() -> None:
    assert decode("Привет".encode("koi8-r"), "text/plain; charset=KOI8-R").text == "Привет"
    assert decode('<meta charset="shift_jis">日本'.encode("shift_jis"), "text/html").text.endswith("日本")
    assert decode(b"\xef\xbb\xbf{}", "application/json").text == "{}"  # the BOM is not part of the text


def test_whatwg_labels_only() -> None:
    assert whatwg_encoding("latin1") == "windows-1252"
    assert whatwg_encoding(" UTF8 ") == "utf-8"
    assert whatwg_encoding("utf-7") is None
    assert whatwg_encoding("iso-2022-kr") is None  # the "replacement" encoding: we fall back instead


def test_clean_text_and_strings() -> None:
    assert clean_text("a\udd4fb") == "a\ufffdb"
    assert clean_text("plain é") == "plain é"
    doc = clean_strings({"k\ud800": ["x\udfff", 1, None, {"n": "\ud83d"}]})
    json.dumps(doc, ensure_ascii=False).encode("utf-8")  # would raise with a surrogate left
    assert doc == {"k\ufffd": ["x\ufffd", 1, None, {"n": "\ufffd"}]}


def test_json_surrogate_escapes_are_cleaned_in_audit_json(tmp_path: object) -> None:
    from pathlib import Path

    from audit.runner import write_json_atomic

    out = Path(str(tmp_path)) / "a.json"
    write_json_atomic(out, json.loads('{"snippet": "\\udd4f"}'))
    assert json.loads(out.read_text(encoding="utf-8")) == {"snippet": "\ufffd"}


@pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
@settings(max_examples=300, deadline=None)
@given(
    body=st.binary(max_size=600),
    label=st.sampled_from(HOSTILE_LABELS) | st.text(max_size=12),
    meta=st.sampled_from(HOSTILE_LABELS),
    ctype=st.sampled_from(["text/html", "application/xml", "application/json", "text/plain", ""]),
)
def test_any_bytes_any_label_give_text_every_stage_takes(
    body: bytes, label: str, meta: str, ctype: str
) -> None:
    for data in (body, f"<meta charset={meta}>".encode() + body):
        got = decode(data, f"{ctype}; charset={label}")
        got.text.encode("utf-8")  # no lone surrogates
        BeautifulSoup(got.text, "lxml")
        assert whatwg_encoding(got.encoding) == got.encoding


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200), encoding=st.sampled_from(["utf-8", "utf-16", "windows-1252", "koi8-r"]))
def test_declared_round_trip(text: str, encoding: str) -> None:
    try:
        body = text.encode(encoding)
    except UnicodeEncodeError:
        return
    if text.startswith("\ufeff"):
        return  # U+FEFF first is a byte-order mark, by definition
    assert decode(body, f"text/plain; charset={encoding}").text == text


def test_body_text_is_the_same_path() -> None:
    assert body_text(b"<p>+3U8-</p>", "text/html; charset=utf-7", 1000) == "<p>+3U8-</p>"

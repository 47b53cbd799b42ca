"""The one way bytes become text: every body (HTML, XML, JSON, robots.txt, feeds), saved pages and DOMs.

The encoding is chosen as a browser would (the WHATWG Encoding Standard): a byte-order mark first, then
the ``Content-Type`` charset, then a ``<meta charset>`` or XML declaration in the first bytes, else
detected (valid UTF-8, else charset-normalizer's guess, else windows-1252). Only labels the standard
knows are honoured, so a page cannot make us run ``unicode_escape``, ``utf-7`` or ``idna`` — codecs that
raise on bad input or produce lone surrogates, which lxml and ``str.encode`` refuse. Undecodable bytes
become U+FFFD, and :func:`clean_text` guarantees the result encodes as UTF-8.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import webencodings
from w3lib.encoding import html_body_declared_encoding

#: How much of a body is given to the detector when nothing declares an encoding.
DETECT_SAMPLE = 64 * 1024
#: Where a ``<meta charset>`` or XML declaration is looked for (the standard's prescan reads 1024 bytes).
PRESCAN = 4096

_SURROGATES = re.compile("[\ud800-\udfff]")
_UTF16 = frozenset({"utf-16le", "utf-16be"})
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xfe\xff", "utf-16be"), (b"\xff\xfe", "utf-16le"))


@dataclass(frozen=True)
class Decoded:
    """Text of a body, the encoding used (a WHATWG name) and where the choice came from."""

    text: str
    encoding: str
    source: str  # "bom" | "header" | "declared" | "detected" | "default"


def whatwg_encoding(label: str | None) -> str | None:
    """The WHATWG name for an encoding label (``latin1`` → ``windows-1252``), None when not a label."""
    if not label:
        return None
    found = webencodings.lookup(label.strip().strip("\"'"))
    if found is None or found.name == "replacement":
        return None
    return str(found.name)


def header_charset(content_type: str) -> str | None:
    """The ``charset`` parameter of a ``Content-Type`` value, as given (no validation)."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def choose_encoding(body: bytes, content_type: str = "") -> tuple[str, str]:
    """(WHATWG encoding name, source) for ``body``; see the module docstring for the order."""
    for mark, name in _BOMS:
        if body.startswith(mark):
            return name, "bom"
    declared_header = whatwg_encoding(header_charset(content_type))
    if declared_header:
        return declared_header, "header"
    declared_body = whatwg_encoding(html_body_declared_encoding(body[:PRESCAN]))
    if declared_body:
        # A document cannot declare itself UTF-16 in ASCII bytes: the standard reads that as UTF-8.
        return ("utf-8" if declared_body in _UTF16 else declared_body), "declared"
    return _detect(body)


def _detect(body: bytes) -> tuple[str, str]:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        cut = exc.start >= len(body) - 3 and exc.reason == "unexpected end of data"
        if cut and not body[: exc.start].isascii():
            return "utf-8", "detected"  # UTF-8 cut mid-character (the size cap) is still UTF-8
    else:
        return "utf-8", ("detected" if body else "default")
    from charset_normalizer import from_bytes

    best = from_bytes(body[:DETECT_SAMPLE]).best()
    guessed = whatwg_encoding(best.encoding) if best is not None else None
    if guessed and guessed not in _UTF16:
        return guessed, "detected"
    return "windows-1252", "default"


def decode(body: bytes, content_type: str = "") -> Decoded:
    """Text of ``body`` by the encoding :func:`choose_encoding` picks; never raises, never a surrogate."""
    encoding, source = choose_encoding(body, content_type)
    codec = webencodings.lookup(encoding)
    try:
        if source == "bom":
            text = _strip_bom(body, codec)
        elif codec is not None:
            text = str(codec.codec_info.decode(body, "replace")[0])
        else:
            text = body.decode("utf-8", "replace")
    except (UnicodeError, LookupError, TypeError):  # belt and braces: WHATWG codecs do not raise
        text, encoding, source = body.decode("utf-8", "replace"), "utf-8", "default"
    return Decoded(clean_text(text), encoding, source)


def _strip_bom(body: bytes, codec: webencodings.Encoding | None) -> str:
    mark = next(m for m, _ in _BOMS if body.startswith(m))
    rest = body[len(mark) :]
    if codec is None:
        return rest.decode("utf-8", "replace")
    return str(codec.codec_info.decode(rest, "replace")[0])


def charset_warning(body: bytes, content_type: str = "") -> str | None:
    """Why a declared charset was not honoured (it names no web encoding), or None when nothing lied."""
    label = header_charset(content_type)
    if label and whatwg_encoding(label) is not None:
        return None
    if not label:
        label = html_body_declared_encoding(body[:PRESCAN])
        if not label or whatwg_encoding(label) is not None:
            return None
    encoding, source = choose_encoding(body, content_type)
    return f"declared charset {label[:40]!r} is not a web encoding; read as {encoding} ({source})"


def decode_text(body: bytes, content_type: str = "") -> str:
    """Just the text of :func:`decode`."""
    return decode(body, content_type).text


def clean_text(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD, so it always encodes as UTF-8.

    Sources other than our decoder (a browser's DOM, a JSON string with ``\\udXXX`` escapes) can hold them.
    """
    return _SURROGATES.sub("\ufffd", text) if _has_surrogates(text) else text


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def clean_strings(value: Any) -> Any:
    """``value`` (JSON-like: dicts, lists, strings) with :func:`clean_text` applied to every string."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k) if isinstance(k, str) else k: clean_strings(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_strings(v) for v in value]
    return value

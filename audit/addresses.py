"""Which network addresses Engage may connect to, and how a URL's host names one.

Two things a browser does that a naive guard misses are done here the browser's way:

* **Numeric hosts** are parsed as the WHATWG URL Standard's IPv4 parser does, so ``0x7f.1``, ``127.1``,
  ``2130706433`` and ``017700000001`` are all 127.0.0.1 — whoever ends up resolving the name (the
  local resolver, a proxy, Chromium) would connect there.
* **Special-purpose ranges** come from one table (:data:`SPECIAL_RANGES`), after the IANA IPv4 and IPv6
  Special-Purpose Address Registries; an IPv6 range that carries an IPv4 address (IPv4-mapped, NAT64,
  6to4, Teredo) is judged by the IPv4 address it carries. Anything the table does not name must also be
  ``is_global`` to Python's :mod:`ipaddress`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class BadHost(ValueError):
    """A host a browser would refuse to parse (``0x7g.1``, ``1.2.3.4.5``, ``256.1.1.1``)."""


Verdict = Literal["refuse", "embedded"]


@dataclass(frozen=True)
class SpecialRange:
    """One row of the table: a network, what it is, and whether it is refused or judged by its payload."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    name: str
    verdict: Verdict = "refuse"


def _row(cidr: str, name: str, verdict: Verdict = "refuse") -> SpecialRange:
    return SpecialRange(ipaddress.ip_network(cidr), name, verdict)


#: Never connected to (``refuse``), or judged by the IPv4 address inside (``embedded``). Most specific
#: rows first: the first row containing an address decides.
SPECIAL_RANGES: tuple[SpecialRange, ...] = (
    # IPv4 (IANA IPv4 Special-Purpose Address Registry, plus multicast and broadcast)
    _row("0.0.0.0/8", "this network (RFC 791)"),
    _row("10.0.0.0/8", "private use (RFC 1918)"),
    _row("100.64.0.0/10", "shared address space / CGNAT (RFC 6598)"),
    _row("127.0.0.0/8", "loopback (RFC 1122)"),
    _row("169.254.0.0/16", "link-local, cloud metadata (RFC 3927)"),
    _row("172.16.0.0/12", "private use (RFC 1918)"),
    _row("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
    _row("192.0.2.0/24", "documentation TEST-NET-1 (RFC 5737)"),
    _row("192.88.99.0/24", "6to4 relay anycast, deprecated (RFC 7526)"),
    _row("192.168.0.0/16", "private use (RFC 1918)"),
    _row("198.18.0.0/15", "benchmarking (RFC 2544)"),
    _row("198.51.100.0/24", "documentation TEST-NET-2 (RFC 5737)"),
    _row("203.0.113.0/24", "documentation TEST-NET-3 (RFC 5737)"),
    _row("224.0.0.0/4", "multicast (RFC 5771)"),
    _row("255.255.255.255/32", "limited broadcast (RFC 919)"),
    _row("240.0.0.0/4", "reserved (RFC 1112)"),
    # IPv6 (IANA IPv6 Special-Purpose Address Registry, plus multicast)
    _row("::1/128", "loopback (RFC 4291)"),
    _row("::/128", "unspecified (RFC 4291)"),
    _row("::ffff:0:0/96", "IPv4-mapped (RFC 4291)", "embedded"),
    _row("::/96", "IPv4-compatible, deprecated (RFC 4291)"),
    _row("64:ff9b::/96", "NAT64 well-known prefix (RFC 6052)", "embedded"),
    _row("64:ff9b:1::/48", "NAT64 local-use (RFC 8215)"),
    _row("100::/64", "discard-only (RFC 6666)"),
    _row("2001::/32", "Teredo (RFC 4380)", "embedded"),
    _row("2001:2::/48", "benchmarking (RFC 5180)"),
    _row("2001:db8::/32", "documentation (RFC 3849)"),
    _row("2001::/23", "IETF protocol assignments (RFC 2928)"),
    _row("2002::/16", "6to4 (RFC 3056)", "embedded"),
    _row("3fff::/20", "documentation (RFC 9637)"),
    _row("5f00::/16", "segment routing SIDs (RFC 9602)"),
    _row("fc00::/7", "unique local (RFC 4193)"),
    _row("fe80::/10", "link-local (RFC 4291)"),
    _row("fec0::/10", "site-local, deprecated (RFC 3879)"),
    _row("ff00::/8", "multicast (RFC 4291)"),
)


def special_range(address: IPAddress) -> SpecialRange | None:
    """The first table row containing ``address``, or None."""
    for row in SPECIAL_RANGES:
        if row.network.version == address.version and address in row.network:
            return row
    return None


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv4-carrying IPv6 address leads to (mapped, NAT64, 6to4, Teredo)."""
    if address.ipv4_mapped is not None:
        return [address.ipv4_mapped]
    if address.sixtofour is not None:
        return [address.sixtofour]
    if address.teredo is not None:
        return list(address.teredo)  # the Teredo server and the client's (public) address
    if address in ipaddress.IPv6Network("64:ff9b::/96"):
        return [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)]
    return []


def refusal_reason(address: IPAddress) -> str | None:
    """Why ``address`` must not be connected to ("loopback (RFC 1122)"), or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        return "IPv6 address with a zone (link-local)"
    row = special_range(address)
    if row is not None:
        if row.verdict == "refuse":
            return row.name
        assert isinstance(address, ipaddress.IPv6Address)
        for inner in embedded_ipv4(address):
            inner_reason = refusal_reason(inner)
            if inner_reason is not None:
                return f"{row.name} carrying {inner}, {inner_reason}"
        return None
    if not address.is_global:
        return "not globally reachable"
    return None


def is_refused(address: str) -> bool:
    """True when the literal ``address`` is in a refused range (a convenience for callers and tests)."""
    return refusal_reason(ipaddress.ip_address(address)) is not None


def normalize_host(host: str) -> str:
    """A URL host as the browser connects to it: percent-decoded, IDNA-mapped, lower-case, no brackets,
    no trailing dots; numeric IPv4 hosts in dotted-decimal form. Raises ``BadHost``."""
    text = unquote(host).strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if ":" in text:
        try:
            return str(ipaddress.IPv6Address(text))
        except ValueError:
            raise BadHost(f"{host!r} is not a valid IPv6 address") from None
    try:
        # IDNA 2003 nameprep maps what browsers map (full-width digits and dots, upper case)
        text = text.encode("idna").decode("ascii")
    except UnicodeError:
        text = text.lower()
    text = text.lower().rstrip(".")
    ipv4 = parse_ipv4(text)
    return str(ipv4) if ipv4 is not None else text


def host_address(host: str) -> IPAddress | None:
    """The address a literal host names (after :func:`normalize_host`), or None for a name."""
    name = normalize_host(host)
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def is_localhost(host: str) -> bool:
    """``localhost`` and ``*.localhost``, with or without trailing dots: loopback by definition (RFC 6761)."""
    name = host.lower().strip("[]").rstrip(".")
    return name == "localhost" or name.endswith(".localhost")


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The WHATWG URL Standard's IPv4 parser: None when ``host`` does not end in a number (a name).

    ``127.1`` → 127.0.0.1, ``0x7f.1`` → 127.0.0.1, ``2130706433`` → 127.0.0.1, ``017700000001`` (octal)
    → 127.0.0.1. A host that ends in a number but is not a valid address raises ``BadHost``, as the
    browser refuses it.
    """
    if not host or not _ends_in_number(host):
        return None
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4:
        raise BadHost(f"{host!r}: more than four parts in a numeric host")
    numbers = []
    for part in parts:
        number = _ipv4_number(part)
        if number is None:
            raise BadHost(f"{host!r}: not a valid IPv4 address")
        numbers.append(number)
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise BadHost(f"{host!r}: an IPv4 part is out of range")
    value = numbers[-1]
    for i, n in enumerate(numbers[:-1]):
        value += n * 256 ** (3 - i)
    return ipaddress.IPv4Address(value)


def _ends_in_number(host: str) -> bool:
    parts = host.split(".")
    if parts[-1] == "":
        if len(parts) == 1:
            return False
        parts.pop()
    last = parts[-1]
    if last and last.isascii() and last.isdigit():
        return True
    return _ipv4_number(last) is not None


def _ipv4_number(part: str) -> int | None:
    if not part:
        return None
    radix = 10
    if part[:2].lower() == "0x":
        part, radix = part[2:], 16
        if not part:
            return 0
    elif len(part) > 1 and part[0] == "0":
        part, radix = part[1:], 8
    digits = "0123456789abcdef"[:radix]
    if not all(c in digits for c in part.lower()):
        return None
    return int(part, radix)

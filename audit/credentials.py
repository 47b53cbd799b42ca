"""Credentials: read from the environment only, checked at load, and never written anywhere.

- :data:`CREDENTIAL_ENV` are the variables Engage sends as credentials (``GITHUB_TOKEN`` to the GitHub
  API). Each is stripped of surrounding whitespace when read (``GITHUB_TOKEN=$'secret\\r'`` is the
  token ``secret``); one that still holds a control character, a space or a non-ASCII character is
  refused at load with a one-line error naming the variable, never echoing the value.
- :func:`redact` is the one filter every error text and log line passes through before it is stored or
  shown (``audit.json``, the WARC, the history database, the reports, stderr): the value of every
  credential variable, of any environment variable whose name says it is a secret (``*TOKEN*``,
  ``*SECRET*``, ``*PASSWORD*``, ``*API_KEY*``, ``*_KEY``), and of secrets registered while running (a
  proxy's password) is replaced by :data:`REDACTED`.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

#: The environment variables Engage sends as credentials.
CREDENTIAL_ENV: tuple[str, ...] = ("GITHUB_TOKEN",)
#: Names of environment variables whose values are secrets whether or not Engage uses them.
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|(?:^|_)KEY$|CREDENTIAL", re.I)
REDACTED = "[redacted]"
#: Shorter values are not redacted (a 3-character "password" would blank out ordinary words).
MIN_SECRET_CHARS = 6
_VALID = re.compile(r"^[\x21-\x7e]+$")  # a token is visible ASCII: no control character, space or é

_lock = threading.Lock()
_registered: set[str] = set()


class CredentialError(ValueError):
    """A credential variable that cannot be sent (the message names it, never its value)."""


def check(name: str, raw: str) -> str:
    """``raw`` stripped; ``CredentialError`` naming ``name`` when what is left cannot be a credential."""
    value = raw.strip()
    if value and not _VALID.match(value):
        raise CredentialError(
            f"{name}: holds a control character (CR, LF, …), a space or a non-ASCII character; "
            "set it to the credential alone"
        )
    return value


def check_environment(environ: Mapping[str, str] | None = None) -> None:
    """Check every credential variable at load; raises ``CredentialError`` for the first bad one."""
    env = os.environ if environ is None else environ
    for name in CREDENTIAL_ENV:
        raw = env.get(name)
        if raw is not None:
            check(name, raw)


def credential(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The credential ``name`` from the environment, stripped; None when unset, empty or unusable."""
    env = os.environ if environ is None else environ
    try:
        value = check(name, env.get(name) or "")
    except CredentialError:
        return None  # refused at load; never sent
    return value or None


def register(secret: str | None) -> None:
    """Redact ``secret`` (a proxy's password, …) from everything written or shown from now on."""
    if secret and len(secret) >= MIN_SECRET_CHARS:
        with _lock:
            _registered.add(secret)


def secret_values(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Every value to redact, longest first, with the spellings it may take in an error text.

    Called for every stored record, so the spellings are worked out once per set of secrets: the
    environment's secret variables (read from ``os.environb``, which needs no decoding) and the
    registered values are the cache key, so a variable set or changed later is still redacted.
    """
    if environ is None:
        with _lock:
            registered = frozenset(_registered)
        key = (_secret_env_items(), registered)
        cached_key, cached = _spelled[0]
        if key == cached_key:
            return cached
        found: set[str] = set(registered)
        for name, raw in os.environ.items():
            if _is_secret_name(name):
                found.update({raw, raw.strip()})
        spelled = _spellings(found)
        _spelled[0] = (key, spelled)
        return spelled
    found = {v for name, raw in environ.items() if _is_secret_name(name) for v in (raw, raw.strip())}
    with _lock:
        found |= _registered
    return _spellings(found)


def _is_secret_name(name: str) -> bool:
    return name in CREDENTIAL_ENV or SECRET_NAME.search(name) is not None


def _secret_env_items() -> tuple[tuple[bytes, bytes], ...]:
    """The environment's secret-named variables, raw (cheap: a name's verdict is remembered)."""
    items = []
    for name, raw in os.environb.items():
        secret = _secret_names.get(name)
        if secret is None:
            secret = _secret_names[name] = _is_secret_name(name.decode("utf-8", "surrogateescape"))
        if secret:
            items.append((name, raw))
    return tuple(items)


def _spellings(found: set[str]) -> tuple[str, ...]:
    spelled = {form for value in found for form in (value, quote(value, safe=""), repr(value)[1:-1])}
    return tuple(sorted((v for v in spelled if len(v) >= MIN_SECRET_CHARS), key=len, reverse=True))


_secret_names: dict[bytes, bool] = {}
#: (cache key, spellings) of the last secret_values() of os.environ, one tuple so threads read a pair
_spelled: list[tuple[Any, tuple[str, ...]]] = [(None, ())]


def redact(text: str, environ: Mapping[str, str] | None = None) -> str:
    """``text`` with every secret value replaced by :data:`REDACTED`."""
    if not text:
        return text
    for value in secret_values(environ):
        if value in text:
            text = text.replace(value, REDACTED)
    return text


def redact_bytes(data: bytes) -> bytes:
    """:func:`redact` for bytes (a WARC payload): UTF-8 spellings of the secrets replaced."""
    if not data:
        return data
    for value in secret_values():
        encoded = value.encode("utf-8", "surrogatepass")
        if encoded in data:
            data = data.replace(encoded, REDACTED.encode())
    return data


def redact_all(data: Any) -> Any:
    """A copy of a JSON-able value with :func:`redact` applied to every string (keys included)."""
    values = secret_values()
    if not values:
        return data
    return _walk(data, values)


def _walk(data: Any, values: tuple[str, ...]) -> Any:
    if isinstance(data, str):
        for value in values:
            if value in data:
                data = data.replace(value, REDACTED)
        return data
    if isinstance(data, Mapping):
        return {_walk(k, values): _walk(v, values) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_walk(v, values) for v in data]
    return data


def without_password(url: str | None) -> str | None:
    """``url`` with the password of its user info replaced (``http://me:[redacted]@proxy:3128``); the
    password is registered for redaction."""
    if not url:
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    register(parts.password)
    netloc = parts.netloc.rsplit("@", 1)
    userinfo = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{userinfo}:{REDACTED}@{netloc[1]}"))

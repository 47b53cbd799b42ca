"""``engage inspect`` over many saved pages: one JSON line per page, a bad page never stops the others."""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from audit.decoding import clean_strings
from audit.status import ExitStatus


class ManifestError(ValueError):
    """A manifest CSV that cannot be used (no ``file``/``url`` columns)."""


@dataclass(frozen=True)
class ManifestRow:
    """One ``file,url`` row: the file as written, where it is, and its URL."""

    file: str
    path: Path
    url: str


def read_manifest(path: Path) -> list[ManifestRow]:
    """The rows of a ``file,url`` CSV; files are relative to the CSV's folder unless absolute."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not {"file", "url"} <= set(reader.fieldnames or ()):
            raise ManifestError(
                f"{path}: needs the columns file,url (has {', '.join(reader.fieldnames or [])})"
            )
        rows = [r for r in reader if (r.get("file") or "").strip()]
    return [
        ManifestRow(r["file"].strip(), _resolved(path.parent / r["file"].strip()), (r["url"] or "").strip())
        for r in rows
    ]


def _resolved(path: Path) -> Path:
    return path.resolve()


def inspect_batch(
    files: Sequence[str],
    url: str | None,
    manifest: Sequence[ManifestRow],
    read: Callable[[str], str],
    echo: Callable[[str], None],
) -> ExitStatus:
    """Inspect each file (URL from ``url``, else from the manifest); print one JSON line per file."""
    from probes.base import page_at_a_time
    from probes.inspect import inspect_html

    urls = {row.path: row.url for row in manifest}
    named = {row.path: row.file for row in manifest}
    targets = list(files) if files else [str(row.path) for row in manifest]
    failed = 0
    for target in targets:
        file = named.get(_resolved(Path(target)), target) if not files else target
        line: dict[str, object]
        try:
            # a batch of thousands keeps memory flat, and no page's tree waits for the cyclic collector
            with page_at_a_time():
                found = _inspect_one(target, url or _url_of(target, urls), read, inspect_html)
            line = {**found, "file": file}
        except (OSError, LookupError, ValueError, RuntimeError) as exc:
            failed += 1
            line = {"file": file, "url": url or urls.get(_resolved(Path(target))), "error": _reason(exc)}
        echo(json.dumps(clean_strings(_ordered(line)), ensure_ascii=False, allow_nan=False))
    if not failed:
        return ExitStatus.OK
    return ExitStatus.ERROR if failed == len(targets) else ExitStatus.PARTIAL


def _inspect_one(
    target: str, url: str, read: Callable[[str], str], inspect_html: Callable[[str, str], dict[str, object]]
) -> dict[str, object]:
    from audit.urls import normalize_target

    html = read(target)
    page_url = normalize_target(url)
    start = time.perf_counter()
    result = inspect_html(html, page_url)
    return {**result, "ms": round((time.perf_counter() - start) * 1000, 2)}


def _url_of(target: str, urls: dict[Path, str]) -> str:
    found = urls.get(_resolved(Path(target)))
    if not found:
        raise LookupError("not in the manifest (or its url is empty)")
    return found


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return str(exc) or type(exc).__name__


def _ordered(line: dict[str, object]) -> dict[str, object]:
    """The single-page object's keys first, then ``file`` and ``ms`` (or ``error``)."""
    tail = [k for k in ("file", "ms", "error") if k in line]
    return {**{k: v for k, v in line.items() if k not in tail}, **{k: line[k] for k in tail}}

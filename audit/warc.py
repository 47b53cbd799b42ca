"""The capture on disk: every exchange as WARC request/response records, the crawl as metadata records.

``--replay`` rebuilds the same ``SiteCapture`` list from this file with no socket opened: the metadata
record of each company holds its capture without bodies; the bodies come from the response records.
"""

from __future__ import annotations

import gzip
import json
import os
import threading
import zlib
from collections.abc import Callable, Iterable
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from audit import __version__
from audit.credentials import redact, redact_bytes
from audit.decoding import decode_text
from audit.fetch import Exchange, body_text
from audit.models import SiteCapture
from audit.safe_files import UnsafeOutput, create_temp, open_dir, write_file
from audit.validation import dumps

CAPTURE_URI = "urn:engage:capture:"
RUN_URI = "urn:engage:run"
SCREENSHOT_URI = "urn:engage:screenshot:"
#: The response record header naming the declared request (``Request.key``) a response answers.
REQUEST_KEY_HEADER = "WARC-Engage-Request-Key"

#: Request headers never written to the WARC (credentials from the environment).
SECRET_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})

#: Headers that describe the wire encoding, not the stored (decoded) payload.
_WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


class WarcError(Exception):
    """A WARC file that cannot be replayed, with a one-line reason."""


class WarcRecorder:
    """Thread-safe writer of request/response pairs and capture metadata into a gzipped WARC."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # a new random name in the directory, renamed on close: a symlink planted at the final name (or at
        # a predictable temp name) is never written through
        self._dir = open_dir(path.parent)
        self._tmp, self._file = create_temp(self._dir, path.name)
        self._writer = WARCWriter(self._file, gzip=True)
        self._lock = threading.Lock()
        info = self._writer.create_warcinfo_record(
            path.name, {"software": f"Engage/{__version__}", "format": "WARC File Format 1.1"}
        )
        self._writer.write_record(info)

    def __call__(self, exchange: Exchange) -> None:
        """Record one exchange (the ``Fetcher`` recorder hook)."""
        body = redact_bytes(exchange.body)  # a server echoing a credential back: not into the capture
        headers = [(k, redact(v)) for k, v in exchange.response_headers if k.lower() not in _WIRE_HEADERS]
        headers.append(("Content-Length", str(len(body))))
        status = StatusAndHeaders(f"{exchange.status} {exchange.reason}", headers, protocol="HTTP/1.1")
        warc_headers = {"WARC-Date": exchange.date}
        if exchange.company:
            warc_headers["WARC-Engage-Company"] = exchange.company
        if exchange.request_key:  # a declared API request: a replay finds its answer by this key
            warc_headers[REQUEST_KEY_HEADER] = exchange.request_key
        response = self._writer.create_warc_record(
            exchange.url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=status,
            warc_headers_dict=warc_headers,
        )
        path = exchange.url.split("/", 3)[3] if exchange.url.count("/") >= 3 else ""
        sent = [
            (k, redact(v)) for k, v in exchange.request_headers.items() if k.lower() not in SECRET_HEADERS
        ]
        req_status = StatusAndHeaders(f"GET /{path} HTTP/1.1", sent, is_http_request=True)
        request = self._writer.create_warc_record(
            exchange.url, "request", http_headers=req_status, warc_headers_dict=warc_headers
        )
        with self._lock:
            self._writer.write_request_response_pair(request, response)

    def write_metadata(self, uri: str, data: dict[str, Any]) -> None:
        """Write a JSON metadata record (capture or run description)."""
        payload = redact(dumps(data, sort_keys=True)).encode()  # page errors: never a credential
        record = self._writer.create_warc_record(
            uri,
            "metadata",
            payload=BytesIO(payload),
            length=len(payload),
            warc_content_type="application/json",
        )
        with self._lock:
            self._writer.write_record(record)

    def write_resource(self, uri: str, content_type: str, data: bytes) -> None:
        """Write a resource record (a rendered DOM, a screenshot)."""
        data = redact_bytes(data)
        record = self._writer.create_warc_record(
            uri, "resource", payload=BytesIO(data), length=len(data), warc_content_type=content_type
        )
        with self._lock:
            self._writer.write_record(record)

    def write_captures(self, captures: Iterable[SiteCapture], run: dict[str, Any]) -> None:
        """Write the run description and each company's capture (without bodies)."""
        self.write_metadata(RUN_URI, run)
        for capture in captures:
            self.write_metadata(CAPTURE_URI + capture.url, capture.to_dict(with_bodies=False))

    def close(self) -> Path:
        """Finish the file atomically; returns its path."""
        with self._lock:
            self._file.close()
            try:
                os.replace(self._tmp, self.path.name, src_dir_fd=self._dir, dst_dir_fd=self._dir)
            finally:
                os.close(self._dir)
        return self.path


def _scan(path: Path, visit: Callable[[Any], None]) -> None:
    """Call ``visit`` on every record of the WARC at ``path``; anything unreadable is a ``WarcError``."""
    if not path.is_file():
        raise WarcError(f"{path}: no such file")
    try:
        _check_gzip(path)
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                visit(record)
    except ArchiveLoadFailed as exc:  # its message quotes the file's first bytes: keep only the reason
        reason = str(exc).split(",", 1)[0].split(":", 1)[0]
        raise WarcError(f"{path}: not a WARC file ({reason})") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise WarcError(f"{path}: truncated or corrupt ({exc})") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise WarcError(f"{path}: not a readable WARC ({type(exc).__name__}: {exc})") from None


def _check_gzip(path: Path) -> None:
    """Read a gzipped file through once: a bad CRC or a cut-off member raises here.

    warcio only prints such errors to stderr and carries on with what it could read.
    """
    with path.open("rb") as fh:
        if fh.read(2) != b"\x1f\x8b":
            return
    with gzip.open(path, "rb") as stream:
        while stream.read(1 << 20):
            pass


def read_capture(path: Path, max_decompressed: int = 20_000_000) -> tuple[list[SiteCapture], dict[str, Any]]:
    """Captures and run description from a WARC written by ``WarcRecorder``; no network."""
    bodies: dict[tuple[str, str], tuple[bytes, str]] = {}
    keys: dict[tuple[str, str], str] = {}
    metas: list[dict[str, Any]] = []
    resources: dict[str, bytes] = {}
    run: dict[str, Any] = {}

    def visit(record: Any) -> None:
        nonlocal run
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        if record.rec_type == "response":
            company = record.rec_headers.get_header("WARC-Engage-Company") or ""
            ctype = record.http_headers.get_header("Content-Type") if record.http_headers else ""
            bodies[(company, uri)] = (record.content_stream().read(), ctype or "")
            if key := record.rec_headers.get_header(REQUEST_KEY_HEADER):
                keys[(company, uri)] = key
        elif record.rec_type == "metadata" and uri.startswith(CAPTURE_URI):
            metas.append(json.loads(record.content_stream().read()))
        elif record.rec_type == "resource":
            resources[uri] = record.content_stream().read()
        elif record.rec_type == "metadata" and uri == RUN_URI:
            run = json.loads(record.content_stream().read())

    _scan(path, visit)
    if not metas:
        raise WarcError(
            f"{path}: no Engage capture records (truncated, or not written by `engage gather`/`audit`?)"
        )
    try:
        captures = [SiteCapture.from_dict(m) for m in metas]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise WarcError(f"{path}: a capture record cannot be read ({type(exc).__name__}: {exc})") from None
    for capture in captures:
        for page in capture.pages:
            stored = bodies.get((capture.url, page.final_url or page.url))
            if not page.request_key and page.found_via.startswith("api:"):  # a capture record without keys
                page.request_key = keys.get((capture.url, page.final_url or page.url), "")
            if stored is not None and page.text is None and page.status is not None:
                body, ctype = stored
                page.text = body_text(body, ctype, max_decompressed)
            rendered = resources.get(rendered_uri(capture.url, page.final_url or page.url))
            if rendered is not None:
                page.rendered_html = decode_text(rendered, "text/html; charset=utf-8")
    return captures, run


def capture_companies(path: Path) -> list[tuple[str, str]]:
    """(URL, role) of each company in a capture, from its metadata records only (bodies are not read)."""
    found: list[tuple[str, str]] = []

    def visit(record: Any) -> None:
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        if record.rec_type == "metadata" and uri.startswith(CAPTURE_URI):
            meta = json.loads(record.content_stream().read())
            found.append((str(meta.get("url") or uri.removeprefix(CAPTURE_URI)), str(meta.get("role", ""))))

    _scan(path, visit)
    if not found:
        raise WarcError(
            f"{path}: no Engage capture records (truncated, or not written by `engage gather`/`audit`?)"
        )
    return found


def rendered_uri(company: str, url: str) -> str:
    """The WARC resource URI of a company page's rendered DOM."""
    return f"urn:engage:rendered:{quote(company, safe='')}/{url}"


def extract_screenshots(path: Path, out_dir: Path) -> list[str]:
    """Write the screenshots stored in a WARC under ``out_dir``; returns their relative names."""
    names = []

    def visit(record: Any) -> None:
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        if record.rec_type == "resource" and uri.startswith(SCREENSHOT_URI):
            name = uri.removeprefix(SCREENSHOT_URI)
            if "/" in name.removeprefix("screenshots/") or ".." in name:
                return  # only our own flat screenshots/ names
            target = out_dir / name
            data = record.content_stream().read()
            try:
                write_file(target, data, root=out_dir)  # never through a planted symlink
            except UnsafeOutput as exc:  # a symlinked screenshots/ planted in the output directory
                raise WarcError(str(exc)) from None
            except OSError as exc:  # the output directory's fault, not the WARC's
                raise WarcError(f"{target}: cannot write the screenshot ({exc.strerror})") from None
            names.append(name)

    _scan(path, visit)
    return sorted(names)

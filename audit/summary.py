"""The one line a run ends with on stderr: companies, pages, errors, outputs and what the exit status means.

Built from the ``audit.json`` the run wrote (``from_audit``) or, for ``engage gather``, from what the
crawl reported (``CompanyTally`` rows). A cron log of a piped run holds this line and the warnings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit.safe_text import display_name

#: The files a run may write into its ``--out`` directory, in the order the summary lists them.
OUTPUT_NAMES = ("audit.json", "report.pdf", "report.html", "scores.csv", "findings.csv", "capture.warc.gz")

#: What each exit status means, as the summary line says it (CONTRACT.md, README § Exit status).
EXIT_MEANINGS = {
    0: "done",
    1: "error",
    2: "usage error",
    3: "partial results (some company or probe failed; the failures are listed in audit.json)",
    4: "a gate failed (every output written)",
    130: "interrupted (what was gathered is written, flagged partial)",
}

#: Error stages that are problems of the run; ``measure`` entries say what could not be measured.
PROBLEM_STAGES = ("gather", "probe", "page", "output")


@dataclass(frozen=True)
class CompanyTally:
    """One company's part of the summary."""

    name: str
    pages: int
    errors: int
    failed: str | None = None  # why it could not be audited at all
    partial: str | None = None  # why its results are incomplete
    page_errors: int = 0  # of ``errors``: pages that failed or were odd (the company was still audited)
    truncated: int = 0  # bodies cut short at the size or decompression cap or the deadline


@dataclass(frozen=True)
class RunSummary:
    """What a run did, for its last line on stderr."""

    verb: str  # audited, gathered, scored, reported on
    companies: tuple[CompanyTally, ...]
    status: int
    out: str | None = None
    outputs: tuple[str, ...] = ()
    other_errors: int = 0  # problems of the run outside any company (audit.json's top-level errors)

    def line(self) -> str:
        """``engage: audited 5 companies, 212 pages, 3 errors (…); wrote audit.json, … to DIR; exit 3 = …``"""
        pages = sum(c.pages for c in self.companies)
        errors = sum(c.errors for c in self.companies) + self.other_errors
        head = f"engage: {self.verb} {plural(len(self.companies), 'company')}, {plural(pages, 'page')}, "
        head += plural(errors, "error") if errors else "no errors"
        why = self._why()
        if why:
            head += f" ({why})"
        wrote = f"wrote {', '.join(self.outputs)} to {self.out}" if self.outputs else "wrote nothing"
        meaning = EXIT_MEANINGS.get(self.status, "")
        if self.status == 1 and self.companies and all(c.failed for c in self.companies):
            meaning = "error: no company could be audited"
        return f"{head}; {wrote}; exit {self.status}{' = ' + meaning if meaning else ''}"

    def _why(self) -> str:
        parts = []
        for label, picked in (
            ("failed", [(c.name, c.failed) for c in self.companies if c.failed]),
            ("partial", [(c.name, c.partial) for c in self.companies if c.partial and not c.failed]),
        ):
            if picked:
                listed = "; ".join(f"{name} — {shorten(reason)}" for name, reason in picked[:3])
                more = f"; and {len(picked) - 3} more" if len(picked) > 3 else ""
                parts.append(f"{plural(len(picked), 'company')} {label}: {listed}{more}")
        on_pages = sum(c.page_errors for c in self.companies)
        truncated = sum(c.truncated for c in self.companies)
        cut = ""
        if truncated:
            what = "truncated bodies" if truncated > 1 else "a truncated body"
            cut = f", {truncated} of them {what}"
        if on_pages:
            parts.append(f"{plural(on_pages, 'page problem')}{cut}, listed in audit.json")
        elif truncated:
            parts.append(f"{plural(truncated, 'truncated body')}, listed in audit.json")
        return "; ".join(parts)


def plural(n: int, word: str) -> str:
    """``1 company``, ``2 companies``, ``3 pages``."""
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


def shorten(text: str, limit: int = 90) -> str:
    """``text`` on one line, cut at ``limit`` characters with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def tally_of_company(company: Mapping[str, Any]) -> CompanyTally:
    """A ``companies[]`` entry of ``audit.json`` as a tally: failed when it has no score for a gather error
    (the site could not be read), partial when another gather or probe error is recorded."""
    errors = [e for e in company.get("errors") or [] if isinstance(e, Mapping)]
    problems = [e for e in errors if e.get("stage") in PROBLEM_STAGES]
    first = {
        stage: next((e for e in errors if e.get("stage") == stage), None) for stage in ("gather", "probe")
    }
    overall = company.get("overall") or {}
    failed = partial = None
    if overall.get("score") is None and first["gather"] is not None:
        messages = [str(e.get("message", "")) for e in errors if e.get("stage") == "gather"]
        # why its site could not be read, rather than the "interrupted" every company is flagged with
        failed = next((m for m in messages if not m.startswith("interrupted")), messages[0])
    elif first["gather"] is not None or first["probe"] is not None:
        entry = first["gather"] or first["probe"] or {}
        probe = f"probe {entry['probe']}: " if entry.get("probe") else ""
        partial = probe + str(entry.get("message", ""))
    crawl = company.get("crawl") or {}
    pages = crawl["pages"] if isinstance(crawl.get("pages"), int) else 0
    truncated = crawl["truncated"] if isinstance(crawl.get("truncated"), int) else 0
    on_pages = sum(1 for e in problems if e.get("stage") == "page")
    name = display_name(company.get("name") or company.get("url") or "?")  # scraped: bounded, no bidi
    return CompanyTally(name, pages, len(problems), failed, partial, on_pages, truncated)


def from_audit(
    audit: Mapping[str, Any], status: int, out: str | None, outputs: Sequence[str], verb: str = "audited"
) -> RunSummary:
    """The summary of a run whose result is ``audit`` (an ``audit.json`` document)."""
    companies = [c for c in audit.get("companies") or [] if isinstance(c, Mapping)]
    others = [e for e in audit.get("errors") or [] if isinstance(e, Mapping)]
    return RunSummary(
        verb, tuple(tally_of_company(c) for c in companies), int(status), out, tuple(outputs), len(others)
    )


def snapshot(out: Path) -> dict[str, tuple[int, int, int]]:
    """Identity (inode, mtime, size) of each of :data:`OUTPUT_NAMES` in ``out`` before a run writes."""
    found = {}
    for name in OUTPUT_NAMES:
        try:
            st = (out / name).stat()
        except OSError:
            continue
        found[name] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return found


def written_since(out: Path, before: Mapping[str, tuple[int, int, int]]) -> tuple[str, ...]:
    """The files of :data:`OUTPUT_NAMES` in ``out`` that are new or changed since ``before``."""
    now = snapshot(out)
    return tuple(name for name in OUTPUT_NAMES if name in now and now[name] != before.get(name))


def read_audit_file(path: Path) -> dict[str, Any] | None:
    """The ``audit.json`` document at ``path``, or None when it cannot be read as a JSON object."""
    from audit.validation import loads

    try:
        audit = loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return audit if isinstance(audit, dict) else None

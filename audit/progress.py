"""What a run tells the person watching it: a live table on a terminal, warnings and one summary line always.

The pipeline reports through a :class:`Reporter`: ``company_started``, ``page_done``, ``stage``,
``company_finished``, ``warning`` and free-text notes (a reporter is also the old ``progress(str)``
callable; a note starting ``warning: `` is a warning). Implementations:

- :class:`Reporter` itself keeps the per-company rows and shows nothing (library use, tests);
- :class:`PlainReporter` (stderr is not a terminal, or ``--quiet``): warnings as they happen and, at the
  end, the one summary line — no bars, no per-page lines;
- :class:`LiveReporter` (stderr is a terminal): a rich live table, one row per company (pages crawled of
  the cap, stage, crawl time, an ETA bounded by the company's time budget; the run's elapsed time under
  it), notes and warnings above it, then the line;
- :class:`LinesReporter` adapts a plain ``Callable[[str], None]`` (the events become the old strings).

Every method is thread-safe: companies are crawled in threads and pages fetched in a pool.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from audit.safe_text import display_name, terminal
from audit.summary import CompanyTally, RunSummary, from_audit, read_audit_file, snapshot, written_since

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.live import Live

    from audit.models import SiteCapture

Stage = Literal["queued", "crawling", "waiting", "rendering", "probing", "scored", "report", "done", "failed"]


@dataclass
class Row:
    """One company as the display knows it."""

    key: str  # the URL given: names are only known once the home page is read
    name: str
    cap: int | None = None  # pages (max_pages); None when nothing is crawled (replay, score)
    budget_s: float | None = None  # the company's crawl time budget
    pages: int = 0  # pages fetched with a 2xx answer (what the cap counts; API responses are not pages)
    stage: Stage = "queued"
    started: float | None = None  # when its crawl began (None: not crawled in this run)
    crawled: float | None = None  # when its crawl ended
    tally: CompanyTally | None = None  # set when its crawl finished


class Reporter:
    """Collects a run's progress events; shows nothing (subclasses do). Thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.began = clock()
        self.verb = "audited"
        self.out: Path | None = None
        self.source: Path | None = None  # an audit.json read rather than written (engage report)
        self._before: dict[str, tuple[int, int, int]] = {}  # the output files as they were before the run
        self._lock = threading.RLock()
        self._rows: dict[str, Row] = {}

    # --- the old progress(str) -----------------------------------------------------------------------
    def __call__(self, message: str) -> None:
        if message.startswith("warning: "):
            self.warning(message.removeprefix("warning: "))
        else:
            self.note(message)

    def note(self, message: str) -> None:
        """A line of progress (``fixture web at …``, ``rendering 12 page(s)``); terminals only."""

    def warning(self, message: str) -> None:
        """Something the user must hear about even with ``--quiet`` (``Chromium not found: …``)."""

    # --- events --------------------------------------------------------------------------------------
    def company_started(self, key: str, name: str, cap: int, budget_s: float) -> None:
        """The crawl of ``key`` (its URL) begins: at most ``cap`` pages within ``budget_s`` seconds."""
        with self._lock:
            self._rows[key] = Row(key, name, cap, budget_s, stage="crawling", started=self.clock())
        self._changed()

    def page_done(self, key: str, ok: bool) -> None:
        """One page of ``key`` was fetched (``ok``: a 2xx answer, what the page cap counts)."""
        with self._lock:
            row = self._row(key)
            row.pages += 1 if ok else 0
        self._changed()

    def stage(self, key: str | None, stage: Stage, name: str | None = None) -> None:
        """``key`` (every company not failed, when None) enters ``stage``."""
        with self._lock:
            if stage == "probing":  # companies are probed after every rendering is over
                for row in self._rows.values():
                    row.stage = "waiting" if row.stage == "rendering" else row.stage
            rows = [self._row(key, name)] if key is not None else list(self._rows.values())
            for row in rows:
                if row.stage == "failed":
                    continue  # a company that could not be gathered stays failed
                row.name = name or row.name
                row.stage = stage
        self._changed()

    def company_finished(self, key: str, capture: SiteCapture) -> None:
        """The crawl of ``key`` ended with ``capture``. A company that could not be gathered is a warning
        when others are audited (alone, its failure is the run's error, said once)."""
        stats = capture.stats
        problems = [*capture.errors, *stats.get("incomplete", [])]
        tally = CompanyTally(
            display_name(capture.name),
            int(stats.get("pages_ok", 0)),
            len(problems) + len(stats.get("fetch_errors", [])),
            capture.errors[0] if capture.errors else None,
            problems[0] if problems and not capture.errors else None,
            len(stats.get("fetch_errors", [])),
            sum(1 for p in capture.pages if p.truncated) + len(stats.get("truncated_fetches", [])),
        )
        with self._lock:
            row = self._row(key, capture.name)
            row.name, row.tally, row.crawled = capture.name, tally, self.clock()
            row.stage = "failed" if capture.errors else "waiting"
            others = len(self._rows) > 1
        self._changed()
        if capture.errors and others:
            self.warning(f"{display_name(capture.name)}: {capture.errors[0]} (the other companies go on)")

    # --- the end -------------------------------------------------------------------------------------
    def writes_to(self, out: Path, verb: str | None = None, source: Path | None = None) -> None:
        """The run writes into ``out`` (called before it writes: files changed after this are its outputs);
        ``source``: the ``audit.json`` it reports on, when it does not write one (``engage report``)."""
        self.out = Path(out)
        self.verb = verb or self.verb
        self.source = source
        self._before = snapshot(self.out)

    def summary(self, status: int, failing: bool = False) -> RunSummary | None:
        """The run's summary, from the ``audit.json`` it wrote (or reports on), else from the crawl's rows;
        None when nothing was written. ``failing`` (an error or Ctrl-C stopped the run): only when it
        wrote an ``audit.json`` — or, interrupted, anything at all."""
        if self.out is None:
            return None
        outputs = written_since(self.out, self._before)
        if self.source is not None:
            audit = None if failing else read_audit_file(self.source)
        else:
            audit = read_audit_file(self.out / "audit.json") if "audit.json" in outputs else None
        if audit is not None:
            return from_audit(audit, status, str(self.out), outputs, self.verb)
        with self._lock:
            tallies = tuple(r.tally for r in self._rows.values() if r.tally is not None)
        if (failing and status != 130) or not outputs or not tallies:
            return None
        return RunSummary(self.verb, tallies, int(status), str(self.out), outputs)

    def finish(self, status: int) -> None:
        """The run ended with ``status``: stop the display, then the summary line."""
        self.close()
        found = self.summary(status)
        if found is not None:
            self.line(found.line())

    def failed(self, status: int, message: str) -> None:
        """The run stops with ``message`` (an error, ``interrupted``): stop the display, say it, and add the
        summary when the run had written its results."""
        self.close()
        self.line(message)
        found = self.summary(status, failing=True)
        if found is not None:
            self.line(found.line())

    def line(self, text: str) -> None:
        """One line on stderr, whatever the display (the summary, an error); nothing here."""

    def close(self) -> None:
        """Stop any live display (idempotent)."""

    # --- for subclasses ------------------------------------------------------------------------------
    def rows(self) -> list[Row]:
        """A snapshot of the rows, in the order the companies were started."""
        with self._lock:
            return [replace(r) for r in self._rows.values()]

    def _row(self, key: str, name: str | None = None) -> Row:
        row = self._rows.get(key)
        if row is None:  # a company seen first while probing (replay, score): nothing was crawled
            row = self._rows[key] = Row(key, name or key)
        return row

    def _changed(self) -> None:
        """Called after every event, outside the lock."""


class PlainReporter(Reporter):
    """For pipes and ``--quiet``: warnings as they come, the summary line at the end; no progress."""

    def warning(self, message: str) -> None:
        self.line(f"engage: warning: {message}")

    def line(self, text: str) -> None:
        import click

        with self._lock:  # whole lines, whichever thread says them
            click.echo(terminal(text), err=True)


class LiveReporter(Reporter):
    """A rich live table on a terminal, one row per company; notes and warnings print above it."""

    def __init__(
        self,
        console: Console,
        clock: Callable[[], float] = time.monotonic,
        auto_refresh: bool = True,
    ) -> None:
        super().__init__(clock)
        self.console = console
        self.auto_refresh = auto_refresh
        self._live: Live | None = None
        self._live_lock = threading.Lock()  # never held while the display reads the rows
        self._closed = False

    def note(self, message: str) -> None:
        from rich.text import Text

        self.console.print(Text(f"· {terminal(message)}", style="dim"))

    def warning(self, message: str) -> None:
        from rich.text import Text

        self.console.print(
            Text.assemble(("engage: warning: ", "yellow bold"), terminal(message)), soft_wrap=True
        )

    def line(self, text: str) -> None:
        from rich.text import Text

        self.console.print(Text(terminal(text)), soft_wrap=True)

    def _changed(self) -> None:
        from rich.live import Live

        with self._live_lock:
            if self._closed:
                return
            if self._live is None:
                self._live = Live(
                    console=self.console,
                    get_renderable=self.render,
                    auto_refresh=self.auto_refresh,
                    refresh_per_second=4,
                    redirect_stdout=False,  # stdout may be a pipe holding results; never draw there
                )
                self._live.start()
            elif not self.auto_refresh:
                self._live.refresh()

    def close(self) -> None:
        with self._live_lock:
            self._closed = True
            if self._live is not None:
                self._live.stop()  # draws the final state, which stays on the screen
                self._live = None

    def render(self) -> RenderableType:
        """The table: company, pages of the cap (bar and count), stage, its crawl's time and ETA; the run's
        elapsed time under it."""
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        clock = self.clock()
        table = Table(
            box=None,
            pad_edge=False,
            header_style="bold",
            caption=f"elapsed {duration(clock - self.began)}",
            caption_justify="left",
        )
        for header, justify in (("company", "left"), ("pages", "right"), ("", "left"), ("stage", "left")):
            table.add_column(header, justify=justify)  # type: ignore[arg-type]
        table.add_column("crawl", justify="right")
        table.add_column("ETA", justify="right")
        for row in self.rows():
            elapsed = (row.crawled or clock) - row.started if row.started is not None else None
            bar: RenderableType = Text("")
            if row.cap:
                bar = ProgressBar(total=row.cap, completed=min(row.pages, row.cap), width=20)
            table.add_row(
                Text(display_name(row.name)),
                pages_cell(row),
                bar,
                Text(row.stage, style=STAGE_STYLES.get(row.stage, "")),
                duration(elapsed) if elapsed is not None else "—",
                eta_cell(row, elapsed or 0.0),
            )
        return table


STAGE_STYLES = {
    "crawling": "cyan",
    "waiting": "dim",
    "rendering": "magenta",
    "probing": "blue",
    "done": "green",
    "failed": "red",
}


def pages_cell(row: Row) -> str:
    """``12/60`` while a cap applies, the count alone otherwise, ``—`` when nothing was crawled."""
    if row.cap:
        return f"{row.pages}/{row.cap}"
    return str(row.pages) if row.pages else "—"


def eta_cell(row: Row, elapsed: float) -> str:
    """An honest ETA while crawling: the company's time budget left bounds its crawl (``≤ 1m52s``)."""
    if row.stage != "crawling" or not row.budget_s:
        return ""
    return f"≤ {duration(max(0.0, row.budget_s - elapsed))}"


def duration(seconds: float) -> str:
    """``9s``, ``1m05s``, ``2h03m``."""
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


class LinesReporter(Reporter):
    """A plain ``progress(str)`` callable behind the Reporter interface: events become the old lines."""

    def __init__(self, emit: Callable[[str], None]) -> None:
        super().__init__()
        self.emit = emit

    def note(self, message: str) -> None:
        self.emit(message)

    def warning(self, message: str) -> None:
        self.emit(f"warning: {message}")

    def company_started(self, key: str, name: str, cap: int, budget_s: float) -> None:
        super().company_started(key, name, cap, budget_s)
        self.emit(f"crawling {key}")

    def stage(self, key: str | None, stage: Stage, name: str | None = None) -> None:
        super().stage(key, stage, name)
        if stage == "probing":
            self.emit(f"probing {name or key}")
        elif stage == "report":
            self.emit("rendering the report")

    def company_finished(self, key: str, capture: SiteCapture) -> None:
        stats = capture.stats
        self.emit(f"{capture.name}: {stats.get('pages_ok', 0)} pages in {stats.get('duration_s', 0)} s")
        super().company_finished(key, capture)


def reporter_of(progress: Callable[[str], None] | None) -> Reporter:
    """``progress`` as a Reporter (it is one already, or a plain callable to adapt, or None: silent)."""
    if isinstance(progress, Reporter):
        return progress
    if progress is None:
        return Reporter()
    return LinesReporter(progress)


def make_reporter(quiet: bool, stream: TextIO | None = None, console: Console | None = None) -> Reporter:
    """The live table when ``stream`` (stderr) is a terminal and not ``quiet``, else the plain reporter.

    ``NO_COLOR`` is honoured by rich's console; a dumb terminal gets the plain reporter.
    """
    stream = stream if stream is not None else sys.stderr
    if quiet or not _isatty(stream):
        return PlainReporter()
    from rich.console import Console

    console = console or Console(stderr=True)
    if console.is_dumb_terminal:
        return PlainReporter()
    return LiveReporter(console)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or odd stream is not a terminal
        return False

"""Scheduled re-audits: a crontab line or a systemd timer + service pair that runs ``engage project run``.

``weekly`` is Monday and ``monthly`` the 1st, at ``--at`` (06:00 by default, the machine's local time);
anything else must be a five-field cron expression (numbers, ``*``, ranges, lists and steps).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")
CRON_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
CRON_NAMES = ("minute", "hour", "day of month", "month", "day of week")
WEEKDAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class ScheduleError(ValueError):
    """An ``--every`` value or time that cannot be scheduled."""


@dataclass(frozen=True)
class Schedule:
    """When to run: a cron expression and, when expressible, a systemd ``OnCalendar`` value."""

    cron: str
    on_calendar: str | None


def parse_at(at: str) -> tuple[int, int]:
    """``06:30`` → (6, 30)."""
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", at.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ScheduleError(f"--at {at!r}: expected HH:MM")
    return int(m.group(1)), int(m.group(2))


def parse_every(every: str, at: str = "06:00") -> Schedule:
    """``weekly`` | ``monthly`` | ``daily`` | a cron expression → a ``Schedule``."""
    hour, minute = parse_at(at)
    word = every.strip().lower()
    if word == "daily":
        return Schedule(f"{minute} {hour} * * *", f"*-*-* {hour:02d}:{minute:02d}:00")
    if word == "weekly":
        return Schedule(f"{minute} {hour} * * 1", f"Mon *-*-* {hour:02d}:{minute:02d}:00")
    if word == "monthly":
        return Schedule(f"{minute} {hour} 1 * *", f"*-*-01 {hour:02d}:{minute:02d}:00")
    fields = every.split()
    if len(fields) != 5:
        raise ScheduleError(
            f"--every {every!r}: expected weekly, monthly, daily or a 5-field cron expression"
        )
    for value, (lo, hi), name in zip(fields, CRON_BOUNDS, CRON_NAMES, strict=True):
        if not CRON_FIELD.match(value):
            raise ScheduleError(f"--every {every!r}: cannot read the {name} field {value!r}")
        for number in re.findall(r"\d+", re.sub(r"/\d+", "", value)):
            if not lo <= int(number) <= hi:
                raise ScheduleError(f"--every {every!r}: {name} {number} is outside {lo}–{hi}")
    return Schedule(" ".join(fields), _on_calendar(fields))


def _systemd_field(value: str, start: int, width: int) -> str:
    parts = []
    for part in value.split(","):
        base, _, step = part.partition("/")
        base = base.replace("-", "..")
        if base == "*":
            base = f"{start:0{width}d}" if step else "*"
        else:
            base = "..".join(f"{int(n):0{width}d}" for n in base.split(".."))
        parts.append(f"{base}/{step}" if step else base)
    return ",".join(parts)


def _on_calendar(fields: list[str]) -> str | None:
    """The systemd equivalent of simple cron fields; ``None`` when cron's day OR-semantics apply."""
    minute, hour, dom, month, dow = fields
    if dom != "*" and dow != "*":
        return None  # cron: either day matches; systemd: both must
    if "/" in dow:
        return None
    days = ""
    if dow != "*":
        names = []
        for part in dow.split(","):
            a, _, b = part.partition("-")
            names.append(f"{WEEKDAYS[int(a)]}..{WEEKDAYS[int(b)]}" if b else WEEKDAYS[int(a)])
        days = ",".join(names) + " "
    date = f"*-{_systemd_field(month, 1, 2)}-{_systemd_field(dom, 1, 2)}"
    time = f"{_systemd_field(hour, 0, 2)}:{_systemd_field(minute, 0, 2)}:00"
    return f"{days}{date} {time}"


def engage_command() -> list[str]:
    """How to start this Engage from cron/systemd: the ``engage`` script beside this Python."""
    script = Path(sys.executable).parent / "engage"
    if script.is_file():
        return [str(script)]
    found = shutil.which("engage")
    return [found] if found else [sys.executable, "-c", "from audit.cli import main; main()"]


def run_command(project_file: Path, db: str | None = None) -> str:
    """The shell command a schedule runs."""
    argv = [*engage_command(), "project", "run", str(project_file.resolve()), "--quiet"]
    if db:
        argv += ["--db", db]
    return shlex.join(argv)


def tag(name: str) -> str:
    """The comment that marks our crontab line, so ``--install`` replaces instead of duplicating."""
    return f"# engage:{name}"


def crontab_line(name: str, project_file: Path, schedule: Schedule, log: Path, db: str | None = None) -> str:
    """``0 6 * * 1 cd DIR && engage project run FILE >> LOG 2>&1 # engage:NAME``."""
    workdir = shlex.quote(str(project_file.resolve().parent))
    command = run_command(project_file, db)
    return f"{schedule.cron} cd {workdir} && {command} >> {shlex.quote(str(log))} 2>&1 {tag(name)}"


def systemd_units(name: str, project_file: Path, schedule: Schedule, db: str | None = None) -> dict[str, str]:
    """``engage-NAME.service`` and ``engage-NAME.timer`` file contents."""
    if schedule.on_calendar is None:
        raise ScheduleError(
            f"cron expression {schedule.cron!r} restricts both day of month and weekday (or steps weekdays):"
            " no systemd equivalent; use the crontab line instead"
        )
    unit = f"engage-{name}"
    service = (
        "[Unit]\n"
        f"Description=Engage re-audit of project {name}\n"
        "Wants=network-online.target\nAfter=network-online.target\n\n"
        "[Service]\nType=oneshot\n"
        f"WorkingDirectory={project_file.resolve().parent}\n"
        f"ExecStart={run_command(project_file, db)}\n"
        "# exit 3 (partial) and 4 (a gate failed) still mean the results were stored\n"
        "SuccessExitStatus=3 4\n"
    )
    timer = (
        "[Unit]\n"
        f"Description=Run {unit}.service on schedule\n\n"
        "[Timer]\n"
        f"OnCalendar={schedule.on_calendar}\n"
        "Persistent=true\nRandomizedDelaySec=15m\n\n"
        "[Install]\nWantedBy=timers.target\n"
    )
    return {f"{unit}.service": service, f"{unit}.timer": timer}


def install_crontab(name: str, line: str) -> None:
    """Add (or replace) our line in the user's crontab through ``crontab -l`` / ``crontab -``."""
    if shutil.which("crontab") is None:
        raise ScheduleError("no crontab command on this machine (install cron, or use --systemd)")
    current = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
    kept = [ln for ln in current.stdout.splitlines() if not ln.rstrip().endswith(tag(name))]
    new = "\n".join([*kept, line]) + "\n"
    done = subprocess.run(["crontab", "-"], input=new, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ScheduleError(f"crontab refused the new table: {done.stderr.strip()}")


def install_systemd(units: dict[str, str], directory: Path) -> list[Path]:
    """Write the unit files into ``directory`` (e.g. ``~/.config/systemd/user``)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in units.items():
        path = directory / filename
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

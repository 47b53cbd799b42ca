"""``engage schedule``: a crontab line or a systemd timer that re-audits a project on schedule."""

from __future__ import annotations

from pathlib import Path

import click

from audit.cli.common import guarded_history


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--every", help="weekly | monthly | daily | a cron expression (default: the project's [schedule])."
)
@click.option("--at", "at", help="Time of day for weekly/monthly/daily, HH:MM (default 06:00).")
@click.option("--systemd", is_flag=True, help="A systemd timer + service pair instead of a crontab line.")
@click.option("--install", is_flag=True, help="Write it: into your crontab, or ~/.config/systemd/user.")
@click.option("--db", metavar="URL", help="Pass this --db to the scheduled run.")
@guarded_history
def schedule(
    file: str, every: str | None, at: str | None, systemd: bool, install: bool, db: str | None
) -> None:
    """Print (or --install) a crontab line or a systemd timer that re-audits project FILE on schedule.

    \b
    Example:
      engage schedule acme.toml --every weekly
      engage schedule acme.toml --every "0 7 1,15 * *" --install
      engage schedule acme.toml --every monthly --systemd --install
    """
    import os

    from audit.history import schedule as sched
    from audit.history.projects import load_project

    proj = load_project(Path(file))
    plan = sched.parse_every(every or proj.every or "monthly", at or proj.at)
    path = Path(file)
    if not systemd:
        log = proj.out_root() / "engage-schedule.log"
        line = sched.crontab_line(proj.name, path, plan, log, db)
        if install:
            sched.install_crontab(proj.name, line)
            click.echo(f"installed in your crontab:\n{line}")
        else:
            click.echo(line)
        return
    units = sched.systemd_units(proj.name, path, plan, db)
    if install:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "systemd" / "user"
        for written in sched.install_systemd(units, base):
            click.echo(f"wrote {written}")
        click.echo(
            "enable it: systemctl --user daemon-reload && "
            f"systemctl --user enable --now engage-{proj.name}.timer"
        )
        return
    for filename, text in units.items():
        click.echo(f"# {filename}\n{text}")


COMMANDS: list[click.Command] = [schedule]

"""The docs cover the code: docs/CLI.md is every command's live ``--help`` (generated, checked command by
command), the README shows every command and every setting, and options are documented per command."""

from __future__ import annotations

import re
from dataclasses import fields

import click
import pytest
from click.testing import CliRunner

from audit import docs, metrics
from audit.settings import Settings

README = (docs.ROOT / "README.md").read_text()
CLI_MD = docs.CLI_MD.read_text() if docs.CLI_MD.exists() else ""
SECTIONS = docs.sections(CLI_MD)
COMMANDS = docs.commands()
IDS = [name for name, _ in COMMANDS]


def test_the_cli_reference_is_up_to_date() -> None:
    assert docs.rewritten(CLI_MD) == CLI_MD, "docs/CLI.md is out of date: run `python -m audit.docs`"


@pytest.mark.parametrize("name", ["", *IDS], ids=["engage", *IDS])
def test_cli_reference_section_matches_the_live_help(name: str) -> None:
    assert name in SECTIONS, f"docs/CLI.md has no section for `engage {name}`: run `python -m audit.docs`"
    live = CliRunner().invoke(
        docs.cli(), [*name.split(), "--help"], prog_name="engage", terminal_width=docs.WIDTH - 2
    )
    assert live.exit_code == 0, live.output
    expected = f"## `{' '.join(['engage', *name.split()])}`\n\n```text\n{live.output.rstrip()}\n```\n"
    assert SECTIONS[name] == expected, f"docs/CLI.md's `engage {name}` differs from its --help"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=IDS)
def test_every_command_and_option_is_documented(name: str, command: click.Command) -> None:
    assert f"engage {name}" in README, f"README does not show `engage {name}`"
    if not isinstance(command, click.Group):
        assert "Example" in (command.help or ""), f"`engage {name} --help` has no example"
    own = SECTIONS.get(name, "")
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            long = max(param.opts, key=len)
            # documented for *this* command: listed in its own section, with words of its own
            assert long in own, f"docs/CLI.md does not list {long} under `engage {name}`"
            assert (param.help or "").strip(), f"{long} of `engage {name}` has no help text"


def test_the_readme_metrics_table_is_up_to_date() -> None:
    assert docs.METRICS_BEGIN in README and docs.METRICS_END in README, "README lost its metrics markers"
    assert docs.readme_rewritten(README) == README, (
        "README's metrics table is stale: run `python -m audit.docs`"
    )


def readme_metrics() -> dict[str, str]:
    """Metric → unit as README's metrics table states them (patterns expanded)."""
    block = README.partition(docs.METRICS_BEGIN)[2].partition(docs.METRICS_END)[0]
    found: dict[str, str] = {}
    for line in block.strip().splitlines()[2:]:
        names_cell, units_cell, _meaning = (c.strip() for c in line.strip("|").split(" | ", 2))
        units = [u.strip() for u in units_cell.split(",")]
        names = [
            n
            for cell in re.findall(r"`([^`]+)`", names_cell)
            for n in metrics.expanded(cell.replace("\\|", "|"))
        ]
        for name in names:
            unit = metrics.unit(name) or "—"
            assert unit in units, f"README gives {name} the unit(s) {units_cell}, the catalogue {unit}"
            found[name] = unit
    return found


def test_the_readme_metrics_table_matches_the_catalogue() -> None:
    documented = readme_metrics()
    assert [n for n in metrics.CATALOGUE if n not in documented] == [], "catalogue metrics missing in README"
    assert [n for n in documented if not metrics.known(n)] == [], "README names metrics no probe reports"
    assert all(m.description for m in metrics.CATALOGUE.values()), "every catalogue metric has a meaning"


@pytest.mark.parametrize("name", [f.name for f in fields(Settings)])
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"`{name}`" in README, f"README does not document the setting {name}"

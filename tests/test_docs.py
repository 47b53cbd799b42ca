"""The README documents every command, every option and every setting (a test fails when one is not)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import click
import pytest

from audit.cli import main
from audit.settings import Settings

README = (Path(__file__).parents[1] / "README.md").read_text()


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        out.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            out.extend(commands(command, f"{prefix}{name} "))
    return out


@pytest.mark.parametrize(("name", "command"), commands(main), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_and_option_is_documented(name: str, command: click.Command) -> None:
    assert f"engage {name}" in README, f"README does not show `engage {name}`"
    if not isinstance(command, click.Group):
        assert "Example" in (command.help or ""), f"`engage {name} --help` has no example"
    for param in command.params:
        if isinstance(param, click.Option):
            long = max(param.opts, key=len)
            if long in ("--help", "--quiet"):
                continue
            assert long in README, f"README does not mention {long} of `engage {name}`"


@pytest.mark.parametrize("name", [f.name for f in fields(Settings)])
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"`{name}`" in README, f"README does not document the setting {name}"

"""Projects: a TOML file naming a client, its competitors and how to audit them, re-run on a schedule.

``engage project init NAME`` writes ``NAME.toml`` (:func:`project_toml`); :func:`load_project` reads and
checks one. Running a project (``engage project run``) is orchestration: :func:`audit.runs.run_project`.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.history.diff import FailUnder, parse_fail_under

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

#: Options of ``[options]`` and the settings they set.
OPTION_KEYS = (
    "max_pages",
    "render",
    "proxy",
    "allow_private",
    "api_bases",
    "model",
    "formats",
    "company_budget",
)


class ProjectError(ValueError):
    """A project file that cannot be used; one line."""


@dataclass(frozen=True)
class Project:
    """A parsed project file."""

    name: str
    path: Path
    client: str
    client_name: str | None = None
    competitors: tuple[str, ...] = ()
    output_dir: str = ""
    db: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    theme: dict[str, str] = field(default_factory=dict)  # [theme]: consultant, logo, accent (the report's)
    consultant: str | None = None
    page_size: str | None = None
    notes: str | None = None  # Markdown file of the consultant's notes (engage project run --notes)
    every: str | None = None
    at: str = "06:00"
    webhook: str | None = None
    fail_under: FailUnder | None = None
    fail_on_regression: bool = False

    def out_root(self) -> Path:
        """Where runs write (``output_dir`` relative to the project file; default ``reports/NAME``)."""
        root = Path(self.output_dir or f"reports/{self.name}")
        return root if root.is_absolute() else self.path.parent / root


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ProjectError(f"{where} must be a string")
    return value


def check_shape(data: dict[str, Any], path: Path) -> None:
    """Refuse a value of the wrong type (``audit/project.schema.json``), naming the file and the key."""
    from audit.validation import format_path, load_schema, schema_errors

    errors = schema_errors(data, load_schema(Path(__file__).parents[1] / "project.schema.json"))
    if not errors:
        return
    where, message = errors[0]
    key = f"[{where[0]}] {format_path(where[1:])}" if len(where) > 1 else f"[{where[0]}]" if where else ""
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    raise ProjectError(f"{path}: {key + ': ' if key else ''}{message}{more}")


def load_project(path: Path) -> Project:
    """Read and check a project file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProjectError(f"{path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{path}: not valid TOML ({exc})") from None
    check_shape(data, path)
    p = data.get("project", {})
    if not p.get("client"):
        raise ProjectError(f"{path}: [project] needs 'client' (the client's URL)")
    options = dict(data.get("options", {}))
    unknown = sorted(set(options) - set(OPTION_KEYS))
    if unknown:
        raise ProjectError(f"{path}: unknown option {unknown[0]!r} (known: {', '.join(OPTION_KEYS)})")
    options = {k: v for k, v in options.items() if v not in ("", None)}
    gates, report = data.get("gates", {}), data.get("report", {})
    try:
        fail_under = parse_fail_under(str(gates["fail_under"])) if gates.get("fail_under") else None
    except ValueError as exc:
        raise ProjectError(f"{path}: [gates] fail_under {exc}") from None
    name = str(p.get("name") or path.stem)
    if not NAME.match(name):
        raise ProjectError(f"{path}: project name {name!r}: letters, digits, '.', '_' and '-' only")
    return Project(
        name=name,
        path=path.resolve(),
        client=_str(p["client"], "[project] client"),
        client_name=p.get("client_name") or None,
        competitors=tuple(_str(c, "[project] competitors[]") for c in p.get("competitors", [])),
        output_dir=str(p.get("output_dir", "")),
        db=p.get("db") or None,
        options=options,
        theme=_theme(data.get("theme", {}), path),
        consultant=report.get("consultant") or None,
        page_size=report.get("page_size") or None,
        every=data.get("schedule", {}).get("every") or None,
        at=str(data.get("schedule", {}).get("at", "06:00")),
        webhook=data.get("notify", {}).get("webhook") or None,
        fail_under=fail_under,
        fail_on_regression=bool(gates.get("fail_on_regression", False)),
    )


def _theme(table: Any, path: Path) -> dict[str, str]:
    """The ``[theme]`` table, checked by the settings' reader when this Engage has one."""
    from audit import settings

    if not isinstance(table, dict):
        raise ProjectError(f"{path}: [theme] must be a table")
    reader = getattr(settings, "read_theme", None)
    if reader is None:
        return {str(k): str(v) for k, v in table.items()}
    try:
        return dict(reader(table, path.resolve().parent, str(path)))
    except settings.SettingsError as exc:
        raise ProjectError(str(exc)) from None


def find_project(ref: str) -> Path:
    """``ref`` as a file, else ``ref.toml`` in the current directory."""
    for candidate in (Path(ref), Path(f"{ref}.toml")):
        if candidate.is_file():
            return candidate
    raise ProjectError(
        f"no project {ref!r}: neither a file nor ./{ref}.toml (create it: engage project init {ref})"
    )


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    return json.dumps(
        str(value), ensure_ascii=False, allow_nan=False
    )  # a JSON string is a valid TOML basic string


def project_toml(
    name: str,
    client: str,
    competitors: Sequence[str] = (),
    client_name: str = "",
    proxy: str = "",
    api_bases: dict[str, str] | None = None,
    allow_private: bool = False,
    every: str = "monthly",
    webhook: str = "",
) -> str:
    """The text of a new project file, every key commented."""
    return f"""# Engage project — run: engage project run {name} · schedule: engage schedule {name}.toml
[project]
name = {_toml(name)}
client = {_toml(client)}
client_name = {_toml(client_name)}          # display name; empty: from the home page
competitors = {_toml(list(competitors))}
output_dir = {_toml(f"reports/{name}")}     # each run writes a timestamped folder here
db = ""                                  # history database URL; empty: --db, ENGAGE_DB or the default

[options]                                # the same settings as `engage audit`'s options
max_pages = 60
render = "auto"                          # auto | always | never
formats = ["pdf", "html", "json", "csv"]
model = ""                               # a custom maturity model TOML; empty: the shipped one
proxy = {_toml(proxy)}                   # HTTP proxy for every request (the fixture web: engage demo --serve)
allow_private = {_toml(allow_private)}
api_bases = {_toml(api_bases or {})}

[report]
consultant = ""                          # "prepared by" on the cover; empty: the setting
page_size = ""                           # A4 | Letter; empty: the setting

[theme]                                  # the report's look, as engage.toml's [theme]
# accent = "#1f4e79"
# logo = "logo.png"                      # relative to this file

[schedule]
every = {_toml(every)}                   # weekly | monthly | daily | a cron expression
at = "06:00"

[gates]                                  # exit status 4 when a gate fails
fail_under = ""                          # e.g. "L3" (a level) or "60" (an overall score)
fail_on_regression = false               # the client's level or score fell, or a channel disappeared

[notify]
# Slack-compatible URL, POSTed when a level changes or a channel disappears
webhook = {_toml(webhook)}
"""


def demo_project_toml(name: str, proxy: str) -> str:
    """A project for the embedded fictional market, reached through ``engage demo --serve``'s proxy."""
    from audit.fixture_web.activity import API_BASES
    from audit.fixture_web.market import load_market

    market = load_market()
    return project_toml(
        name,
        market.client_company.url,
        [c.url for c in market.competitors],
        client_name=market.client_company.name,
        proxy=proxy,
        api_bases=dict(API_BASES),
    )

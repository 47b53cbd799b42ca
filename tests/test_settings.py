"""Settings layers: defaults < engage.toml < ENGAGE_* < command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.settings import Settings, SettingsError, load_settings


def test_layers_in_order(tmp_path: Path) -> None:
    cfg = tmp_path / "engage.toml"
    cfg.write_text("[engage]\nmax_pages = 20\nmax_depth = 2\nconsultant = 'Jane Doe Consulting'\n")
    env = {"ENGAGE_MAX_PAGES": "30", "ENGAGE_FORMATS": "pdf,json"}
    s = load_settings(cfg, environ=env, max_depth=None, render="never")
    assert s.max_pages == 30  # env beats file
    assert s.max_depth == 2  # file beats default; None on the command line means "not given"
    assert s.render == "never"
    assert s.formats == ("pdf", "json")
    assert s.consultant == "Jane Doe Consulting"
    assert load_settings(cfg, environ=env, max_pages=5).max_pages == 5  # command line beats env


def test_defaults_without_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings(environ={}) == Settings()
    assert "Engage/" in Settings().user_agent and "http" in Settings().user_agent


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("max_pages = 'lots'", "max_pages"),
        ("nonsense = 1", "unknown setting 'nonsense'"),
        ("render = 'sometimes'", "render must be"),
    ],
)
def test_bad_settings_are_one_line_errors(tmp_path: Path, content: str, message: str) -> None:
    cfg = tmp_path / "engage.toml"
    cfg.write_text(content)
    with pytest.raises(SettingsError, match=message):
        load_settings(cfg, environ={})

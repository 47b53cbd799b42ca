"""The report's settings and command line: the [theme] table of engage.toml and --pdf-variant."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="engage-mpl-"))

from audit.cli import main
from audit.settings import SettingsError, load_settings

DATA = Path(__file__).resolve().parent / "data"


def write_config(tmp_path: Path, theme: str) -> Path:
    shutil.copyfile(DATA / "logo.svg", tmp_path / "brand.svg")
    config = tmp_path / "engage.toml"
    config.write_text(f"[engage]\nconsultant = 'Setting Consulting'\n\n[theme]\n{theme}\n", encoding="utf-8")
    return config


def test_theme_table_is_read_and_checked(tmp_path: Path) -> None:
    config = write_config(tmp_path, "consultant = 'Northbridge'\nlogo = 'brand.svg'\naccent = '#7a1f5c'")
    settings = load_settings(config, environ={})
    assert settings.theme == {
        "consultant": "Northbridge",
        "logo": str((tmp_path / "brand.svg").resolve()),
        "accent": "#7a1f5c",
    }
    assert settings.consultant == "Setting Consulting"
    with pytest.raises(SettingsError, match="hex colour"):
        load_settings(write_config(tmp_path, "accent = 'red'"), environ={})
    with pytest.raises(SettingsError, match="unknown theme key 'colour'"):
        load_settings(write_config(tmp_path, "colour = '#fff'"), environ={})
    with pytest.raises(SettingsError, match="pdf_variant"):
        load_settings(write_config(tmp_path, ""), environ={"ENGAGE_PDF_VARIANT": "pdf/z"})


def test_report_command_with_theme_and_pdf_ua(tmp_path: Path) -> None:
    audit = json.loads((DATA / "audit_sample.json").read_text(encoding="utf-8"))
    audit["companies"] = audit["companies"][:1]  # the client alone: a short PDF says the same here
    run = tmp_path / "run"
    run.mkdir()
    (run / "audit.json").write_text(json.dumps(audit), encoding="utf-8")
    theme = "consultant = 'Northbridge'\nlogo = 'brand.svg'\nclient_name = 'Acme Books Ltd'"
    config = write_config(tmp_path, theme)
    args = ["report", str(run), "--format", "pdf,html", "--pdf-variant", "pdf/ua-1", "--config", str(config)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (run / "theme-logo.svg").read_bytes() == (DATA / "logo.svg").read_bytes()
    html = (run / "report.html").read_text(encoding="utf-8")
    assert "Prepared by Northbridge" in html and "Acme Books Ltd" in html and "data:image/svg+xml" in html
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(run / "report.pdf")], capture_output=True, text=True).stdout
        assert "Tagged:          yes" in info and "Acme Books Ltd" in info

    (tmp_path / "brand.svg").unlink()
    missing = CliRunner().invoke(main, ["report", str(run), "--format", "html", "--config", str(config)])
    assert missing.exit_code == 2 and "theme logo not found" in missing.output

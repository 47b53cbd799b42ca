"""The wheel carries every subpackage: pyproject's package search finds each directory of Python code."""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parent.parent
TOP = ("audit", "probes", "scoring", "report_templates")


def test_every_directory_of_python_code_is_a_packaged_subpackage() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    found = set(find_packages(where=str(ROOT), include=config["include"]))
    code_dirs = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for top in TOP
        for path in (ROOT / top).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert code_dirs <= found, f"left out of the wheel: {sorted(code_dirs - found)}"
    assert all(name.split(".")[0] in TOP for name in found), sorted(found)  # tests/ is not shipped

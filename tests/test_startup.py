"""``engage --help`` and ``--version`` import no crawler, browser, probes, PDF or pandas code (fast start)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "audit.runner", "audit.crawl", "audit.fetch", "audit.render", "probes", "bs4", "lxml", "requests",
    "playwright", "weasyprint", "matplotlib", "pandas", "sqlalchemy", "jinja2", "extruct",
)  # fmt: skip

PROGRAM = """
import json, sys
from audit.cli import main
try:
    main([sys.argv[1]])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {h.split(".")[0] for h in %r}
                        and any(m == h or m.startswith(h + ".") for h in %r))))
"""


def _heavy_imports(flag: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM % (HEAVY, HEAVY), flag], capture_output=True, text=True, check=True
    ).stdout
    return list(json.loads(out.splitlines()[-1]))


def test_version_imports_nothing_heavy() -> None:
    assert _heavy_imports("--version") == []


def test_help_imports_nothing_heavy() -> None:
    assert _heavy_imports("--help") == []

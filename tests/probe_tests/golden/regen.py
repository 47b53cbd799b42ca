"""Regenerate golden expectations: ``python tests/probe_tests/golden/regen.py [CASE URL]``.

Without arguments, every case with an existing ``.json`` is re-run against the URL recorded in it.
Review every diff by hand: a golden file states what *should* be found, not what the code happens to find.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from probes.inspect import inspect_html

HERE = Path(__file__).parent


def regen(case: str, url: str) -> None:
    """Write ``<case>.json`` from ``<case>.html`` inspected as ``url``."""
    result = inspect_html((HERE / f"{case}.html").read_text(encoding="utf-8"), url)
    (HERE / f"{case}.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def main(argv: list[str]) -> None:
    """Regenerate one case (``CASE URL``) or all recorded ones."""
    if len(argv) == 2:
        regen(argv[0], argv[1])
        return
    for expected in sorted(HERE.glob("*.json")):
        regen(expected.stem, json.loads(expected.read_text(encoding="utf-8"))["url"])


if __name__ == "__main__":
    main(sys.argv[1:])

"""Print precision/recall/F1 per field and split of ``engage inspect`` on the real-page corpus.

Usage (from the repository root)::

    .venv/bin/python tests/corpus/real/score.py            # the table
    .venv/bin/python tests/corpus/real/score.py --errors   # and every wrong item (dev split only)
    .venv/bin/python tests/corpus/real/score.py --errors --split heldout

Look at held-out errors only to report them, never to tune the probes on them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "probe_tests")]

from real_corpus import evaluate, table  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the wrong items too")
    parser.add_argument("--split", default="dev", choices=["dev", "heldout", "all"], help="whose errors")
    args = parser.parse_args()
    started = time.perf_counter()
    results = evaluate()
    print("\n".join(table(results)))
    print(f"({time.perf_counter() - started:.1f} s)")
    if args.errors:
        print("\n".join(results[args.split].errors))


if __name__ == "__main__":
    main()

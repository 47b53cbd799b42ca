"""Make ``import probes`` mean the package, not this test directory.

``tests/`` is on ``sys.path`` (rootdir conftest, prepend import mode), so ``tests/probes`` can shadow the real
``probes`` package as a namespace package. Put the project root first and drop such a namespace module.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
if "probes" in sys.modules and getattr(sys.modules["probes"], "__file__", None) is None:
    for name in [n for n in sys.modules if n == "probes" or n.startswith("probes.")]:
        del sys.modules[name]

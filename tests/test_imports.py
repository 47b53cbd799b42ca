"""The project's modules import one another without a circle — counting imports inside functions, which is
where a circle hides — and ``engage --help`` loads no crawler, browser, probe, PDF or data-frame code."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("audit", "probes", "scoring", "report_templates")


def modules() -> dict[str, Path]:
    found = {}
    for top in PACKAGES:
        for path in (ROOT / top).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports anywhere in its file. ``from pkg import sub`` depends on the
    submodule ``sub`` (that Python runs ``pkg/__init__`` first is how packages work, not a dependency)."""

    def project_module(dotted: str) -> str | None:
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    out: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for target in targets:
            found = project_module(target)
            if found is not None and found != name:
                out.add(found)
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circle_among_the_projects_modules() -> None:
    known = modules()
    graph = {name: imports_of(name, path, known) for name, path in known.items()}
    assert len(graph) > 50 and graph["audit.cli"]  # the walk saw the project
    assert cycles(graph) == []


#: What the history package (storage) must never import: the orchestration that uses it.
NOT_STORAGE = ("audit.pipeline", "audit.runner", "audit.runs", "audit.cli", "report_templates")


def test_the_history_package_is_storage_only() -> None:
    known = modules()
    found = {
        name: sorted(t for t in imports_of(name, path, known) if t.startswith(NOT_STORAGE))
        for name, path in known.items()
        if name == "audit.history" or name.startswith("audit.history.")
    }
    assert len(found) >= 8  # the walk saw the package
    assert {name: targets for name, targets in found.items() if targets} == {}


def test_the_checker_sees_a_circle_through_a_function_level_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_every_probe_is_named_after_its_module() -> None:
    from probes import PROBES
    from probes.computed import probe_module

    for module in PROBES:
        assert module.__name__ == f"probes.{module.NAME}"
        assert probe_module(str(module.NAME)) is module


def test_help_loads_no_crawler_browser_probe_pdf_or_dataframe_code() -> None:
    heavy_modules = ["audit.runner", "audit.crawl", "audit.fetch", "audit.render", "audit.pipeline"]
    heavy_packages = [
        "playwright",
        "probes",
        "weasyprint",
        "pandas",
        "matplotlib",
        "report_templates",
        "requests",
        "bs4",
        "lxml",
        "sqlalchemy",
    ]
    code = (
        "import json, sys\nfrom audit.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert "audit.cli" in loaded
    assert [m for m in loaded if m in heavy_modules or m.split(".")[0] in heavy_packages] == []

"""Probes built on others declare ``REQUIRES``: each runs once per capture, in order, without cycles."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import probes
from audit.models import Evidence, Page, SiteCapture
from probes import PROBES, run_probes, social_profiles
from probes.computed import RequirementError, required, run_order

PROBE_DIR = Path(probes.__file__).parent


def _capture() -> SiteCapture:
    html = "<html><body><footer><a href='https://x.com/acme'>X</a></footer></body></html>"
    page = Page(url="https://acme.test/", final_url="https://acme.test/", status=200, text=html)
    return SiteCapture(name="acme", url="https://acme.test/", pages=[page])


def _fake(name: str, requires: tuple[str, ...] = (), probe: Any = None) -> Any:
    def default(capture: SiteCapture) -> Evidence:
        for needed in requires:
            required(capture, needed)
        return Evidence(probe=name)

    return SimpleNamespace(NAME=name, CHANNELS=(), REQUIRES=requires, probe=probe or default)


def test_every_declared_requirement_is_a_registered_probe() -> None:
    names = {m.NAME for m in PROBES}
    for module in PROBES:
        assert set(getattr(module, "REQUIRES", ())) <= names - {module.NAME}, module.NAME


def test_registry_order_puts_requirements_first() -> None:
    order = [m.NAME for m in run_order(PROBES, PROBES)]
    assert sorted(order) == sorted(m.NAME for m in PROBES)
    for module in PROBES:
        for needed in getattr(module, "REQUIRES", ()):
            assert order.index(needed) < order.index(module.NAME)


def test_cycles_are_rejected() -> None:
    a, b, c = _fake("a", ("b",)), _fake("b", ("c",)), _fake("c", ("a",))
    with pytest.raises(RequirementError, match="cycle: a → b → c → a"):
        run_order((a,), (a, b, c))


def test_an_undeclared_call_is_an_error() -> None:
    sneaky = _fake("sneaky", probe=lambda capture: required(capture, "social_profiles"))
    (evidence,) = run_probes(_capture(), (sneaky,))
    assert evidence.status == "error"
    assert "uses social_profiles without declaring it in REQUIRES" in str(evidence.error)


def test_required_evidence_is_computed_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = social_profiles.probe

    def counted(capture: SiteCapture) -> Evidence:
        calls.append(capture.url)
        return real(capture)

    monkeypatch.setattr(social_profiles, "probe", counted)
    results = {e.probe: e for e in run_probes(_capture())}
    assert len(calls) == 1
    assert all(e.status != "error" for e in results.values()), [e.error for e in results.values()]
    assert [f.url for f in results["social_profiles"].findings] == ["https://x.com/acme"]


def test_a_failed_requirement_fails_its_dependents() -> None:
    broken = _fake("broken", probe=lambda capture: 1 / 0)
    needy = _fake("needy", ("broken",))
    failed, dependent = run_probes(_capture(), (broken, needy))
    assert failed.status == "error" and failed.error == "ZeroDivisionError: division by zero"
    assert dependent.status == "error" and "required probe broken failed" in str(dependent.error)


def test_no_probe_calls_another_probe_directly() -> None:
    """Another probe's evidence comes through ``required``; a direct ``module.probe(...)`` call re-runs it."""
    names = {m.NAME for m in PROBES}
    for path in PROBE_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                target = node.func.value
                if node.func.attr == "probe" and isinstance(target, ast.Name) and target.id in names:
                    pytest.fail(f"{path.name}:{node.lineno} calls {target.id}.probe() directly")


def test_a_per_page_result_is_computed_once_per_page_and_each_caller_owns_its_copy() -> None:
    from probes.base import copy_finding, parse, per_page

    calls: list[str] = []

    @per_page(copy_finding)
    def first_link(pp: Any) -> Any:
        calls.append(pp.url)
        from audit.models import Finding

        return Finding("social", next(url for _, url in pp.anchors()), {"platform": "x"})

    page = _capture().pages[0]
    one = first_link(parse(page))
    one.attrs["activity_method"] = "api"  # a caller adding to its finding (community.probe does)
    two = first_link(parse(page))
    assert calls == ["https://acme.test/"]  # computed once for the page
    assert two.url == "https://x.com/acme" and "activity_method" not in two.attrs
    twin = Page(url=page.url, final_url=page.final_url, status=200, text=page.text)  # same HTML, other page
    first_link(parse(twin))
    assert calls == ["https://acme.test/", "https://acme.test/"]  # never shared by another page object


def test_probing_again_gives_the_same_findings_whatever_the_first_callers_did_with_theirs() -> None:
    capture = _capture()
    first = social_profiles.probe(capture)
    for finding in first.findings:
        finding.attrs["platform"] = "changed by a caller"
    again = social_profiles.probe(capture)
    assert [(f.url, f.attrs["platform"]) for f in again.findings] == [("https://x.com/acme", "x")]

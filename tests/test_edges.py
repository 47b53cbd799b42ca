"""Validation at the edges: every bad input is one line on stderr naming the file and the field, a non-zero
exit and no traceback; no NaN or infinity ever reaches an output."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from audit.cli import main
from audit.models import Evidence
from audit.runner import ExitStatus, finite_metrics, write_json_atomic
from audit.validation import NonFiniteError, dumps, loads

ROOT = Path(__file__).parents[1]
SAMPLE_CAPTURE = ROOT / "sample_reports" / "capture.warc.gz"  # the demo market: acme.test + 4 competitors
SAMPLE_AUDIT = ROOT / "tests" / "data" / "audit_sample.json"


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_line_error(result: Result, status: ExitStatus, *needles: str) -> str:
    """Assert exit ``status``, exactly one ``engage: error:`` line on stderr holding ``needles``, no traceback."""
    assert result.exit_code == int(status), (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # not an uncaught exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("engage: error: "), lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    assert "Traceback" not in result.output
    return lines[0]


# -- no NaN in outputs -------------------------------------------------------------------------------------


def test_the_json_writer_refuses_nan_and_names_where(tmp_path: Path) -> None:
    target = tmp_path / "audit.json"
    with pytest.raises(NonFiniteError, match=r"companies\[0\]\.overall\.score"):
        write_json_atomic(target, {"companies": [{"overall": {"score": math.nan}}]})
    assert not target.exists() and list(tmp_path.iterdir()) == []
    with pytest.raises(NonFiniteError, match="x"):
        dumps({"x": math.inf})


def test_reading_json_refuses_nan() -> None:
    with pytest.raises(ValueError, match="NaN is not valid JSON"):
        loads('{"score": NaN}')


def test_a_non_finite_metric_becomes_null_with_its_reason() -> None:
    ev = finite_metrics(Evidence(probe="p", metrics={"site.ttfb_ms_median": math.nan, "a.b": 2.0}))
    assert ev.metrics == {"site.ttfb_ms_median": None, "a.b": 2.0}
    assert ev.notes == ["site.ttfb_ms_median: not a finite number (nan); not used"]


def test_the_history_database_refuses_nan(tmp_path: Path) -> None:
    import sqlalchemy as sa

    from audit.history.store import Store

    with Store(f"sqlite:///{tmp_path / 'h.db'}") as store:
        run_id = store.begin_run([], {"budget": 1.0}, "0")
        with pytest.raises(sa.exc.StatementError, match="non-finite"):
            store.finish_run(run_id, {"companies": [], "model": {"id": "m", "version": math.nan}})

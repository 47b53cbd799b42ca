"""Validation at the edges: every bad input is one line on stderr naming the file and the field, a non-zero
exit and no traceback; no NaN or infinity ever reaches an output."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

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
    """Assert exit ``status``, one ``engage: error:`` line on stderr holding ``needles``, no traceback."""
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


def test_a_probe_reporting_nan_gives_null_and_an_error_never_nan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jsonschema

    import audit.runner
    from audit.models import SiteCapture
    from probes import run_probes

    def nan_probes(capture: SiteCapture, **options: Any) -> list[Evidence]:
        evidence = run_probes(capture, **options)
        for ev in evidence:
            for metric in ev.metrics:
                if metric == "site.ttfb_ms_median":
                    ev.metrics[metric] = math.nan
        return evidence

    monkeypatch.setattr(audit.runner, "run_probes", nan_probes)
    out = tmp_path / "out"
    result = cli("score", str(SAMPLE_CAPTURE), "--out", str(out))
    assert result.exit_code == 0, result.output
    text = (out / "audit.json").read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    audit = loads(text)
    jsonschema.validate(audit, json.loads((ROOT / "audit" / "audit.schema.json").read_text()))
    for company in audit["companies"]:
        assert company["metrics"]["site.ttfb_ms_median"] is None
        reasons = [e["message"] for e in company["errors"] if e.get("metric") == "site.ttfb_ms_median"]
        assert reasons and "not a finite number (nan)" in reasons[0]


def test_a_nan_left_anywhere_in_the_document_is_nulled_and_recorded() -> None:
    from audit.runner import scrub_non_finite

    audit = {
        "companies": [{"channels": {"faq": [{"url": "u", "qa_pairs": (1, math.nan)}]}, "errors": []}],
        "benchmark": {"median": math.inf},
    }
    clean = scrub_non_finite(audit)
    assert clean["companies"][0]["channels"]["faq"][0]["qa_pairs"] == [1, None]
    assert clean["companies"][0]["errors"] == [
        {"stage": "output", "message": "channels.faq[0].qa_pairs[1] was not a finite number; written as null"}
    ]
    assert clean["benchmark"] == {"median": None}
    assert clean["errors"] == [
        {"stage": "output", "message": "benchmark.median was not a finite number; written as null"}
    ]
    assert loads(dumps(clean)) == clean


def test_the_history_database_refuses_nan(tmp_path: Path) -> None:
    import sqlalchemy as sa

    from audit.history.store import Store

    with Store(f"sqlite:///{tmp_path / 'h.db'}") as store:
        run_id = store.begin_run([], {"budget": 1.0}, "0")
        with pytest.raises(sa.exc.StatementError, match="non-finite"):
            store.finish_run(run_id, {"companies": [], "model": {"id": "m", "version": math.nan}})


# -- model files -------------------------------------------------------------------------------------------


def model_with(tmp_path: Path, old: str, new: str) -> Path:
    from scoring.model import default_model_path

    text = default_model_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "model.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


FIRST_WEIGHT = "weight = 15\n"  # the first dimension's (presence)
BAD_MODELS = [
    (FIRST_WEIGHT, 'weight = "heavy"\n', "dimension presence: weight: \"heavy\" is not of type 'number'"),
    (FIRST_WEIGHT, "weight = nan\n", "dimension presence: weight: nan is not a finite number"),
    (FIRST_WEIGHT, "weight = inf\n", "dimension presence: weight: inf is not a finite number"),
    (FIRST_WEIGHT, "weight = -inf\n", "dimension presence: weight: -inf is not a finite number"),
    (FIRST_WEIGHT, "weight = true\n", "dimension presence: weight: true is not of type 'number'"),
    (FIRST_WEIGHT, "weight = -3\n", "dimension presence: negative weight"),
    ("[[0, 0.0], [1, 0.5]", "[[0, nan], [1, 0.5]", "curve.bands[0][1]: nan is not a finite number"),
    ("[0, 20, 40, 60, 80]", "[0, 20, inf, 60, 80]", "dimension_level_bands[2]: inf is not a finite number"),
    ("level = 2\n", 'level = "two"\n', "level #2: level: \"two\" is not of type 'integer'"),
    ("p10 = ", "p10 = nan, x = ", "curve.p10: nan is not a finite number"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD_MODELS)
def test_model_validate_names_the_bad_value(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = model_with(tmp_path, old, new)
    one_line_error(cli("model", "validate", str(path)), ExitStatus.ERROR, str(path), message)


def test_a_binary_model_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "model.toml"
    path.write_bytes(b"\x00\xff\xfe\x00")
    one_line_error(cli("model", "validate", str(path)), ExitStatus.ERROR, str(path), "not a UTF-8 text file")


def test_audit_with_a_nan_model_fails_before_crawling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_crawl(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("crawled with a bad model")

    monkeypatch.setattr("audit.pipeline.gather", no_crawl)
    path = model_with(tmp_path, FIRST_WEIGHT, "weight = nan\n")
    out = tmp_path / "out"
    result = cli("audit", "http://acme.test/", "--out", str(out), "--model", str(path), "-q")
    one_line_error(result, ExitStatus.ERROR, str(path), "weight: nan is not a finite number")
    assert not (out / "audit.json").exists()


def test_score_with_a_nan_model_writes_no_audit(tmp_path: Path) -> None:
    path = model_with(tmp_path, FIRST_WEIGHT, "weight = nan\n")
    out = tmp_path / "out"
    result = cli("score", str(SAMPLE_CAPTURE), "--model", str(path), "--out", str(out))
    one_line_error(result, ExitStatus.ERROR, str(path), "weight: nan is not a finite number")
    assert not (out / "audit.json").exists()


# -- --evidence FILE ---------------------------------------------------------------------------------------


def audit_with_evidence(tmp_path: Path, content: bytes) -> tuple[Result, Path]:
    path = tmp_path / "observations.toml"
    path.write_bytes(content)
    result = cli("audit", "http://acme.test/", "--out", str(tmp_path / "out"), "--evidence", str(path), "-q")
    return result, path


OBSERVATION = 'company = "acme.test"\ndate = 2026-11-20\n'


@pytest.mark.parametrize(
    ("value", "shown"),
    [("nan", "nan"), ("inf", "inf"), ("-2", "-2"), ('"4"', '"4"'), ("true", "true"), ("[1]", "[1]")],
)
def test_evidence_with_a_bad_measure_names_file_and_field(tmp_path: Path, value: str, shown: str) -> None:
    text = f"[[observation]]\n{OBSERVATION}email_reply_hours = {value}\n"
    result, path = audit_with_evidence(tmp_path, text.encode())
    line = one_line_error(result, ExitStatus.USAGE, str(path), "observation 1", "'email_reply_hours'")
    assert line.endswith(f"must be a finite number ≥ 0, not {shown}")
    assert not (tmp_path / "out" / "audit.json").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\xff\xfe\x89PNG", "not a UTF-8 text file"),
        (b"[[observation]\ncompany = 1", "not valid TOML"),
        (b"[[observation]]\ncompany = 7\ndate = 2026-11-20\nemail_reply_hours = 1\n", "'company'"),
    ],
)
def test_unreadable_evidence_is_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    result, path = audit_with_evidence(tmp_path, content)
    one_line_error(result, ExitStatus.USAGE, str(path), message)


# -- --replay WARC -----------------------------------------------------------------------------------------


@pytest.fixture
def acme_northwind_capture(tmp_path: Path) -> Path:
    """A capture of Acme (client) and Northwind only, as `engage gather` writes it (no pages needed)."""
    from audit.models import SiteCapture
    from audit.warc import WarcRecorder

    recorder = WarcRecorder(tmp_path / "capture.warc.gz")
    captures = [
        SiteCapture("Acme", "http://acme.test/", "client"),
        SiteCapture("Northwind", "http://northwind.test/", "competitor"),
    ]
    recorder.write_captures(captures, {"interrupted": False})
    return recorder.close()


def replay(tmp_path: Path, warc: Path, *urls: str) -> Result:
    competitors = [a for u in urls[1:] for a in ("-c", u)]
    out = str(tmp_path / "replayed")
    return cli("audit", urls[0], *competitors, "--replay", str(warc), "--out", out, "--format", "json", "-q")


def test_replay_of_a_capture_without_the_given_url_is_a_usage_error(
    tmp_path: Path, acme_northwind_capture: Path
) -> None:
    result = replay(tmp_path, acme_northwind_capture, "http://brightbooks.test/", "https://acme.test")
    line = one_line_error(result, ExitStatus.USAGE, str(acme_northwind_capture))
    assert line.endswith(
        "missing from the capture: http://brightbooks.test/; "
        "it holds http://acme.test/ (client), http://northwind.test/ (competitor)"
    )
    assert not (tmp_path / "replayed").exists()


def test_replay_of_a_capture_whose_client_is_another_is_a_usage_error(tmp_path: Path) -> None:
    result = replay(tmp_path, SAMPLE_CAPTURE, "http://brightbooks.test/")
    one_line_error(result, ExitStatus.USAGE, "http://brightbooks.test/ is a competitor in the capture")


@pytest.mark.parametrize(
    ("given", "held", "same"),
    [
        ("https://www.acme.test", "http://acme.test/", True),
        ("http://ACME.test/", "http://acme.test", True),
        ("http://acme.test/shop/", "http://acme.test/shop", True),
        ("http://acme.test/shop", "http://acme.test/", False),
        ("http://acme.test:8080/", "http://acme.test/", False),
    ],
)
def test_replay_compares_urls_without_scheme_www_or_trailing_slash(given: str, held: str, same: bool) -> None:
    from audit.pipeline import site_key

    assert (site_key(given) == site_key(held)) is same


def test_replay_with_a_subset_of_the_capture_is_fine(tmp_path: Path, acme_northwind_capture: Path) -> None:
    from audit.pipeline import replay_mismatch
    from audit.runner import Target

    held = [("http://acme.test/", "client"), ("http://northwind.test/", "competitor")]
    assert replay_mismatch([Target("https://acme.test/", "client")], held) is None


def bad_warcs(tmp_path: Path) -> dict[str, Path]:
    sample = SAMPLE_CAPTURE.read_bytes()
    corrupt = bytearray(sample)
    corrupt[len(sample) // 2 : len(sample) // 2 + 64] = b"x" * 64
    files = {
        "plain text": b"hello, I am not a WARC\n",
        "truncated": sample[: len(sample) // 4],
        "corrupt": bytes(corrupt),
        "empty": b"",
        "gzip of text": __import__("gzip").compress(b"hello\n"),
    }
    out = {}
    for name, data in files.items():
        out[name] = tmp_path / f"{name.replace(' ', '-')}.warc.gz"
        out[name].write_bytes(data)
    return out


@pytest.mark.parametrize("kind", ["plain text", "truncated", "corrupt", "empty", "gzip of text"])
def test_an_unreadable_replay_file_is_one_line(tmp_path: Path, kind: str) -> None:
    warc = bad_warcs(tmp_path)[kind]
    one_line_error(replay(tmp_path, warc, "http://acme.test/"), ExitStatus.ERROR, str(warc))
    one_line_error(cli("score", str(warc), "--out", str(tmp_path / "s")), ExitStatus.ERROR, str(warc))


# -- engage report: audit.json input -----------------------------------------------------------------------


def sample_with(change: str) -> str:
    audit = json.loads(SAMPLE_AUDIT.read_text(encoding="utf-8"))
    if change == "null company":
        audit["companies"][0] = None
    elif change == "score as text":
        audit["companies"][1]["overall"]["score"] = "high"
    return json.dumps(audit)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1,2,3]", "audit.json: [1, 2, 3] is not of type 'object'"),
        ("{}", "audit.json: 'schema_version' is a required property (and 9 more problem(s))"),
        ('{"companies": ', "audit.json: not valid JSON (Expecting value: line 1 column 15 (char 14))"),
        ('{"score": NaN}', "audit.json: not valid JSON (NaN is not valid JSON)"),
        (sample_with("null company"), "audit.json: companies[0]: null is not of type 'object'"),
        (sample_with("score as text"), 'audit.json: companies[1].overall.score: "high" is not of type'),
    ],
)
def test_report_on_a_bad_audit_json_names_the_first_failing_path(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "audit.json").write_text(text, encoding="utf-8")
    result = cli("report", str(tmp_path), "--format", "html")
    line = one_line_error(result, ExitStatus.ERROR, message)
    assert not (tmp_path / "report.html").exists(), line


def test_report_on_a_binary_audit_json_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "audit.json").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    one_line_error(cli("report", str(tmp_path)), ExitStatus.ERROR, "audit.json: not a UTF-8 text file")


def test_report_accepts_a_valid_audit_json(tmp_path: Path) -> None:
    (tmp_path / "audit.json").write_text(SAMPLE_AUDIT.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("report", str(tmp_path), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "scores.csv").exists()


# -- output paths ------------------------------------------------------------------------------------------


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "plain-file"
    path.write_text("I am a file\n")
    return path


def test_out_under_a_regular_file_is_one_line(tmp_path: Path, a_file: Path) -> None:
    out = str(a_file / "sub" / "dir")
    commands = [
        ["audit", "http://acme.test/", "--replay", str(SAMPLE_CAPTURE), "--out", out, "-q"],
        ["score", str(SAMPLE_CAPTURE), "--out", out],
        ["report", str(SAMPLE_AUDIT), "--out", out, "--format", "csv"],
        ["gather", "http://acme.test/", "--out", out, "-q"],
    ]
    for args in commands:
        one_line_error(
            cli(*args), ExitStatus.USAGE, f"{out}: cannot create the output directory", str(a_file)
        )


def test_out_in_proc_is_one_line(tmp_path: Path) -> None:
    if not Path("/proc/self").is_dir():
        pytest.skip("no /proc here")
    result = cli("report", str(SAMPLE_AUDIT), "--out", "/proc/engage-x/out", "--format", "csv")
    one_line_error(result, ExitStatus.USAGE, "/proc/engage-x/out: cannot create the output directory")


def test_project_init_file_under_a_regular_file_is_one_line(a_file: Path) -> None:
    target = a_file / "acme.toml"
    result = cli("project", "init", "acme", "--client", "http://acme.test/", "--file", str(target))
    one_line_error(result, ExitStatus.USAGE, f"cannot create the directory for {target}")


# -- --db URL ----------------------------------------------------------------------------------------------


def test_db_that_is_a_text_file_is_one_line(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("these are my notes, not a database\n" * 100)
    replayed = ["--replay", str(SAMPLE_CAPTURE), "--out", str(tmp_path / "out"), "--format", "json", "-q"]
    for args in (
        ["history", "--db", str(text)],
        ["diff", "1", "2", "--db", str(text)],
        ["audit", "http://acme.test/", *replayed, "--db", str(text)],
    ):
        one_line_error(cli(*args), ExitStatus.ERROR, str(text), "file is not a database")
    assert text.read_text().startswith("these are my notes")


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("foo://bar", "foo://bar: no driver"),
        ("sqlite:///{file}/history.db", "is a file"),
        ("{file}/sub/history.db", "is a file"),
        ("postgresql://engage:secret@127.0.0.1:1/engage", "127.0.0.1:1/engage: connection failed"),
    ],
)
def test_unusable_db_url_is_one_line(tmp_path: Path, a_file: Path, db: str, message: str) -> None:
    url = db.format(file=a_file)
    line = one_line_error(cli("history", "--db", url), ExitStatus.ERROR, message)
    assert "secret" not in line  # the password is never shown


# -- project files -----------------------------------------------------------------------------------------

PROJECT = '[project]\nname = "acme"\nclient = "http://acme.test/"\n'


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            'competitors = "http://northwind.test/"\n',
            '[project] competitors: "http://northwind.test/" is not',
        ),
        ("competitors = [5]\n", "[project] competitors[0]: 5 is not of type 'string'"),
        ("db = 5\n", "[project] db: 5 is not of type 'string'"),
        ('[options]\nmax_pages = "many"\n', "[options] max_pages: \"many\" is not of type 'integer'"),
        ("[options]\nmax_pages = true\n", "[options] max_pages: true is not of type 'integer'"),
        ("[options]\ncompany_budget = nan\n", "[options] company_budget: nan is not a finite number"),
        ('[options]\nallow_private = "yes"\n', "[options] allow_private: \"yes\" is not of type 'boolean'"),
        ('[options]\nformats = ["pdf", "docx"]\n', '[options] formats[1]: "docx" is not one of'),
        ('[gates]\nfail_on_regression = "no"\n', '[gates] fail_on_regression: "no" is not of type'),
        ("[schedule]\nat = 06:00:00\n", "[schedule] at: \"06:00:00\" is not of type 'string'"),
        ("[notify]\nwebhook = 1\n", "[notify] webhook: 1 is not of type 'string'"),
    ],
)
def test_project_file_with_a_wrong_type_names_file_and_key(tmp_path: Path, extra: str, message: str) -> None:
    path = tmp_path / "acme.toml"
    path.write_text(PROJECT + extra, encoding="utf-8")
    one_line_error(cli("project", "run", str(path), "-q"), ExitStatus.USAGE, str(path), message)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'[project\nclient = "x"\n', "not valid TOML"),
        (b"\xff\xfe\x00[project]", "not a UTF-8 text file"),
        (b'project = "acme"\n', "[project]: \"acme\" is not of type 'object'"),
        (b'options = "fast"\n[project]\nclient = "http://acme.test/"\n', '[options]: "fast" is not of type'),
    ],
)
def test_unreadable_project_file_is_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "acme.toml"
    path.write_bytes(content)
    one_line_error(cli("project", "run", str(path), "-q"), ExitStatus.USAGE, str(path), message)
    one_line_error(cli("schedule", str(path)), ExitStatus.USAGE, str(path), message)


# -- history and diff --------------------------------------------------------------------------------------


def test_diff_with_a_run_that_does_not_exist_says_not_found(tmp_path: Path) -> None:
    from audit.history.store import Store

    db = f"sqlite:///{tmp_path / 'h.db'}"
    with Store(db) as store:
        running = store.begin_run([], {}, "0")  # run 1: never finished
    one_line_error(cli("diff", "1", "99", "--db", db), ExitStatus.ERROR, f"run 99 not found in {db}")
    line = one_line_error(cli("diff", str(running), str(running), "--db", db), ExitStatus.ERROR)
    assert line.endswith(f"run {running} has no stored result (it is running: it did not finish)")


def test_history_as_json_on_an_empty_database_is_json(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    result = cli("history", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"model": None, "companies": {}, "runs": []}
    table = cli("history", "--db", db)
    assert table.exit_code == 0 and "no finished runs" in table.stdout


# -- settings ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"company_budget = nan\n", "setting 'company_budget': cannot read nan (not a finite number)"),
        (b'read_timeout = "inf"\n', "setting 'read_timeout': cannot read 'inf' (not a finite number)"),
        (b"\xff\xfe\x00", "not a UTF-8 text file"),
    ],
)
def test_a_settings_file_with_a_non_finite_number_is_one_line(
    tmp_path: Path, content: bytes, message: str
) -> None:
    config = tmp_path / "engage.toml"
    config.write_bytes(content)
    result = cli("audit", "http://acme.test/", "--out", str(tmp_path / "out"), "--config", str(config))
    one_line_error(result, ExitStatus.USAGE, f"{config}: {message}")


def test_a_non_finite_setting_from_the_environment_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_COMPANY_BUDGET", "inf")
    result = cli("audit", "http://acme.test/", "--out", str(tmp_path / "out"))
    one_line_error(result, ExitStatus.USAGE, "ENGAGE_COMPANY_BUDGET: setting 'company_budget'")


def test_a_reason_borrowed_from_another_metrics_note_carries_no_metric_id() -> None:
    from audit.models import Evidence
    from audit.runner import _reason

    promise = Evidence(probe="reply_promise")
    promise.explain("responsiveness.promise_kept", "promise of 24 h found, but no reply time was measured")
    assert _reason(promise, "responsiveness.measured_reply_hours") == (
        "promise of 24 h found, but no reply time was measured"
    )
    ev = Evidence(probe="a")
    ev.explain("a.b", "one")
    ev.explain("a.c", "two")
    ev.notes.append("general")
    assert _reason(ev, "a.b") == "one; general"

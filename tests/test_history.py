"""History units: migrations, URLs, concurrent writers, diff thresholds, gates, schedules, webhooks."""

from __future__ import annotations

import json
import os
import stat
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from audit.cli import main
from audit.history import migrations, schedule, webhook
from audit.history.diff import audit_changes, fail_under_problem, moved, parse_fail_under, regressions
from audit.history.projects import ProjectError, load_project, project_toml
from audit.history.store import Store, StoreError, resolve_url


def company(
    name: str, level: int = 3, score: float = 50.0, chat: bool = True, ttfb: float = 100.0
) -> dict[str, Any]:
    host = name.lower().replace(" ", "")
    return {
        "name": name,
        "url": f"http://{host}.test/",
        "role": "client" if name == "Acme" else "competitor",
        "rank": 1,
        "overall": {"score": score, "level": level, "level_name": f"L{level}"},
        "dimensions": [{"id": "realtime", "name": "Real-time", "score": 100.0 if chat else 0.0, "level": 5}],
        "channels": {
            "chat": [
                {
                    "url": f"http://{host}.test/",
                    "vendor": "Crisp",
                    "evidence": {"source_url": f"http://{host}.test/contact"},
                }
            ]
            if chat
            else [],
        },
        "absences": {} if chat else {"chat": [f"http://{host}.test/", f"http://{host}.test/contact"]},
        "metrics": {
            "site.ttfb_ms_median": ttfb,
            "site.pages_timed": 10.0,
            "chat.vendors": 1.0 if chat else 0.0,
        },
        "errors": [],
    }


def audit(*companies: dict[str, Any], version: str = "1.0.0") -> dict[str, Any]:
    return {
        "model": {"id": "engagement", "version": version},
        "status": "complete",
        "client": "acme.test",
        "finished_at": "2026-11-23T00:00:00Z",
        "companies": list(companies),
    }


def test_migrations_are_recorded_once_and_a_newer_schema_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    Store(url).close()
    with Store(url) as store:
        with store.engine.connect() as conn:
            assert migrations.applied(conn) == [v for v, _, _ in migrations.MIGRATIONS]
        assert migrations.migrate(store.engine) == []
    with Store(url) as store, store.engine.begin() as conn:
        conn.execute(migrations.schema_migrations.insert().values(version=99, name="future", applied_at="x"))
    with pytest.raises(StoreError, match="newer than this Engage"):
        Store(url)


def test_db_urls(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path)}
    assert resolve_url(None, env) == f"sqlite:///{tmp_path}/engage/history.db"
    assert resolve_url(None, {**env, "ENGAGE_DB": "postgresql://u@h/db"}) == "postgresql+psycopg://u@h/db"
    assert resolve_url("x.db", env) == f"sqlite:///{Path('x.db').resolve()}"


def test_sqlite_is_wal_and_two_writers_at_once_both_finish(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    doc = audit(company("Acme"), company("Rival"))
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with Store(url) as store:
                for _ in range(5):
                    store.finish_run(store.begin_run([], {}, "t", project="p"), doc)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(url) as store:
        assert len(store.runs()) == 15 and {r.status for r in store.runs()} == {"complete"}
        assert len(store.score_rows([r.id for r in store.runs()])) == 15 * 2 * 2
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_run_is_completed_once(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'h.db'}") as store:
        run = store.begin_run([], {}, "t")
        store.finish_run(run, audit(company("Acme")))
        with pytest.raises(sa.exc.IntegrityError):
            store.finish_run(run, audit(company("Acme")))
        assert store.run(run).status == "complete"


def test_changes_beyond_noise_only() -> None:
    before = audit(company("Acme", level=3, score=50, ttfb=100), company("Rival"))
    after = audit(company("Acme", level=2, score=47, chat=False, ttfb=150), company("Rival", ttfb=180))
    changes = audit_changes(before, after)
    got = [(c["kind"], c["company"], c.get("metric") or c.get("channel")) for c in changes]
    assert got == [
        ("channel_lost", "Acme", "chat"),
        ("level_changed", "Acme", None),
        ("metric_moved", "Acme", "score.realtime"),
        ("metric_moved", "Acme", "chat.vendors"),
    ]  # overall 50 → 47 and ttfb +50/+80 ms are noise; pages_timed is never compared
    assert changes[0]["evidence"] == ["http://acme.test/", "http://acme.test/contact"]
    assert [c["kind"] for c in regressions(changes, "acme.test")] == ["channel_lost", "level_changed"]
    assert not [
        c
        for c in audit_changes(before, audit(*after["companies"], version="2.0.0"))
        if c["kind"] == "level_changed"
    ]
    assert moved("site.ttfb_ms_median", 100, 250) and not moved("site.ttfb_ms_median", 100, 190)
    assert moved("community.first_reply_hours_median", 4, 8) and not moved(
        "community.first_reply_hours_median", 4, 5
    )
    assert moved("social.reply_share", 0.2, 0.35) and not moved("blog.last_post_age_days", 1, 90)
    assert not moved("faq.qa_pairs", 10, None)


def test_fail_under() -> None:
    doc = audit(company("Acme", level=3, score=52.9))
    assert fail_under_problem(doc, parse_fail_under("L3")) is None
    assert fail_under_problem(doc, parse_fail_under("l4")) == "Acme: level L3 is under L4"
    assert fail_under_problem(doc, parse_fail_under("60")) == "Acme: score 52.9 is under 60"
    for bad in ("L6", "101", "high"):
        with pytest.raises(ValueError):
            parse_fail_under(bad)


def test_schedules(tmp_path: Path) -> None:
    assert schedule.parse_every("weekly").cron == "0 6 * * 1"
    assert schedule.parse_every("monthly", "07:30") == schedule.Schedule("30 7 1 * *", "*-*-01 07:30:00")
    assert schedule.parse_every("*/15 8-18 * * 1-5").on_calendar == "Mon..Fri *-*-* 08..18:00/15:00"
    assert schedule.parse_every("0 7 1,15 * 1").on_calendar is None
    for bad in ("hourly", "61 * * * *", "0 6 * *", "@daily"):
        with pytest.raises(schedule.ScheduleError):
            schedule.parse_every(bad)
    project = tmp_path / "acme.toml"
    project.write_text(project_toml("acme", "https://acme.example/", ["https://rival.example/"]))
    line = schedule.crontab_line("acme", project, schedule.parse_every("weekly"), tmp_path / "log")
    assert line.startswith(f"0 6 * * 1 cd {tmp_path} && ") and line.endswith("2>&1 # engage:acme")
    assert f"project run {project} --quiet" in line
    units = schedule.systemd_units("acme", project, schedule.parse_every("weekly"))
    assert "OnCalendar=Mon *-*-* 06:00:00" in units["engage-acme.timer"]
    assert "SuccessExitStatus=3 4" in units["engage-acme.service"]


def test_schedule_command_installs_crontab_and_systemd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = tmp_path / "crontab.txt"
    table.write_text("0 1 * * * backup # mine\n5 5 * * * old # engage:acme\n")
    fake = tmp_path / "bin" / "crontab"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nif [ "$1" = "-l" ]; then cat {table}; else cat > {table}; fi\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    project = tmp_path / "acme.toml"
    project.write_text(project_toml("acme", "https://acme.example/", every="weekly"))
    runner = CliRunner()
    assert runner.invoke(main, ["schedule", str(project), "--install"]).exit_code == 0
    lines = table.read_text().splitlines()
    assert lines[0] == "0 1 * * * backup # mine" and len(lines) == 2 and lines[1].startswith("0 6 * * 1 ")
    result = runner.invoke(main, ["schedule", str(project), "--every", "monthly", "--systemd", "--install"])
    assert result.exit_code == 0, result.output
    timer = tmp_path / "config" / "systemd" / "user" / "engage-acme.timer"
    assert "OnCalendar=*-*-01 06:00:00" in timer.read_text()
    assert runner.invoke(main, ["schedule", str(project), "--every", "often"]).exit_code == 2


def test_project_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)

    result = runner.invoke(
        main, ["project", "init", "acme", "--client", "acme.example", "-c", "rival.example"]
    )
    assert result.exit_code == 0, result.output
    project = load_project(Path("acme.toml"))
    assert project.client == "https://acme.example/" and project.competitors == ("https://rival.example/",)
    assert project.every == "monthly" and project.fail_under is None
    assert runner.invoke(main, ["project", "init", "acme", "--client", "x.example"]).exit_code == 2
    Path("bad.toml").write_text('[project]\nclient = "https://a.example/"\n[options]\nspeed = 3\n')
    with pytest.raises(ProjectError, match="unknown option 'speed'"):
        load_project(Path("bad.toml"))
    assert runner.invoke(main, ["project", "run", "nope"]).exit_code == 2


class Flaky(BaseHTTPRequestHandler):
    """Answers 503 to the first POST, then 200; records bodies."""

    bodies: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        Flaky.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(503 if len(Flaky.bodies) == 1 else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        return None


def test_webhook_retries_then_delivers_and_reports_failures() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        body = webhook.payload("p", 2, 1, audit(company("Acme")), [{"text": "Acme: level 3 → 2"}], None)
        assert webhook.post(url, body, backoff=0.01) is None
        assert len(Flaky.bodies) == 2 and Flaky.bodies[1]["text"].endswith("Acme: level 3 → 2")
    finally:
        server.shutdown()
        server.server_close()
    problem = webhook.post(url, body, timeout=0.5, attempts=2, backoff=0.01)  # nobody listens now
    assert problem is not None and "not delivered after 2 attempt(s)" in problem

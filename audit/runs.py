"""Runs recorded in the history that are more than one audit: ``engage project run`` and ``engage rescore``.

Each is one :meth:`Store.recorded_run` (``running`` until its last step, ``failed`` with the error in words
when a step raises) around the pipeline's stages and one ``write_reports`` call built from the settings.
``engage audit --db`` is recorded by :func:`audit.pipeline.run_audit` itself. The history package is the
storage these runs use; it imports neither them nor the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from audit.history.diff import FailUnder, client_of, company_key, fail_under_problem, notable, regressions
from audit.history.projects import Project
from audit.history.store import Store, file_sha256
from audit.history.trend import build_history
from audit.models import utc_now
from audit.paths import ensure_dir
from audit.pipeline import (
    AUDIT,
    CAPTURE,
    gather_and_score,
    report_options,
    target_dicts,
    write_report_files,
    written_audit,
)
from audit.progress import reporter_of
from audit.runner import ExitStatus, Target, analyse, exit_status, public_settings, write_json_atomic
from audit.settings import Settings, load_settings
from audit.status import fail
from audit.warc import read_capture

# -- engage project run ----------------------------------------------------------------------------------


@dataclass
class ProjectRun:
    """What ``run_project`` did."""

    run_id: int
    out: Path
    status: int
    audit: dict[str, Any]
    changes: list[dict[str, Any]]
    gate_failures: list[str]
    warnings: list[str]


def project_settings(project: Project) -> Settings:
    """Settings for the project's audits (``engage.toml`` and ``ENGAGE_*`` still apply underneath)."""
    opts = dict(project.options)
    if "formats" in opts:
        opts["formats"] = tuple(opts["formats"])
    if "api_bases" in opts:
        opts["api_bases"] = {str(k): str(v) for k, v in opts["api_bases"].items()}
    if "model" in opts and not Path(opts["model"]).is_absolute():
        opts["model"] = str(project.path.parent / opts["model"])
    return load_settings(None, consultant=project.consultant, page_size=project.page_size, **opts)


def project_targets(project: Project) -> list[Target]:
    """The client first, then its competitors (the client never twice)."""
    return [Target(project.client, "client", project.client_name)] + [
        Target(c, "competitor") for c in project.competitors if c != project.client
    ]


def run_project(
    project: Project,
    db: str | None = None,
    out: Path | None = None,
    fail_under: FailUnder | None = None,
    fail_on_regression: bool = False,
    progress: Callable[[str], None] = lambda _m: None,
) -> ProjectRun:
    """Audit, add the history, render, store; then notify and gate. The run is ``running`` until stored.

    The report comes after the history block (it charts the trend), so it is written here, with the
    project's ``[theme]`` and notes over the settings' — and every other report setting (PDF variant,
    page size, consultant) as ``engage audit`` uses it.
    """
    settings = project_settings(project)
    look = replace(settings, theme={**settings.theme, **project.theme}, notes=project.notes)
    targets = project_targets(project)
    recorded = (target_dicts(targets), public_settings(settings))
    with Store(db or project.db or settings.db) as store:
        with store.recorded_run(*recorded, project=project.name) as run:
            stamp = utc_now().replace("-", "").replace(":", "")
            out = out or project.out_root() / f"{stamp}-run{run.id}"
            status = exit_status(gather_and_score(targets, settings, out, progress=progress))
            audit = written_audit(out)
            audit["history"] = build_history(store, audit, run.id, project.name)
            write_json_atomic(out / AUDIT, audit)
            write_report_files(audit, out, report_options(look, out), progress)
            run.finish_with(
                audit,
                status="failed" if status == ExitStatus.ERROR else None,
                out_dir=out.resolve(),
                capture_path=out / CAPTURE,
            )
        reporter_of(progress).stage(None, "done")
        changes = audit["history"]["changes"]
        result = ProjectRun(run.id, out, int(status), audit, changes, [], [])
        notify(project, store, result, out, progress)
    result.gate_failures = gate_failures(
        audit, changes, fail_under or project.fail_under, fail_on_regression or project.fail_on_regression
    )
    if result.gate_failures and status in (ExitStatus.OK, ExitStatus.PARTIAL):
        result.status = int(ExitStatus.GATE_FAILED)
    return result


def notify(
    project: Project, store: Store, result: ProjectRun, out: Path, progress: Callable[[str], None]
) -> None:
    """POST the webhook when levels changed or a channel disappeared; a failure is a warning on the run."""
    from audit.history import webhook

    changes = notable(result.changes)
    if not project.webhook or not changes:
        return
    report = out / "report.pdf"
    body = webhook.payload(
        project.name,
        result.run_id,
        result.audit["history"]["previous_run_id"],
        result.audit,
        changes,
        str(report.resolve()) if report.exists() else str(out.resolve()),
    )
    problem = webhook.post(project.webhook, body)
    if problem:
        result.warnings.append(problem)
        store.add_warning(result.run_id, problem)
        progress(f"warning: {problem}")


def gate_failures(
    audit: dict[str, Any],
    changes: Sequence[dict[str, Any]],
    fail_under: FailUnder | None,
    on_regression: bool,
) -> list[str]:
    """Why the run fails its gates (empty when it passes)."""
    failures = []
    if fail_under is not None:
        problem = fail_under_problem(audit, fail_under)
        if problem:
            failures.append(f"--fail-under: {problem}")
    client = client_of(audit)
    if on_regression and client is not None:
        failures += [
            f"--fail-on-regression: {ch['text']}" for ch in regressions(changes, company_key(client))
        ]
    return failures


# -- engage rescore --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rescore:
    """What ``run_rescore`` did: the stored run it read, the new run, the new ``audit.json``."""

    source_id: int
    run_id: int
    audit: dict[str, Any]


def run_rescore(
    store: Store, source_id: int, model: Any, out: Path | None = None, formats: Sequence[str] = ("json",)
) -> Rescore:
    """Re-score stored run ``source_id``'s capture under ``model`` into a new run (``source_run_id`` set,
    the original crawl times kept). Never re-crawls. With ``out``, ``audit.json`` is written there and
    the report files ``formats`` ask for, as the settings (``engage.toml``, ``ENGAGE_*``) describe them."""
    source = store.run(source_id)
    if source.status not in ("complete", "partial"):
        fail(f"run {source.id} is {source.status}: nothing to re-score")
    capture = Path(source.capture_path or "")
    if not source.capture_path or not capture.is_file():
        fail(f"run {source.id}: its capture {source.capture_path or '(none)'} is gone; cannot re-score")
    if source.capture_sha256 and file_sha256(capture) != source.capture_sha256:
        fail(f"run {source.id}: {capture} changed since the run (SHA-256 differs); cannot re-score")
    original = store.result(source.id)
    targets = [{"url": c["url"], "role": c["role"], "name": c["name"]} for c in original.get("companies", [])]
    with store.recorded_run(
        targets, original.get("settings", {}), project=source.project, source_run_id=source.id
    ) as run:
        captures, crawl = read_capture(capture)
        audit = analyse(captures, model, crawl)
        audit["rescored_from"] = source.id
        if out is not None:
            ensure_dir(out)
            write_json_atomic(out / AUDIT, audit)
            if any(f != "json" for f in formats):
                write_report_files(audit, out, report_options(load_settings(), out, formats))
        run.finish_with(audit, out_dir=out.resolve() if out is not None else None, capture_path=capture)
    return Rescore(source.id, run.id, audit)

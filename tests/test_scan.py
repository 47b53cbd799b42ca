"""Market scans: the generated market, the local pool with SQLite, the store's fences, the benchmark."""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result

from audit.cli import main
from audit.fixture_web import FixtureWeb
from audit.fixture_web.generated import GeneratedMarket, generate_market
from audit.scan.benchmark import percentile_rank
from audit.scan.companies import ScanCompany
from audit.scan.store import MAX_ATTEMPTS, ScanStore

ENGAGE = [str(Path(sys.executable).with_name("engage"))]
DOWN = "gone.test"  # in the companies file, not on the fixture web: a site that is down
MARKET_SIZE = 12  # companies of the generated market the scans run on (and the down one)


def engage(*args: str) -> Result:
    """``engage ARGS`` in this process (its imports are paid once); exit status in ``returncode``."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    result.returncode = result.exit_code  # type: ignore[attr-defined]
    return result


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# --- the generated market --------------------------------------------------------------------------------


def test_generated_market_is_deterministic_and_varied(tmp_path: Path) -> None:
    a = generate_market(40, seed=11, directory=tmp_path / "a")
    b = generate_market(40, seed=11, directory=tmp_path / "b")
    generate_market(40, seed=12, directory=tmp_path / "c")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "c")
    assert [x.host for x in a.companies] == [x.host for x in b.companies]
    assert len({x.host for x in a.companies}) == 40
    assert {x.profile for x in a.companies} == {"leader", "in-between", "broadcaster", "laggard"}
    assert len({x.segment for x in a.companies}) == 4
    leaders = [x for x in a.companies if x.profile == "leader"]
    laggards = [x for x in a.companies if x.profile == "laggard"]
    assert sum(len(x.channels) for x in leaders) / len(leaders) > sum(
        len(x.channels) for x in laggards
    ) / len(laggards)
    rows = list(csv.DictReader(a.csv_path.open(encoding="utf-8")))
    assert [r["url"] for r in rows] == [x.url for x in a.companies]
    web = FixtureWeb(tmp_path / "a")
    assert set(web.hosts) >= {h for x in a.companies for h in x.hosts}


def test_a_large_generated_market_builds(tmp_path: Path) -> None:
    market = generate_market(200, seed=3, directory=tmp_path)
    assert len(market.companies) == 200
    assert len(list((tmp_path / "sites").iterdir())) == sum(len(c.hosts) for c in market.companies)


# --- the companies file ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name,site\nA,http://a.test/\n", "row 1: no 'url' column"),
        ("name,url\nA,http://a.test/\nB,\n", "row 3: empty url"),
        ("name,url\nA,http://a.test/\nB,ftp://b.test/\n", "row 3:"),
        ("name,url\nA,http://a.test/\nA again,https://a.test/x\n", "row 3: a.test is already on row 2"),
        ("name,url\n", "no companies"),
    ],
)
def test_a_bad_companies_file_is_one_line_naming_file_and_row(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "companies.csv"
    path.write_text(text, encoding="utf-8")
    result = engage("scan", str(path), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "s.db"))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"engage: error: {path}: ") and problem in lines[0]


# --- a local scan, end to end ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GeneratedMarket, FixtureWeb]]:
    root = tmp_path_factory.mktemp("market")
    generated = generate_market(MARKET_SIZE, seed=21, directory=root)
    with generated.csv_path.open("a", encoding="utf-8") as fh:
        fh.write(f"Gone Ledger,http://{DOWN}/,accounting\n")
    web = FixtureWeb(root)
    web.start()
    generated.apply_latency(web, 0.02)
    try:
        yield generated, web
    finally:
        web.stop()


@pytest.fixture(scope="module")
def local_scan(
    market: tuple[GeneratedMarket, FixtureWeb], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    generated, web = market
    work = tmp_path_factory.mktemp("scan")
    db = str(work / "scan.db")
    result = engage(
        "scan", str(generated.csv_path), "--out", str(work / "out"), "--db", db,
        "--workers", "2", "--render", "never", "--proxy", web.proxy_url, "--quiet",
    )  # fmt: skip
    return {"result": result, "db": db, "out": work / "out", "work": work}


def scan_id_of(db: str) -> int:
    with ScanStore(db) as store:
        import sqlalchemy as sa

        from audit.scan.store import scans

        with store.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.max(scans.c.id))).scalar_one())


def test_local_scan_stores_one_result_per_company_and_finalizes_once(
    local_scan: dict[str, Any], market: tuple[GeneratedMarket, FixtureWeb]
) -> None:
    generated, _ = market
    result = local_scan["result"]
    assert result.returncode == 3, result.stderr  # partial: one site is down
    assert "1 unreachable, 0 failed" in result.stderr
    scan_id = scan_id_of(local_scan["db"])
    with ScanStore(local_scan["db"]) as store:
        info = store.scan(scan_id)
        results = store.results(scan_id)
        scores = store.scores(scan_id)
    assert info.status == "complete" and info.finalize_runs == 1
    assert info.counts == {"done": MARKET_SIZE + 1}
    assert [r["host"] for r in results] == [c.host for c in generated.companies] + [DOWN]
    assert all(r["writes"] == 1 and r["attempt"] == 1 for r in results)
    down = next(r for r in results if r["host"] == DOWN)["company"]
    assert down["overall"]["score"] is None and any(e["stage"] == "gather" for e in down["errors"])
    scored = [r for r in results if r["host"] != DOWN]
    assert all(r["company"]["overall"]["score"] is not None for r in scored)
    per_host = {(s["host"], s["dimension"]) for s in scores}
    assert ("gone.test", "overall") in per_host and len(per_host) == len(scores)
    leaders = [r for r, c in zip(scored, generated.companies, strict=True) if c.profile == "leader"]
    laggards = [r for r, c in zip(scored, generated.companies, strict=True) if c.profile == "laggard"]
    if leaders and laggards:
        assert max(r["company"]["overall"]["score"] for r in leaders) > min(
            r["company"]["overall"]["score"] for r in laggards
        )


def test_benchmark_files_hold_the_markets_percentiles(local_scan: dict[str, Any]) -> None:
    out: Path = local_scan["out"]
    for name in ("benchmark.csv", "benchmark.parquet", "leaderboard.csv", "scan.json", "market.pdf"):
        assert (out / name).is_file(), name
    assert (out / "market.pdf").read_bytes().startswith(b"%PDF-")
    table = pd.read_csv(out / "benchmark.csv")
    assert table.equals(pd.read_parquet(out / "benchmark.parquet").astype(table.dtypes.to_dict()))
    board = list(csv.DictReader((out / "leaderboard.csv").open(encoding="utf-8")))
    overall = [float(r["score"]) for r in board if r["score"]]
    assert len(overall) == MARKET_SIZE
    row = table[(table.segment == "all") & (table.kind == "score") & (table.name == "overall")].iloc[0]
    for column, q in (("p10", 10), ("p25", 25), ("median", 50), ("p75", 75), ("p90", 90)):
        assert row[column] == pytest.approx(np.percentile(overall, q), abs=0.01)
    assert row["n"] == MARKET_SIZE
    # adoption: the share of reachable companies with an FAQ, from the stored channels
    with ScanStore(local_scan["db"]) as store:
        results = store.results(scan_id_of(local_scan["db"]))
    reachable = [r["company"] for r in results if r["company"]["overall"]["score"] is not None]
    faq = sum(1 for c in reachable if c["channels"]["faq"]) / len(reachable)
    adoption = table[(table.segment == "all") & (table.kind == "adoption") & (table.name == "faq")]
    assert adoption.iloc[0]["share"] == pytest.approx(faq, abs=1e-4)
    levels = table[(table.segment == "all") & (table.kind == "level")]
    assert levels["count"].sum() == MARKET_SIZE
    segments = set(table.segment)
    assert segments == {"all", "accounting", "payroll", "invoicing", "expenses"}
    ranks = [int(r["rank"]) for r in board if r["rank"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert board[-1]["host"] == DOWN and board[-1]["level_name"] == "unreachable"


def test_scan_status_and_report_read_the_store(local_scan: dict[str, Any], tmp_path: Path) -> None:
    scan_id = scan_id_of(local_scan["db"])
    status = engage("scan", "status", str(scan_id), "--db", local_scan["db"], "--format", "json")
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    assert data["status"] == "complete" and data["stored"] == data["total"] == MARKET_SIZE + 1
    again = engage("scan", "report", str(scan_id), "--db", local_scan["db"], "--out", str(tmp_path))
    assert again.returncode == 0, again.stderr
    for name in ("benchmark.csv", "leaderboard.csv"):
        assert (tmp_path / name).read_bytes() == (local_scan["out"] / name).read_bytes()
    missing = engage("scan", "status", "999", "--db", local_scan["db"])
    assert missing.returncode == 2 and "scan 999 not found" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


def test_audit_places_a_client_against_a_stored_benchmark(
    local_scan: dict[str, Any], market: tuple[GeneratedMarket, FixtureWeb], tmp_path: Path
) -> None:
    generated, web = market
    client = generated.companies[0]
    scan_id = scan_id_of(local_scan["db"])
    result = engage(
        "audit", client.url, "--out", str(tmp_path), "--format", "json", "--render", "never",
        "--proxy", web.proxy_url, "--db", local_scan["db"], "--benchmark", str(scan_id), "--quiet",
    )  # fmt: skip
    assert result.returncode in (0, 3), result.stderr
    audit = json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))
    market_view = audit["market"]
    assert market_view["scan_id"] == scan_id and market_view["segment"] == client.segment
    overall = next(s for s in market_view["scores"] if s["name"] == "overall")
    with ScanStore(local_scan["db"]) as store:
        values = store.benchmark(scan_id)["segments"][client.segment]["values"]["overall"]
    assert overall["percentile"] == percentile_rank(values, overall["score"])
    assert f"market scan {scan_id}" in result.stderr
    unknown = engage(
        "audit", client.url, "--out", str(tmp_path / "x"), "--db", local_scan["db"], "--benchmark", "77"
    )
    assert unknown.returncode == 2 and "--benchmark 77" in unknown.stderr


def test_resume_runs_only_the_companies_not_stored(
    market: tuple[GeneratedMarket, FixtureWeb], tmp_path: Path
) -> None:
    from audit.scan.jobs import audit_company

    generated, web = market
    db, out = str(tmp_path / "scan.db"), tmp_path / "out"
    few = tmp_path / "few.csv"
    few.write_text(
        "name,url,segment\n" + "".join(f"{c.name},{c.url},{c.segment}\n" for c in generated.companies[:2]),
        encoding="utf-8",
    )
    from audit.scan.companies import read_companies
    from audit.settings import load_settings

    settings = load_settings(None, render="never", proxy=web.proxy_url)
    with ScanStore(db) as store:
        overrides = {k: v for k, v in settings.__dict__.items() if k not in ("theme", "db")}
        scan_id = store.create_scan(read_companies(few), overrides, str(few.resolve()), str(out.resolve()))
        assert audit_company(store, scan_id, generated.companies[0].host) == "stored"
        assert audit_company(store, scan_id, generated.companies[0].host) == "skipped"  # delivered twice
    result = engage("scan", str(few), "--out", str(out), "--db", db, "--resume", "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert f"scan {scan_id}: resuming (1 already stored)" in result.stderr
    with ScanStore(db) as store:
        assert [r["writes"] for r in store.results(scan_id)] == [1, 1]
        assert store.scan(scan_id).finalize_runs == 1


# --- the store's fences, on SQLite and PostgreSQL ----------------------------------------------------------


def dead_owner(tag: str) -> str:
    """A lease owner of this machine whose process has ended (its lease may be taken over)."""
    done = subprocess.run(["true"], check=True)
    assert done.returncode == 0
    proc = subprocess.Popen(["true"])
    proc.wait()
    return f"{socket.gethostname()}:{proc.pid}:{tag}"


def fence_checks(store: ScanStore) -> None:
    companies = [ScanCompany(f"c{i}.test", f"C{i}", f"http://c{i}.test/", "s") for i in range(2)]
    scan_id = store.create_scan(companies, {}, "mem", "")
    company = {"overall": {"score": 50.0, "level": 3}, "dimensions": [{"id": "presence", "score": 40.0}]}
    first = store.claim(scan_id, "c0.test", dead_owner("a"))
    assert not isinstance(first, str) and first.attempt == 1
    second = store.claim(scan_id, "c0.test", dead_owner("b"))  # a redelivery: the first job died
    assert not isinstance(second, str) and second.attempt == 2
    assert store.store_result(first, company) is False  # the stale attempt writes nothing
    assert store.results(scan_id) == []
    assert store.store_result(second, company) is True
    assert store.claim(scan_id, "c0.test", "host:3:c") == "stored"
    assert store.finalize(scan_id, {"segments": {}}) is False  # c1 is still open
    for attempt in range(1, MAX_ATTEMPTS + 1):
        claim = store.claim(scan_id, "c1.test", "host:4:d")
        assert not isinstance(claim, str) and claim.attempt == attempt
        expected = "failed" if attempt == MAX_ATTEMPTS else "pending"
        assert store.attempt_failed(claim, "boom") == expected
    assert store.claim(scan_id, "c1.test", "host:4:d") == "stored"
    assert store.finalize(scan_id, {"segments": {}}) is True
    assert store.finalize(scan_id, {"segments": {}}) is False
    info = store.scan(scan_id)
    assert info.finalize_runs == 1 and info.counts == {"done": 1, "failed": 1}
    assert [s["dimension"] for s in store.scores(scan_id)] == ["overall", "presence"]


def test_store_fences_attempts_on_sqlite(tmp_path: Path) -> None:
    with ScanStore(str(tmp_path / "s.db")) as store:
        fence_checks(store)
        scan_id = store.create_scan([ScanCompany("x.test", "X", "http://x.test/", "s")], {}, "mem", "")
        mine = f"{socket.gethostname()}:{os.getpid()}:me"
        assert not isinstance(store.claim(scan_id, "x.test", mine), str)
        assert store.claim(scan_id, "x.test", "elsewhere:1:other") == "busy"  # a live lease is kept


@pytest.mark.postgres
def test_store_fences_attempts_and_leases_on_postgres(postgres_url: str) -> None:
    with ScanStore(postgres_url) as store, ScanStore(postgres_url) as other:
        fence_checks(store)
        scan_id = store.create_scan([ScanCompany("x.test", "X", "http://x.test/", "s")], {}, "mem", "")
        with store.lease(scan_id, "x.test") as held:
            assert held
            with other.lease(scan_id, "x.test") as again:
                assert again is False  # a second job for the company waits for the first
        with other.lease(scan_id, "x.test") as after:
            assert after


# --- Celery + Redis + PostgreSQL ----------------------------------------------------------------------------


def comparable(company: dict[str, Any]) -> dict[str, Any]:
    """What two scans of the same market must agree on: every channel found and every dimension score
    but the one that follows page timings (responsiveness scores time to first byte, which a busy
    machine moves between runs), and the errors' stages."""
    return {
        "channels": {k: sorted(i["url"] for i in v) for k, v in company["channels"].items()},
        "dimensions": {d["id"]: d["score"] for d in company["dimensions"] if d["id"] != "responsiveness"},
        "gathered": not any(e["stage"] == "gather" for e in company["errors"]),
    }


def wait_for(predicate: Any, what: str, timeout: float = 180.0) -> None:
    """Poll ``predicate`` until true (the timeout is only a safety net: it fails the test)."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def start_worker(redis_url: str, log: Path) -> subprocess.Popen[bytes]:
    # a killed worker's jobs come back after ~20 s; a company job may take 13 s (a busy machine)
    env = {**os.environ, "ENGAGE_VISIBILITY_TIMEOUT": "20"}
    with log.open("wb") as out:
        return subprocess.Popen(
            [*ENGAGE, "worker", "--broker", redis_url, "--queues", "audit", "--concurrency", "2"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group: the test kills the worker and its children
        )


@pytest.mark.postgres
@pytest.mark.redis
def test_celery_workers_survive_a_sigkill_with_one_result_per_company(
    redis_url: str,
    postgres_url: str,
    market: tuple[GeneratedMarket, FixtureWeb],
    local_scan: dict[str, Any],
    tmp_path: Path,
) -> None:
    import signal

    generated, web = market
    workers = [start_worker(redis_url, tmp_path / f"worker-{i}.log") for i in range(2)]
    try:
        sent = engage(
            "scan", str(generated.csv_path), "--out", str(tmp_path / "out"), "--db", postgres_url,
            "--broker", redis_url, "--render", "never", "--proxy", web.proxy_url, "--no-wait",
        )  # fmt: skip
        assert sent.returncode == 0, sent.stderr
        scan_id = int(sent.stdout.strip().splitlines()[-1])
        assert f"{MARKET_SIZE + 1} job(s) sent" in sent.stderr
        with ScanStore(postgres_url) as store:

            def auditing_in_first_worker() -> set[str]:
                """Lease owners (host:pid:…) of companies the first worker's processes are auditing."""
                owners = set()
                for row in store.companies(scan_id, statuses=("running",)):
                    pid = int(row["lease_owner"].split(":")[1])
                    try:
                        if os.getpgid(pid) == workers[0].pid:
                            owners.add(row["lease_owner"])
                    except ProcessLookupError:
                        continue
                return owners

            wait_for(
                lambda: store.scan(scan_id).stored >= 5 and auditing_in_first_worker(),
                "5 companies stored and one being audited by the first worker",
            )
            owners = auditing_in_first_worker()
            os.killpg(workers[0].pid, signal.SIGKILL)  # the worker and its pool processes, mid-job
            workers[0].wait(timeout=30)
            killed = {r["host"] for r in store.companies(scan_id, ("running",)) if r["lease_owner"] in owners}
            assert killed, "the first worker's jobs finished before the kill"
            wait_for(lambda: store.scan(scan_id).status == "complete", "the scan to be finalized")
            info = store.scan(scan_id)
            results = store.results(scan_id)
        assert info.finalize_runs == 1 and info.counts == {"done": MARKET_SIZE + 1}
        assert sorted(r["host"] for r in results) == sorted([*(c.host for c in generated.companies), DOWN])
        assert all(r["writes"] == 1 for r in results)  # each company stored exactly once
        assert all(r["attempt"] >= 2 for r in results if r["host"] in killed)  # redelivered, audited again
        wait_for(lambda: (tmp_path / "out" / "market.pdf").is_file(), "the finalize's files")
        with ScanStore(local_scan["db"]) as local:
            baseline = {
                r["host"]: comparable(r["company"]) for r in local.results(scan_id_of(local_scan["db"]))
            }
        assert {r["host"]: comparable(r["company"]) for r in results} == baseline
    finally:
        for proc in workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=30)


@pytest.mark.redis
def test_the_redis_gate_spaces_a_shared_hosts_requests_across_clients(redis_url: str) -> None:
    from audit.scan.gate import RedisGate, shared_hosts

    hosts = shared_hosts({"github": "http://github.api.test"}, {"api.github.com": 60.0})
    assert hosts == {"api.github.com": 60.0, "github.api.test": 60.0}  # a stand-in keeps the API's limit
    waits: list[float] = []
    one = RedisGate(redis_url, hosts, prefix="engage:test-gate:", sleep=waits.append)
    two = RedisGate(redis_url, hosts, prefix="engage:test-gate:", sleep=waits.append)
    assert one.covers("GitHub.api.test") and not one.covers("acme.test")
    slots = [next(iter((one if i % 2 else two).slots("github.api.test", 1))) for i in range(6)]
    assert [b - a for a, b in itertools.pairwise(slots)] == [60_000] * 5  # turns a minute apart, shared
    one.wait("github.api.test")  # the seventh request waits for its turn (``sleep`` records it)
    assert len(waits) == 1 and 5 * 60 < waits[0] <= 6 * 60

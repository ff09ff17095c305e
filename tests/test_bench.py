"""The benchmark runs end to end at a tiny size (no timing assertions)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import run
from bench.workload import STEPS


def test_bench_prints_every_step(capsys: pytest.CaptureFixture[str]) -> None:
    assert run.main(["--rows", "2000", "--keys", "20", "--path", ":memory:"]) == 0
    out = capsys.readouterr().out
    assert "N=2,000 rows, 20 keys" in out
    for header in ("heliosql s", "DuckDB s", "ratio", "target"):
        assert header in out
    lines = out.splitlines()
    for step in STEPS:
        assert any(line.startswith(step.name + " ") for line in lines), step.name
    assert "history approx_bytes" in out
    assert re.search(r"Q1 answers equal\s+yes", out)


def test_bench_file_databases(tmp_path: Path) -> None:
    target = tmp_path / "dbs"
    assert run.main(["--rows", "500", "--keys", "5", "--path", str(target)]) == 0
    assert (target / "heliosql.duckdb").exists() and (target / "plain.duckdb").exists()
    assert run.main(["--rows", "500", "--keys", "5", "--path", str(target)]) == 2


def test_sql_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.sql import main as sql_main

    assert sql_main(["--rows", "500", "--repeat", "5"]) == 0
    out = capsys.readouterr().out
    for line in ("cached statement", "new 30-line query", "flashback key query through SQL",
                 "executemany INSERT"):
        assert line in out


def test_writes_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.writes import main as writes_main

    assert writes_main(["--rows", "800", "--repeat", "3", "--transactions", "4",
                        "--per-thread", "3"]) == 0
    out = capsys.readouterr().out
    for line in ("UPDATE one row by key", "transfer: two UPDATEs and COMMIT",
                 "executemany UPDATE of 100 rows", "transfers from 4 threads",
                 "4 change transactions", "FLASHBACK TABLE to the middle",
                 "transfer, journal on vs off"):
        assert line in out
    assert re.search(r"final tables equal after FLASHBACK TABLE\s+yes", out)
    assert "WRONG RESULT" not in out


def test_constraints_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.constraints import main as constraints_main

    assert constraints_main(["--rows", "500", "--repeat", "3"]) == 0
    out = capsys.readouterr().out
    for line in ("update round (10% of rows) of a column with a CHECK",
                 "INSERT one row (autocommit)", "UPDATE one row by key (autocommit)"):
        assert line in out

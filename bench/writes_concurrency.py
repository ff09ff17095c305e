"""Transfer transactions from several threads: commits per second and their latency.

Each thread has its own DB-API connection to one database file and commits
small transactions (two UPDATEs of random accounts, then COMMIT). heliosql runs
them with 1 and with 4 threads; plain DuckDB with 1 thread, the baseline (its
optimistic concurrency control would fail transfers that touch a row another
thread changed). Afterwards every transfer must be there: the balances add up
and the SCN advanced once per commit.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

import heliosql


@dataclass(frozen=True, slots=True)
class Throughput:
    """Commits per second and the median latency of one transaction, in milliseconds."""

    per_second: float
    p50_ms: float
    correct: bool


def heliosql_transfers(path: Path, rows: int, threads: int, per_thread: int) -> Throughput:
    setup = heliosql.connect(path, autocommit=True)
    setup.execute("CREATE TABLE acct (id NUMBER(18) PRIMARY KEY, balance NUMBER(18))")
    setup.execute(f"INSERT INTO acct SELECT range, 1000 FROM range({rows})")
    start_scn = setup.execute("SELECT current_scn FROM v$database").fetchone()[0]
    latencies: list[float] = []
    lock = threading.Lock()

    def work(seed: int) -> None:
        rng = random.Random(seed)
        mine: list[float] = []
        with heliosql.connect(path) as conn:
            cur = conn.cursor()
            for _ in range(per_thread):
                a, b = rng.sample(range(rows), 2)
                began = time.perf_counter()
                cur.execute("UPDATE acct SET balance = balance - 1 WHERE id = :id", {"id": a})
                cur.execute("UPDATE acct SET balance = balance + 1 WHERE id = :id", {"id": b})
                conn.commit()
                mine.append(time.perf_counter() - began)
        with lock:
            latencies.extend(mine)

    elapsed = _run_threads(work, threads)
    total = setup.execute("SELECT sum(balance) FROM acct").fetchone()[0]
    scns = setup.execute("SELECT current_scn FROM v$database").fetchone()[0] - start_scn
    setup.close()
    correct = total == rows * 1000 and scns == threads * per_thread
    return Throughput(threads * per_thread / elapsed, statistics.median(latencies) * 1000,
                      correct)


def plain_transfers(path: Path, rows: int, count: int) -> Throughput:
    db = duckdb.connect(str(path))
    db.execute("CREATE TABLE acct (id BIGINT PRIMARY KEY, balance BIGINT)")
    db.execute(f"INSERT INTO acct SELECT range, 1000 FROM range({rows})")
    rng = random.Random(1)
    latencies = []
    began_all = time.perf_counter()
    for _ in range(count):
        a, b = rng.sample(range(rows), 2)
        began = time.perf_counter()
        db.execute("BEGIN")
        db.execute("UPDATE acct SET balance = balance - 1 WHERE id = $id", {"id": a})
        db.execute("UPDATE acct SET balance = balance + 1 WHERE id = $id", {"id": b})
        db.execute("COMMIT")
        latencies.append(time.perf_counter() - began)
    elapsed = time.perf_counter() - began_all
    correct = db.execute("SELECT sum(balance) FROM acct").fetchone()[0] == rows * 1000
    db.close()
    return Throughput(count / elapsed, statistics.median(latencies) * 1000, correct)


def _run_threads(work: object, threads: int) -> float:
    pool = [threading.Thread(target=work, args=(seed,)) for seed in range(threads)]
    began = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.perf_counter() - began

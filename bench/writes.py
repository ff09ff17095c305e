"""Writes from Python: heliosql's DB-API beside plain DuckDB's, in the same run.

Run: ``.venv/bin/python -m bench.writes [--rows N] [--repeat R] [--transactions T]``.
Every database is a file in a temporary directory, so commits pay for DuckDB's
write-ahead log. Single statements are timed in alternating rounds (best round
kept), so a drift of the machine's speed favours neither side. The steps:

- one-row UPDATE, DELETE and INSERT by key, and a transfer (two UPDATEs and a
  COMMIT), against the same statements on plain DuckDB;
- ``executemany`` of 1,000 UPDATEs, DELETEs and INSERTs, against plain DuckDB
  doing the same rows set-based (one statement over an Arrow table);
- transfers committed by 1 and by 4 threads, against one thread on plain DuckDB
  (milliseconds of wall time per committed transaction);
- the peer workload (``writes_workload.py``): N accounts, T change transactions
  written with ``executemany``, FLASHBACK TABLE to the middle, bytes on disk;
- what statement-level rollback costs a transaction without errors: the same
  transactions with the journal (``storage/journal.py``) off and on.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
from tabulate import tabulate

from heliosql.dbapi import Connection
from heliosql.storage import TemporalEngine

from . import writes_concurrency, writes_workload

Work = Callable[[], object]


@dataclass(frozen=True, slots=True)
class Measured:
    """One step: milliseconds per operation for heliosql and for the baseline."""

    step: str
    helios_ms: float
    baseline_ms: float
    baseline: str
    target: float | None = None  # the largest ratio allowed
    unit: str = "ms"


def _ms(fn: Work, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat * 1000


def paired(first: Work, second: Work, repeat: int, rounds: int = 5) -> tuple[float, float]:
    """Best-of-``rounds`` milliseconds per call of two ways of doing the same work,
    their rounds alternated."""
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for i, fn in enumerate((first, second)):
            best[i] = min(best[i], _ms(fn, repeat))
    return best[0], best[1]


def _setup(rows: int, directory: Path) -> tuple[duckdb.DuckDBPyConnection, Connection]:
    plain = duckdb.connect(str(directory / "plain.duckdb"))
    plain.execute("CREATE TABLE acct (id BIGINT PRIMARY KEY, balance BIGINT)")
    plain.execute(f"INSERT INTO acct SELECT range, 1000 FROM range({rows})")
    helios = Connection(TemporalEngine(directory / "heliosql.duckdb"), autocommit=True)
    helios.execute("CREATE TABLE acct (id NUMBER(18) PRIMARY KEY, balance NUMBER(18))")
    helios.execute(f"INSERT INTO acct SELECT range, 1000 FROM range({rows})")
    return plain, helios


def measure(rows: int, repeat: int, directory: Path) -> list[Measured]:
    """Every step, heliosql and its baseline timed in alternating rounds."""
    plain, helios = _setup(rows, directory)
    engine = helios.engine
    keys = itertools.cycle(range(rows))
    update = "UPDATE acct SET balance = balance + 1 WHERE id = "
    cur = helios.cursor()

    def plain_transfer() -> None:
        a, b = next(keys), next(keys)
        plain.execute("BEGIN")
        plain.execute("UPDATE acct SET balance = balance - 1 WHERE id = $id", {"id": a})
        plain.execute("UPDATE acct SET balance = balance + 1 WHERE id = $id", {"id": b})
        plain.execute("COMMIT")

    def helios_transfer() -> None:
        a, b = next(keys), next(keys)
        cur.execute("BEGIN")
        cur.execute("UPDATE acct SET balance = balance - 1 WHERE id = :id", {"id": a})
        cur.execute("UPDATE acct SET balance = balance + 1 WHERE id = :id", {"id": b})
        cur.execute("COMMIT")

    def helios_ten_statements() -> None:
        cur.execute("BEGIN")
        for _ in range(10):
            cur.execute(update + ":id", {"id": next(keys)})
        cur.execute("COMMIT")

    def journal(enabled: bool, work: Work) -> Work:
        def run() -> object:
            engine.statement_rollback = enabled
            return work()
        return run

    out = []
    h, p = paired(lambda: cur.execute(update + ":id", {"id": next(keys)}),
                  lambda: plain.execute(update + "$id", {"id": next(keys)}), repeat)
    out.append(Measured("UPDATE one row by key (autocommit)", h, p, "DuckDB", 2.0))
    # Each side inserts (and then deletes) keys of its own.
    mine, theirs = itertools.count(rows), itertools.count(rows)
    h, p = paired(lambda: cur.execute("INSERT INTO acct VALUES (:id, 1)", {"id": next(mine)}),
                  lambda: plain.execute("INSERT INTO acct VALUES ($id, 1)",
                                        {"id": next(theirs)}), repeat)
    out.append(Measured("INSERT one row (autocommit)", h, p, "DuckDB", 2.0))
    mine, theirs = itertools.count(rows), itertools.count(rows)
    h, p = paired(lambda: cur.execute("DELETE FROM acct WHERE id = :id", {"id": next(mine)}),
                  lambda: plain.execute("DELETE FROM acct WHERE id = $id", {"id": next(theirs)}),
                  repeat)
    out.append(Measured("DELETE one row by key (autocommit)", h, p, "DuckDB", 2.0))
    h, p = paired(helios_transfer, plain_transfer, repeat)
    out.append(Measured("transfer: two UPDATEs and COMMIT", h, p, "DuckDB", 2.0))
    out += _executemany(cur, plain, rows)
    on, off = paired(journal(True, helios_transfer), journal(False, helios_transfer), repeat)
    out.append(Measured("transfer, journal on vs off", on, off, "heliosql, no journal", 1.05))
    on, off = paired(journal(True, helios_ten_statements),
                     journal(False, helios_ten_statements), max(repeat // 10, 3))
    out.append(Measured("10 UPDATEs and COMMIT, journal on vs off", on, off,
                        "heliosql, no journal", 1.05))
    engine.statement_rollback = True
    helios.close()
    plain.close()
    return out


def _executemany(cur: object, plain: duckdb.DuckDBPyConnection, rows: int) -> list[Measured]:
    """executemany of 1,000 rows against plain DuckDB's one set-based statement."""
    size = min(1000, rows // 8)
    stride = max(rows // size, 1)
    keys = [i * stride for i in range(size)]
    fresh = itertools.count(10 * rows)
    rounds = 3

    def set_based(sql: str, sets: list[dict]) -> None:
        plain.register("batch", pa.Table.from_pylist(sets))
        plain.execute(sql)
        plain.unregister("batch")

    def new_rows() -> list[dict]:
        return [{"id": next(fresh), "balance": 1} for _ in range(size)]

    updates = [{"id": k, "balance": k % 97} for k in keys]
    inserts = [(new_rows(), new_rows()) for _ in range(rounds)]
    deletes = [([{"id": k + d} for k in keys], [{"id": k + d + rounds} for k in keys])
               for d in range(1, rounds + 1)]
    steps = [
        ("UPDATE", lambda: updates, lambda: updates,
         "UPDATE acct SET balance = :balance WHERE id = :id",
         "UPDATE acct SET balance = b.balance FROM batch b WHERE acct.id = b.id"),
        ("INSERT", lambda: inserts[-1][0], lambda: inserts.pop()[1],
         "INSERT INTO acct VALUES (:id, :balance)", "INSERT INTO acct SELECT * FROM batch"),
        ("DELETE", lambda: deletes[-1][0], lambda: deletes.pop()[1],
         "DELETE FROM acct WHERE id = :id",
         "DELETE FROM acct WHERE id IN (SELECT id FROM batch)"),
    ]
    out = []
    for verb, mine, theirs, sql, plain_sql in steps:
        h, p = paired(lambda m=mine, q=sql: cur.executemany(q, m()),
                      lambda t=theirs, q=plain_sql: set_based(q, t()), 1, rounds=rounds)
        out.append(Measured(f"executemany {verb} of {size:,} rows", h, p, "DuckDB set-based",
                            3.0))
    return out


def render(results: list[Measured], rows: int, workload: writes_workload.WorkloadResult,
           transactions: int) -> str:
    table = []
    for m in results:
        ratio = m.helios_ms / m.baseline_ms if m.baseline_ms else float("inf")
        met = "" if m.target is None else ("yes" if ratio <= m.target else "NO")
        table.append((m.step, f"{m.helios_ms:.3f}", f"{m.baseline_ms:.3f}", m.unit, m.baseline,
                      f"{ratio:.2f}x", f"<= {m.target:g}x" if m.target else "", met))
    headers = ("step", "heliosql", "baseline", "unit", "baseline is", "ratio", "target", "met")
    sizes = workload.bytes
    facts = [
        ("workload: final tables equal after FLASHBACK TABLE",
         "yes" if workload.equal else "NO"),
        *((f"workload: bytes on disk, {name}", f"{size:,}") for name, size in sizes.items()),
        ("workload: heliosql bytes / bare DuckDB bytes",
         f"{sizes['heliosql'] / sizes['bare']:.2f}x (target <= 2.5x)"),
    ]
    return (f"writes from Python: {rows:,} rows, database files; workload of "
            f"{transactions} change transactions\n\n"
            + tabulate(table, headers=headers, disable_numparse=True) + "\n\n"
            + tabulate(facts, headers=("fact", "value"), disable_numparse=True) + "\n")


def concurrency(directory: Path, rows: int, per_thread: int) -> list[Measured]:
    """Transfers from 1 and 4 threads against 1 thread of plain DuckDB (ms per commit)."""
    plain = writes_concurrency.plain_transfers(directory / "threads-plain.duckdb", rows,
                                               4 * per_thread)
    out = []
    for threads in (1, 4):
        mine = writes_concurrency.heliosql_transfers(
            directory / f"threads-{threads}.duckdb", rows, threads, per_thread)
        label = (f"transfers from {threads} thread{'s' if threads > 1 else ''}: wall ms per "
                 f"commit (p50 latency {mine.p50_ms:.1f} ms)"
                 + ("" if mine.correct else " WRONG RESULT"))
        out.append(Measured(label, 1000 / mine.per_second, 1000 / plain.per_second,
                            "DuckDB, 1 thread", 2.0))
    return out


def workload_rows(result: writes_workload.WorkloadResult) -> list[Measured]:
    targets = {"FLASHBACK TABLE to the middle": 1.0}
    return [Measured(step, h * 1000, p * 1000, f"DuckDB ({which})", targets.get(step))
            for step, (h, p, which) in result.seconds.items()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.writes",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the tables")
    parser.add_argument("--repeat", type=int, default=200, help="operations per round")
    parser.add_argument("--transactions", type=int, default=50,
                        help="change transactions of the workload")
    parser.add_argument("--per-thread", type=int, default=200,
                        help="transfers each thread commits")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="heliosql-bench-") as directory:
        where = Path(directory)
        results = measure(args.rows, args.repeat, where)
        results += concurrency(where, args.rows, args.per_thread)
        workload = writes_workload.run(where, args.rows, args.transactions)
        results += workload_rows(workload)
    print(render(results, args.rows, workload, args.transactions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

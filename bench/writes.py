"""Writes from Python: heliosql's DB-API beside plain DuckDB's, in the same run.

Run: ``.venv/bin/python -m bench.writes [--rows N] [--repeat R]``. Both databases
are files in a temporary directory, so commits pay for DuckDB's write-ahead log.
Each step is timed in alternating rounds (best round kept), so a drift of the
machine's speed favours neither side.

Statement-level rollback keeps a journal of each transaction's DuckDB calls
(``storage/journal.py``); the last rows measure its cost on transactions
without errors, the same engine with the journal off and on. Target: at most 5%.
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
from tabulate import tabulate

from heliosql.dbapi import Connection
from heliosql.storage import TemporalEngine

Work = Callable[[], object]


@dataclass(frozen=True, slots=True)
class Measured:
    """One step: milliseconds per operation for heliosql and for the baseline."""

    step: str
    helios_ms: float
    baseline_ms: float
    baseline: str
    target: float | None = None  # the largest ratio allowed


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
    fresh = itertools.count(rows)
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
    h, p = paired(lambda: cur.execute("INSERT INTO acct VALUES (:id, 1)", {"id": next(fresh)}),
                  lambda: plain.execute("INSERT INTO acct VALUES ($id, 1)",
                                        {"id": next(fresh)}), repeat)
    out.append(Measured("INSERT one row (autocommit)", h, p, "DuckDB", 2.0))
    h, p = paired(helios_transfer, plain_transfer, repeat)
    out.append(Measured("transfer: two UPDATEs and COMMIT", h, p, "DuckDB", 2.0))
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


def render(results: list[Measured], rows: int) -> str:
    table = []
    for m in results:
        ratio = m.helios_ms / m.baseline_ms if m.baseline_ms else float("inf")
        met = "" if m.target is None else ("yes" if ratio <= m.target else "NO")
        table.append((m.step, f"{m.helios_ms:.3f}", f"{m.baseline_ms:.3f}", m.baseline,
                      f"{ratio:.2f}x", f"<= {m.target:g}x" if m.target else "", met))
    headers = ("step", "heliosql ms", "baseline ms", "baseline", "ratio", "target", "met")
    return (f"writes from Python: {rows:,} rows, database files\n\n"
            + tabulate(table, headers=headers, disable_numparse=True) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.writes",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the table")
    parser.add_argument("--repeat", type=int, default=200, help="operations per round")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="heliosql-bench-") as directory:
        print(render(measure(args.rows, args.repeat, Path(directory)), args.rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

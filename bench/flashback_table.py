"""``python -m bench.flashback_table [--rows N] [--repeat R]``: FLASHBACK TABLE vs an update round.

Loads N rows into ``accounts(id, balance, status, note)`` in a file database
(in a temporary directory), then, R times: one update round through SQL that
changes 10% of the rows (``id % 10 = 0``), timed, and ``FLASHBACK TABLE
accounts TO SCN <before the round>``, timed. Target: the flashback
takes at most 3x the update round. Each flashback is checked against ``AS OF``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb
from tabulate import tabulate

import heliosql

TARGET_RATIO = 3.0
UPDATE = "UPDATE accounts SET balance = balance + 1, status = :status WHERE MOD(id, 10) = 0"
FLASHBACK = "FLASHBACK TABLE accounts TO SCN :scn"
DIFFERENCE = ("SELECT count(*) FROM (SELECT * FROM accounts EXCEPT ALL "
              "SELECT * FROM accounts AS OF SCN :scn)")


def _load(conn: heliosql.Connection, rows: int) -> None:
    conn.execute("CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance DECIMAL(18,2), "
                 "status VARCHAR, note VARCHAR)")
    data = duckdb.sql(
        "SELECT i::BIGINT AS id, (i % 1000)::DECIMAL(18,2) AS balance, 'open' AS status, "
        f"'note ' || i AS note FROM range({rows}) AS r(i)").to_arrow_table()
    conn.engine.insert_batch("accounts", data)  # the load is not what is measured


def _timed(conn: heliosql.Connection, sql: str, params: dict) -> tuple[float, int]:
    start = time.perf_counter()
    cur = conn.execute(sql, params)
    return time.perf_counter() - start, cur.rowcount


def _measure(path: str, rows: int, repeat: int) -> tuple[list[list[object]], bool]:
    """Table rows (one per repeat) and whether every flashback equalled AS OF."""
    table: list[list[object]] = []
    correct = True
    with heliosql.connect(path, autocommit=True) as conn:
        _load(conn, rows)
        for r in range(1, repeat + 1):
            scn = conn.execute("SELECT current_scn FROM v$database").fetchone()[0]
            update_s, updated = _timed(conn, UPDATE, {"status": f"r{r}"})
            flashback_s, changed = _timed(conn, FLASHBACK, {"scn": scn})
            left = conn.execute(DIFFERENCE, {"scn": scn}).fetchone()[0]
            correct = correct and left == 0 and changed == updated
            table.append([f"round {r}", updated, update_s, flashback_s,
                          flashback_s / update_s])
    return table, correct


def main(argv: Sequence[str] | None = None) -> int:
    """Run the measurement and print one table; returns the exit status (1 if wrong)."""
    parser = argparse.ArgumentParser(prog="python -m bench.flashback_table",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in accounts (N)")
    parser.add_argument("--repeat", type=int, default=3, help="update + flashback rounds")
    args = parser.parse_args(argv)
    if args.rows < 10 or args.repeat < 1:
        parser.error("--rows must be at least 10 and --repeat at least 1")
    with tempfile.TemporaryDirectory(prefix="heliosql-bench-") as directory:
        table, correct = _measure(str(Path(directory) / "flashback.duckdb"), args.rows,
                                  args.repeat)
    update_median = statistics.median(row[2] for row in table)  # type: ignore[misc]
    flashback_median = statistics.median(row[3] for row in table)  # type: ignore[misc]
    ratio = flashback_median / update_median
    table.append(["median", "", update_median, flashback_median, ratio])
    print(f"FLASHBACK TABLE after a 10% update round, N={args.rows:,} rows (file database)")
    print(tabulate(table, headers=("", "rows updated", "update round s", "FLASHBACK TABLE s",
                                   "ratio"), floatfmt=".3f"))
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(f"target: FLASHBACK TABLE <= {TARGET_RATIO:g}x the update round: {verdict} "
          f"({ratio:.2f}x)")
    print(f"flashback state equals AS OF: {'yes' if correct else 'NO'}")
    return 0 if correct else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m bench.backout [--rows N] [--changed M] [--path file|:memory:]``.

Loads N rows (default 100,000) into a table with a primary key, commits one
transaction that updates M of them (default 10,000), then times
``FLASHBACK TRANSACTION xid BACKOUT`` of that transaction (target: under one
second for 10,000 rows) and checks the table is back as it was.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

import heliosql

TARGET_SECONDS = 1.0


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.backout",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows to load (N)")
    parser.add_argument("--changed", type=int, default=10_000,
                        help="rows the backed-out transaction updates")
    parser.add_argument("--path", default="file", help="'file' (a temporary file) or ':memory:'")
    args = parser.parse_args(argv)
    if args.rows < 1 or not 1 <= args.changed <= args.rows:
        parser.error("need 1 <= --changed <= --rows")
    return args


def _run(database: str, rows: int, changed: int) -> dict[str, float | bool]:
    with heliosql.connect(database, autocommit=True) as conn:
        cur = conn.cursor()
        cur.execute("CREATE TABLE acct (id INTEGER PRIMARY KEY, bal DOUBLE, note VARCHAR)")
        conn.engine.insert_batch("acct", pa.table({
            "id": pa.array(range(rows), pa.int32()),
            "bal": pa.array([100.0] * rows),
            "note": pa.array([f"n{i}" for i in range(rows)]),
        }))
        before = cur.execute("SELECT sum(bal), count(*), max(note) FROM acct").fetchone()
        step = rows // changed
        started = time.perf_counter()
        cur.execute("UPDATE acct SET bal = bal * 1.5, note = 'changed' "
                    f"WHERE id % {step} = 0 AND id < {step * changed}")
        update = time.perf_counter() - started
        xid = cur.execute("SELECT versions_xid FROM acct VERSIONS BETWEEN SCN MINVALUE AND "
                          "MAXVALUE WHERE id = 0 AND versions_operation = 'U'").fetchone()[0]
        started = time.perf_counter()
        cur.execute("FLASHBACK TRANSACTION :x BACKOUT", {"x": xid})
        backout = time.perf_counter() - started
        written = cur.rowcount
        after = cur.execute("SELECT sum(bal), count(*), max(note) FROM acct").fetchone()
    return {"update": update, "backout": backout, "rows written": written,
            "restored": before == after}


def main(argv: Sequence[str] | None = None) -> int:
    args = _args(argv)
    with tempfile.TemporaryDirectory() as directory:
        database = (":memory:" if args.path == ":memory:"
                    else str(Path(directory) / "backout.duckdb"))
        result = _run(database, args.rows, args.changed)
    seconds = float(result["backout"])
    target = TARGET_SECONDS * args.changed / 10_000
    print(f"backout benchmark: N={args.rows:,} rows, one transaction updating "
          f"{args.changed:,} of them")
    print(f"{'update transaction':<28}{result['update']:>10.3f} s")
    print(f"{'FLASHBACK ... BACKOUT':<28}{seconds:>10.3f} s   target < {target:.2f} s   "
          f"{'ok' if seconds < target else 'SLOW'}")
    print(f"{'rows written by backout':<28}{result['rows written']:>10,}")
    print(f"{'table restored':<28}{'yes' if result['restored'] else 'NO':>10}")
    return 0 if result["restored"] else 1


if __name__ == "__main__":
    sys.exit(main())

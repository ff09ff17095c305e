"""What heliosql's own constraint checks cost: the same writes through SQL on a table with
Oracle types, a CHECK and a foreign key, and on one declared with DuckDB's types only.

Run: ``.venv/bin/python -m bench.constraints [--rows N] [--repeat R]``. Both tables
live in one in-memory database; each step is timed in alternating rounds (best round
kept). The checked table pays for the lengths of its VARCHAR2 columns, the CHECK
and the foreign key (storage/integrity.py); NUMBER(p) values go through a DECIMAL
cast (``dml.stored``). Primary keys are DuckDB's in both.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence

from tabulate import tabulate

import heliosql
from bench.writes import paired

CHECKED = ("CREATE TABLE checked (id NUMBER(9) PRIMARY KEY, name VARCHAR2(20) NOT NULL, "
           "amount NUMBER(12,2) CHECK (amount >= 0), dept NUMBER(4) REFERENCES dept)")
PLAIN = ("CREATE TABLE plain (id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, "
         "amount DECIMAL(12,2), dept BIGINT)")


def measure(rows: int, repeat: int) -> list[tuple[str, float, float]]:
    """(step, checked ms, plain ms) for each step."""
    conn = heliosql.connect(autocommit=True)
    cur = conn.cursor()
    cur.execute("CREATE TABLE dept (id NUMBER(4) PRIMARY KEY)")
    cur.execute("INSERT INTO dept SELECT range FROM range(1000)")
    for ddl, table in ((CHECKED, "checked"), (PLAIN, "plain")):
        cur.execute(ddl)
        cur.execute(f"INSERT INTO {table} SELECT range, 'name ' || range, range % 1000, "
                    f"range % 1000 FROM range({rows})")
    rounds = itertools.count()
    keys = itertools.count(rows)

    def update_round(table: str, column: str) -> object:
        def run() -> object:
            r = next(rounds) % 10
            value = {"name": f"'n{r}' || id", "amount": "amount + 1",
                     "dept": f"(id + {r}) % 1000"}[column]
            return cur.execute(f"UPDATE {table} SET {column} = {value} WHERE id % 10 = {r}")
        return run

    def insert_one(table: str) -> object:
        return lambda: cur.execute(f"INSERT INTO {table} VALUES (:k, 'new', 1, 7)",
                                   {"k": next(keys)})

    def update_one(table: str) -> object:
        return lambda: cur.execute(f"UPDATE {table} SET name = 'one', dept = 3 WHERE id = :k",
                                   {"k": next(keys) % rows})

    out = []
    for column, what in (("name", "a VARCHAR2(20) column"), ("amount", "a column with a CHECK"),
                         ("dept", "the foreign key")):
        checked, plain = paired(update_round("checked", column), update_round("plain", column),
                                max(repeat // 100, 2))
        out.append((f"update round (10% of rows) of {what}", checked, plain))
    checked, plain = paired(insert_one("checked"), insert_one("plain"), repeat)
    out.append(("INSERT one row (autocommit)", checked, plain))
    checked, plain = paired(update_one("checked"), update_one("plain"), repeat)
    out.append(("UPDATE one row by key (autocommit)", checked, plain))
    conn.close()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.constraints",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in each table")
    parser.add_argument("--repeat", type=int, default=200, help="single-row operations per round")
    args = parser.parse_args(argv)
    table = [(step, f"{c:.3f}", f"{p:.3f}", f"{c / p:.2f}x")
             for step, c, p in measure(args.rows, args.repeat)]
    print(f"constraint checks: {args.rows:,} rows, DuckDB in memory\n")
    print(tabulate(table, headers=("step", "checked ms", "plain ms", "ratio"),
                   disable_numparse=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

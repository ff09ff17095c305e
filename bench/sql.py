"""The SQL front end's costs: statement overhead, SQL vs the storage API, executemany.

Run: ``.venv/bin/python -m bench.sql [--rows N]``. Targets: under 0.2 ms of
parse + plan + compile per cached statement, under 3 ms for a new 30-line
query, flashback queries through SQL within 10% of the storage API, and
``executemany`` INSERT at 100,000 rows/s or more.
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
from collections.abc import Callable, Sequence

from tabulate import tabulate

import heliosql
from heliosql.parser import parse
from heliosql.storage import FlashbackQuery

QUERY_30_LINES = """\
WITH recent AS (
  SELECT id, status, balance
  FROM accounts AS OF SCN :scn
  WHERE balance > 10
    AND status LIKE 'r%'
), ranked AS (
  SELECT id, status, balance,
         row_number() OVER (PARTITION BY status ORDER BY id DESC) AS rn,
         sum(balance) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS running
  FROM recent
)
SELECT r.status,
       count(*) AS n,
       max(r.running) AS top,
       CASE WHEN count(*) > 10 THEN 'many' ELSE 'few' END AS label,
       NVL(min(r.balance), 0) AS low,
       DECODE(r.status, 'r1', 'one', 'r2', 'two', 'other') AS status_name
FROM ranked r
JOIN accounts o ON o.id = r.id
WHERE r.rn <= 5
  AND o.id BETWEEN 10 AND 900000
  AND o.status IN ('r1', 'r2', 'r3', 'r4')
   OR r.id IN (SELECT id FROM accounts WHERE id < 5)
GROUP BY r.status
HAVING count(*) >= 1
ORDER BY r.status DESC NULLS LAST
FETCH FIRST 10 ROWS ONLY
"""


def _ms(fn: Callable[[], object], repeat: int, rounds: int = 3) -> float:
    """Best of ``rounds`` rounds of ``repeat`` calls, in milliseconds per call."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - start) / repeat)
    return best * 1000


def _paired_ms(first: Callable[[], object], second: Callable[[], object], repeat: int,
               rounds: int = 5) -> tuple[float, float]:
    """``_ms`` of two ways of doing the same work, their rounds alternated so that a
    drift of the machine's speed does not favour the one measured first."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for fn, kept in ((first, times[0]), (second, times[1])):
            kept.append(_ms(fn, repeat, rounds=1))
    return min(times[0]), min(times[1])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the measurements and print one table; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench.sql", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000, help="rows in the table")
    parser.add_argument("--repeat", type=int, default=300, help="calls per timing round")
    args = parser.parse_args(argv)
    n, repeat = args.rows, args.repeat
    conn = heliosql.connect(autocommit=True)
    cur = conn.cursor()
    cur.execute("CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance DECIMAL(18,2), "
                "status VARCHAR, note VARCHAR)")
    rows = [(i, i % 1000, "open", f"note {i}") for i in range(n)]
    start = time.perf_counter()
    cur.executemany("INSERT INTO accounts VALUES (:1, :2, :3, :4)", rows)
    load_rate = n / (time.perf_counter() - start)
    for r in range(1, 4):
        cur.execute(f"UPDATE accounts SET status = 'r{r}', balance = balance + 1 "
                    f"WHERE id % 3 = {r - 1}")
    scn = cur.execute("SELECT current_scn FROM v$database").fetchone()[0] - 1
    engine, session = conn.engine, conn.session
    keys = random.Random(7).sample(range(n), min(repeat, n))
    point = "SELECT balance, status FROM accounts WHERE id = :id"
    cached = session.compiled_query
    texts = iter([f"{QUERY_30_LINES}-- {i}\n" for i in range(repeat * 5 + 5)])

    def new_query() -> object:
        statement = parse(next(texts))[0]
        return session.compilation(statement, {"scn": scn}).query(statement.query)

    flashback = "SELECT * FROM accounts AS OF SCN :s WHERE id = :id"
    versions = ("SELECT *, versions_startscn, versions_operation FROM accounts "
                "VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE WHERE id = :id")
    key_iter = itertools.cycle(keys)
    duck = engine.backend.cursor()
    info = engine.table_info("accounts")
    overhead = [
        ("cached statement: parse + plan + compile", _ms(
            lambda: cached(parse(point)[0], {"id": 1}), repeat * 10), "ms", "< 0.2 ms"),
        ("new 30-line query: parse + plan + compile",
         _ms(new_query, max(repeat // 10, 3), rounds=5), "ms", "< 3 ms"),
    ]
    flashback_sql, flashback_api = _paired_ms(
        lambda: cur.execute(flashback, {"s": scn, "id": next(key_iter)}).fetchall(),
        lambda: engine.execute_flashback("accounts", FlashbackQuery.AsOfScn(
            scn, "accounts", filter_key=next(key_iter))), repeat)
    versions_sql, versions_api = _paired_ms(
        lambda: cur.execute(versions, {"id": next(key_iter)}).fetchall(),
        lambda: engine.execute_versions("accounts", FlashbackQuery.VersionsBetweenScn(
            None, None, "accounts", next(key_iter))), repeat)
    scan_sql, scan_api = _paired_ms(
        lambda: cur.execute("SELECT * FROM accounts AS OF SCN :s", {"s": scn}).fetchall(),
        lambda: engine.execute_flashback("accounts", FlashbackQuery.AsOfScn(scn, "accounts")),
        3, rounds=3)
    results = [
        *overhead,
        ("point query through SQL (execute + fetch)", _ms(
            lambda: cur.execute(point, {"id": next(key_iter)}).fetchall(), repeat), "ms", ""),
        ("the same on plain DuckDB", _ms(
            lambda: duck.execute(f"SELECT balance, status FROM {info.current} WHERE id = $id",
                                 {"id": next(key_iter)}).fetchall(), repeat), "ms", ""),
        ("flashback key query through SQL", flashback_sql, "ms", "within 10% of API"),
        ("the same through the storage API", flashback_api, "ms", ""),
        ("versions key query through SQL", versions_sql, "ms", "within 10% of API"),
        ("the same through the storage API", versions_api, "ms", ""),
        ("flashback full scan through SQL", scan_sql, "ms", "within 10% of API"),
        ("the same through the storage API", scan_api, "ms", ""),
        ("executemany INSERT", load_rate, "rows/s", ">= 100,000 rows/s"),
    ]
    print(f"heliosql SQL front end: {n:,} rows, DuckDB in memory")
    table = []
    for i, (name, value, unit, target) in enumerate(results):
        # A "within 10% of API" row is followed by the same work through the storage API.
        ratio = f"{value / results[i + 1][1]:.2f}x" if target.endswith("of API") else ""
        table.append((name, f"{value:,.4f}" if unit == "ms" else f"{value:,.0f}", unit, ratio,
                      target))
    print(tabulate(table, headers=["measurement", "value", "unit", "SQL/API", "target"],
                   disable_numparse=True))
    conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

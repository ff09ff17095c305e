"""The peer workload of the writes benchmark: accounts changed by DB-API users.

N accounts, then T change transactions, each updating 1% of the accounts,
deleting 0.05% and inserting as many, written the way a DB-API user writes
them (``executemany`` of ``UPDATE ... WHERE id = :id``, DELETE and INSERT). Plain
DuckDB does the same rows as set-based statements over Arrow tables twice: in
a database without history ("bare", the baseline of the writes) and in one
where it keeps a history table by hand, as an application would (what its
FLASHBACK TABLE rebuilds from). Then FLASHBACK TABLE to the middle
transaction, and the bytes on disk of each database.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from heliosql.dbapi import Connection
from heliosql.storage import TemporalEngine

SEED = 20261206


@dataclass(frozen=True, slots=True)
class Change:
    """One change transaction: rows to update, keys to delete, rows to insert."""

    updates: list[dict[str, int]]
    deletes: list[dict[str, int]]
    inserts: list[dict[str, int]]


@dataclass(frozen=True, slots=True)
class WorkloadResult:
    """Seconds per step on each side, bytes on disk, and whether both ended equal."""

    seconds: dict[str, tuple[float, float, str]]  # step -> (heliosql, baseline, which)
    bytes: dict[str, int]  # database -> bytes on disk
    equal: bool


def changes(rows: int, transactions: int) -> list[Change]:
    """The change transactions, from a fixed seed: keys that exist when they are used."""
    rng = random.Random(SEED)
    live = list(range(rows))
    next_id = rows
    out = []
    for _ in range(transactions):
        picked = rng.sample(live, max(rows // 100, 1) + max(rows // 2000, 1))
        updated, deleted = picked[: rows // 100 or 1], picked[rows // 100 or 1:]
        new = list(range(next_id, next_id + len(deleted)))
        next_id += len(new)
        gone = set(deleted)
        live = [k for k in live if k not in gone] + new
        out.append(Change([{"id": k, "balance": rng.randrange(10_000)} for k in updated],
                          [{"id": k} for k in deleted],
                          [{"id": k, "balance": rng.randrange(10_000)} for k in new]))
    return out


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run(directory: Path, rows: int, transactions: int) -> WorkloadResult:
    work = changes(rows, transactions)
    load = [{"id": i, "balance": 1000} for i in range(rows)]
    paths = {name: directory / f"workload-{name}.duckdb" for name in ("heliosql", "bare", "plain")}
    conn = Connection(TemporalEngine(paths["heliosql"]))
    bare, plain = duckdb.connect(str(paths["bare"])), duckdb.connect(str(paths["plain"]))
    cur = conn.cursor()
    cur.execute("CREATE TABLE acct (id NUMBER(18) PRIMARY KEY, balance NUMBER(18))")
    conn.commit()
    bare.execute("CREATE TABLE acct (id BIGINT PRIMARY KEY, balance BIGINT)")
    plain.execute("CREATE TABLE acct (id BIGINT PRIMARY KEY, balance BIGINT, "
                  "start_tx INTEGER DEFAULT 0)")
    # The version a change ends goes to acct_hist with the transaction that ended it.
    plain.execute("CREATE TABLE acct_hist (id BIGINT, balance BIGINT, start_tx INTEGER, "
                  "end_tx INTEGER)")
    seconds: dict[str, tuple[float, float, str]] = {}

    def helios_load() -> None:
        cur.executemany("INSERT INTO acct VALUES (:id, :balance)", load)
        conn.commit()

    def plain_load(db: duckdb.DuckDBPyConnection) -> None:
        data = pa.Table.from_pylist(load)  # noqa: F841 (read by name in the SQL)
        db.execute("INSERT INTO acct (id, balance) SELECT id, balance FROM data")

    plain_load(plain)
    seconds["load rows (executemany INSERT)"] = (_timed(helios_load),
                                                 _timed(lambda: plain_load(bare)), "bare")
    marks: list[int] = []

    def helios_changes() -> None:
        for change in work:
            cur.executemany("UPDATE acct SET balance = :balance WHERE id = :id", change.updates)
            cur.executemany("DELETE FROM acct WHERE id = :id", change.deletes)
            cur.executemany("INSERT INTO acct VALUES (:id, :balance)", change.inserts)
            conn.commit()
            marks.append(cur.execute("SELECT current_scn FROM v$database").fetchone()[0])

    def changes_on(db: duckdb.DuckDBPyConnection, keep_history: bool) -> None:
        for tx, change in enumerate(work, 1):
            _plain_change(db, tx, change, keep_history)

    name = f"{transactions} change transactions"
    helios_s = _timed(helios_changes)
    seconds[name] = (helios_s, _timed(lambda: changes_on(bare, False)), "bare")
    seconds[name + ", history by hand"] = (helios_s, _timed(lambda: changes_on(plain, True)),
                                           "plain")
    middle = len(work) // 2
    seconds["FLASHBACK TABLE to the middle"] = (
        _timed(lambda: cur.execute("FLASHBACK TABLE acct TO SCN :s", {"s": marks[middle - 1]})),
        _timed(lambda: _plain_flashback(plain, middle)), "plain")
    mine = sorted(cur.execute("SELECT id, balance FROM acct").fetchall())
    theirs = sorted(plain.execute("SELECT id, balance FROM acct").fetchall())
    conn.close()
    for db in (bare, plain):
        db.execute("CHECKPOINT")
        db.close()
    return WorkloadResult(seconds, {k: _file_bytes(p) for k, p in paths.items()},
                          mine == theirs)


def _plain_change(db: duckdb.DuckDBPyConnection, tx: int, change: Change,
                  keep_history: bool) -> None:
    updates = pa.Table.from_pylist(change.updates)  # noqa: F841 (read by name in the SQL)
    deletes = pa.Table.from_pylist(change.deletes)  # noqa: F841
    inserts = pa.Table.from_pylist(change.inserts)  # noqa: F841
    db.execute("BEGIN")
    if keep_history:
        db.execute("INSERT INTO acct_hist SELECT a.id, a.balance, a.start_tx, $tx FROM acct a "
                   "WHERE a.id IN (SELECT id FROM updates UNION ALL SELECT id FROM deletes)",
                   {"tx": tx})
        db.execute("UPDATE acct SET balance = u.balance, start_tx = $tx FROM updates u "
                   "WHERE acct.id = u.id", {"tx": tx})
        db.execute("INSERT INTO acct SELECT id, balance, $tx FROM inserts", {"tx": tx})
    else:
        db.execute("UPDATE acct SET balance = u.balance FROM updates u WHERE acct.id = u.id")
        db.execute("INSERT INTO acct SELECT id, balance FROM inserts")
    db.execute("DELETE FROM acct WHERE id IN (SELECT id FROM deletes)")
    db.execute("COMMIT")


def _plain_flashback(plain: duckdb.DuckDBPyConnection, tx: int) -> None:
    """The table as it was after transaction ``tx``, rebuilt from the hand-kept history."""
    plain.execute("BEGIN")
    plain.execute(
        "CREATE TEMP TABLE earlier AS SELECT id, balance, start_tx FROM acct WHERE start_tx <= $tx "
        "UNION ALL SELECT id, balance, start_tx FROM acct_hist "
        "WHERE start_tx <= $tx AND end_tx > $tx", {"tx": tx})
    plain.execute("DELETE FROM acct")
    plain.execute("INSERT INTO acct SELECT * FROM earlier")
    plain.execute("DROP TABLE earlier")
    plain.execute("COMMIT")


def _file_bytes(path: Path) -> int:
    return sum(os.path.getsize(p) for p in (path, Path(f"{path}.wal")) if p.exists())

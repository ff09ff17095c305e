"""The benchmark workload, once on heliosql and once on plain DuckDB (which keeps no history).

Each run returns the seconds of every step by name; ``STEPS`` pairs each
heliosql step with the plain DuckDB step it is compared to.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from heliosql.storage import (
    FlashbackQuery,
    TemporalEngine,
    TemporalQuery,
    TemporalTable,
    relations,
)
from heliosql.storage.relations import VersionWindow

ROUNDS = 10
COLUMNS = {"id": "BIGINT", "balance": "DECIMAL(18,2)", "status": "VARCHAR", "note": "VARCHAR"}
PLAIN_DDL = ("CREATE TABLE accounts(id BIGINT PRIMARY KEY, balance DECIMAL(18,2), "
             "status VARCHAR, note VARCHAR)")
AGG = "SELECT status, count(*), sum(balance) FROM {} GROUP BY status ORDER BY status"
SET = {"balance": "balance + 1"}
DELETE_WHERE = "id % 100 = 7"
LOOKUP = "SELECT * FROM accounts WHERE id = ?"
#: Single-statement queries are timed this many times; the best time counts.
REPEAT = 3


@dataclass(frozen=True, slots=True)
class Step:
    """A row of the report: a heliosql timing, its plain DuckDB baseline and its target.

    ``per`` is ``"row"`` (report rows/s) or ``"key"`` (report ms per key).
    """

    name: str
    baseline: str
    per: str = ""
    max_ratio: float | None = None
    stretch: float | None = None
    min_rate: float | None = None


def _steps() -> list[Step]:
    steps = [Step("load", "load", per="row", min_rate=500_000)]
    steps += [Step(f"update r{r}", f"update r{r}", max_ratio=3, stretch=2)
              for r in range(1, ROUNDS + 1)]
    steps += [
        Step("update mean", "update mean", max_ratio=3, stretch=2),
        Step("delete 1%", "delete 1%"),
        Step("Q1 current agg (view)", "Q1 current agg"),
        Step("Q1 current agg (t table)", "Q1 current agg"),
        Step("Q2 as-of-r5 agg", "Q2 current agg", max_ratio=1.5),
        Step("Q3 KeyAsOf per key", "Q3 pk lookups", per="key", max_ratio=2),
        Step("Q3 flashback AsOfScn per key", "Q3 pk lookups", per="key", max_ratio=2),
        Step("Q3 KeysAsOf batch", "Q3 pk lookups", per="key", max_ratio=2),
        Step("Q4 KeyHistory per key", "Q4 pk lookups", per="key", max_ratio=2),
        Step("Q4 KeysHistory batch", "Q4 pk lookups", per="key", max_ratio=2),
        Step("Q5 versions alive r3..r6", "Q5 current count"),
    ]
    return steps


STEPS = _steps()


@dataclass
class Run:
    """What one run measured: seconds by step, the Q1 answer and storage figures."""

    seconds: dict[str, float] = field(default_factory=dict)
    q1: list[tuple[Any, ...]] = field(default_factory=list)
    history_rows: int | None = None
    history_bytes: int | None = None
    history_disk_bytes: int | None = None

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.seconds[name] = time.perf_counter() - start

    def best(self, name: str, action: Callable[[], Any]) -> Any:
        """Time ``action`` ``REPEAT`` times, keep the best time; returns its last result."""
        times, result = [], None
        for _ in range(REPEAT):
            start = time.perf_counter()
            result = action()
            times.append(time.perf_counter() - start)
        self.seconds[name] = min(times)
        return result


def make_data(rows: int) -> pa.Table:
    """The ``accounts`` rows as one Arrow table (ids 0..rows-1, seeded balances)."""
    con = duckdb.connect()
    try:
        rel = con.sql(
            "SELECT i::BIGINT AS id, ((hash(i) % 10000000)::DECIMAL(18,0) / 100)::DECIMAL(18,2) "
            f"AS balance, 'new' AS status, 'note ' || i AS note FROM range({int(rows)}) t(i)"
        )
        to_arrow = getattr(rel, "to_arrow_table", None) or rel.fetch_arrow_table
        return to_arrow()
    finally:
        con.close()


def _assignments(r: int) -> dict[str, str]:
    return {**SET, "status": f"'r{r}'"}


def measure(helios_path: str, plain_path: str, data: pa.Table, keys: list[int],
            index_history: bool = False) -> tuple[Run, Run]:
    """Run the workload on heliosql and on plain DuckDB, alternating phase by phase.

    Alternating (rather than one whole run after the other) exposes both to the
    same machine conditions, which matters for I/O-bound commits.
    """
    helios, plain = Run(), Run()
    phases = [_heliosql(helios_path, data, keys, helios, index_history),
              _plain(plain_path, data, keys, plain)]
    try:
        while phases:
            for phase in list(phases):
                if next(phase, StopIteration) is StopIteration:
                    phases.remove(phase)
    finally:
        for phase in phases:
            phase.close()
    for run in (helios, plain):
        rounds = [run.seconds[f"update r{r}"] for r in range(1, ROUNDS + 1)]
        run.seconds["update mean"] = sum(rounds) / ROUNDS
    return helios, plain


def _heliosql(path: str, data: pa.Table, keys: list[int], run: Run,
              index_history: bool) -> Iterator[None]:
    """The workload on heliosql, yielding after each phase."""
    engine = TemporalEngine(path)
    try:
        engine.create_temporal_table(TemporalTable("accounts", COLUMNS, primary_key="id",
                                                   index_history=index_history))
        with run.timed("load"):
            engine.insert_batch("accounts", data)
        yield
        scn: dict[int, int] = {}
        for r in range(1, ROUNDS + 1):
            with run.timed(f"update r{r}"):
                engine.update_where("accounts", _assignments(r), f"id % 10 = {r - 1}")
            scn[r] = engine.current_scn()
            yield
        with run.timed("delete 1%"):
            engine.delete_where("accounts", DELETE_WHERE)
        yield

        info = engine.table_info("accounts")
        cur = engine.backend.cursor()
        run.q1 = run.best("Q1 current agg (view)",
                          lambda: cur.execute(AGG.format("main.accounts")).fetchall())
        run.best("Q1 current agg (t table)", lambda: cur.execute(AGG.format(info.current))
                 .fetchall())
        as_of5 = f"({relations.as_of(info, scn[5])}) AS v"
        run.best("Q2 as-of-r5 agg", lambda: cur.execute(AGG.format(as_of5)).fetchall())
        yield

        ts5 = engine.scn_to_timestamp(scn[5])
        _per_key(run, "Q3 KeyAsOf per key", keys,
                 lambda k: engine.query("accounts", TemporalQuery.KeyAsOf(k, ts5)))
        _per_key(run, "Q3 flashback AsOfScn per key", keys, lambda k: engine.execute_flashback(
            "accounts", FlashbackQuery.AsOfScn(scn[5], "accounts", filter_key=k)))
        with run.timed("Q3 KeysAsOf batch"):
            engine.query("accounts", TemporalQuery.KeysAsOf(keys, ts5))
        yield
        _per_key(run, "Q4 KeyHistory per key", keys,
                 lambda k: engine.query("accounts", TemporalQuery.KeyHistory(k)))
        with run.timed("Q4 KeysHistory batch"):
            engine.query("accounts", TemporalQuery.KeysHistory(keys))
        yield

        window = VersionWindow(vantage=engine.current_scn(), start_max=scn[6], end_min=scn[3])
        q5 = (f"SELECT count(*) FROM ({relations.versions(info, window)}) AS v "
              "WHERE __vop <> 'D'")
        run.best("Q5 versions alive r3..r6", lambda: cur.execute(q5).fetchall())
        stats = engine.get_stats("accounts")
        run.history_rows, run.history_bytes = stats.history_rows, stats.approx_bytes
        if path != ":memory:":
            run.history_disk_bytes = _disk_bytes(cur, info.history)
    finally:
        engine.close()


def _plain(path: str, data: pa.Table, keys: list[int], run: Run) -> Iterator[None]:
    """The same work on a plain DuckDB table keeping no history, yielding after each phase."""
    con = duckdb.connect(path)
    try:
        con.execute(PLAIN_DDL)
        con.register("arrow_tbl", data)
        with run.timed("load"):
            con.execute("INSERT INTO accounts SELECT * FROM arrow_tbl")
        con.unregister("arrow_tbl")
        yield
        for r in range(1, ROUNDS + 1):
            sets = ", ".join(f"{c} = {e}" for c, e in _assignments(r).items())
            with run.timed(f"update r{r}"):
                con.execute("BEGIN TRANSACTION")
                con.execute(f"UPDATE accounts SET {sets} WHERE id % 10 = {r - 1}")
                con.execute("COMMIT")
            yield
        with run.timed("delete 1%"):
            con.execute("BEGIN TRANSACTION")
            con.execute(f"DELETE FROM accounts WHERE {DELETE_WHERE}")
            con.execute("COMMIT")
        yield

        run.q1 = run.best("Q1 current agg",
                          lambda: con.execute(AGG.format("accounts")).fetchall())
        run.best("Q2 current agg", lambda: con.execute(AGG.format("accounts")).fetchall())
        yield
        lookup = lambda k: con.execute(LOOKUP, [k]).fetchall()  # noqa: E731
        _per_key(run, "Q3 pk lookups", keys, lookup)
        yield
        _per_key(run, "Q4 pk lookups", keys, lookup)
        yield
        run.best("Q5 current count",
                 lambda: con.execute("SELECT count(*) FROM accounts").fetchall())
    finally:
        con.close()


def _disk_bytes(cur: duckdb.DuckDBPyConnection, table: str) -> int:
    """Blocks holding ``table`` after a checkpoint, times the block size (blocks may be
    shared with other tables, so this is an upper bound)."""
    cur.execute("CHECKPOINT")
    block_size = cur.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
    blocks = cur.execute(
        f"SELECT count(DISTINCT block_id) FROM pragma_storage_info('{table}') "
        "WHERE persistent AND block_id >= 0"
    ).fetchone()[0]
    return int(blocks) * int(block_size)


def _per_key(run: Run, name: str, keys: list[int], action: Callable[[int], Any]) -> None:
    """Time ``action`` once per key (after one untimed warm-up call)."""
    action(keys[0])
    with run.timed(name):
        for key in keys:
            action(key)

"""Reopening a database file restores everything: data, history, counters, settings."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from heliosql.storage import (
    CleanupStrategy,
    FlashbackQuery,
    OperationalError,
    RetentionPolicy,
    Row,
    SnapshotTooOld,
    TemporalEngine,
    TemporalQuery,
    TemporalTable,
)

from .conftest import FakeClock, db_state, fails_cleanly

POLICY = (RetentionPolicy(timedelta(days=1), timedelta(hours=2))
          .with_entry_limit(1000).with_size_limit(123_456)
          .with_cleanup_strategy(CleanupStrategy.AGE_ONLY))


def everything(engine: TemporalEngine) -> dict:
    """What a reopened engine must give back, through the public API."""
    scn = engine.current_scn()
    out = {
        "state": db_state(engine),
        "times": [engine.scn_to_timestamp(s) for s in range(1, scn + 1)],
        "tables": {},
    }
    for name in engine.list_tables():
        info = engine.table_info(name)
        versions = engine.execute_versions(
            name, FlashbackQuery.VersionsBetweenScn(None, None, name)).versions
        out["tables"][name] = {
            "info": info,
            "versions": versions,
            "now": engine.execute_flashback(name, FlashbackQuery.AsOfScn(scn, name)).rows,
            "stats": engine.get_stats(name),
        }
    return out


def build(engine: TemporalEngine, clock: FakeClock) -> dict[str, int]:
    engine.create_temporal_table(TemporalTable("orders"))
    engine.create_temporal_table(TemporalTable(
        "accounts", {"id": "BIGINT", "balance": "DECIMAL(18,2)", "status": "VARCHAR"},
        primary_key="id").with_retention_policy(POLICY))
    engine.create_temporal_table(TemporalTable("log", {"msg": "VARCHAR"}))
    clock.advance(minutes=1)
    engine.insert("orders", Row(b"o1", {"status": b"new"}))
    engine.insert_batch("accounts", [{"id": i, "balance": i, "status": "open"}
                                     for i in range(1, 4)])
    engine.insert_batch("log", [{"msg": "a"}, {"msg": "b"}])
    early = engine.current_scn()
    clock.advance(minutes=1)
    engine.update("accounts", 1, {"balance": 100})
    engine.update("orders", b"o1", Row(b"o1", {"status": b"paid", "carrier": b"ups"}))
    engine.drop_column("accounts", "status")
    engine.create_temporal_table(TemporalTable("tmp", {"a": "INT", "b": "INT"}))
    engine.insert("tmp", {"a": 1, "b": 2})
    engine.rename_column("tmp", "a", "alpha")
    engine.rename_table("tmp", "renamed")
    clock.advance(days=2)
    engine.update("accounts", 2, {"balance": 200})
    engine.cleanup_history("accounts")  # history floor moves past `early`
    engine.create_temporal_table(TemporalTable("gone"))
    engine.insert("gone", Row(b"g", {"v": b"1"}))
    engine.drop_table("gone")
    clock.advance(minutes=1)
    return {"early": early}


def test_reopen_restores_everything(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "db.duckdb"
    engine = TemporalEngine(path, clock=clock)
    marks = build(engine, clock)
    expected = everything(engine)
    scn, xid = engine.current_scn(), engine.last_xid
    floor = engine.table_info("accounts").history_floor_scn
    assert floor > marks["early"]
    engine.close()

    with TemporalEngine(path, clock=clock) as engine:
        assert everything(engine) == expected
        assert engine.current_scn() == scn and engine.last_xid == xid
        info = engine.table_info("accounts")
        assert info.retention == POLICY
        assert info.history_floor_scn == floor
        assert info.last_cleanup is not None
        assert [e.original_name for e in engine.recycle_bin()] == ["gone"]
        with fails_cleanly(engine, SnapshotTooOld, "ORA-01555"):
            engine.execute_flashback("accounts",
                                     FlashbackQuery.AsOfScn(marks["early"], "accounts"))

        # the counters continue where they stopped
        with engine.transaction() as tx:
            engine.insert("log", {"msg": "c"})
            engine.update("accounts", 3, {"balance": 300})
        assert (tx.scn, tx.xid) == (scn + 1, xid + 1)
        assert engine.current_scn() == scn + 1
        rows = engine.query("log", TemporalQuery.AsOf(clock()))
        assert sorted((r.key, r.columns["msg"]) for r in rows) == [(1, "a"), (2, "b"),
                                                                    (3, "c")]
        assert engine.execute_versions("log", FlashbackQuery.FlashbackTransaction(
            xid + 1, "log")).versions[0].row.key == 3
        # the grown key/columns table and the recycle bin work as before
        engine.insert("orders", Row(b"o2", {"carrier": b"dhl"}))
        engine.restore_dropped_table("gone")
        assert engine.query("gone", TemporalQuery.KeyHistory(b"g"))[0].columns == {"v": b"1"}
        current = engine.backend.cursor().execute(
            "SELECT * FROM accounts ORDER BY id").fetchall()
        assert current == [(1, Decimal("100.00")), (2, Decimal("200.00")),
                           (3, Decimal("300.00"))]


def test_reopen_seed_directory(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "data" / "temporal"
    with TemporalEngine(path, clock=clock) as engine:
        engine.create_temporal_table(TemporalTable("orders", None, None))
        clock.advance(minutes=1)
        engine.insert("orders", Row(b"order_123", {"status": b"pending"}))
        t1 = clock.advance(minutes=1)
        engine.update("orders", b"order_123", Row(b"order_123", {"status": b"shipped"}))
        expected = everything(engine)
    clock.advance(minutes=1)
    with TemporalEngine(str(path), clock=clock) as engine:
        assert everything(engine) == expected
        assert engine.query("orders", TemporalQuery.KeyAsOf(b"order_123", t1 - timedelta(
            seconds=1)))[0].columns == {"status": b"pending"}


def test_reopen_read_only(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "db.duckdb"
    with TemporalEngine(path, clock=clock) as engine:
        engine.create_temporal_table(TemporalTable("orders"))
        engine.insert("orders", Row(b"a", {"v": b"1"}))
        expected = everything(engine)
    with TemporalEngine(path, clock=clock, read_only=True) as engine:
        assert everything(engine) == expected
        with pytest.raises(OperationalError, match="read-only"):
            engine.insert("orders", Row(b"b", {"v": b"2"}))
        assert everything(engine) == expected


def test_read_only_open_of_a_non_heliosql_database(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "plain.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(OperationalError, match="not a heliosql database"):
        TemporalEngine(path, read_only=True)


def test_closed_engine_refuses_work(tmp_path: Path) -> None:
    engine = TemporalEngine(tmp_path / "db.duckdb")
    engine.create_temporal_table(TemporalTable("orders"))
    engine.close()
    assert engine.closed
    with pytest.raises(OperationalError, match="closed"):
        engine.insert("orders", Row(b"a", {"v": b"1"}))
    engine.close()  # closing twice is harmless


def test_killed_process_keeps_committed_work_only(tmp_path: Path) -> None:
    """A process that dies inside a transaction leaves only its committed transactions."""
    path = tmp_path / "db.duckdb"
    script = textwrap.dedent(f"""
        import os
        from heliosql.storage import Row, TemporalEngine, TemporalTable
        engine = TemporalEngine({str(path)!r})
        engine.create_temporal_table(TemporalTable("orders"))
        engine.insert("orders", Row(b"a", {{"v": b"committed"}}))
        tx = engine.transaction()
        tx.__enter__()
        engine.update("orders", b"a", Row(b"a", {{"v": b"lost"}}))
        engine.insert("orders", Row(b"b", {{"v": b"lost", "w": b"lost"}}))
        engine.create_temporal_table(TemporalTable("lost"))
        print(engine.current_scn(), engine.last_xid, flush=True)
        os._exit(0)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    scn, xid = map(int, done.stdout.split())
    with TemporalEngine(path) as engine:
        assert (engine.current_scn(), engine.last_xid) == (scn, xid)
        assert engine.list_tables() == ["orders"]
        rows = engine.execute_flashback("orders", FlashbackQuery.AsOfScn(scn, "orders")).rows
        assert [(r.key, r.columns) for r in rows] == [(b"a", {"v": b"committed"})]
        cur = engine.backend.cursor()
        cur.execute("SELECT * FROM orders")
        assert [d[0] for d in cur.description] == ["key", "v"]


def test_commit_times_keep_increasing_across_reopen(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "db.duckdb"
    with TemporalEngine(path, clock=clock) as engine:
        engine.create_temporal_table(TemporalTable("orders"))
        clock.advance(hours=1)
        engine.insert("orders", Row(b"a", {"v": b"1"}))
        last = engine.scn_to_timestamp(engine.current_scn())
    behind = FakeClock(clock() - timedelta(days=1))  # the new process's clock is behind
    with TemporalEngine(path, clock=behind) as engine:
        engine.update("orders", b"a", Row(b"a", {"v": b"2"}))
        scn = engine.current_scn()
        assert engine.scn_to_timestamp(scn) > last
        assert engine.timestamp_to_scn(engine.scn_to_timestamp(scn)) == scn
        assert [v.columns["v"] for v in engine.query("orders", TemporalQuery.KeyAsOf(
            b"a", engine.scn_to_timestamp(scn)))] == [b"2"]

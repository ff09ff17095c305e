"""Point-in-time recovery: ``restore_table`` writes new versions, never rewrites history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from heliosql.storage import (
    DefinitionChanged,
    DuplicateKey,
    FlashbackQuery,
    InvalidScn,
    InvalidTimestamp,
    NoSuchTable,
    ProgrammingError,
    RestoreResult,
    Row,
    TemporalEngine,
    TemporalQuery,
    TemporalTable,
)

from .conftest import FakeClock, db_state, fails_cleanly


def at(engine: TemporalEngine, scn: int, table: str = "accounts") -> dict:
    rows = engine.execute_flashback(table, FlashbackQuery.AsOfScn(scn, table)).rows
    return {r.key: r.columns for r in rows}


def changes(engine: TemporalEngine, xid: int, table: str = "accounts") -> list[tuple]:
    result = engine.execute_versions(table, FlashbackQuery.FlashbackTransaction(xid, table))
    return [(v.version_operation.code(), v.row.key, v.row.columns) for v in result.versions]


@pytest.fixture
def accounts(engine: TemporalEngine, clock: FakeClock) -> dict:
    """accounts at SCN s1 = {1: a, 2: b, 3: c, 4: d}; then 1 -> a2, 2 deleted, 5 inserted,
    4 -> d2 -> d (same values as at s1, in two transactions)."""
    engine.create_temporal_table(TemporalTable(
        "accounts", {"id": "INTEGER", "v": "VARCHAR"}, primary_key="id"))
    clock.advance(minutes=1)
    engine.insert_batch("accounts", [{"id": i, "v": v} for i, v in
                                     ((1, "a"), (2, "b"), (3, "c"), (4, "d"))])
    s1 = engine.current_scn()
    t1 = clock()
    clock.advance(minutes=1)
    engine.update("accounts", 1, {"v": "a2"})
    engine.delete("accounts", 2)
    engine.insert("accounts", {"id": 5, "v": "e"})
    engine.update("accounts", 4, {"v": "d2"})
    engine.update("accounts", 4, {"v": "d"})
    clock.advance(minutes=1)
    return {"s1": s1, "t1": t1}


def test_restore_table_to_scn(engine: TemporalEngine, accounts: dict) -> None:
    s1 = accounts["s1"]
    before = engine.current_scn()
    state_before = at(engine, before)
    with engine.transaction() as tx:
        result = engine.restore_table("accounts", scn=s1)
    assert result == RestoreResult(target_scn=s1, updated=1, deleted=1, inserted=1)
    assert engine.current_scn() == before + 1  # one transaction
    assert at(engine, engine.current_scn()) == at(engine, s1) == {
        1: {"v": "a"}, 2: {"v": "b"}, 3: {"v": "c"}, 4: {"v": "d"}}
    assert sorted(changes(engine, tx.xid)) == [
        ("D", 5, {"v": "e"}), ("I", 2, {"v": "b"}), ("U", 1, {"v": "a"})]
    # history is not rewritten: the state before the restore is still there
    assert at(engine, before) == state_before
    assert [v.operation.code() for v in engine.query(
        "accounts", TemporalQuery.KeyHistory(2))] == ["I", "D", "I"]
    assert [v.columns["v"] for v in engine.query(
        "accounts", TemporalQuery.KeyHistory(1))] == ["a", "a2", "a"]


def test_restore_table_to_timestamp(engine: TemporalEngine, clock: FakeClock,
                                    accounts: dict) -> None:
    result = engine.restore_table("accounts", timestamp=accounts["t1"] + timedelta(seconds=30))
    assert result.target_scn == accounts["s1"]
    assert at(engine, engine.current_scn()) == at(engine, accounts["s1"])


def test_restore_one_key(engine: TemporalEngine, accounts: dict) -> None:
    s1 = accounts["s1"]
    now = at(engine, engine.current_scn())
    assert engine.restore_table("accounts", scn=s1, key=2) == RestoreResult(s1, 0, 0, 1)
    assert at(engine, engine.current_scn()) == {**now, 2: {"v": "b"}}
    assert engine.restore_table("accounts", scn=s1, key=5) == RestoreResult(s1, 0, 1, 0)
    assert engine.restore_table("accounts", scn=s1, keys=[1, 3]) == RestoreResult(s1, 1, 0, 0)
    assert at(engine, engine.current_scn()) == at(engine, s1)


def test_restore_rows_without_key_get_new_row_ids(engine: TemporalEngine,
                                                  clock: FakeClock) -> None:
    engine.create_temporal_table(TemporalTable("log", {"msg": "VARCHAR"}))
    engine.insert_batch("log", [{"msg": "a"}, {"msg": "b"}])
    s1 = engine.current_scn()
    engine.delete_where("log", "msg = 'a'")
    engine.restore_table("log", scn=s1)
    rows = at(engine, engine.current_scn(), "log")
    # the re-created row is a new row: a new hidden row id is its key
    assert rows == {2: {"msg": "b"}, 3: {"msg": "a"}}


def test_restore_key_columns_table(orders: TemporalEngine) -> None:
    orders.insert("orders", Row(b"o1", {"status": b"new"}))
    s1 = orders.current_scn()
    orders.update("orders", b"o1", Row(b"o1", {"status": b"paid", "carrier": b"ups"}))
    orders.insert("orders", Row(b"o2", {"status": b"new", "note": b"x"}))
    orders.restore_table("orders", scn=s1)
    assert at(orders, orders.current_scn(), "orders") == {b"o1": {"status": b"new"}}


def test_restore_after_add_column(engine: TemporalEngine, accounts: dict) -> None:
    engine.add_column("accounts", "note", "VARCHAR")
    engine.update("accounts", 3, {"note": "later"})
    engine.restore_table("accounts", scn=accounts["s1"])
    assert at(engine, engine.current_scn()) == {i: {"v": v, "note": None} for i, v in
                                                ((1, "a"), (2, "b"), (3, "c"), (4, "d"))}


def test_restore_to_the_current_state_changes_nothing(engine: TemporalEngine,
                                                      accounts: dict) -> None:
    scn = engine.current_scn()
    state = at(engine, scn)
    assert engine.restore_table("accounts", scn=scn) == RestoreResult(scn, 0, 0, 0)
    assert at(engine, engine.current_scn()) == state
    assert engine.execute_versions("accounts", FlashbackQuery.VersionsBetweenScn(
        engine.current_scn(), engine.current_scn(), "accounts")).versions[0] \
        .version_start_scn is None


def test_restore_inside_a_transaction_collapses(engine: TemporalEngine,
                                                accounts: dict) -> None:
    s1 = accounts["s1"]
    with engine.transaction() as tx:
        engine.update("accounts", 1, {"v": "temp"})
        engine.update("accounts", 3, {"v": "c2"})
        engine.insert("accounts", {"id": 9, "v": "tmp"})
        engine.restore_table("accounts", scn=s1)
    # one version per row: 1 back to 'a' (U), 3 changed and changed back (U with 'c'),
    # 9 inserted and removed in the same transaction (nothing), 2 re-created, 5 deleted
    assert sorted(changes(engine, tx.xid)) == [
        ("D", 5, {"v": "e"}), ("I", 2, {"v": "b"}), ("U", 1, {"v": "a"}),
        ("U", 3, {"v": "c"})]
    assert at(engine, engine.current_scn()) == at(engine, s1)


def test_failing_restore_leaves_nothing(engine: TemporalEngine) -> None:
    engine.create_temporal_table(TemporalTable(
        "users", {"id": "INTEGER", "email": "VARCHAR"}, primary_key="id",
        unique=[("email",)]))
    engine.insert_batch("users", [{"id": 1, "email": "x@example.com"},
                                  {"id": 2, "email": "y@example.com"}])
    s1 = engine.current_scn()
    engine.update("users", 1, {"email": "new@example.com"})
    engine.update("users", 2, {"email": "z@example.com"})
    engine.insert("users", {"id": 3, "email": "x@example.com"})
    # user 2 would be restored fine, user 1 clashes with user 3: nothing is restored
    with fails_cleanly(engine, DuplicateKey, "ORA-00001", match="x@example.com"):
        engine.restore_table("users", scn=s1, keys=[1, 2])
    before = db_state(engine)
    with pytest.raises(DuplicateKey), engine.transaction():
        engine.update("users", 3, {"email": "w@example.com"})
        engine.restore_table("users", scn=s1, keys=[2])
        engine.insert("users", {"id": 4, "email": "w@example.com"})
    assert db_state(engine) == before


def test_restore_errors(engine: TemporalEngine, clock: FakeClock, accounts: dict) -> None:
    early = engine.allocate_scn()
    with fails_cleanly(engine, ProgrammingError, match="exactly one"):
        engine.restore_table("accounts")
    with fails_cleanly(engine, ProgrammingError, match="exactly one"):
        engine.restore_table("accounts", scn=accounts["s1"], timestamp=accounts["t1"])
    for bad in (engine.current_scn() + 1, -1, 1.5):
        with fails_cleanly(engine, InvalidScn, "ORA-08181"):
            engine.restore_table("accounts", scn=bad)  # type: ignore[arg-type]
    with fails_cleanly(engine, InvalidTimestamp, "ORA-08186"):
        engine.restore_table("accounts", timestamp=clock() + timedelta(hours=1))
    with fails_cleanly(engine, DefinitionChanged, "ORA-01466"):
        engine.restore_table("accounts", scn=accounts["s1"] - 2)
    with fails_cleanly(engine, NoSuchTable, "ORA-00942"):
        engine.restore_table("acounts", scn=early)

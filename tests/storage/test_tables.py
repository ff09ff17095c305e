"""Typed tables and key/columns tables: DML, batches, upsert and their errors."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pytest

from heliosql.storage import (
    DataError,
    DuplicateKey,
    FlashbackQuery,
    IntegrityError,
    KeyNotFound,
    NoSuchColumn,
    NoSuchTable,
    ProgrammingError,
    Row,
    TableExists,
    TemporalEngine,
    TemporalQuery,
    TemporalTable,
    UpsertResult,
    VersionOperation,
)

from .conftest import fails_cleanly

INS, UPD, DEL = VersionOperation.INSERT, VersionOperation.UPDATE, VersionOperation.DELETE
SCHEMA = {"id": "BIGINT", "balance": "DECIMAL(18,2)", "status": "VARCHAR"}


@pytest.fixture
def accounts(engine: TemporalEngine) -> TemporalEngine:
    engine.create_temporal_table(TemporalTable("accounts", SCHEMA, primary_key="id"))
    return engine


def current(engine: TemporalEngine, table: str = "accounts") -> list[tuple]:
    return engine.backend.cursor().execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def at(engine: TemporalEngine, scn: int, table: str = "accounts") -> dict:
    rows = engine.execute_flashback(table, FlashbackQuery.AsOfScn(scn, table)).rows
    return {r.key: r.columns for r in rows}


def test_insert_dicts_and_rows(accounts: TemporalEngine) -> None:
    accounts.insert("accounts", {"id": 1, "balance": Decimal("10.50"), "status": "open"})
    accounts.insert("accounts", Row(2, {"balance": 20, "status": "open"}))
    accounts.insert("accounts", {"id": 3})  # missing columns are NULL
    assert current(accounts) == [(1, Decimal("10.50"), "open"), (2, Decimal("20.00"), "open"),
                                 (3, None, None)]
    history = accounts.query("accounts", TemporalQuery.KeyHistory(1))
    assert [(v.key, v.columns, v.operation) for v in history] == [
        (1, {"balance": Decimal("10.50"), "status": "open"}, INS)]


@pytest.mark.parametrize("kind", ["list", "arrow", "pandas"])
def test_insert_batch(accounts: TemporalEngine, kind: str) -> None:
    ids, balances, statuses = [1, 2, 3], [1.5, 2.25, 3.0], ["a", "b", None]
    if kind == "list":
        batch = [{"id": i, "balance": b, "status": s}
                 for i, b, s in zip(ids, balances, statuses, strict=True)]
    elif kind == "arrow":
        batch = pa.table({"id": ids, "balance": balances, "status": statuses})
    else:
        batch = pd.DataFrame({"id": ids, "balance": balances, "status": statuses})
    before = accounts.current_scn()
    assert accounts.insert_batch("accounts", batch) == 3
    assert accounts.current_scn() == before + 1
    assert current(accounts) == [(1, Decimal("1.50"), "a"), (2, Decimal("2.25"), "b"),
                                 (3, Decimal("3.00"), None)]
    versions = accounts.execute_versions("accounts", FlashbackQuery.VersionsBetweenScn(
        before + 1, before + 1, "accounts")).versions
    assert [(v.row.key, v.version_operation) for v in versions] == [(1, INS), (2, INS), (3, INS)]


@pytest.mark.parametrize("kind", ["list", "arrow", "pandas"])
def test_insert_batch_with_a_duplicate_changes_nothing(accounts: TemporalEngine,
                                                       kind: str) -> None:
    accounts.insert("accounts", {"id": 1, "balance": 1, "status": "a"})
    ids = [5, 1] if kind != "list" else [5, 5]  # a clash with the table / inside the batch
    batch: object
    if kind == "list":
        batch = [{"id": i, "status": "x"} for i in ids]
    elif kind == "arrow":
        batch = pa.table({"id": ids, "status": ["x", "y"]})
    else:
        batch = pd.DataFrame({"id": ids, "status": ["x", "y"]})
    with fails_cleanly(accounts, DuplicateKey, "ORA-00001"):
        accounts.insert_batch("accounts", batch)
    # the engine is still usable
    accounts.insert("accounts", {"id": 5, "status": "x"})
    assert current(accounts)[-1] == (5, None, "x")


def test_duplicate_key(accounts: TemporalEngine) -> None:
    accounts.insert("accounts", {"id": 1, "balance": 1, "status": "a"})
    with fails_cleanly(accounts, DuplicateKey, "ORA-00001", match="ACCOUNTS") as info:
        accounts.insert("accounts", {"id": 1, "balance": 2, "status": "b"})
    assert isinstance(info.value, IntegrityError)
    assert current(accounts) == [(1, Decimal("1.00"), "a")]


def test_update_is_partial_for_typed_tables(accounts: TemporalEngine) -> None:
    accounts.insert("accounts", {"id": 1, "balance": 1, "status": "a"})
    s1 = accounts.current_scn()
    accounts.update("accounts", 1, {"status": "b"})
    accounts.update("accounts", 1, Row(1, {"balance": 5}))
    assert current(accounts) == [(1, Decimal("5.00"), "b")]
    assert at(accounts, s1) == {1: {"balance": Decimal("1.00"), "status": "a"}}
    assert [v.operation for v in accounts.query("accounts", TemporalQuery.KeyHistory(1))] == [
        INS, UPD, UPD]


def test_update_and_delete_where(accounts: TemporalEngine) -> None:
    accounts.insert_batch("accounts", [{"id": i, "balance": i * 10, "status": "open"}
                                       for i in range(1, 6)])
    s1 = accounts.current_scn()
    n = accounts.update_where("accounts", {"balance": "balance * $factor", "status": "'vip'"},
                              "balance >= $min", {"factor": 2, "min": 30})
    assert n == 3
    assert accounts.update_where("accounts", {"status": "upper(status)"}, "id = 1") == 1
    assert accounts.update_where("accounts", {"status": "'x'"}, "id > $max",
                                 {"max": 100}) == 0
    s2 = accounts.current_scn()
    assert s2 == s1 + 3
    no_op = accounts.execute_versions("accounts", FlashbackQuery.VersionsBetweenScn(
        s2, s2, "accounts")).versions
    assert len(no_op) == 5 and {v.version_start_scn for v in no_op} == {None}
    assert accounts.delete_where("accounts", "status = $s", {"s": "vip"}) == 3
    assert current(accounts) == [(1, Decimal("10.00"), "OPEN"), (2, Decimal("20.00"), "open")]
    assert at(accounts, s2)[5] == {"balance": Decimal("100.00"), "status": "vip"}
    assert at(accounts, s1)[5] == {"balance": Decimal("50.00"), "status": "open"}
    history = accounts.query("accounts", TemporalQuery.KeyHistory(5))
    assert [(v.operation, v.columns["balance"]) for v in history] == [
        (INS, Decimal("50.00")), (UPD, Decimal("100.00")), (DEL, Decimal("100.00"))]
    assert accounts.delete_where("accounts") == 2  # every row
    assert current(accounts) == []


def test_delete(accounts: TemporalEngine) -> None:
    accounts.insert_batch("accounts", [{"id": 1, "status": "a"}, {"id": 2, "status": "b"}])
    accounts.delete("accounts", 1)
    assert current(accounts) == [(2, None, "b")]
    with fails_cleanly(accounts, KeyNotFound, "ORA-01403", match="1"):
        accounts.delete("accounts", 1)


def test_upsert(accounts: TemporalEngine) -> None:
    accounts.insert_batch("accounts", [{"id": 1, "balance": 1, "status": "a"},
                                       {"id": 2, "balance": 2, "status": "b"}])
    s1 = accounts.current_scn()
    result = accounts.upsert("accounts", [{"id": 2, "balance": 20, "status": "B"},
                                          {"id": 3, "balance": 30, "status": "C"}])
    assert result == UpsertResult(updated=1, inserted=1)
    assert current(accounts) == [(1, Decimal("1.00"), "a"), (2, Decimal("20.00"), "B"),
                                 (3, Decimal("30.00"), "C")]
    versions = accounts.execute_versions("accounts", FlashbackQuery.VersionsBetweenScn(
        s1 + 1, s1 + 1, "accounts")).versions
    assert [(v.row.key, v.version_operation) for v in versions] == [
        (1, None), (2, UPD), (3, INS)]
    result = accounts.upsert("accounts", pa.table({"id": [3, 4], "status": ["c", "d"]}))
    assert result == UpsertResult(updated=1, inserted=1)
    assert current(accounts)[2:] == [(3, Decimal("30.00"), "c"), (4, None, "d")]
    with fails_cleanly(accounts, DataError):
        accounts.upsert("accounts", [{"status": "no key"}])


def test_upsert_needs_a_key(engine: TemporalEngine) -> None:
    engine.create_temporal_table(TemporalTable("log", {"msg": "VARCHAR"}))
    with fails_cleanly(engine, ProgrammingError, match="primary key"):
        engine.upsert("log", [{"msg": "x"}])


def test_table_without_primary_key_is_keyed_by_row_id(engine: TemporalEngine) -> None:
    engine.create_temporal_table(TemporalTable("log", {"msg": "VARCHAR"}))
    engine.insert_batch("log", [{"msg": "a"}, {"msg": "a"}, {"msg": "b"}])
    rows = engine.query("log", TemporalQuery.AsOf(engine.scn_to_timestamp(
        engine.current_scn())))
    assert sorted((r.key, r.columns["msg"]) for r in rows) == [(1, "a"), (2, "a"), (3, "b")]
    engine.update("log", 2, {"msg": "c"})
    assert current(engine, "log") == [("a",), ("b",), ("c",)]


def test_errors_name_what_was_asked(accounts: TemporalEngine) -> None:
    accounts.insert("accounts", {"id": 1, "balance": 1, "status": "a"})
    with fails_cleanly(accounts, NoSuchTable, "ORA-00942", match="did you mean 'accounts'"):
        accounts.insert("acounts", {"id": 2})
    with fails_cleanly(accounts, NoSuchTable, "ORA-00942", match="did you mean 'accounts'"):
        accounts.query("acount", TemporalQuery.KeyHistory(1))
    with fails_cleanly(accounts, NoSuchTable, "ORA-00942") as info:
        accounts.update("zzz", 1, {"status": "x"})
    assert "did you mean" not in str(info.value)
    with fails_cleanly(accounts, NoSuchColumn, "ORA-00904", match="did you mean 'balance'"):
        accounts.insert("accounts", {"id": 2, "balanse": 1})
    with fails_cleanly(accounts, NoSuchColumn, "ORA-00904", match="nope"):
        accounts.update("accounts", 1, {"nope": 1})
    with fails_cleanly(accounts, NoSuchColumn, "ORA-00904", match="nope"):
        accounts.update_where("accounts", {"nope": "1"})
    with fails_cleanly(accounts, NoSuchColumn, "ORA-00904", match="nope"):
        accounts.update_where("accounts", {"status": "'x'"}, "nope = 1")
    with fails_cleanly(accounts, KeyNotFound, "ORA-01403", match="42"):
        accounts.update("accounts", 42, {"status": "x"})
    with fails_cleanly(accounts, DataError):
        accounts.insert("accounts", {"id": "not a number"})
    with fails_cleanly(accounts, DataError):
        accounts.insert_batch("accounts", [{"id": 7}, {"id": 8, "status": "x"}])
    with fails_cleanly(accounts, TableExists, "ORA-00955"):
        accounts.create_temporal_table(TemporalTable("ACCOUNTS", {"x": "INT"}))
    with fails_cleanly(accounts, NoSuchColumn, "ORA-00904"):
        accounts.create_temporal_table(TemporalTable("t2", {"x": "INT"}, primary_key="y"))


def test_not_null_and_check_constraints(engine: TemporalEngine) -> None:
    from heliosql.storage import Column, ConstraintViolation

    engine.create_temporal_table(TemporalTable(
        "t", [Column("id", "INTEGER", nullable=False), Column("n", "INTEGER")],
        primary_key="id", checks=["n >= 0"]))
    engine.insert("t", {"id": 1, "n": 1})
    with fails_cleanly(engine, ConstraintViolation):
        engine.insert("t", {"id": 2, "n": -1})
    with fails_cleanly(engine, ConstraintViolation):
        engine.update("t", 1, {"n": -5})
    assert current(engine, "t") == [(1, 1)]


def test_composite_key(engine: TemporalEngine) -> None:
    engine.create_temporal_table(TemporalTable(
        "stock", {"shop": "VARCHAR", "item": "VARCHAR", "qty": "INTEGER"},
        primary_key=("shop", "item")))
    engine.insert_batch("stock", [{"shop": "a", "item": "x", "qty": 1},
                                  {"shop": "a", "item": "y", "qty": 2}])
    engine.update("stock", ("a", "x"), {"qty": 10})
    history = engine.query("stock", TemporalQuery.KeyHistory(("a", "x")))
    assert [(v.key, v.columns) for v in history] == [
        (("a", "x"), {"qty": 1}), (("a", "x"), {"qty": 10})]
    with fails_cleanly(engine, DataError):
        engine.update("stock", "a", {"qty": 0})


# --- the seed's key/columns tables -------------------------------------------------------


def test_key_columns_table_grows_columns(orders: TemporalEngine) -> None:
    orders.insert("orders", Row(b"o1", {"status": b"new"}))
    s1 = orders.current_scn()
    orders.insert("orders", Row("o2", {"status": "new", "note": "gift"}))  # str -> UTF-8
    s2 = orders.current_scn()
    orders.update("orders", b"o1", Row(b"o1", {"status": b"paid", "carrier": b"ups"}))
    assert s2 == s1 + 1  # adding the column is part of the insert's transaction
    assert at(orders, s1, "orders") == {b"o1": {"status": b"new"}}  # no 'note' key
    assert at(orders, s2, "orders") == {b"o1": {"status": b"new"},
                                        b"o2": {"status": b"new", "note": b"gift"}}
    assert at(orders, orders.current_scn(), "orders") == {
        b"o1": {"status": b"paid", "carrier": b"ups"},
        b"o2": {"status": b"new", "note": b"gift"}}
    cur = orders.backend.cursor()
    cur.execute("SELECT * FROM orders ORDER BY key")
    assert [d[0] for d in cur.description] == ["key", "status", "note", "carrier"]


def test_key_columns_update_replaces_the_whole_image(orders: TemporalEngine) -> None:
    orders.insert("orders", Row(b"o1", {"status": b"new", "note": b"gift"}))
    orders.update("orders", b"o1", Row(b"o1", {"status": b"paid"}))
    rows = at(orders, orders.current_scn(), "orders")
    assert rows == {b"o1": {"status": b"paid"}}


def test_key_columns_batch_with_new_columns_per_row(orders: TemporalEngine) -> None:
    n = orders.insert_batch("orders", [Row(b"a", {"x": b"1"}), Row(b"b", {"y": b"2"}),
                                       Row(b"c", {"x": b"3", "z": b"4"})])
    assert n == 3
    assert at(orders, orders.current_scn(), "orders") == {
        b"a": {"x": b"1"}, b"b": {"y": b"2"}, b"c": {"x": b"3", "z": b"4"}}


def test_key_columns_errors(orders: TemporalEngine) -> None:
    orders.insert("orders", Row(b"o1", {"status": b"new"}))
    with fails_cleanly(orders, DuplicateKey, "ORA-00001"):
        orders.insert("orders", Row(b"o1", {"status": b"again", "brand_new_column": b"x"}))
    with fails_cleanly(orders, KeyNotFound, "ORA-01403"):
        orders.update("orders", b"o9", Row(b"o9", {"other_new_column": b"x"}))
    with fails_cleanly(orders, DataError):
        orders.insert("orders", Row(b"o2", {"status": 5}))


def test_empty_batches_insert_nothing(accounts: TemporalEngine) -> None:
    before = accounts.current_scn()
    assert accounts.insert_batch("accounts", []) == 0
    assert accounts.current_scn() == before  # no transaction was needed
    assert accounts.insert_batch("accounts", pa.table({"id": pa.array([], pa.int64())})) == 0
    assert current(accounts) == []
    with fails_cleanly(accounts, NoSuchTable, "ORA-00942"):
        accounts.insert_batch("nope", [])


def test_updating_the_key_keeps_the_row(accounts: TemporalEngine, orders: TemporalEngine
                                        ) -> None:
    accounts.insert("accounts", {"id": 1, "status": "a"})
    with accounts.transaction() as tx:
        accounts.update("accounts", 1, {"id": 10})
    result = accounts.execute_versions("accounts", FlashbackQuery.FlashbackTransaction(
        tx.xid, "accounts")).versions
    assert [(v.version_operation, v.row.key) for v in result] == [(UPD, 10)]
    orders.insert("orders", Row(b"a", {"v": b"1"}))
    with orders.transaction() as tx:
        orders.update("orders", b"a", Row(b"b", {"v": b"2"}))  # the seed's Row carries the key
    result = orders.execute_versions("orders", FlashbackQuery.FlashbackTransaction(
        tx.xid, "orders")).versions
    assert [(v.version_operation, v.row.key, v.row.columns) for v in result] == [
        (UPD, b"b", {"v": b"2"})]
    assert [v.key for v in orders.query("orders", TemporalQuery.KeyHistory(b"a"))] == [b"a"]


def test_multi_key_queries(engine: TemporalEngine) -> None:
    engine.create_temporal_table(TemporalTable("o"))
    engine.create_temporal_table(TemporalTable("a", {"id": "INT", "v": "VARCHAR"},
                                               primary_key="id"))
    engine.create_temporal_table(TemporalTable(
        "c", {"x": "INT", "y": "INT", "v": "VARCHAR"}, primary_key=("x", "y")))
    engine.create_temporal_table(TemporalTable("n", {"v": "VARCHAR"}))
    with engine.transaction():
        engine.insert_batch("o", [Row(k, {"v": k}) for k in (b"p", b"q", b"r")])
        engine.insert_batch("a", [{"id": i, "v": str(i)} for i in (1, 2, 3)])
        engine.insert_batch("c", [{"x": x, "y": y, "v": f"{x}{y}"} for x, y in
                                  ((1, 1), (1, 2), (2, 1))])
        engine.insert_batch("n", [{"v": v} for v in "abc"])
    ts = engine.scn_to_timestamp(engine.current_scn())
    with engine.transaction():
        engine.update("o", b"q", Row(b"q", {"v": b"q2"}))
        engine.update("a", 2, {"v": "2b"})
        engine.update("c", (1, 2), {"v": "12b"})
        engine.update("n", 3, {"v": "c2"})
    for table, keys, expected in (
            ("o", [b"q", b"r", b"zz"], {b"q": {"v": b"q"}, b"r": {"v": b"r"}}),
            ("a", [2, 3, 99], {2: {"v": "2"}, 3: {"v": "3"}}),
            ("c", [(1, 2), (2, 1), (9, 9)], {(1, 2): {"v": "12"}, (2, 1): {"v": "21"}}),
            ("n", [1, 3], {1: {"v": "a"}, 3: {"v": "c"}})):
        rows = engine.query(table, TemporalQuery.KeysAsOf(keys, ts))
        assert {r.key: r.columns for r in rows} == expected, table
        assert engine.query(table, TemporalQuery.KeysAsOf([], ts)) == []
        history = engine.query(table, TemporalQuery.KeysHistory(keys))
        singles = [v for k in keys for v in engine.query(table, TemporalQuery.KeyHistory(k))]
        assert sorted(map(repr, history)) == sorted(map(repr, singles)), table
        assert len(history) == 3


def test_upsert_key_columns_table(orders: TemporalEngine) -> None:
    orders.insert("orders", Row(b"a", {"v": b"1"}))
    result = orders.upsert("orders", [Row(b"a", {"v": b"2"}), Row(b"b", {"v": b"9",
                                                                          "w": b"new"})])
    assert result == UpsertResult(updated=1, inserted=1)
    assert current(orders, "orders") == [(b"a", b"2", None), (b"b", b"9", b"new")]


def test_a_table_without_history_refuses_questions_about_the_past() -> None:
    from datetime import UTC, datetime

    from heliosql.storage import FlashbackQuery, ProgrammingError, TemporalEngine, TemporalQuery

    engine = TemporalEngine(":memory:")
    engine.create_temporal_table(TemporalTable("scratch", {"id": "INTEGER"}, versioned=False))
    engine.insert("scratch", {"id": 1})
    past = engine.current_scn() - 1
    with pytest.raises(ProgrammingError, match="keeps no history"):
        engine.execute_flashback("scratch", FlashbackQuery.AsOfScn(past, "scratch"))
    with pytest.raises(ProgrammingError, match="keeps no history"):
        engine.query("scratch", TemporalQuery.KeyHistory(1))
    # As it is now, it reads fine.
    now = engine.execute_flashback("scratch", FlashbackQuery.AsOfScn(engine.current_scn(),
                                                                     "scratch"))
    assert len(now.rows) == 1
    assert engine.query("scratch", TemporalQuery.AsOf(datetime.now(UTC)))


def test_rows_must_name_a_column_and_not_reuse_the_key_name() -> None:
    from heliosql.storage import DataError, Row, TemporalEngine

    engine = TemporalEngine(":memory:")
    engine.create_temporal_table(TemporalTable("orders"))
    with pytest.raises(DataError, match="key"):
        engine.insert("orders", Row(b"k", {"key": b"x"}))
    engine.create_temporal_table(TemporalTable("t", {"id": "INTEGER"}))
    with pytest.raises(DataError, match="at least one column"):
        engine.insert("t", {})


def test_upsert_refuses_a_key_given_twice() -> None:
    from heliosql.storage import DataError, TemporalEngine

    engine = TemporalEngine(":memory:")
    engine.create_temporal_table(TemporalTable("t", {"id": "INTEGER", "v": "INTEGER"},
                                               primary_key="id"))
    engine.insert("t", {"id": 1, "v": 0})
    before = engine.current_scn()
    for rows in ([{"id": 1, "v": 1}, {"id": 1, "v": 2}], [{"id": 2, "v": 1}, {"id": 2, "v": 2}]):
        with pytest.raises(DataError) as info:
            engine.upsert("t", rows)
        assert info.value.code == "ORA-30926"
    assert engine.current_scn() == before
    assert engine.fetch("SELECT id, v FROM main.t") == [(1, 0)]

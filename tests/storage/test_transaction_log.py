"""What a transaction changed (``transaction_changes``), derived from history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from heliosql.storage import RetentionPolicy, Row, TemporalEngine, TemporalTable
from heliosql.storage.transaction_log import RowChange, UnknownTransaction

from .conftest import FakeClock


def _acct(engine: TemporalEngine, rows: int = 4) -> None:
    engine.create_temporal_table(TemporalTable(
        "acct", {"id": "INTEGER", "bal": "INTEGER"}, primary_key="id"))
    engine.insert_batch("acct", [{"id": i, "bal": 100} for i in range(1, rows + 1)])


def _ops(changes: list[RowChange]) -> list[tuple]:
    return [(c.table, c.operation, c.before, c.after) for c in changes]


def test_one_entry_per_row_in_undo_order(engine: TemporalEngine) -> None:
    _acct(engine)
    with engine.transaction():
        engine.delete_where("acct", "id = 4")
        engine.update_where("acct", {"bal": "bal + 1"}, "id = 1")
        engine.insert_batch("acct", [{"id": 9, "bal": 9}])
    changes = engine.transaction_changes(engine.last_xid)
    assert _ops(changes) == [
        ("acct", "INSERT", None, {"id": 9, "bal": 9}),
        ("acct", "UPDATE", {"id": 1, "bal": 100}, {"id": 1, "bal": 101}),
        ("acct", "DELETE", {"id": 4, "bal": 100}, None),
    ]


def test_several_changes_of_a_row_collapse(engine: TemporalEngine) -> None:
    # heliosql keeps one version per row and transaction, so a row changed three
    # times is one change (Oracle would list three): first before, last after.
    _acct(engine)
    with engine.transaction():
        for _ in range(3):
            engine.update_where("acct", {"bal": "bal * 2"}, "id = 1")
        engine.insert_batch("acct", [{"id": 7, "bal": 1}])
        engine.update_where("acct", {"bal": "bal + 1"}, "id = 7")   # insert+update: INSERT
        engine.insert_batch("acct", [{"id": 8, "bal": 1}])
        engine.delete_where("acct", "id = 8")                       # insert+delete: nothing
        engine.update_where("acct", {"bal": "0"}, "id = 2")
        engine.delete_where("acct", "id = 2")                       # update+delete: DELETE
    assert _ops(engine.transaction_changes(engine.last_xid)) == [
        ("acct", "INSERT", None, {"id": 7, "bal": 2}),
        ("acct", "UPDATE", {"id": 1, "bal": 100}, {"id": 1, "bal": 800}),
        ("acct", "DELETE", {"id": 2, "bal": 100}, None),
    ]


def test_delete_and_reinsert_of_a_key_are_two_rows(engine: TemporalEngine) -> None:
    _acct(engine)
    with engine.transaction():
        engine.delete_where("acct", "id = 3")
        engine.insert_batch("acct", [{"id": 3, "bal": 5}])
    changes = engine.transaction_changes(engine.last_xid)
    assert [c.operation for c in changes] == ["INSERT", "DELETE"]
    assert changes[0].row_id != changes[1].row_id


def test_every_table_of_the_transaction(engine: TemporalEngine) -> None:
    _acct(engine)
    engine.create_temporal_table(TemporalTable("orders"))
    with engine.transaction():
        engine.insert("orders", Row(b"o1", {"status": b"new"}))
        engine.update_where("acct", {"bal": "1"}, "id = 2")
    changes = engine.transaction_changes(engine.last_xid)
    assert [(c.table, c.operation) for c in changes] == [("acct", "UPDATE"),
                                                         ("orders", "INSERT")]
    assert changes[1].after == {"key": b"o1", "status": b"new"}


def test_unknown_and_uncommitted_xids(engine: TemporalEngine) -> None:
    _acct(engine)
    with pytest.raises(UnknownTransaction, match="no committed transaction"):
        engine.transaction_changes(999)
    with pytest.raises(UnknownTransaction, match="integers"):
        engine.transaction_changes("1")  # type: ignore[arg-type]
    with engine.transaction() as tx:
        engine.update_where("acct", {"bal": "0"}, "id = 1")
        assert tx.xid is not None
        with pytest.raises(UnknownTransaction):
            engine.transaction_changes(tx.xid)
    assert [c.operation for c in engine.transaction_changes(tx.xid)] == ["UPDATE"]


def test_a_transaction_without_row_changes(engine: TemporalEngine) -> None:
    _acct(engine)
    record = engine.committed_transaction(1)  # CREATE TABLE
    assert record.scn == 2 and record.kind == "DML"
    assert engine.transaction_changes(1) == []


def test_purged_before_images_are_unknown(engine: TemporalEngine, clock: FakeClock) -> None:
    # Retention removed the version the update replaced: Oracle's UNKNOWN.
    day = timedelta(days=1)
    engine.create_temporal_table(TemporalTable(
        "t", {"id": "INTEGER", "v": "INTEGER"}, primary_key="id",
        retention_policy=RetentionPolicy(timedelta(hours=1), 30 * day)))
    engine.insert_batch("t", [{"id": 1, "v": 1}])
    clock.advance(hours=1)
    engine.update_where("t", {"v": "2"}, "id = 1")
    first = engine.last_xid
    clock.advance(hours=3)
    engine.update_where("t", {"v": "3"}, "id = 1")
    second = engine.last_xid
    clock.advance(hours=3)
    assert engine.cleanup_history("t") == 2
    # Both versions the first update touched are gone; the second update's
    # before image is gone, its after image (the current row) is not.
    assert engine.transaction_changes(first) == []
    changes = engine.transaction_changes(second)
    assert [(c.operation, c.before, c.after) for c in changes] == [
        ("UNKNOWN", None, {"id": 1, "v": 3})]

"""Transaction backout through the storage API (``backout_transaction``)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from heliosql.storage import (
    DuplicateKey,
    IntegrityError,
    ProgrammingError,
    RetentionPolicy,
    SnapshotTooOld,
    TemporalEngine,
    TemporalTable,
    relations,
)
from heliosql.storage.backout import BackoutConflict, BackoutResult
from heliosql.storage.transaction_log import UnknownTransaction

from .conftest import FakeClock, db_state, fails_cleanly


def _acct(engine: TemporalEngine, name: str = "acct", key: bool = True) -> None:
    engine.create_temporal_table(TemporalTable(
        name, {"id": "INTEGER", "bal": "INTEGER"}, primary_key="id" if key else None))
    engine.insert_batch(name, [{"id": i, "bal": 100} for i in range(1, 6)])


def _rows(engine: TemporalEngine, table: str = "acct", scn: int | None = None) -> list[tuple]:
    """(id, bal) of ``table`` now, or as of ``scn``."""
    if scn is None:
        return engine.fetch(f"SELECT id, bal FROM {table} ORDER BY id")
    state = relations.as_of(engine.table_info(table), scn)
    return engine.fetch(f"SELECT id, bal FROM ({state}) ORDER BY id")


def test_backout_restores_the_rows_with_new_versions(engine: TemporalEngine) -> None:
    _acct(engine)
    before = engine.current_scn()
    with engine.transaction():
        engine.update_where("acct", {"bal": "bal + 1"}, "id <= 2")
        engine.delete_where("acct", "id = 3")
        engine.insert_batch("acct", [{"id": 9, "bal": 9}])
    xid = engine.last_xid
    history = engine.fetch("SELECT count(*) FROM helios_data.h1")[0][0]
    result = engine.backout_transaction(xid)
    assert (result.xids, result.updated, result.deleted, result.inserted) == ((xid,), 2, 1, 1)
    assert _rows(engine) == _rows(engine, scn=before)
    assert engine.current_scn() == before + 2  # one SCN for the backout
    # History is appended to, never rewritten: the backed-out state stays readable.
    assert engine.fetch("SELECT count(*) FROM helios_data.h1")[0][0] == history + 3
    assert (9, 9) in _rows(engine, scn=before + 1)
    # The backout is an ordinary transaction: the restored row 3 is a new row.
    ops = sorted((c.operation, (c.after or c.before)["id"])
                 for c in engine.transaction_changes(result.xids[0] + 1))
    assert ops == [("DELETE", 9), ("INSERT", 3), ("UPDATE", 1), ("UPDATE", 2)]


def test_nocascade_refuses_dependents(engine: TemporalEngine) -> None:
    _acct(engine)
    engine.update_where("acct", {"bal": "1"}, "id = 1")
    target = engine.last_xid
    engine.update_where("acct", {"bal": "2"}, "id = 1")       # same row: dependent
    dependent = engine.last_xid
    engine.update_where("acct", {"bal": "3"}, "id = 2")       # other row: not
    with fails_cleanly(engine, BackoutConflict, "ORA-55504", match=f"XID {dependent}\\)"):
        engine.backout_transaction(target)


def test_cascade_backs_out_dependents_newest_first(engine: TemporalEngine) -> None:
    _acct(engine)
    start = engine.current_scn()
    engine.update_where("acct", {"bal": "1"}, "id = 1")
    target = engine.last_xid
    engine.update_where("acct", {"bal": "2"}, "id IN (1, 2)")   # depends on target
    second = engine.last_xid
    engine.update_where("acct", {"bal": "3"}, "id = 3")          # independent
    engine.update_where("acct", {"bal": "4"}, "id = 2")          # depends on second only
    third = engine.last_xid
    result = engine.backout_transaction(target, cascade=True)
    assert result.xids == (third, second, target)
    assert _rows(engine) == [(1, 100), (2, 100), (3, 3), (4, 100), (5, 100)]
    assert engine.current_scn() == start + 5


def test_a_reused_key_is_a_dependency(engine: TemporalEngine) -> None:
    _acct(engine)
    engine.delete_where("acct", "id = 5")
    target = engine.last_xid
    engine.insert_batch("acct", [{"id": 5, "bal": 55}])
    reuser = engine.last_xid
    with fails_cleanly(engine, BackoutConflict, match=str(reuser)):
        engine.backout_transaction(target)
    assert engine.backout_transaction(target, cascade=True).xids == (reuser, target)
    assert _rows(engine)[-1] == (5, 100)


def test_changes_across_tables_follow_the_dependents(engine: TemporalEngine) -> None:
    _acct(engine)
    _acct(engine, "audit")
    engine.update_where("acct", {"bal": "0"}, "id = 1")
    target = engine.last_xid
    with engine.transaction():   # depends on target through acct, also changes audit
        engine.update_where("acct", {"bal": "7"}, "id = 1")
        engine.delete_where("audit", "id = 1")
    engine.backout_transaction(target, cascade=True)
    assert _rows(engine)[0] == (1, 100)
    assert _rows(engine, "audit")[0] == (1, 100)


def test_in_an_open_transaction_and_rolled_back(engine: TemporalEngine) -> None:
    _acct(engine)
    engine.update_where("acct", {"bal": "0"}, "id = 1")
    xid = engine.last_xid
    scn = engine.current_scn()
    with engine.transaction() as tx:
        engine.backout_transaction(xid)
        assert _rows(engine)[0] == (1, 100)   # the transaction sees its own backout
        tx.rollback()
    assert _rows(engine)[0] == (1, 0) and engine.current_scn() == scn


def test_own_uncommitted_changes_conflict(engine: TemporalEngine) -> None:
    _acct(engine)
    engine.update_where("acct", {"bal": "0"}, "id = 1")
    xid = engine.last_xid
    with engine.transaction() as tx:
        engine.update_where("acct", {"bal": "5"}, "id = 1")
        with pytest.raises(BackoutConflict, match="this transaction has already changed"):
            engine.backout_transaction(xid, cascade=True)
        engine.update_where("acct", {"bal": "6"}, "id = 2")  # still usable
        tx.commit()
    assert _rows(engine)[:2] == [(1, 5), (2, 6)]


def test_refusals_change_nothing(engine: TemporalEngine) -> None:
    _acct(engine)
    with fails_cleanly(engine, UnknownTransaction, match="no committed transaction"):
        engine.backout_transaction(12345)
    with fails_cleanly(engine, UnknownTransaction):
        engine.backout_transaction(1.5)  # type: ignore[arg-type]


def test_tables_without_a_key_use_row_ids(engine: TemporalEngine) -> None:
    _acct(engine, "nokey", key=False)
    engine.update_where("nokey", {"bal": "0"}, "id = 1")
    engine.delete_where("nokey", "id = 2")
    xid = engine.last_xid
    engine.backout_transaction(xid)
    assert _rows(engine, "nokey")[:2] == [(1, 0), (2, 100)]


def test_dropped_and_unversioned_tables_are_refused(engine: TemporalEngine) -> None:
    _acct(engine)
    engine.create_temporal_table(TemporalTable("plain", {"id": "INTEGER"}, versioned=False))
    with engine.transaction():
        engine.update_where("acct", {"bal": "0"}, "id = 1")
        engine.insert_batch("plain", [{"id": 1}])
    xid = engine.last_xid
    with fails_cleanly(engine, ProgrammingError, match="keeps no history"):
        engine.backout_transaction(xid)
    engine.update_where("acct", {"bal": "0"}, "id = 2")
    other = engine.last_xid
    engine.drop_table("acct")
    with fails_cleanly(engine, ProgrammingError, match="dropped table 'acct'"):
        engine.backout_transaction(other)


def test_purged_history_is_snapshot_too_old(engine: TemporalEngine, clock: FakeClock) -> None:
    engine.create_temporal_table(TemporalTable(
        "t", {"id": "INTEGER"}, primary_key="id",
        retention_policy=RetentionPolicy(timedelta(hours=1), timedelta(days=30))))
    engine.insert_batch("t", [{"id": 1}])
    engine.update_where("t", {"id": "2"}, "id = 1")
    xid = engine.last_xid
    clock.advance(hours=2)
    engine.update_where("t", {"id": "3"}, "id = 2")
    engine.cleanup_history("t")
    with fails_cleanly(engine, SnapshotTooOld, "ORA-01555"):
        engine.backout_transaction(xid, cascade=True)


def test_a_constraint_violation_rolls_the_backout_back(engine: TemporalEngine) -> None:
    # A UNIQUE key (not the primary key) reused later is not a dependency: the
    # re-insert fails and the backout leaves nothing behind.
    engine.create_temporal_table(TemporalTable(
        "u", {"id": "INTEGER", "code": "VARCHAR"}, primary_key="id", unique=[("code",)]))
    engine.insert_batch("u", [{"id": 1, "code": "A"}])
    engine.delete_where("u", "id = 1")
    xid = engine.last_xid
    engine.insert_batch("u", [{"id": 2, "code": "A"}])
    with fails_cleanly(engine, IntegrityError) as info:
        engine.backout_transaction(xid)
    assert isinstance(info.value, DuplicateKey | IntegrityError)


def test_a_transaction_without_row_changes_is_a_no_op(engine: TemporalEngine) -> None:
    _acct(engine)
    engine.create_view("v", "SELECT * FROM acct")
    before = db_state(engine)
    result = engine.backout_transaction(engine.last_xid)
    assert result == BackoutResult((engine.last_xid,), 0, 0, 0)
    assert db_state(engine) == before  # nothing written, not even an SCN


def test_a_dependent_committed_while_waiting_for_the_lock(engine: TemporalEngine) -> None:
    # The dependency check runs before the write lock is taken; a transaction that
    # commits in between and depends on the target makes the backout fail, not
    # overwrite it.
    _acct(engine)
    engine.update_where("acct", {"bal": "0"}, "id = 1")
    target = engine.last_xid
    writer = engine.begin()
    with engine.activate(writer):
        engine.update_where("acct", {"bal": "1"}, "id = 2")   # holds the write lock
    errors: list[BaseException] = []

    def backout() -> None:
        try:
            engine.backout_transaction(target)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)

    thread = threading.Thread(target=backout)
    thread.start()
    time.sleep(0.2)  # the backout has checked and now waits for the lock
    with engine.activate(writer):
        engine.update_where("acct", {"bal": "7"}, "id = 1")   # a new dependent
    writer.commit()
    thread.join(10)
    assert len(errors) == 1 and isinstance(errors[0], BackoutConflict)  # found on re-check
    assert _rows(engine)[:2] == [(1, 7), (2, 1)]

"""Flashback semantics (docs/semantics.md): visibility, versions, errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from heliosql.storage import (
    DefinitionChanged,
    DuplicateKey,
    FlashbackQuery,
    InvalidScn,
    InvalidTimestamp,
    InvalidVersionRange,
    KeyNotFound,
    NoSnapshot,
    NoSuchTable,
    ProgrammingError,
    Row,
    TemporalEngine,
    TemporalQuery,
    TemporalTable,
    TransactionError,
    VersionOperation,
)

from .conftest import FakeClock, db_state, fails_cleanly, rows_by_key

INS, UPD, DEL = VersionOperation.INSERT, VersionOperation.UPDATE, VersionOperation.DELETE


def as_of(engine: TemporalEngine, scn: int, table: str = "orders", key: object = None) -> dict:
    result = engine.execute_flashback(table, FlashbackQuery.AsOfScn(scn, table, key))
    return rows_by_key(result.rows)


def versions(engine: TemporalEngine, lo: int | None, hi: int | None, table: str = "orders",
             key: object = None) -> list[tuple]:
    """(start, end, xid, op code, key, columns) of each row of a version query."""
    result = engine.execute_versions(table, FlashbackQuery.VersionsBetweenScn(lo, hi, table, key))
    return [(v.version_start_scn, v.version_end_scn, v.version_xid,
             v.version_operation.code() if v.version_operation else None, v.row.key,
             dict(v.row.columns)) for v in result.versions]


def tx_versions(engine: TemporalEngine, xid: int, table: str = "orders") -> list[tuple]:
    result = engine.execute_versions(table, FlashbackQuery.FlashbackTransaction(xid, table))
    return [(v.version_operation.code(), v.row.key, dict(v.row.columns), v.version_start_scn)
            for v in result.versions]


def put(engine: TemporalEngine, key: bytes, status: bytes) -> int:
    """Insert or update ``key`` in its own transaction; returns the commit SCN."""
    with engine.transaction() as tx:
        if as_of(engine, engine.current_scn(), key=key):
            engine.update("orders", key, Row(key, {"status": status}))
        else:
            engine.insert("orders", Row(key, {"status": status}))
    return tx.scn


# --- visibility -----------------------------------------------------------------------------


def test_commit_visible_at_its_scn_and_not_before(orders: TemporalEngine) -> None:
    created = orders.current_scn()
    s1 = put(orders, b"a", b"v1")
    s2 = put(orders, b"a", b"v2")
    s3 = put(orders, b"b", b"v1")
    assert (s1, s2, s3) == (created + 1, created + 2, created + 3)
    assert as_of(orders, created) == {}  # between creation and first insert: empty, no error
    assert as_of(orders, s1 - 1) == {}
    assert as_of(orders, s1) == {b"a": {"status": b"v1"}}
    assert as_of(orders, s2 - 1) == {b"a": {"status": b"v1"}}  # half-open: [s1, s2)
    assert as_of(orders, s2) == {b"a": {"status": b"v2"}}
    assert as_of(orders, s3) == {b"a": {"status": b"v2"}, b"b": {"status": b"v1"}}
    assert as_of(orders, s3, key=b"b") == {b"b": {"status": b"v1"}}
    # a version's start SCN fed back into AS OF gives that version
    history = orders.query("orders", TemporalQuery.KeyHistory(b"a"))
    for version in history:
        assert as_of(orders, version.start_scn, key=b"a") == {b"a": version.columns}
        if version.end_scn is not None:
            assert as_of(orders, version.end_scn - 1, key=b"a") == {b"a": version.columns}


def test_delete_is_visible_at_its_scn(orders: TemporalEngine) -> None:
    s1 = put(orders, b"a", b"v1")
    orders.delete("orders", b"a")
    d = orders.current_scn()
    assert as_of(orders, d - 1) == {b"a": {"status": b"v1"}} and d - 1 == s1
    assert as_of(orders, d) == {}
    with fails_cleanly(orders, KeyNotFound, "ORA-01403"):
        orders.delete("orders", b"a")


def test_time_maps_to_last_commit_at_or_before(orders: TemporalEngine, clock: FakeClock) -> None:
    t1 = clock.advance(minutes=1)
    s1 = put(orders, b"a", b"v1")
    t2 = clock.advance(minutes=1)
    s2 = put(orders, b"a", b"v2")
    clock.advance(minutes=1)
    assert orders.scn_to_timestamp(s1) == t1
    assert orders.scn_to_timestamp(s2) == t2
    assert orders.timestamp_to_scn(t1) == s1  # a commit stamped exactly t is included
    assert orders.timestamp_to_scn(t2 - timedelta(microseconds=1)) == s1
    assert orders.timestamp_to_scn(t2) == s2
    assert orders.timestamp_to_scn(clock()) == s2
    for t, status in ((t1, b"v1"), (t2 - timedelta(microseconds=1), b"v1"), (t2, b"v2")):
        assert orders.query("orders", TemporalQuery.KeyAsOf(b"a", t))[0].columns == {
            "status": status}
    assert orders.query("orders", TemporalQuery.KeyAsOf(b"a", t1 - timedelta(seconds=1))) == []


def test_timestamp_errors(orders: TemporalEngine, clock: FakeClock) -> None:
    first = orders.scn_to_timestamp(1)
    put(orders, b"a", b"v1")
    clock.advance(minutes=1)
    with fails_cleanly(orders, NoSnapshot, "ORA-08180"):
        orders.timestamp_to_scn(first - timedelta(microseconds=1))
    with fails_cleanly(orders, InvalidTimestamp, "ORA-08186"):
        orders.timestamp_to_scn(clock() + timedelta(seconds=1))
    with fails_cleanly(orders, InvalidTimestamp, "ORA-08186"):
        orders.query("orders", TemporalQuery.AsOf(clock() + timedelta(days=1)))
    with fails_cleanly(orders, InvalidTimestamp, "ORA-08186"):
        orders.query("orders", TemporalQuery.KeyAsOf(b"a", clock() + timedelta(days=1)))
    with fails_cleanly(orders, InvalidTimestamp, "ORA-08186"):
        orders.timestamp_to_scn("yesterday")  # type: ignore[arg-type]
    for bad in (0, -1, orders.current_scn() + 1, 1.5, "2", True, None):
        with fails_cleanly(orders, InvalidScn, "ORA-08181"):
            orders.scn_to_timestamp(bad)  # type: ignore[arg-type]
    with fails_cleanly(orders, InvalidScn, "ORA-08181"):
        orders.record_scn(orders.current_scn() + 1, clock(), None)


def test_commit_times_strictly_increase_when_the_clock_steps_back(
        orders: TemporalEngine, clock: FakeClock) -> None:
    clock.advance(hours=1)
    s1 = put(orders, b"a", b"v1")
    clock.advance(hours=-2)  # the wall clock steps back
    s2 = put(orders, b"a", b"v2")
    s3 = put(orders, b"a", b"v3")  # and stands still
    times = [orders.scn_to_timestamp(s) for s in (s1, s2, s3)]
    assert times[0] < times[1] < times[2]
    # every commit time maps back to its own SCN, even while the clock lags behind
    for scn, t in zip((s1, s2, s3), times, strict=True):
        assert orders.timestamp_to_scn(t) == scn
    assert orders.query("orders", TemporalQuery.KeyAsOf(b"a", times[2]))[0].columns == {
        "status": b"v3"}
    assert [v.valid_from for v in orders.query("orders", TemporalQuery.KeyHistory(b"a"))] \
        == times


def test_flashback_boundaries(engine: TemporalEngine) -> None:
    put_scn = engine.allocate_scn()  # an SCN from before the table existed
    engine.create_temporal_table(TemporalTable("orders"))
    created = engine.current_scn()
    put(engine, b"a", b"v1")
    assert as_of(engine, created) == {}
    with fails_cleanly(engine, DefinitionChanged, "ORA-01466"):
        as_of(engine, put_scn)
    with fails_cleanly(engine, DefinitionChanged, "ORA-01466"):
        as_of(engine, created - 1)
    for bad in (engine.current_scn() + 1, 10**9, -1, 0, 2.0, "3", True, None):
        with fails_cleanly(engine, InvalidScn, "ORA-08181"):
            as_of(engine, bad)  # type: ignore[arg-type]
    with fails_cleanly(engine, NoSuchTable, "ORA-00942"):
        engine.execute_flashback("order", FlashbackQuery.AsOfScn(created, "order"))


# --- one version per row and transaction ----------------------------------------------


def test_insert_then_update_in_one_transaction_is_one_insert(orders: TemporalEngine) -> None:
    with orders.transaction() as tx:
        orders.insert("orders", Row(b"a", {"status": b"new"}))
        orders.update("orders", b"a", Row(b"a", {"status": b"paid"}))
        orders.update("orders", b"a", Row(b"a", {"status": b"shipped"}))
    scn = orders.current_scn()
    assert tx_versions(orders, tx.xid) == [("I", b"a", {"status": b"shipped"}, scn)]
    assert [(v.operation, v.columns) for v in orders.query(
        "orders", TemporalQuery.KeyHistory(b"a"))] == [(INS, {"status": b"shipped"})]


def test_several_updates_in_one_transaction_are_one_update(orders: TemporalEngine) -> None:
    s1 = put(orders, b"a", b"new")
    with orders.transaction() as tx:
        for status in (b"paid", b"packed", b"shipped"):
            orders.update("orders", b"a", Row(b"a", {"status": status}))
    s2 = orders.current_scn()
    assert tx_versions(orders, tx.xid) == [("U", b"a", {"status": b"shipped"}, s2)]
    assert versions(orders, s1, s2) == [
        (s1, s2, tx.xid - 1, "I", b"a", {"status": b"new"}),
        (s2, None, tx.xid, "U", b"a", {"status": b"shipped"}),
    ]


def test_update_then_delete_is_one_marker_with_last_committed_values(
        orders: TemporalEngine) -> None:
    s1 = put(orders, b"a", b"committed")
    put(orders, b"b", b"other")
    with orders.transaction() as tx:
        orders.update("orders", b"a", Row(b"a", {"status": b"uncommitted 1"}))
        orders.update("orders", b"a", Row(b"a", {"status": b"uncommitted 2"}))
        orders.delete("orders", b"a")
    d = orders.current_scn()
    assert tx_versions(orders, tx.xid) == [("D", b"a", {"status": b"committed"}, d)]
    assert versions(orders, s1, d, key=b"a") == [
        (s1, d, tx.xid - 2, "I", b"a", {"status": b"committed"}),
        (d, None, tx.xid, "D", b"a", {"status": b"committed"}),
    ]
    assert as_of(orders, d) == {b"b": {"status": b"other"}}


def test_update_then_delete_via_delete_where(orders: TemporalEngine) -> None:
    put(orders, b"a", b"committed")
    put(orders, b"b", b"kept")
    with orders.transaction() as tx:
        orders.update("orders", b"a", Row(b"a", {"status": b"changed"}))
        assert orders.delete_where("orders", "status = 'changed'::BLOB") == 1
    assert tx_versions(orders, tx.xid) == [
        ("D", b"a", {"status": b"committed"}, orders.current_scn())]


def test_insert_then_delete_in_one_transaction_leaves_nothing(orders: TemporalEngine) -> None:
    before = put(orders, b"x", b"unrelated")
    with orders.transaction() as tx:
        orders.insert("orders", Row(b"a", {"status": b"new"}))
        orders.update("orders", b"a", Row(b"a", {"status": b"paid"}))
        orders.delete("orders", b"a")
    after = orders.current_scn()
    assert tx_versions(orders, tx.xid) == []
    assert orders.query("orders", TemporalQuery.KeyHistory(b"a")) == []
    assert [v[4] for v in versions(orders, before, after)] == [b"x"]


@pytest.mark.parametrize("typed", [False, True])
def test_delete_and_reinsert_same_key_is_two_rows(engine: TemporalEngine, typed: bool) -> None:
    if typed:
        engine.create_temporal_table(TemporalTable(
            "orders", {"key": "BLOB", "status": "BLOB"}, primary_key="key"))
    else:
        engine.create_temporal_table(TemporalTable("orders"))
    s1 = put(engine, b"a", b"old")
    with engine.transaction() as tx:
        engine.delete("orders", b"a")
        engine.insert("orders", Row(b"a", {"status": b"new"}))
    s2 = engine.current_scn()
    assert sorted(tx_versions(engine, tx.xid)) == [
        ("D", b"a", {"status": b"old"}, s2),
        ("I", b"a", {"status": b"new"}, s2),
    ]
    full = engine.execute_versions("orders", FlashbackQuery.VersionsBetweenScn(
        s1, s2, "orders")).versions
    assert {v.version_xid for v in full if v.version_start_scn == s2} == {tx.xid}
    assert as_of(engine, s2) == {b"a": {"status": b"new"}}
    assert as_of(engine, s1) == {b"a": {"status": b"old"}}


# --- rollback ---------------------------------------------------------------------------------


def test_explicit_rollback_leaves_no_trace(orders: TemporalEngine) -> None:
    put(orders, b"a", b"v1")
    before = db_state(orders)
    with orders.transaction() as tx:
        orders.insert("orders", Row(b"b", {"status": b"new", "extra": b"new column"}))
        orders.update("orders", b"a", Row(b"a", {"status": b"v2"}))
        orders.create_temporal_table(TemporalTable("ghost"))
        assert orders.allocate_scn() == before["current_scn"] + 1
        tx.rollback()
    assert db_state(orders) == before
    with fails_cleanly(orders, NoSuchTable, "ORA-00942"):
        orders.query("ghost", TemporalQuery.KeyHistory(b"a"))
    # the next transaction takes the SCN the rolled-back one would have had
    s = put(orders, b"c", b"v1")
    assert s == before["current_scn"] + 1
    assert orders.last_xid == before["last_xid"] + 1


def test_exception_in_transaction_rolls_back(orders: TemporalEngine) -> None:
    put(orders, b"a", b"v1")
    before = db_state(orders)
    with pytest.raises(RuntimeError, match="boom"), orders.transaction():
        orders.create_temporal_table(TemporalTable("ghost"))
        orders.insert("ghost", Row(b"g", {"v": b"1"}))
        orders.delete("orders", b"a")
        raise RuntimeError("boom")
    assert db_state(orders) == before
    assert orders.list_tables() == ["orders"]
    with fails_cleanly(orders, NoSuchTable, "ORA-00942"):
        orders.insert("ghost", Row(b"g", {"v": b"1"}))


def test_engine_error_inside_transaction_rolls_back(orders: TemporalEngine) -> None:
    put(orders, b"a", b"v1")
    before = db_state(orders)
    with pytest.raises(KeyNotFound), orders.transaction():
        orders.insert("orders", Row(b"b", {"status": b"v1"}))
        orders.update("orders", b"missing", Row(b"missing", {"status": b"x"}))
    assert db_state(orders) == before


def test_failed_statement_undoes_only_itself(orders: TemporalEngine) -> None:
    put(orders, b"a", b"v1")
    with orders.transaction():
        orders.update("orders", b"a", Row(b"a", {"status": b"v2"}))
        with pytest.raises(ProgrammingError):
            orders.update_where("orders", {"status": "no_such_function(1)"})
        orders.insert("orders", Row(b"b", {"status": b"v1"}))
    assert as_of(orders, orders.current_scn()) == {b"a": {"status": b"v2"},
                                                   b"b": {"status": b"v1"}}


def test_without_statement_rollback_a_failed_statement_aborts_the_transaction() -> None:
    engine = TemporalEngine(":memory:", statement_rollback=False)
    engine.create_temporal_table(TemporalTable("orders", None, None))
    put(engine, b"a", b"v1")
    before = db_state(engine)
    with engine.transaction() as tx:
        engine.update("orders", b"a", Row(b"a", {"status": b"v2"}))
        with pytest.raises(ProgrammingError):
            engine.update_where("orders", {"status": "no_such_function(1)"})
        with pytest.raises(TransactionError, match="aborted by an earlier error"):
            engine.insert("orders", Row(b"b", {"status": b"v1"}))
        tx.rollback()
    assert db_state(engine) == before
    engine.close()


def test_nested_transaction_is_refused(orders: TemporalEngine) -> None:
    with orders.transaction(), fails_cleanly(orders, TransactionError):
        orders.transaction()


def test_flashback_inside_a_transaction_sees_only_committed_state(
        orders: TemporalEngine) -> None:
    s = put(orders, b"a", b"committed")
    with orders.transaction() as tx:
        orders.update("orders", b"a", Row(b"a", {"status": b"pending"}))
        orders.insert("orders", Row(b"b", {"status": b"pending"}))
        assert as_of(orders, s) == {b"a": {"status": b"committed"}}
        assert as_of(orders, orders.current_scn()) == {b"a": {"status": b"committed"}}
        tx.rollback()


def test_each_write_transaction_gets_one_scn_and_xid(orders: TemporalEngine) -> None:
    scn, xid = orders.current_scn(), orders.last_xid
    with orders.transaction() as tx:
        orders.insert("orders", Row(b"a", {"status": b"1"}))
        orders.insert("orders", Row(b"b", {"status": b"1"}))
        orders.update("orders", b"a", Row(b"a", {"status": b"2"}))
        assert tx.scn == scn + 1 and tx.xid == xid + 1
        assert orders.current_scn() == scn  # not visible before commit
    assert orders.current_scn() == scn + 1 and orders.last_xid == xid + 1
    with orders.transaction():  # a read-only transaction takes no SCN
        orders.query("orders", TemporalQuery.KeyHistory(b"a"))
    assert orders.current_scn() == scn + 1 and orders.last_xid == xid + 1


def test_allocate_scn(orders: TemporalEngine) -> None:
    before = db_state(orders)
    scn = orders.allocate_scn()
    assert scn == before["current_scn"] + 1 == orders.current_scn()
    assert orders.last_xid == before["last_xid"]  # an SCN alone is no transaction
    with orders.transaction():
        inside = orders.allocate_scn()
        orders.insert("orders", Row(b"a", {"status": b"1"}))
    assert inside == scn + 1 == orders.current_scn()


# --- VERSIONS BETWEEN: rows and pseudocolumns ------------------------------------


@pytest.fixture
def timeline(orders: TemporalEngine) -> dict[str, int]:
    """a: I@s1, U@s2, U@s4; b: I@s1, D@s3; c: I@s3 (other xid); nothing else."""
    with orders.transaction():
        orders.insert("orders", Row(b"a", {"status": b"a1"}))
        orders.insert("orders", Row(b"b", {"status": b"b1"}))
    s1 = orders.current_scn()
    orders.update("orders", b"a", Row(b"a", {"status": b"a2"}))
    s2 = orders.current_scn()
    with orders.transaction():
        orders.delete("orders", b"b")
        orders.insert("orders", Row(b"c", {"status": b"c1"}))
    s3 = orders.current_scn()
    orders.update("orders", b"a", Row(b"a", {"status": b"a3"}))
    s4 = orders.current_scn()
    xids = {scn: orders.execute_versions("orders", FlashbackQuery.VersionsBetweenScn(
        scn, scn, "orders")).versions for scn in (s1, s2, s3, s4)}
    x = {scn: {v.version_xid for v in vs if v.version_start_scn == scn} for scn, vs in
         xids.items()}
    assert all(len(v) == 1 for v in x.values())
    return {"s1": s1, "s2": s2, "s3": s3, "s4": s4,
            **{f"x{i}": x[s].pop() for i, s in enumerate((s1, s2, s3, s4), 1)}}


def test_versions_full_window(orders: TemporalEngine, timeline: dict[str, int]) -> None:
    t = timeline
    s1, s2, s3, s4 = t["s1"], t["s2"], t["s3"], t["s4"]
    assert versions(orders, s1, s4) == [
        (s1, s2, t["x1"], "I", b"a", {"status": b"a1"}),
        (s2, s4, t["x2"], "U", b"a", {"status": b"a2"}),
        (s4, None, t["x4"], "U", b"a", {"status": b"a3"}),  # current: end NULL
        (s1, s3, t["x1"], "I", b"b", {"status": b"b1"}),
        (s3, None, t["x3"], "D", b"b", {"status": b"b1"}),  # marker: end NULL
        (s3, None, t["x3"], "I", b"c", {"status": b"c1"}),
    ]
    assert versions(orders, None, None) == versions(orders, s1 - 1, s4)  # MINVALUE/MAXVALUE


def test_versions_window_starting_mid_history(orders: TemporalEngine,
                                              timeline: dict[str, int]) -> None:
    t = timeline
    s1, s2, s3, s4 = t["s1"], t["s2"], t["s3"], t["s4"]
    # lo = s2 is a commit SCN: the version created at lo shows its SCN, XID and
    # operation, the version it replaced (ending at lo) is omitted; b's version
    # existed before lo: start, XID and operation NULL, real end.
    assert versions(orders, s2, s3) == [
        (s2, s4, t["x2"], "U", b"a", {"status": b"a2"}),  # end beyond hi: real end
        (None, s3, None, None, b"b", {"status": b"b1"}),
        (s3, None, t["x3"], "D", b"b", {"status": b"b1"}),
        (s3, None, t["x3"], "I", b"c", {"status": b"c1"}),  # starts exactly at hi: included
    ]
    # A window opening at the delete: the marker, but not the deleted version.
    assert versions(orders, s3, s3, key=b"b") == [(s3, None, t["x3"], "D", b"b",
                                                   {"status": b"b1"})]
    # A version valid before and after the window, superseded later: start NULL, real end.
    assert versions(orders, s3, s3, key=b"a") == [(None, s4, None, None, b"a",
                                                   {"status": b"a2"})]
    # A current version spanning the whole window: start and end both NULL.
    assert versions(orders, s4, s4, key=b"c") == [(None, None, None, None, b"c",
                                                   {"status": b"c1"})]
    # A window before anything happened to c: no rows for it.
    assert versions(orders, s1, s2, key=b"c") == []


def test_versions_bound_errors(orders: TemporalEngine, timeline: dict[str, int]) -> None:
    t = timeline
    with fails_cleanly(orders, InvalidVersionRange, "ORA-30054"):
        versions(orders, t["s3"], t["s2"])
    with fails_cleanly(orders, InvalidVersionRange, "ORA-30053"):
        versions(orders, t["s1"], t["s4"] + 1)
    with fails_cleanly(orders, DefinitionChanged, "ORA-01466"):
        versions(orders, 1, t["s2"])
    for bad in (-1, 1.5, "3"):
        with fails_cleanly(orders, InvalidScn, "ORA-08181"):
            versions(orders, bad, t["s2"])  # type: ignore[arg-type]
    with fails_cleanly(orders, NoSuchTable, "ORA-00942"):
        orders.execute_versions("ordres", FlashbackQuery.VersionsBetweenScn(
            t["s1"], t["s2"], "ordres"))


def test_temporal_queries_agree_with_scn_queries(orders: TemporalEngine, clock: FakeClock
                                                 ) -> None:
    times = []
    for status in (b"1", b"2", b"3"):
        clock.advance(minutes=10)
        put(orders, b"a", status)
        times.append(clock())
    clock.advance(minutes=10)
    between = orders.query("orders", TemporalQuery.KeyBetween(
        b"a", times[1], times[2] - timedelta(seconds=1)))
    assert [v.columns["status"] for v in between] == [b"2"]
    assert [v.columns["status"] for v in orders.query("orders", TemporalQuery.Between(
        times[0] + timedelta(seconds=1), times[1]))] == [b"1", b"2"]
    with fails_cleanly(orders, InvalidVersionRange, "ORA-30054"):
        orders.query("orders", TemporalQuery.Between(times[2], times[0]))


# --- hidden system columns -------------------------------------------------------------------


def test_hidden_columns_never_appear(orders: TemporalEngine) -> None:
    orders.create_temporal_table(TemporalTable("accounts", {"id": "BIGINT", "note": "VARCHAR"},
                                               primary_key="id"))
    put(orders, b"a", b"v1")
    put(orders, b"a", b"v2")
    orders.insert("accounts", {"id": 1, "note": "x"})
    orders.update("accounts", 1, {"note": "y"})
    orders.delete("accounts", 1)
    scn = orders.current_scn()
    results = [
        *orders.query("orders", TemporalQuery.KeyHistory(b"a")),
        *orders.query("accounts", TemporalQuery.KeyHistory(1)),
        *orders.execute_flashback("orders", FlashbackQuery.AsOfScn(scn, "orders")).rows,
        *[v.row for v in orders.execute_versions(
            "accounts", FlashbackQuery.VersionsBetweenScn(None, None, "accounts")).versions],
    ]
    assert len(results) == 2 + 3 + 1 + 3
    for row in results:
        assert not [c for c in row.columns if c.startswith("__")], row
    assert {tuple(r.columns) for r in results} == {("status",), ("note",)}
    cur = orders.backend.cursor()
    orders.insert("accounts", {"id": 2, "note": "z"})
    cur.execute("SELECT * FROM orders")
    assert [d[0] for d in cur.description] == ["key", "status"]
    assert cur.fetchall() == [(b"a", b"v2")]
    cur.execute("SELECT * FROM accounts")
    assert [d[0] for d in cur.description] == ["id", "note"]
    assert cur.fetchall() == [(2, "z")]
    with fails_cleanly(orders, ProgrammingError):
        orders.add_column("accounts", "__start_scn", "BIGINT")
    with fails_cleanly(orders, ProgrammingError):
        orders.create_temporal_table(TemporalTable("bad", {"__rowid": "BIGINT"}))


def test_table_created_and_filled_in_one_transaction(engine: TemporalEngine) -> None:
    before = engine.current_scn()
    with engine.transaction():
        engine.create_temporal_table(TemporalTable("orders"))
        engine.insert("orders", Row(b"a", {"status": b"new"}))
    scn = engine.current_scn()
    assert scn == before + 1
    assert as_of(engine, scn) == {b"a": {"status": b"new"}}
    with fails_cleanly(engine, DefinitionChanged, "ORA-01466"):
        as_of(engine, before)


def test_transaction_query_is_per_table(engine: TemporalEngine) -> None:
    engine.create_temporal_table(TemporalTable("orders"))
    engine.create_temporal_table(TemporalTable("items", {"id": "INT"}, primary_key="id"))
    ddl_xid = engine.last_xid
    with engine.transaction() as tx:
        engine.insert("orders", Row(b"a", {"status": b"new"}))
        engine.insert_batch("items", [{"id": 1}, {"id": 2}])
    assert tx_versions(engine, tx.xid) == [("I", b"a", {"status": b"new"}, tx.scn)]
    assert [(op, key) for op, key, *_ in tx_versions(engine, tx.xid, "items")] == [
        ("I", 1), ("I", 2)]
    assert tx_versions(engine, ddl_xid, "items") == []  # a DDL transaction changed no rows


def test_a_caught_error_does_not_end_the_transaction(orders: TemporalEngine) -> None:
    with orders.transaction():
        orders.insert("orders", Row(b"a", {"status": b"1"}))
        with pytest.raises(KeyNotFound):
            orders.update("orders", b"missing", Row(b"missing", {"status": b"x"}))
        orders.insert("orders", Row(b"b", {"status": b"1"}))
    assert as_of(orders, orders.current_scn()) == {b"a": {"status": b"1"},
                                                   b"b": {"status": b"1"}}


def test_close_rolls_back_the_open_transaction(tmp_path, clock: FakeClock) -> None:
    path = tmp_path / "db.duckdb"
    engine = TemporalEngine(path, clock=clock)
    engine.create_temporal_table(TemporalTable("orders"))
    scn = engine.current_scn()
    engine.transaction().__enter__()
    engine.insert("orders", Row(b"a", {"status": b"lost"}))
    engine.close()
    with TemporalEngine(path, clock=clock) as reopened:
        assert reopened.current_scn() == scn
        assert as_of(reopened, scn) == {}


def test_names_are_case_insensitive_and_quoted(engine: TemporalEngine) -> None:
    engine.create_temporal_table(TemporalTable(
        'Order "Items"', {"Full Name": "VARCHAR", "id": "INT", "select": "INT"},
        primary_key="id"))
    engine.insert('order "items"', {"full name": "x", "ID": 1, "select": 2})
    engine.update_where('ORDER "ITEMS"', {"FULL NAME": "\"Full Name\" || '!'"}, '"select" > 1')
    cur = engine.backend.cursor()
    assert cur.execute('SELECT * FROM "Order ""Items"""').fetchall() == [("x!", 1, 2)]
    assert [v.columns for v in engine.query('Order "Items"', TemporalQuery.KeyHistory(1))] == [
        {"Full Name": "x", "select": 2}, {"Full Name": "x!", "select": 2}]
    engine.create_temporal_table(TemporalTable("kv"))
    engine.insert("kv", Row(b"k", {"a b": b"1", 'q"x': b"2"}))
    assert as_of(engine, engine.current_scn(), "kv") == {b"k": {"a b": b"1", 'q"x': b"2"}}


def test_times_before_the_table_give_empty_answers(engine: TemporalEngine,
                                                   clock: FakeClock) -> None:
    before_db = engine.scn_to_timestamp(1) - timedelta(days=1)
    clock.advance(minutes=1)
    engine.create_temporal_table(TemporalTable("orders"))
    before_table = clock() - timedelta(seconds=1)
    clock.advance(minutes=1)
    put(engine, b"a", b"v1")
    clock.advance(minutes=1)
    for t in (before_db, before_table):
        assert engine.query("orders", TemporalQuery.AsOf(t)) == []
        assert engine.query("orders", TemporalQuery.KeyAsOf(b"a", t)) == []
        assert engine.query("orders", TemporalQuery.To(t)) == []
    assert len(engine.query("orders", TemporalQuery.From(before_db))) == 1
    assert len(engine.query("orders", TemporalQuery.Between(before_db, clock()))) == 1


def test_time_window_boundaries(orders: TemporalEngine, clock: FakeClock) -> None:
    """The VERSIONS window in the time domain: a version qualifies when ts(start) <= hi
    and ts(end) > lo; a delete marker when lo <= ts(delete) <= hi."""
    t1 = clock.advance(minutes=1)
    orders.insert("orders", Row(b"a", {"v": b"1"}))
    t2 = clock.advance(minutes=1)
    orders.update("orders", b"a", Row(b"a", {"v": b"2"}))
    t3 = clock.advance(minutes=1)
    orders.delete("orders", b"a")
    t4 = clock.advance(minutes=1)
    orders.insert("orders", Row(b"b", {"v": b"1"}))
    clock.advance(minutes=1)
    tick = timedelta(microseconds=1)

    def q(query: object) -> list[tuple]:
        return [(r.key, r.columns["v"], r.operation.code()) for r in orders.query("orders",
                                                                                    query)]

    a1, a2, a_del, b1 = (b"a", b"1", "I"), (b"a", b"2", "U"), (b"a", b"2", "D"), (b"b", b"1", "I")
    assert q(TemporalQuery.Between(t2, t3)) == [a2, a_del]  # a1 ended exactly at lo
    assert q(TemporalQuery.Between(t1, t2)) == [a1, a2]  # a2 starts exactly at hi
    assert q(TemporalQuery.Between(t3, t4)) == [a_del, b1]  # marker exactly at lo
    assert q(TemporalQuery.Between(t2 + tick, t3 - tick)) == [a2]
    assert q(TemporalQuery.KeyBetween(b"a", t3, t3)) == [a_del]
    assert q(TemporalQuery.From(t3)) == [a_del, b1]
    assert q(TemporalQuery.From(t3 - tick)) == [a2, a_del, b1]
    assert q(TemporalQuery.To(t2)) == [a1, a2]
    assert q(TemporalQuery.To(t3)) == [a1, a2, a_del]
    assert q(TemporalQuery.To(t3 - tick)) == [a1, a2]


def test_errors_say_what_was_asked_and_why(orders: TemporalEngine, clock: FakeClock) -> None:
    clock.advance(minutes=1)
    put(orders, b"a", b"v1")
    put(orders, b"a", b"v2")
    scn = orders.current_scn()
    future = clock() + timedelta(days=1)
    ancient = orders.scn_to_timestamp(1) - timedelta(days=1)
    cases = [
        (lambda: as_of(orders, scn + 5), InvalidScn, [str(scn + 5), str(scn)]),
        (lambda: as_of(orders, 1), DefinitionChanged, ["orders", "SCN 1"]),
        (lambda: orders.timestamp_to_scn(ancient), NoSnapshot, [ancient.isoformat()]),
        (lambda: orders.timestamp_to_scn(future), InvalidTimestamp, [future.isoformat()]),
        (lambda: versions(orders, scn - 1, scn + 7), InvalidVersionRange, [str(scn + 7)]),
        (lambda: versions(orders, scn, scn - 1), InvalidVersionRange,
         [str(scn), str(scn - 1)]),
        (lambda: orders.delete("orders", b"zz"), KeyNotFound, ["zz", "orders"]),
        (lambda: orders.insert("orders", Row(b"a", {"status": b"x"})), DuplicateKey,
         ["ORDERS", "key: a already exists"]),
        (lambda: orders.query("orderz", TemporalQuery.KeyHistory(b"a")), NoSuchTable,
         ["orderz", "did you mean 'orders'"]),
    ]
    for call, error, words in cases:
        with fails_cleanly(orders, error) as info:
            call()
        text = str(info.value)
        assert info.value.code is None or text.startswith(info.value.code + ": ")
        for word in words:
            assert word in text, (text, word)


def test_window_end_in_the_future_reaches_the_present(orders: TemporalEngine,
                                                      clock: FakeClock) -> None:
    t0 = clock.advance(minutes=1)
    put(orders, b"a", b"v1")
    clock.advance(minutes=1)
    put(orders, b"a", b"v2")
    now = clock.advance(minutes=1)
    future = now + timedelta(days=365)
    assert orders.query("orders", TemporalQuery.Between(t0, future)) == orders.query(
        "orders", TemporalQuery.Between(t0, now))
    assert orders.query("orders", TemporalQuery.To(future)) == orders.query(
        "orders", TemporalQuery.To(now))
    assert len(orders.query("orders", TemporalQuery.To(future))) == 2
    with fails_cleanly(orders, InvalidTimestamp, "ORA-08186"):
        orders.query("orders", TemporalQuery.From(future))

"""The seed document's examples, run almost line by line through the Python API.

Wall-clock times of the seed ("1 hour ago", "yesterday") are driven by the
injected fake clock, so every expected answer is exact.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from heliosql.storage import (
    AsyncTemporalEngine,
    CleanupStrategy,
    FlashbackQuery,
    HeliosError,
    InvalidVersionRange,
    KeyNotFound,
    NoSuchTable,
    RetentionPolicy,
    Row,
    SnapshotTooOld,
    StorageError,
    TemporalEngine,
    TemporalQuery,
    TemporalTable,
    VersionOperation,
)

from .conftest import FakeClock, db_state, fails_cleanly, rows_by_key


@pytest.fixture
def engine(tmp_path: Path, clock: FakeClock) -> Iterator[TemporalEngine]:
    """The seed's engine: ``TemporalEngine::new("./data/temporal")``, with the fake clock."""
    with TemporalEngine(tmp_path / "data" / "temporal", clock=clock) as eng:
        yield eng


def test_basic_setup_creates_directory_database(tmp_path: Path) -> None:
    # let engine = TemporalEngine::new("./data/temporal").await?;
    path = tmp_path / "data" / "temporal"
    engine = TemporalEngine(path)
    table = TemporalTable("orders", None, None)
    engine.create_temporal_table(table)
    assert engine.list_tables() == ["orders"]
    engine.close()
    assert path.is_dir()
    assert (path / "heliosql.duckdb").is_file()
    with TemporalEngine(path) as reopened:
        assert reopened.list_tables() == ["orders"]


def test_example_1_basic_time_travel(orders: TemporalEngine, clock: FakeClock) -> None:
    engine = orders
    clock.advance(minutes=1)
    columns = {}
    columns["customer"] = b"John Doe"
    columns["amount"] = b"100.00"
    columns["status"] = b"pending"
    row = Row(b"order_123", columns)
    engine.insert("orders", row)
    # Save timestamp
    timestamp_v1 = clock()
    clock.advance(minutes=5)
    # Update order status
    columns = {"customer": b"John Doe", "amount": b"100.00", "status": b"shipped"}
    row = Row(b"order_123", columns)
    engine.update("orders", b"order_123", row)
    # Query as of first timestamp - see original state
    results = engine.query("orders", TemporalQuery.KeyAsOf(b"order_123", timestamp_v1))
    assert results[0].columns.get("status") == b"pending"
    assert len(results) == 1
    assert results[0].key == b"order_123"
    assert results[0].columns == {"customer": b"John Doe", "amount": b"100.00",
                                  "status": b"pending"}
    # ... and now the order is shipped
    now = engine.query("orders", TemporalQuery.KeyAsOf(b"order_123", clock()))
    assert now[0].columns["status"] == b"shipped"


def test_example_2_audit_trail(engine: TemporalEngine, clock: FakeClock) -> None:
    engine.create_temporal_table(TemporalTable("accounts", None, None))
    account_key = b"account_456"
    # Initial deposit
    clock.advance(hours=1)
    engine.insert("accounts", Row(account_key, {"balance": b"1000.00",
                                                "last_change": b"deposit"}))
    # Withdrawal
    clock.advance(hours=1)
    engine.update("accounts", account_key,
                  Row(account_key, {"balance": b"750.00", "last_change": b"withdrawal"}))
    # Another withdrawal
    clock.advance(hours=1)
    engine.update("accounts", account_key,
                  Row(account_key, {"balance": b"500.00", "last_change": b"withdrawal"}))
    # Get complete history
    history = engine.query("accounts", TemporalQuery.KeyHistory(account_key))
    assert len(history) == 3
    lines = [
        f"Version {i + 1}: balance={v.columns.get('balance').decode()}, "
        f"change={v.columns.get('last_change').decode()}"
        for i, v in enumerate(history)
    ]
    assert lines == [
        "Version 1: balance=1000.00, change=deposit",
        "Version 2: balance=750.00, change=withdrawal",
        "Version 3: balance=500.00, change=withdrawal",
    ]
    assert [v.operation.code() for v in history] == ["I", "U", "U"]
    # The versions tile time: each ends where the next starts; the last is current.
    assert history[0].valid_to == history[1].valid_from
    assert history[1].valid_to == history[2].valid_from
    assert history[0].end_scn == history[1].start_scn
    assert history[2].valid_to is None and history[2].end_scn is None
    assert [v.valid_from for v in history] == [
        clock() - timedelta(hours=2), clock() - timedelta(hours=1), clock()]


def test_example_3_point_in_time_recovery(engine: TemporalEngine, clock: FakeClock) -> None:
    engine.create_temporal_table(TemporalTable("critical_data", None, None))
    start = clock.advance(hours=1)
    engine.insert_batch("critical_data", [
        Row(b"r1", {"value": b"alpha", "checksum": b"1"}),
        Row(b"r2", {"value": b"beta", "checksum": b"2"}),
        Row(b"r3", {"value": b"gamma", "checksum": b"3"}),
    ])
    clock.set(start + timedelta(hours=1))
    engine.update("critical_data", b"r2", Row(b"r2", {"value": b"beta-2", "checksum": b"22"}))
    clock.set(start + timedelta(hours=2, minutes=30))
    engine.update("critical_data", b"r1", Row(b"r1", {"value": b"###", "checksum": b"bad"}))
    engine.update("critical_data", b"r3", Row(b"r3", {"value": b"###", "checksum": b"bad"}))
    clock.set(start + timedelta(hours=3))

    # Simulate data corruption at current time
    corrupt_time = clock()
    # Recover to state from 1 hour ago
    recovery_point = corrupt_time - timedelta(hours=1)
    # Query all data as of recovery point
    recovered_data = engine.query("critical_data", TemporalQuery.AsOf(recovery_point))
    clock.advance(minutes=1)
    # Restore each row
    for row in recovered_data:
        engine.update("critical_data", row.key, row)
    message = f"Recovery complete: restored {len(recovered_data)} rows"
    assert message == "Recovery complete: restored 3 rows"

    expected = {
        b"r1": {"value": b"alpha", "checksum": b"1"},
        b"r2": {"value": b"beta-2", "checksum": b"22"},
        b"r3": {"value": b"gamma", "checksum": b"3"},
    }
    assert rows_by_key(recovered_data) == expected
    clock.advance(minutes=1)
    assert rows_by_key(engine.query("critical_data", TemporalQuery.AsOf(clock()))) == expected
    # The corruption itself stays in history.
    corrupted = rows_by_key(engine.query("critical_data", TemporalQuery.AsOf(corrupt_time)))
    assert corrupted[b"r1"] == {"value": b"###", "checksum": b"bad"}


def test_example_4_change_tracking(engine: TemporalEngine, clock: FakeClock) -> None:
    engine.create_temporal_table(TemporalTable("inventory", None, None))
    day = datetime(2026, 3, 2, tzinfo=UTC)
    clock.set(day - timedelta(hours=9))  # yesterday 15:00
    engine.insert("inventory", Row(b"product_789", {"quantity": b"100"}))
    engine.insert("inventory", Row(b"product_000", {"quantity": b"1"}))
    clock.set(day - timedelta(hours=8))
    engine.delete("inventory", b"product_000")
    for hour, quantity in ((8, b"90"), (12, b"75"), (17, b"120")):
        clock.set(day + timedelta(hours=hour))
        engine.update("inventory", b"product_789", Row(b"product_789", {"quantity": quantity}))
    clock.set(day + timedelta(hours=20))

    # Track changes in a specific time window
    start_of_day = datetime.combine(clock().date(), time(0, 0, 0), tzinfo=UTC)
    end_of_day = start_of_day + timedelta(days=1)
    changes = engine.query(
        "inventory", TemporalQuery.KeyBetween(b"product_789", start_of_day, end_of_day))
    report = [f"Product had {len(changes)} changes today:"] + [
        f"At {change.valid_from:%H:%M}: quantity = {change.columns.get('quantity').decode()}"
        for change in changes
    ]
    # Every version valid at some instant of the day, oldest first: the one the
    # day started with (from yesterday) and the three made today.
    assert report == [
        "Product had 4 changes today:",
        "At 15:00: quantity = 100",
        "At 08:00: quantity = 90",
        "At 12:00: quantity = 75",
        "At 17:00: quantity = 120",
    ]
    assert changes[0].valid_from == day - timedelta(hours=9)
    # A product whose whole life lay before the day has no versions in it.
    assert engine.query(
        "inventory", TemporalQuery.KeyBetween(b"product_000", start_of_day, end_of_day)) == []


def test_example_5_flashback_queries(engine: TemporalEngine, clock: FakeClock) -> None:
    engine.create_temporal_table(TemporalTable("transactions", None, None))
    clock.advance(seconds=10)
    engine.insert("transactions", Row(b"txn_key", {"amount": b"10"}))
    engine.insert("transactions", Row(b"other", {"amount": b"99"}))
    clock.advance(seconds=10)

    # Record SCN for transaction
    scn = engine.allocate_scn()
    timestamp = clock()
    recorded = engine.record_scn(scn, timestamp, None)
    assert recorded == timestamp  # the SCN's exact commit time
    assert engine.current_scn() == scn
    # Perform transaction
    clock.advance(seconds=10)
    with engine.transaction():
        engine.update("transactions", b"txn_key", Row(b"txn_key", {"amount": b"20"}))
        engine.insert("transactions", Row(b"third", {"amount": b"1"}))
    clock.advance(seconds=10)
    engine.delete("transactions", b"txn_key")

    # Later, query using SCN
    query = FlashbackQuery.AsOfScn(scn=scn, table_name="transactions", filter_key=None)
    result = engine.execute_flashback("transactions", query)
    assert f"Found {len(result.rows)} rows at SCN {scn}" == f"Found 2 rows at SCN {scn}"
    assert rows_by_key(result.rows) == {b"txn_key": {"amount": b"10"},
                                        b"other": {"amount": b"99"}}

    # Query version history between two SCNs (real SCNs of this run, not 10000/20000)
    start_scn = scn
    end_scn = engine.current_scn()
    query = FlashbackQuery.VersionsBetweenScn(
        start_scn=start_scn, end_scn=end_scn, table_name="transactions",
        filter_key=b"txn_key")
    versions = engine.execute_versions("transactions", query)
    lines = [f"SCN {v.version_start_scn}: operation="
             f"{v.version_operation.code() if v.version_operation else None}"
             for v in versions.versions]
    assert lines == [
        "SCN None: operation=None",        # inserted before the window opened
        f"SCN {scn + 1}: operation=U",
        f"SCN {scn + 2}: operation=D",
    ]
    assert [v.row.columns["amount"] for v in versions.versions] == [b"10", b"20", b"20"]

    # The seed's literal upper bound 20000 lies beyond the current SCN: ORA-30053.
    beyond = FlashbackQuery.VersionsBetweenScn(start_scn=start_scn, end_scn=20000,
                                               table_name="transactions",
                                               filter_key=b"txn_key")
    with fails_cleanly(engine, InvalidVersionRange, "ORA-30053"):
        engine.execute_versions("transactions", beyond)
    one_beyond = FlashbackQuery.VersionsBetweenScn(scn, engine.current_scn() + 1,
                                                   "transactions")
    with fails_cleanly(engine, InvalidVersionRange, "ORA-30053"):
        engine.execute_versions("transactions", one_beyond)


def test_example_6_retention_management(engine: TemporalEngine, clock: FakeClock) -> None:
    t0 = clock.advance(minutes=1)
    # Create table with automatic cleanup
    retention = (
        RetentionPolicy(timedelta(days=30), timedelta(hours=6))
        .with_size_limit(10_000_000_000)
        .with_entry_limit(10_000_000)
        .with_cleanup_strategy(CleanupStrategy.TIME_BASED_OLDEST)
    )
    table = TemporalTable("logs", None, None).with_retention_policy(retention)
    engine.create_temporal_table(table)
    engine.insert_batch("logs", [Row(b"a", {"msg": b"a0"}), Row(b"b", {"msg": b"b0"})])
    clock.set(t0 + timedelta(hours=1))
    engine.update("logs", b"a", Row(b"a", {"msg": b"a1"}))
    clock.set(t0 + timedelta(hours=2))
    engine.update("logs", b"a", Row(b"a", {"msg": b"a2"}))
    # 30 days and 90 minutes later: the version that ended at t0+1h is too old,
    # the one that ended at t0+2h is not.
    clock.set(t0 + timedelta(days=30, minutes=90))

    # Manual cleanup if needed
    stats_before = engine.get_stats("logs")
    assert f"Before cleanup: {stats_before.history_rows} history entries" == \
        "Before cleanup: 2 history entries"
    deleted = engine.cleanup_history("logs")
    assert f"Deleted {deleted} old entries" == "Deleted 1 old entries"
    stats_after = engine.get_stats("logs")
    assert f"After cleanup: {stats_after.history_rows} history entries" == \
        "After cleanup: 1 history entries"

    assert stats_before.current_rows == stats_after.current_rows == 2
    assert stats_after.last_cleanup == clock()
    history = engine.query("logs", TemporalQuery.KeyHistory(b"a"))
    assert [v.columns["msg"] for v in history] == [b"a1", b"a2"]
    assert engine.get_stats("logs").oldest_retained_scn > stats_before.oldest_retained_scn


def test_example_7_debugging_transaction_issues(engine: TemporalEngine,
                                                clock: FakeClock) -> None:
    engine.create_temporal_table(TemporalTable("users", None, None))
    clock.advance(minutes=1)
    engine.insert_batch("users", [Row(f"u{i}".encode(), {"name": f"user {i}".encode(),
                                                         "logins": b"0"}) for i in range(1, 6)])
    logins = 0
    while engine.last_xid < 41:  # earlier, well-behaved transactions
        logins += 1
        clock.advance(minutes=1)
        engine.update("users", b"u1", Row(b"u1", {"name": b"user 1",
                                                  "logins": str(logins).encode()}))
    clock.advance(minutes=1)
    with engine.transaction() as tx:  # the buggy transaction
        engine.insert("users", Row(b"u6", {"name": b"user 6", "logins": b"0"}))
        engine.update("users", b"u2", Row(b"u2", {"name": b"", "logins": b"0"}))
        engine.update("users", b"u3", Row(b"u3", {"name": b"x", "logins": b"0"}))
        engine.update("users", b"u3", Row(b"u3", {"name": b"???", "logins": b"-1"}))
        engine.delete("users", b"u4")
    assert tx.xid == 42
    commit_time = clock()
    clock.advance(minutes=1)
    engine.update("users", b"u5", Row(b"u5", {"name": b"later", "logins": b"1"}))

    # Developer reports a bug: transaction 42 corrupted data
    transaction_id = 42
    query = FlashbackQuery.FlashbackTransaction(transaction_id=transaction_id,
                                                table_name="users")
    result = engine.execute_versions("users", query)
    assert f"Transaction {transaction_id} made {len(result.versions)} changes:" == \
        "Transaction 42 made 4 changes:"
    lines = []
    for version in result.versions:
        lines.append(f" {version.version_operation.code()} {version.row.key.decode()} at "
                     f"{version.version_start_time:%H:%M}")
        for col, val in sorted(version.row.columns.items()):
            lines.append(f" {col}: {val!r}")
    t = f"{commit_time:%H:%M}"
    assert lines == [
        f" U u2 at {t}", " logins: b'0'", " name: b''",
        f" U u3 at {t}", " logins: b'-1'", " name: b'???'",
        # a delete marker carries the row's last committed values
        f" D u4 at {t}", " logins: b'0'", " name: b'user 4'",
        f" I u6 at {t}", " logins: b'0'", " name: b'user 6'",
    ]
    assert {v.version_xid for v in result.versions} == {42}
    assert {v.version_start_scn for v in result.versions} == {engine.current_scn() - 1}
    # An unknown transaction made no changes.
    assert engine.execute_versions(
        "users", FlashbackQuery.FlashbackTransaction(transaction_id=4242,
                                                     table_name="users")).versions == []


def test_example_8_temporal_analytics(engine: TemporalEngine, clock: FakeClock) -> None:
    engine.create_temporal_table(TemporalTable("user_sessions", None, None))
    day = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)  # 10:00 on day 1 (March 1)
    events = [
        (0, "insert", b"u1"), (0.05, "insert", b"u5"), (1, "insert", b"u2"),
        (2, "delete", b"u5"), (4, "update", b"u1"), (5, "insert", b"u3"),
        (5.1, "update", b"u3"), (7, "delete", b"u2"), (9, "insert", b"u4"),
    ]
    for n, (offset, op, key) in enumerate(events):
        clock.set(day + timedelta(days=offset))
        if op == "insert":
            engine.insert("user_sessions", Row(key, {"state": b"active"}))
        elif op == "update":
            engine.update("user_sessions", key, Row(key, {"state": f"s{n}".encode()}))
        else:
            engine.delete("user_sessions", key)
    clock.set(datetime(2026, 3, 11, 9, 0, tzinfo=UTC))

    # Analyze user activity over the past week
    week_ago = clock() - timedelta(weeks=1)
    now = clock()
    changes = engine.query("user_sessions", TemporalQuery.Between(week_ago, now))
    daily_activity: Counter = Counter()
    for change in changes:
        daily_activity[change.valid_from.date()] += 1
    # Versions valid at some instant of the week (some began before it: u1's
    # first version, u2's version) and the delete committed in it (u2 on the 8th);
    # u5 lived and died before the week and is absent.
    assert daily_activity == {
        datetime(2026, 3, d).date(): n for d, n in ((1, 1), (2, 1), (5, 1), (6, 2), (8, 1),
                                                     (10, 1))
    }
    assert b"u5" not in {c.key for c in changes}
    assert [(c.key, c.operation.code()) for c in changes if c.key == b"u2"] == [
        (b"u2", "I"), (b"u2", "D")]


def _shared_data(engine: TemporalEngine, clock: FakeClock) -> datetime:
    """Ten rows of ``shared_data``, inserted 95, 85, ..., 5 minutes before the returned now."""
    engine.create_temporal_table(TemporalTable("shared_data", None, None))
    now = clock() + timedelta(hours=2)
    for j in range(10):
        clock.set(now - timedelta(minutes=95 - 10 * j))
        engine.insert("shared_data", Row(f"k{j}".encode(), {"n": str(j).encode()}))
    clock.set(now)
    return now


def test_example_9_concurrent_time_travel_async(tmp_path: Path, clock: FakeClock) -> None:
    async def main() -> list[tuple[int, int]]:
        engine = await AsyncTemporalEngine.new(tmp_path / "data" / "temporal", clock=clock)
        async with engine:
            _shared_data(engine.engine, clock)

            # Multiple users querying different timestamps concurrently
            async def user(i: int, timestamp: datetime) -> tuple[int, int]:
                results = await engine.query("shared_data", TemporalQuery.AsOf(timestamp))
                return i, len(results)

            handles = [asyncio.create_task(user(i, clock() - timedelta(minutes=i * 10)))
                       for i in range(10)]
            # Wait for all queries
            return [await handle for handle in handles]

    seen = asyncio.run(main())
    # At now - 10*i minutes, the rows inserted up to then: 10 - i of them.
    assert seen == [(i, 10 - i) for i in range(10)]


def test_example_9_threads_with_concurrent_writer(engine: TemporalEngine,
                                                  clock: FakeClock) -> None:
    """Readers at many points in time, while one thread writes, each see one committed state.

    Every writer transaction moves money between accounts (the total stays
    1000) and stamps every row with its generation; a consistent snapshot has
    total 1000 and one generation on every row.
    """
    engine.create_temporal_table(TemporalTable(
        "shared_data", {"id": "BIGINT", "balance": "BIGINT", "gen": "BIGINT"},
        primary_key="id"))
    clock.advance(seconds=1)
    engine.insert_batch("shared_data", [{"id": i, "balance": 100, "gen": 0} for i in range(10)])
    first_scn = engine.current_scn()
    rounds = 60
    mid_transaction = threading.Event()
    mid_reads_done = threading.Event()
    errors: list[BaseException] = []
    observed: dict[int, tuple] = {}
    lock = threading.Lock()

    def check(rows: list, where: str) -> int:
        balances = [r.columns["balance"] for r in rows]
        gens = {r.columns["gen"] for r in rows}
        assert len(rows) == 10, where
        assert sum(balances) == 1000, where
        assert len(gens) == 1, where
        return gens.pop()

    def writer() -> None:
        try:
            for n in range(1, rounds + 1):
                clock.advance(seconds=1)
                with engine.transaction():
                    a, b = n % 10, (3 * n + 1) % 10
                    engine.update_where("shared_data", {"balance": "balance - 7"}, "id = $a",
                                        {"a": a})
                    if n == rounds // 2:  # let readers look at a half-done transaction
                        mid_transaction.set()
                        mid_reads_done.wait()
                    engine.update_where("shared_data", {"balance": "balance + 7"}, "id = $b",
                                        {"b": b})
                    engine.update_where("shared_data", {"gen": "$n"}, None, {"n": n})
        except BaseException as exc:
            errors.append(exc)
            mid_transaction.set()

    def reader(i: int) -> None:
        try:
            iterations = 0
            while writer_thread.is_alive() or iterations < 5:
                iterations += 1
                scn = engine.current_scn()
                flash = engine.execute_flashback(
                    "shared_data", FlashbackQuery.AsOfScn(scn=scn, table_name="shared_data"))
                gen = check(flash.rows, f"reader {i} at SCN {scn}")
                with lock:
                    snapshot = tuple(sorted((r.key, r.columns["balance"]) for r in flash.rows))
                    if observed.setdefault(scn, snapshot) != snapshot:
                        raise AssertionError(f"SCN {scn} read two different states")
                # an older point in time, by timestamp
                past = engine.query("shared_data", TemporalQuery.AsOf(
                    engine.scn_to_timestamp(first_scn + (scn - first_scn) // 2)))
                assert check(past, f"reader {i} past") <= gen
                if i == 0 and mid_transaction.is_set() and not mid_reads_done.is_set():
                    # The writer sits inside a transaction that has changed one row:
                    # readers still see the last committed state only.
                    seen = engine.query("shared_data", TemporalQuery.AsOf(clock()))
                    assert check(seen, "mid-transaction") == rounds // 2 - 1
                    mid_reads_done.set()
        except BaseException as exc:
            errors.append(exc)
            mid_reads_done.set()

    writer_thread = threading.Thread(target=writer)
    readers = [threading.Thread(target=reader, args=(i,)) for i in range(6)]
    writer_thread.start()
    for t in readers:
        t.start()
    mid_transaction.wait()
    for t in [writer_thread, *readers]:
        t.join()
    assert errors == []
    assert mid_reads_done.is_set()
    final = engine.query("shared_data", TemporalQuery.AsOf(clock()))
    assert check(final, "final") == rounds
    assert engine.current_scn() == first_scn + rounds


def test_example_10_range_queries(engine: TemporalEngine, clock: FakeClock) -> None:
    engine.create_temporal_table(TemporalTable("products", None, None))
    now = clock() + timedelta(days=30)
    events = [  # (hours before now, operation, key)
        (240, "insert", b"p1"), (192, "insert", b"p2"), (72, "update", b"p1"),
        (48, "delete", b"p2"), (30, "insert", b"p4"), (20, "update", b"p1"),
        (15, "insert", b"p3"), (13, "update", b"p4"),
    ]
    for hours, op, key in events:
        clock.set(now - timedelta(hours=hours))
        if op == "insert":
            engine.insert("products", Row(key, {"price": f"{hours}".encode()}))
        elif op == "update":
            engine.update("products", key, Row(key, {"price": f"{hours}".encode()}))
        else:
            engine.delete("products", key)
    clock.set(now)

    def summary(rows: list) -> list[tuple[bytes, str, int]]:
        return sorted((r.key, r.operation.code(),
                       round((now - r.valid_from).total_seconds() / 3600)) for r in rows)

    # FROM query: Get all changes from last week onwards
    last_week = clock() - timedelta(weeks=1)
    recent_changes = engine.query("products", TemporalQuery.From(last_week))
    assert f"Recent changes: {len(recent_changes)}" == "Recent changes: 8"
    assert summary(recent_changes) == sorted([
        (b"p1", "I", 240), (b"p1", "U", 72), (b"p1", "U", 20), (b"p2", "I", 192),
        (b"p2", "D", 48), (b"p3", "I", 15), (b"p4", "I", 30), (b"p4", "U", 13)])
    # TO query: Get all historical data up to yesterday
    yesterday = clock() - timedelta(days=1)
    historical_data = engine.query("products", TemporalQuery.To(yesterday))
    assert f"Historical snapshot: {len(historical_data)}" == "Historical snapshot: 5"
    assert summary(historical_data) == sorted([
        (b"p1", "I", 240), (b"p1", "U", 72), (b"p2", "I", 192), (b"p2", "D", 48),
        (b"p4", "I", 30)])
    # BETWEEN query: Get changes in specific window
    start = clock() - timedelta(hours=24)
    end = clock() - timedelta(hours=12)
    window_changes = engine.query("products", TemporalQuery.Between(start, end))
    assert f"Changes in 12-hour window: {len(window_changes)}" == \
        "Changes in 12-hour window: 5"
    assert summary(window_changes) == sorted([
        (b"p1", "U", 72), (b"p1", "U", 20), (b"p3", "I", 15), (b"p4", "I", 30),
        (b"p4", "U", 13)])


# --- performance tips ------------------------------------------------------------------------


def test_tip_1_key_specific_queries(engine: TemporalEngine, clock: FakeClock) -> None:
    engine.create_temporal_table(TemporalTable("large_table", None, None))
    clock.advance(minutes=1)
    engine.insert_batch("large_table", [Row(f"k{i:04}".encode(), {"v": b"0"})
                                        for i in range(500)])
    timestamp = clock()
    clock.advance(minutes=1)
    engine.update_where("large_table", {"v": "'1'::BLOB"}, "key < 'k0250'::BLOB")
    for key in (b"k0007", b"k0400"):
        # Good: Query specific key
        result = engine.query("large_table", TemporalQuery.KeyAsOf(key, timestamp))
        # Avoid: Full table temporal scan
        full = engine.query("large_table", TemporalQuery.AsOf(timestamp))
        assert result == [r for r in full if r.key == key]
        assert result[0].columns == {"v": b"0"}
    assert len(full) == 500
    assert engine.query("large_table", TemporalQuery.KeyAsOf(b"k0007", clock()))[0] \
        .columns == {"v": b"1"}
    assert engine.query("large_table", TemporalQuery.KeyAsOf(b"missing", timestamp)) == []


def test_tip_2_batch_updates(engine: TemporalEngine, clock: FakeClock) -> None:
    engine.create_temporal_table(TemporalTable("table", None, None))
    clock.advance(minutes=1)
    before = engine.current_scn()
    # Use batch operations for better throughput
    entries = [Row(f"e{i}".encode(), {"payload": f"p{i}".encode()}) for i in range(100)]
    assert engine.insert_batch("table", entries) == 100
    # One transaction and one SCN for the whole batch, the new column included.
    assert engine.current_scn() == before + 1
    versions = engine.execute_versions(
        "table", FlashbackQuery.VersionsBetweenScn(before + 1, before + 1, "table")).versions
    assert len(versions) == 100
    assert {(v.version_start_scn, v.version_operation) for v in versions} == {
        (before + 1, VersionOperation.INSERT)}
    assert {v.row.key: v.row.columns["payload"] for v in versions} == {
        e.key: e.columns["payload"] for e in entries}


def test_tip_3_set_appropriate_retention(engine: TemporalEngine, clock: FakeClock) -> None:
    # Balance storage vs historical depth
    retention = RetentionPolicy(timedelta(days=7), timedelta(hours=1))
    assert (retention.max_age, retention.cleanup_interval) == (timedelta(days=7),
                                                               timedelta(hours=1))
    assert retention.strategy is CleanupStrategy.TIME_BASED_OLDEST
    engine.create_temporal_table(TemporalTable("active", None, None)
                                 .with_retention_policy(retention))
    t0 = clock.advance(minutes=1)
    engine.insert("active", Row(b"k", {"v": b"0"}))
    clock.set(t0 + timedelta(hours=2))
    engine.update("active", b"k", Row(b"k", {"v": b"1"}))  # history: v0 ended at t0+2h
    clock.set(t0 + timedelta(days=7, hours=1))
    engine.update("active", b"k", Row(b"k", {"v": b"2"}))  # cleanup due: nothing 7 days old
    assert engine.get_stats("active").history_rows == 2
    clock.set(t0 + timedelta(days=7, hours=2, minutes=30))
    engine.update("active", b"k", Row(b"k", {"v": b"3"}))  # v0 now older than 7 days
    assert [v.columns["v"] for v in engine.query("active", TemporalQuery.KeyHistory(b"k"))] \
        == [b"1", b"2", b"3"]


def test_tip_4_use_scn_for_exact_snapshots(orders: TemporalEngine, clock: FakeClock) -> None:
    engine = orders
    clock.advance(minutes=1)
    engine.insert("orders", Row(b"o1", {"status": b"new"}))
    clock.advance(minutes=1)
    # SCN is faster than timestamp for repeated queries
    scn = engine.current_scn()
    assert engine.record_scn(scn, clock(), None) == clock() - timedelta(minutes=1)
    # Later queries use cached SCN mapping
    for n in range(3):
        clock.advance(minutes=1)
        engine.update("orders", b"o1", Row(b"o1", {"status": f"s{n}".encode()}))
        engine.insert("orders", Row(f"x{n}".encode(), {"status": b"new"}))
        query = FlashbackQuery.AsOfScn(scn=scn, table_name="orders")
        result = engine.execute_flashback("orders", query)
        assert result.scn == scn
        assert rows_by_key(result.rows) == {b"o1": {"status": b"new"}}
    keyed = engine.execute_flashback(
        "orders", FlashbackQuery.AsOfScn(scn=scn, table_name="orders", filter_key=b"o1"))
    assert [r.key for r in keyed.rows] == [b"o1"]


# --- error handling --------------------------------------------------------------------------


def _seed_match(call) -> tuple[str, object]:
    """The seed's ``match`` on a result, in Python."""
    try:
        results = call()
    except KeyNotFound as e:  # Key doesn't exist at that timestamp
        return "not found", e
    except StorageError as e:  # Storage layer error
        return "storage", e
    except HeliosError as e:
        return "unexpected", e
    return "ok", results


def test_error_handling(orders: TemporalEngine, clock: FakeClock, tmp_path: Path) -> None:
    engine = orders
    clock.advance(minutes=1)
    engine.insert("orders", Row(b"o1", {"status": b"new"}))
    timestamp = clock()

    kind, value = _seed_match(lambda: engine.query("orders", TemporalQuery.AsOf(timestamp)))
    assert kind == "ok" and [r.key for r in value] == [b"o1"]

    before = db_state(engine)
    kind, value = _seed_match(lambda: engine.update("orders", b"nope", Row(b"nope", {})))
    assert db_state(engine) == before
    assert kind == "not found" and value.code == "ORA-01403"
    assert isinstance(value, KeyNotFound) and "nope" in str(value) and "orders" in str(value)

    garbage = tmp_path / "not-a-database.duckdb"
    garbage.write_bytes(b"this is not a database" * 100)
    kind, value = _seed_match(lambda: TemporalEngine(garbage))
    assert kind == "storage" and isinstance(value, StorageError)
    assert str(garbage) in str(value)

    kind, value = _seed_match(lambda: engine.query("table", TemporalQuery.AsOf(timestamp)))
    assert kind == "unexpected" and isinstance(value, NoSuchTable)
    assert value.code == "ORA-00942" and db_state(engine) == before

    engine.create_temporal_table(TemporalTable("kept", None, None).with_retention_policy(
        RetentionPolicy(timedelta(hours=1), timedelta(hours=1))))
    clock.advance(minutes=1)
    engine.insert("kept", Row(b"k", {"v": b"1"}))
    early = clock()
    clock.advance(minutes=1)
    engine.update("kept", b"k", Row(b"k", {"v": b"2"}))
    clock.advance(hours=2)
    engine.cleanup_history("kept")
    before = db_state(engine)
    kind, value = _seed_match(lambda: engine.query("kept", TemporalQuery.AsOf(early)))
    assert db_state(engine) == before
    assert kind == "unexpected" and isinstance(value, SnapshotTooOld)
    assert value.code == "ORA-01555"


def test_error_root_and_seed_names_import() -> None:
    import heliosql.storage as storage

    for name in ("TemporalEngine", "TemporalTable", "Row", "TemporalQuery", "FlashbackQuery",
                 "RetentionPolicy", "CleanupStrategy", "HeliosError", "KeyNotFound",
                 "StorageError", "SnapshotTooOld"):
        assert hasattr(storage, name), name
    for name in storage.__all__:
        obj = getattr(storage, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, HeliosError), name
    assert CleanupStrategy.TIME_BASED_OLDEST in CleanupStrategy


@pytest.mark.parametrize("member", ["TIME_BASED_OLDEST", "AGE_ONLY"])
def test_cleanup_strategy_members(member: str) -> None:
    assert CleanupStrategy[member].name == member

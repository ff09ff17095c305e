"""Flashback archives from SQL with a fake clock: retention age, statistics, clean errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

import heliosql
from heliosql.storage import TemporalEngine
from tests.storage.conftest import FakeClock, db_state


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def engine(clock: FakeClock) -> TemporalEngine:
    return TemporalEngine(":memory:", clock=clock)


@pytest.fixture
def cur(engine: TemporalEngine) -> heliosql.Cursor:
    return heliosql.Connection(engine, autocommit=True).cursor()


def scn(cur: heliosql.Cursor) -> int:
    return cur.execute("SELECT current_scn FROM v$database").fetchone()[0]


def test_archive_retention_ages_out_history(cur: heliosql.Cursor, clock: FakeClock) -> None:
    cur.execute("CREATE FLASHBACK ARCHIVE fa TABLESPACE ts RETENTION 1 DAY")
    cur.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER) FLASHBACK ARCHIVE fa")
    cur.execute("INSERT INTO t VALUES (1, 0)")
    first = scn(cur)
    clock.advance(hours=2)
    cur.execute("UPDATE t SET v = 1")
    second = scn(cur)
    clock.advance(days=2)
    cur.execute("UPDATE t SET v = 2")  # a day has passed: this commit cleans up
    stats = cur.execute("SELECT history_rows, oldest_retained_scn, last_cleanup, retention_days "
                        "FROM heliosql_history_stats WHERE table_name = 'T'").fetchone()
    assert stats == (1, second, clock(), 1.0)
    assert cur.execute("SELECT v FROM t AS OF SCN :s", {"s": second}).fetchall() == [(1,)]
    with pytest.raises(heliosql.OperationalError) as err:
        cur.execute("SELECT v FROM t AS OF SCN :s", {"s": first})
    assert err.value.code == "ORA-01555"


def test_longer_retention_keeps_what_a_shorter_one_would_drop(cur: heliosql.Cursor,
                                                              clock: FakeClock) -> None:
    cur.execute("CREATE FLASHBACK ARCHIVE DEFAULT fa RETENTION 1 DAY")
    cur.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    cur.execute("ALTER TABLE t FLASHBACK ARCHIVE")
    cur.execute("INSERT INTO t VALUES (1, 0)")
    first = scn(cur)
    cur.execute("ALTER FLASHBACK ARCHIVE fa MODIFY RETENTION 1 MONTH")
    clock.advance(timedelta(days=20))
    cur.execute("UPDATE t SET v = 1")
    clock.advance(timedelta(days=2))
    cur.execute("UPDATE t SET v = 2")
    assert cur.execute("SELECT v FROM t AS OF SCN :s", {"s": first}).fetchall() == [(0,)]
    assert cur.execute("SELECT retention_days FROM heliosql_history_stats").fetchall() == [
        (30.0,)]


@pytest.mark.parametrize(("sql", "code"), [
    ("ALTER TABLE t FLASHBACK ARCHIVE", "ORA-55608"),
    ("CREATE TABLE u (a INTEGER) FLASHBACK ARCHIVE", "ORA-55608"),
    ("CREATE TABLE u (a INTEGER) FLASHBACK ARCHIVE nope", None),
    ("ALTER TABLE t FLASHBACK ARCHIVE nope", None),
    ("CREATE FLASHBACK ARCHIVE fa RETENTION 1 DAY", None),
    ("CREATE FLASHBACK ARCHIVE fb QUOTA 1 X RETENTION 1 DAY", None),
    ("ALTER FLASHBACK ARCHIVE fa PURGE BEFORE SCN 0", "ORA-08181"),
    ("ALTER FLASHBACK ARCHIVE fa PURGE BEFORE SCN 1.5", "ORA-08181"),
    ("ALTER FLASHBACK ARCHIVE fa PURGE BEFORE TIMESTAMP SYSTIMESTAMP + INTERVAL '1' DAY",
     "ORA-08186"),
    ("ALTER FLASHBACK ARCHIVE fa ADD TABLESPACE ts", "ORA-55604"),
    ("DROP FLASHBACK ARCHIVE nope", None),
])
def test_errors_leave_everything_untouched(engine: TemporalEngine, cur: heliosql.Cursor,
                                           sql: str, code: str | None) -> None:
    cur.execute("CREATE FLASHBACK ARCHIVE fa TABLESPACE ts RETENTION 1 DAY")
    cur.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    cur.execute("INSERT INTO t VALUES (1, 0)")
    cur.execute("UPDATE t SET v = 1")
    before = db_state(engine)
    with pytest.raises(heliosql.Error) as err:
        cur.execute(sql)
    assert err.value.code == code
    assert db_state(engine) == before

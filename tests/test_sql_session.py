"""SQL behaviour that needs Python around it: retention, EXPLAIN, syntax errors, names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import heliosql
from heliosql.storage import RetentionPolicy, SnapshotTooOld, TemporalEngine
from heliosql.storage.errors import InvalidVersionRange


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_snapshot_too_old_and_invalid_lower_limit_through_sql() -> None:
    clock = Clock()
    engine = TemporalEngine(":memory:", clock=clock)
    conn = heliosql.Connection(engine, autocommit=True)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    conn.execute("INSERT INTO t VALUES (1, 0)")
    old = conn.execute("SELECT current_scn FROM v$database").fetchone()[0]
    # Read once before the cleanup: the second run reuses the compiled query.
    assert conn.execute("SELECT v FROM t AS OF SCN :s", {"s": old}).fetchall() == [(0,)]
    for v in range(1, 4):
        clock.now += timedelta(hours=1)
        conn.execute("UPDATE t SET v = :v", {"v": v})
    engine.set_retention_policy("t", RetentionPolicy(timedelta(minutes=90), timedelta(hours=1)))
    assert engine.cleanup_history("t") >= 1
    with pytest.raises(SnapshotTooOld) as info:
        conn.execute("SELECT v FROM t AS OF SCN :s", {"s": old})
    assert info.value.code == "ORA-01555"
    with pytest.raises(InvalidVersionRange) as info:
        conn.execute("SELECT v FROM t VERSIONS BETWEEN SCN :s AND MAXVALUE", {"s": old})
    assert info.value.code == "ORA-30052"
    # MINVALUE starts at what is retained: no error.
    rows = conn.execute("SELECT v FROM t VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE "
                        "ORDER BY v").fetchall()
    assert rows[-1] == (3,)


def test_explain_shows_the_plan_and_the_duckdb_sql() -> None:
    conn = heliosql.connect(autocommit=True)
    conn.execute("CREATE TABLE t (id INTEGER)")
    lines = [r[0] for r in conn.execute("EXPLAIN SELECT id FROM t AS OF SCN 2").fetchall()]
    text = "\n".join(lines)
    assert "-- logical plan" in text and "AsOf" in text
    assert "-- DuckDB SQL" in text and "helios_data" in text and "__start_scn <= 2" in text
    analyzed = "\n".join(r[0] for r in conn.execute("EXPLAIN ANALYZE SELECT id FROM t"))
    assert "-- DuckDB profile" in analyzed


def test_syntax_errors_point_at_the_token() -> None:
    conn = heliosql.connect()
    with pytest.raises(heliosql.ProgrammingError) as info:
        conn.execute("SELECT id\nFORM t")
    error = info.value
    assert (error.line, error.column) == (2, 6)
    assert "FROM" in str(error) and "^" in str(error)


def test_transaction_names_and_users_are_recorded() -> None:
    conn = heliosql.connect()
    conn.execute("CREATE TABLE t (id INTEGER)")
    conn.commit()
    conn.execute("SET TRANSACTION NAME 'fix-orders'")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.transaction_name = "nightly-load"
    conn.execute("INSERT INTO t VALUES (2)")
    conn.commit()
    tags = conn.engine.fetch("SELECT tag FROM helios.scn_log WHERE tag IS NOT NULL ORDER BY scn")
    assert tags == [("fix-orders",), ("nightly-load",)]


def test_temporary_tables_keep_no_history_and_end_with_their_connection(tmp_path) -> None:
    path = tmp_path / "temp.duckdb"
    owner = heliosql.connect(path, autocommit=True)
    other = heliosql.connect(path, autocommit=True)
    try:
        owner.execute("CREATE TEMPORARY TABLE scratch (id INTEGER)")
        owner.execute("INSERT INTO scratch VALUES (1)")
        scn = owner.execute("SELECT current_scn FROM v$database").fetchone()[0]
        owner.execute("INSERT INTO scratch VALUES (2)")
        with pytest.raises(heliosql.ProgrammingError, match="keeps no history"):
            owner.execute("SELECT * FROM scratch AS OF SCN :s", {"s": scn})
        owner.close()
        with pytest.raises(heliosql.ProgrammingError) as info:
            other.execute("SELECT * FROM scratch")
        assert info.value.code == "ORA-00942"
        assert other.execute("SELECT count(*) FROM recyclebin").fetchone() == (0,)
    finally:
        other.close()


@pytest.mark.parametrize(("statement", "expected"), [
    ("UPDATE t SET v = v + 1 WHERE id = :id",
     ["INSERT INTO helios_data.h", "UPDATE helios_data.t"]),
    ("DELETE FROM t WHERE id = :id", ["INSERT INTO helios_data.h", "DELETE FROM helios_data.t"]),
    ("INSERT INTO t VALUES (:id + 10, 0)", ["INSERT INTO helios_data.t"]),
    ("MERGE INTO t USING t AS OF SCN :s o ON (t.id = o.id) WHEN MATCHED THEN UPDATE SET v = 0",
     ["CREATE TEMP TABLE", "UPDATE helios_data.t"]),
])
def test_explain_of_a_write_shows_its_sql_and_changes_nothing(statement: str,
                                                              expected: list[str]) -> None:
    conn = heliosql.connect(autocommit=True)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    conn.execute("INSERT INTO t VALUES (1, 10), (2, 20)")
    scn = conn.execute("SELECT current_scn FROM v$database").fetchone()[0]
    history = "SELECT count(*) FROM t VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE"
    versions = conn.execute(history).fetchone()
    for explain in ("EXPLAIN", "EXPLAIN ANALYZE"):
        text = "\n".join(r[0] for r in conn.execute(f"{explain} {statement}",
                                                    {"id": 1, "s": scn}))
        assert "-- logical plan" in text and "rolled back" in text
        assert all(part in text for part in expected), text
        assert "ROLLBACK" not in text and "COMMIT" not in text
        assert ("rows the statement would change: " in text) == (explain == "EXPLAIN ANALYZE")
    assert conn.execute("SELECT id, v FROM t ORDER BY id").fetchall() == [(1, 10), (2, 20)]
    assert conn.execute("SELECT current_scn FROM v$database").fetchone()[0] == scn
    assert conn.execute(history).fetchone() == versions
    conn.execute("UPDATE t SET v = 11 WHERE id = 1")  # the write lock was given back
    assert conn.execute("SELECT current_scn FROM v$database").fetchone()[0] == scn + 1


def test_explain_of_a_write_needs_no_open_changes() -> None:
    conn = heliosql.connect()
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    conn.commit()
    conn.execute("INSERT INTO t VALUES (1, 1)")
    with pytest.raises(heliosql.OperationalError, match="end the open transaction"):
        conn.execute("EXPLAIN INSERT INTO t VALUES (2, 2)")
    conn.commit()  # the open change is intact
    assert conn.execute("SELECT id FROM t").fetchall() == [(1,)]


def test_session_flashback_is_per_connection(tmp_path) -> None:
    path = tmp_path / "f.db"
    first = heliosql.connect(path, autocommit=True)
    second = heliosql.connect(path, autocommit=True)
    first.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    first.execute("INSERT INTO t VALUES (1)")
    scn = first.execute("SELECT current_scn FROM v$database").fetchone()[0]
    first.execute("INSERT INTO t VALUES (2)")
    first.execute("EXEC DBMS_FLASHBACK.ENABLE_AT_SYSTEM_CHANGE_NUMBER(:s)", {"s": scn})
    query = "SELECT count(*) FROM t"
    assert first.execute(query).fetchone() == (1,)
    assert second.execute(query).fetchone() == (2,)  # another session is not affected
    second.execute("INSERT INTO t VALUES (3)")  # nor kept from writing
    assert first.execute(query).fetchone() == (1,)  # the snapshot does not move
    first.close()
    second.close()

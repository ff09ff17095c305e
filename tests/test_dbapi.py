"""The DB-API 2.0 surface (PEP 249) of ``heliosql.connect``."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import heliosql
from heliosql.storage import errors


@pytest.fixture
def conn() -> heliosql.Connection:
    connection = heliosql.connect()
    cur = connection.cursor()
    cur.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR2(20), score NUMBER(6,2))")
    cur.execute("INSERT INTO t VALUES (1, 'ann', 1.5), (2, 'bob', 2.5), (3, 'cy', NULL)")
    connection.commit()
    yield connection
    connection.close()


def test_module_globals() -> None:
    assert heliosql.apilevel == "2.0"
    assert heliosql.threadsafety >= 1
    assert heliosql.paramstyle == "named"


def test_exception_hierarchy() -> None:
    assert issubclass(heliosql.Error, Exception)
    assert issubclass(heliosql.Warning, Exception)
    for name in ("InterfaceError", "DatabaseError"):
        assert issubclass(getattr(heliosql, name), heliosql.Error)
    for name in ("DataError", "OperationalError", "IntegrityError", "InternalError",
                 "ProgrammingError", "NotSupportedError"):
        assert issubclass(getattr(heliosql, name), heliosql.DatabaseError)
    # The storage API's errors live under the same root.
    assert issubclass(errors.SnapshotTooOld, heliosql.OperationalError)
    assert issubclass(errors.DuplicateKey, heliosql.IntegrityError)
    assert heliosql.Error is errors.HeliosError


def test_type_objects_and_constructors(conn: heliosql.Connection) -> None:
    cur = conn.execute("SELECT id, name, score, SYSTIMESTAMP AS ts FROM t WHERE id = 1")
    codes = [d[1] for d in cur.description]
    assert codes[0] == heliosql.NUMBER and codes[1] == heliosql.STRING
    assert codes[2] == heliosql.NUMBER and codes[3] == heliosql.DATETIME
    assert codes[1] != heliosql.NUMBER
    assert heliosql.Binary("x") == b"x"
    assert heliosql.Date(2024, 1, 2).year == 2024
    assert heliosql.TimestampFromTicks(0).year in (1969, 1970)


def test_cursor_fetching(conn: heliosql.Connection) -> None:
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM t ORDER BY id")
    assert [d[0] for d in cur.description] == ["id", "name"]
    assert cur.rowcount == -1  # not known before the rows are fetched (PEP 249)
    assert cur.fetchone() == (1, "ann")
    cur.arraysize = 2
    assert cur.fetchmany() == [(2, "bob"), (3, "cy")]
    assert cur.fetchone() is None
    cur.execute("SELECT id FROM t ORDER BY id")
    assert [row for row in cur] == [(1,), (2,), (3,)]
    cur.execute("UPDATE t SET score = 0 WHERE id < 3")
    assert cur.rowcount == 2
    assert cur.description is None
    with pytest.raises(heliosql.Error):
        cur.fetchall()


def test_fetch_arrow_and_dataframe(conn: heliosql.Connection) -> None:
    table = conn.execute("SELECT id, name FROM t ORDER BY id").fetch_arrow()
    assert table.column("name").to_pylist() == ["ann", "bob", "cy"]
    frame = conn.execute("SELECT id FROM t WHERE id > 1 ORDER BY id").fetch_df()
    assert list(frame["id"]) == [2, 3]


def test_cursors_of_one_connection_keep_their_rows(conn: heliosql.Connection) -> None:
    first = conn.execute("SELECT id FROM t ORDER BY id")
    assert first.fetchone() == (1,)
    second = conn.execute("SELECT name FROM t ORDER BY id")
    assert second.fetchall() == [("ann",), ("bob",), ("cy",)]
    assert first.fetchall() == [(2,), (3,)]


def test_result_names_keep_the_users_spelling(conn: heliosql.Connection) -> None:
    cur = conn.execute("SELECT ID, Name AS TheName FROM T WHERE id = 1")
    assert [d[0] for d in cur.description] == ["ID", "TheName"]


def test_parameters_named_and_positional(conn: heliosql.Connection) -> None:
    cur = conn.cursor()
    assert cur.execute("SELECT name FROM t WHERE id = :id", {"id": 2}).fetchall() == [("bob",)]
    assert cur.execute("SELECT name FROM t WHERE id = :1", [3]).fetchall() == [("cy",)]
    # Text that looks like a parameter is not one.
    got = cur.execute("SELECT '10:30', 7::VARCHAR FROM dual").fetchall()
    assert got == [("10:30", "7")]
    with pytest.raises(heliosql.ProgrammingError):
        cur.execute("SELECT name FROM t WHERE id = :id", {})


def test_parameters_are_bound_never_pasted(conn: heliosql.Connection) -> None:
    cur = conn.cursor()
    hostile = "x'; DROP TABLE t; --"
    assert cur.execute("SELECT count(*) FROM t WHERE name = :n", {"n": hostile}).fetchone() == (0,)
    assert cur.execute("SELECT count(*) FROM t").fetchone() == (3,)


def test_parameters_inside_flashback_bounds(conn: heliosql.Connection) -> None:
    cur = conn.cursor()
    scn = cur.execute("SELECT current_scn FROM v$database").fetchone()[0]
    cur.execute("DELETE FROM t")
    conn.commit()
    assert cur.execute("SELECT count(*) FROM t AS OF SCN :s", {"s": scn}).fetchone() == (3,)
    got = cur.execute("SELECT count(*) FROM t VERSIONS BETWEEN SCN :1 AND :2", [scn, scn + 1])
    assert got.fetchone() == (6,)  # three versions and three delete markers


def test_executemany_inserts(conn: heliosql.Connection) -> None:
    cur = conn.cursor()
    cur.executemany("INSERT INTO t VALUES (:id, :name, :score)",
                    [{"id": i, "name": f"n{i}", "score": i} for i in range(10, 20)])
    assert cur.rowcount == 10
    conn.commit()
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (13,)


def test_transactions_commit_and_rollback(conn: heliosql.Connection) -> None:
    assert conn.autocommit is False
    cur = conn.cursor()
    cur.execute("UPDATE t SET name = 'changed' WHERE id = 1")
    assert conn.in_transaction
    conn.rollback()
    assert cur.execute("SELECT name FROM t WHERE id = 1").fetchone() == ("ann",)
    before = cur.execute("SELECT current_scn FROM v$database").fetchone()[0]
    cur.execute("UPDATE t SET name = 'changed' WHERE id = 1")
    conn.commit()
    assert cur.execute("SELECT current_scn FROM v$database").fetchone()[0] == before + 1


def test_autocommit_attribute(conn: heliosql.Connection) -> None:
    conn.autocommit = True
    before = conn.execute("SELECT current_scn FROM v$database").fetchone()[0]
    conn.execute("UPDATE t SET score = 9 WHERE id = 1")
    assert conn.execute("SELECT current_scn FROM v$database").fetchone()[0] == before + 1
    assert not conn.in_transaction


def test_context_manager_commits_or_rolls_back(tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    with heliosql.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER)")
        conn.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(ZeroDivisionError), heliosql.connect(path) as conn:
        conn.execute("INSERT INTO t VALUES (2)")
        raise ZeroDivisionError
    with heliosql.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_methods_after_close_raise(conn: heliosql.Connection) -> None:
    cur = conn.cursor()
    cur.close()
    with pytest.raises(heliosql.ProgrammingError):
        cur.execute("SELECT 1 FROM dual")
    conn.close()
    for call in (conn.cursor, conn.commit, conn.rollback):
        with pytest.raises(heliosql.ProgrammingError):
            call()
    conn.close()  # closing twice is fine


def test_errors_carry_code_and_position(conn: heliosql.Connection) -> None:
    with pytest.raises(heliosql.ProgrammingError) as info:
        conn.execute("SELECT * FROM nosuch")
    assert info.value.code == "ORA-00942"
    assert info.value.position == 14
    with pytest.raises(heliosql.DataError) as info:
        conn.execute("SELECT * FROM t AS OF SCN 99999")
    assert info.value.code == "ORA-08181"


def test_connections_share_one_engine(tmp_path: Path) -> None:
    path = tmp_path / "shared.duckdb"
    a = heliosql.connect(path)
    b = heliosql.connect(path)
    try:
        assert a.engine is b.engine
        a.execute("CREATE TABLE t (id INTEGER)")
        a.commit()
        a.execute("INSERT INTO t VALUES (1)")
        assert b.execute("SELECT count(*) FROM t").fetchone() == (0,)  # not committed yet
        assert a.execute("SELECT count(*) FROM t").fetchone() == (1,)  # its own change
        with pytest.raises(heliosql.OperationalError):
            b.execute("INSERT INTO t VALUES (2)")  # one writer at a time, and same thread
        a.commit()
        assert b.execute("SELECT count(*) FROM t").fetchone() == (1,)
    finally:
        a.close()
        b.close()


def test_second_process_gets_a_clear_error_or_read_only(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    with heliosql.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER)")
        conn.execute("INSERT INTO t VALUES (1)")
    holder = heliosql.connect(path)
    script = textwrap.dedent(f"""
        import heliosql
        try:
            heliosql.connect({str(path)!r})
        except heliosql.OperationalError as exc:
            print("refused:", exc)
    """)
    try:
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             timeout=60)
        # The writer holds the lock: DuckDB's words name it, and read-only would not help.
        assert "refused:" in out.stdout and f"(PID {os.getpid()})" in out.stdout, out.stderr
        assert "close it there first" in out.stdout
    finally:
        holder.close()
    reader_script = textwrap.dedent(f"""
        import heliosql
        with heliosql.connect({str(path)!r}, read_only=True) as conn:
            print(conn.execute("SELECT count(*) FROM t").fetchone()[0])
    """)
    out = subprocess.run([sys.executable, "-c", reader_script], capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.strip() == "1", out.stderr

"""FLASHBACK TABLE, restore points and the recycle bin through the DB-API: what the SQL
cases cannot show (result headings, PEP 249 transactions, reopening)."""

from __future__ import annotations

from pathlib import Path

import pytest

import heliosql


@pytest.fixture
def conn() -> heliosql.Connection:
    connection = heliosql.connect()  # autocommit off: PEP 249 transactions
    cur = connection.cursor()
    cur.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR)")
    cur.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')")
    connection.commit()
    return connection


def scn(conn: heliosql.Connection) -> int:
    return conn.execute("SELECT current_scn FROM v$database").fetchone()[0]


def test_show_recyclebin_headings_and_order(conn: heliosql.Connection) -> None:
    cur = conn.cursor()
    for _ in range(2):
        cur.execute("DROP TABLE t")
        cur.execute("CREATE TABLE t (id INTEGER)")
    cur.execute("DROP TABLE t")
    conn.commit()
    cur.execute("SHOW RECYCLEBIN")
    assert [d[0] for d in cur.description] == [
        "ORIGINAL NAME", "RECYCLEBIN NAME", "OBJECT TYPE", "DROP TIME"]
    shown = cur.fetchall()
    assert [(r[0], r[2]) for r in shown] == [("T", "TABLE")] * 3
    # newest first: the one TO BEFORE DROP would restore
    drops = [int(r[1].rsplit("$", 1)[1]) for r in shown]
    assert drops == sorted(drops, reverse=True)
    assert all(len(r[3]) == 19 and r[3][10] == ":" for r in shown)  # YYYY-MM-DD:HH24:MI:SS


def test_validation_error_keeps_the_transaction(conn: heliosql.Connection) -> None:
    s1 = scn(conn)
    cur = conn.cursor()
    cur.execute("UPDATE t SET v = 'pending' WHERE id = 1")
    with pytest.raises(heliosql.Error, match="ORA-38780"):
        cur.execute("FLASHBACK TABLE t TO RESTORE POINT missing")
    with pytest.raises(heliosql.Error, match="ORA-08181"):
        cur.execute("FLASHBACK TABLE t TO SCN :s", {"s": s1 + 10})
    conn.commit()  # the update survives: nothing had been written by the failures
    assert conn.execute("SELECT v FROM t WHERE id = 1").fetchone() == ("pending",)


def test_flashback_joins_the_open_transaction(conn: heliosql.Connection) -> None:
    s1 = scn(conn)
    cur = conn.cursor()
    cur.execute("DELETE FROM t")
    conn.commit()
    cur.execute("FLASHBACK TABLE t TO SCN :s", {"s": s1})
    assert cur.rowcount == 2  # rows written: two re-inserted
    conn.rollback()  # heliosql rule: FLASHBACK TABLE is transactional, no implicit commit
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
    cur.execute("FLASHBACK TABLE t TO SCN :s", {"s": s1})
    conn.commit()
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (2,)


def test_a_failed_flashback_undoes_only_itself(conn: heliosql.Connection) -> None:
    cur = conn.cursor()
    cur.execute("UPDATE t SET v = 'a' WHERE id = 2")
    conn.commit()
    s_dup = scn(conn)
    cur.execute("UPDATE t SET v = 'b' WHERE id = 2")
    conn.commit()  # DuckDB indexes no table with uncommitted changes
    cur.execute("CREATE UNIQUE INDEX t_v ON t (v)")
    conn.commit()
    before = scn(conn)
    cur.execute("INSERT INTO t VALUES (3, 'c')")
    with pytest.raises(heliosql.IntegrityError, match="ORA-00001"):
        cur.execute("FLASHBACK TABLE t TO SCN :s", {"s": s_dup})
    conn.commit()  # the INSERT before the failed FLASHBACK TABLE stays
    assert scn(conn) == before + 1
    assert conn.execute("SELECT id, v FROM t ORDER BY id").fetchall() == [
        (1, "a"), (2, "b"), (3, "c")]


def test_restore_points_survive_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "rp.duckdb")
    with heliosql.connect(path, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (id INTEGER)")
        conn.execute("INSERT INTO t VALUES (1)")
        conn.execute("CREATE RESTORE POINT good")
        conn.execute("INSERT INTO t VALUES (2)")
    with heliosql.connect(path, autocommit=True) as conn:
        assert conn.execute("SELECT name FROM v$restore_point").fetchall() == [("GOOD",)]
        conn.execute("FLASHBACK TABLE t TO RESTORE POINT GOOD")
        assert conn.execute("SELECT id FROM t").fetchall() == [(1,)]


def test_below_the_retention_floor_changes_nothing(conn: heliosql.Connection) -> None:
    from datetime import timedelta

    from heliosql.storage import RetentionPolicy

    s1 = scn(conn)
    conn.execute("UPDATE t SET v = 'b2' WHERE id = 2")
    conn.commit()
    engine = conn.engine
    engine.set_retention_policy("t", RetentionPolicy(timedelta(0), timedelta(days=30)))
    assert engine.cleanup_history("t") == 1  # the version valid at s1 is gone
    before = scn(conn)
    with pytest.raises(heliosql.Error, match="ORA-01555"):
        conn.execute("FLASHBACK TABLE t TO SCN :s", {"s": s1})
    conn.rollback()
    assert scn(conn) == before
    assert conn.execute("SELECT id, v FROM t ORDER BY id").fetchall() == [(1, "a"), (2, "b2")]

"""Oracle DDL forms that need Python around them: reopening a file database whose
catalog changed, a database made before the catalog grew, the end of a session's
global temporary rows, and failed DDL leaving the catalog exactly as it was."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import heliosql
from heliosql.storage import TemporalEngine, TemporalTable

CATALOG = ("tables", "columns", "views", "comments")


def _rows(conn: heliosql.Connection, sql: str, params: dict | None = None) -> list[tuple]:
    return conn.execute(sql, params or {}).fetchall()


def test_catalog_changes_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    conn = heliosql.connect(path, autocommit=True)
    conn.execute('CREATE TABLE "Emp" (id NUMBER(5) PRIMARY KEY, "Name" VARCHAR2(10), '
                 "sal NUMBER(8,2), note VARCHAR2(20))")
    conn.execute("INSERT INTO \"Emp\" VALUES (1, 'ann', 100.5, 'x')")
    first = _rows(conn, "SELECT current_scn FROM v$database")[0][0]
    conn.execute('ALTER TABLE "Emp" ADD (dept NUMBER(3) DEFAULT 10 NOT NULL), '
                 "MODIFY (sal NUMBER(10,2)), DROP (note)")
    conn.execute('UPDATE "Emp" SET sal = 99999999.99')
    conn.execute('COMMENT ON TABLE "Emp" IS \'people\'')
    conn.execute('COMMENT ON COLUMN "Emp"."Name" IS \'full name\'')
    conn.execute("CREATE GLOBAL TEMPORARY TABLE work (a NUMBER) ON COMMIT PRESERVE ROWS")
    conn.execute("INSERT INTO work VALUES (1)")
    conn.execute('RENAME "Emp" TO staff')
    conn.execute('CREATE VIEW rich AS SELECT id, "Name" FROM staff WHERE sal > 1000 '
                 "WITH CHECK OPTION")
    conn.close()

    conn = heliosql.connect(path, autocommit=True)
    assert _rows(conn, "SELECT table_name, comments FROM user_tab_comments ORDER BY 1") == [
        ("RICH", None), ("STAFF", "people"), ("WORK", None)]
    assert _rows(conn, "SELECT column_name, comments FROM user_col_comments "
                       "WHERE table_name = 'STAFF' ORDER BY 1") == [
        ("DEPT", None), ("ID", None), ("Name", "full name"), ("SAL", None)]
    # The declared types came back: MODIFY still knows NUMBER(10,2) and VARCHAR2(10).
    with pytest.raises(heliosql.ProgrammingError, match="ORA-01440"):
        conn.execute("ALTER TABLE staff MODIFY sal NUMBER(9,2)")
    with pytest.raises(heliosql.ProgrammingError, match="ORA-01441"):
        conn.execute("ALTER TABLE staff MODIFY \"Name\" VARCHAR2(2)")
    conn.execute("ALTER TABLE staff MODIFY \"Name\" VARCHAR2(3)")
    # History converted by MODIFY reads in the new type, across the reopening.
    assert _rows(conn, "SELECT sal FROM staff AS OF SCN :s", {"s": first}) == [
        (pytest.approx(100.5),)]
    # The view keeps its check option; the global temporary table its definition, and
    # no session's rows.
    with pytest.raises(heliosql.IntegrityError, match="ORA-01402"):
        conn.execute("INSERT INTO rich VALUES (2, 'bob')")
    assert _rows(conn, "SELECT count(*) FROM work") == [(0,)]
    conn.execute("DROP TABLE work")  # no session holds rows now
    conn.close()


def test_a_database_made_before_the_catalog_grew_opens(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    engine = TemporalEngine(path)
    engine.create_temporal_table(TemporalTable("t", {"id": "BIGINT", "v": "VARCHAR"}, "id"))
    engine.create_view("v", "CREATE VIEW v AS SELECT id FROM t")
    engine.close()
    raw = duckdb.connect(str(path))
    for table, column in [("tables", "quoted"), ("tables", "temporary"),
                          ("columns", "declared_type"), ("columns", "quoted"),
                          ("views", "quoted")]:
        raw.execute(f"ALTER TABLE helios.{table} DROP COLUMN {column}")
    raw.execute("DROP TABLE helios.comments")
    raw.close()

    conn = heliosql.connect(path, autocommit=True)
    conn.execute("COMMENT ON TABLE t IS 'old table'")
    assert _rows(conn, "SELECT table_name, table_type, comments FROM user_tab_comments "
                       "ORDER BY 1") == [("T", "TABLE", "old table"), ("V", "VIEW", None)]
    # Without a declared type the DuckDB type stands in for it.
    conn.execute("INSERT INTO t VALUES (1, 'a')")
    with pytest.raises(heliosql.ProgrammingError, match="ORA-01439"):
        conn.execute("ALTER TABLE t MODIFY v NUMBER")
    conn.close()


def test_rows_of_a_global_temporary_table_end_with_the_session(tmp_path: Path) -> None:
    path = tmp_path / "gtt.duckdb"
    a = heliosql.connect(path, autocommit=True)
    b = heliosql.connect(path, autocommit=True)
    a.execute("CREATE GLOBAL TEMPORARY TABLE work (id NUMBER PRIMARY KEY) "
              "ON COMMIT PRESERVE ROWS")
    a.execute("INSERT INTO work VALUES (1)")
    b.execute("INSERT INTO work VALUES (1)")
    with pytest.raises(heliosql.ProgrammingError, match="ORA-14452"):
        b.execute("DROP TABLE work")
    a.close()
    b.execute("TRUNCATE TABLE work")  # b's rows gone too: nobody holds any
    b.execute("ALTER TABLE work ADD (v NUMBER)")
    b.execute("INSERT INTO work VALUES (2, 3)")
    assert _rows(b, "SELECT id, v FROM work") == [(2, 3)]
    b.close()


def test_rows_left_by_a_session_that_never_ended_go_when_the_database_opens(
        tmp_path: Path) -> None:
    path = tmp_path / "stale.duckdb"
    engine = TemporalEngine(path)
    engine.create_temporal_table(TemporalTable("work", {"id": "BIGINT"}, temporary="PRESERVE"))
    with engine.transaction(session=7):
        engine.insert_batch("work", [{"id": 1}])
    engine.close()  # as a killed process would: session 7 never ended

    raw = duckdb.connect(str(path))
    copies = raw.execute("SELECT table_name FROM duckdb_tables() "
                         "WHERE table_name LIKE 't%\\_s%' ESCAPE '\\'").fetchall()
    raw.close()
    assert copies == [("t1_s7",)]
    engine = TemporalEngine(path)
    assert engine.fetch("SELECT count(*) FROM duckdb_tables() "
                        "WHERE table_name = 't1_s7'") == [(0,)]
    engine.drop_table("work")
    engine.close()


def _catalog(conn: heliosql.Connection) -> dict[str, list[tuple]]:
    """The catalog tables as the connection's transaction sees them."""
    engine = conn._engine
    assert engine is not None
    with engine.activate(conn._session.transaction):
        return {name: sorted(engine.fetch(f"SELECT * FROM helios.{name}"), key=repr)
                for name in CATALOG}


@pytest.mark.parametrize("failing", [
    "ALTER TABLE t ADD (c NUMBER), MODIFY (v NUMBER(3))",
    "ALTER TABLE t MODIFY (v VARCHAR2(30) DEFAULT 'x' NOT NULL)",
    "ALTER TABLE t RENAME COLUMN v TO w, ADD (v NUMBER), DROP (nothing)",
    "COMMENT ON COLUMN t.nothing IS 'x'",
    "CREATE VIEW w (a, b, c) AS SELECT id FROM t",
    "CREATE UNIQUE INDEX t_v ON t (UPPER(v))",
])
def test_a_failed_ddl_statement_leaves_the_catalog_as_it_was(failing: str) -> None:
    conn = heliosql.connect()
    conn.execute("CREATE TABLE t (id NUMBER PRIMARY KEY, v VARCHAR2(10))")
    conn.execute("INSERT INTO t VALUES (1, 'a'), (2, 'A'), (3, NULL)")
    conn.commit()
    conn.execute("COMMENT ON TABLE t IS 'kept'")
    conn.execute("ALTER TABLE t ADD (k NUMBER DEFAULT 1)")
    before = _catalog(conn)
    with pytest.raises(heliosql.Error):
        conn.execute(failing)
    assert _catalog(conn) == before
    assert conn.execute("SELECT id, v, k FROM t ORDER BY id").fetchall() == [
        (1, "a", 1), (2, "A", 1), (3, None, 1)]
    conn.commit()
    assert _catalog(conn) == before
    conn.close()


def test_executemany_through_a_view() -> None:
    conn = heliosql.connect(autocommit=True)
    conn.execute("CREATE TABLE t (id NUMBER PRIMARY KEY, v VARCHAR2(10), d NUMBER)")
    conn.execute("CREATE VIEW plain AS SELECT id, v AS label FROM t WHERE d IS NULL")
    conn.execute("CREATE VIEW ones AS SELECT id, v, d FROM t WHERE d = 1 WITH CHECK OPTION")
    cur = conn.cursor()
    cur.executemany("INSERT INTO plain VALUES (:a, :b)", [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}])
    assert cur.rowcount == 2
    cur.executemany("INSERT INTO ones VALUES (?, ?, ?)", [(3, "z", 1), (4, "w", 1)])
    with pytest.raises(heliosql.IntegrityError, match=r"ORA-01402.*parameter set 2 of 2"):
        cur.executemany("INSERT INTO ones VALUES (?, ?, ?)", [(5, "u", 1), (6, "v", 2)])
    assert conn.execute("SELECT id, v, d FROM t ORDER BY id").fetchall() == [
        (1, "x", None), (2, "y", None), (3, "z", 1), (4, "w", 1)]
    conn.close()


def test_a_global_temporary_table_is_free_after_a_commit_with_delete_rows() -> None:
    engine = TemporalEngine(":memory:")
    engine.create_temporal_table(
        TemporalTable("work", {"id": "BIGINT"}, "id", temporary="DELETE"))
    with engine.transaction(), pytest.raises(heliosql.IntegrityError):
        engine.insert_batch("work", [{"id": 1}, {"id": 1}])  # fails: no row kept
    with engine.transaction():
        engine.insert_batch("work", [{"id": 2}])
        with pytest.raises(heliosql.ProgrammingError, match="ORA-14450"):
            engine.add_column("work", "v", "BIGINT")
    engine.add_column("work", "v", "BIGINT")  # after the commits no session holds rows
    assert engine.fetch("SELECT count(*) FROM duckdb_tables() "
                        "WHERE table_name LIKE 't1_s%'") == [(0,)]
    engine.close()

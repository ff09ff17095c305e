"""Constraints and the dictionary through the DB-API: a file database reopened, bulk
loads, and a failed check inside a transaction (docs/semantics.md, "Constraints")."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import heliosql

SCHEMA = (
    "CREATE TABLE dept (deptno NUMBER(2) CONSTRAINT pk_dept PRIMARY KEY, dname VARCHAR2(5))",
    "CREATE TABLE emp (empno NUMBER(4) PRIMARY KEY, ename VARCHAR2(10) NOT NULL, "
    "sal NUMBER(7,2) CHECK (sal > 0), deptno NUMBER(2) CONSTRAINT fk_dept REFERENCES dept "
    "ON DELETE CASCADE, \"Note\" VARCHAR2(3 CHAR))",
    "INSERT INTO dept VALUES (10, 'A'), (20, 'B')",
    "INSERT INTO emp VALUES (1, 'ANN', 100, 10, NULL), (2, 'BOB', 200, 20, 'xyz')",
)


def _constraints(cur: heliosql.Cursor) -> list[tuple]:
    cur.execute("SELECT table_name, constraint_name, constraint_type, search_condition, "
                "r_constraint_name, delete_rule, status FROM user_constraints ORDER BY 2")
    return cur.fetchall()


def test_constraints_survive_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "db.duckdb")
    with heliosql.connect(path, autocommit=True) as conn:
        cur = conn.cursor()
        for sql in SCHEMA:
            cur.execute(sql)
        cur.execute("ALTER TABLE dept ADD CONSTRAINT ck_name CHECK (dname <> 'Z') DISABLE")
        before = _constraints(cur)
        columns = cur.execute("SELECT * FROM user_tab_columns ORDER BY table_name, column_id"
                              ).fetchall()
    with heliosql.connect(path, autocommit=True) as conn:
        cur = conn.cursor()
        assert _constraints(cur) == before
        assert cur.execute("SELECT * FROM user_tab_columns ORDER BY table_name, column_id"
                           ).fetchall() == columns
        assert ("EMP", "Note") in [(r[0], r[1]) for r in columns]
        # Every kind is still enforced, the disabled one still is not.
        for sql, code in [("INSERT INTO emp VALUES (3, 'C', 1, 99, NULL)", "ORA-02291"),
                          ("INSERT INTO emp VALUES (3, NULL, 1, 10, NULL)", "ORA-01400"),
                          ("INSERT INTO emp VALUES (3, 'C', -1, 10, NULL)", "ORA-02290"),
                          ("INSERT INTO emp VALUES (1, 'C', 1, 10, NULL)", "ORA-00001"),
                          ("INSERT INTO emp VALUES (3, 'C', 1, 10, 'wxyz')", "ORA-12899"),
                          ("INSERT INTO dept VALUES (100, 'C')", "ORA-01438")]:
            with pytest.raises(heliosql.DatabaseError, match=code):
                cur.execute(sql)
        cur.execute("INSERT INTO dept VALUES (30, 'Z')")
        # The cascade still deletes, and system names keep counting (never reused).
        cur.execute("DELETE FROM dept WHERE deptno = 10")
        assert cur.execute("SELECT empno FROM emp").fetchall() == [(2,)]
        cur.execute("CREATE TABLE more (id NUMBER(2) PRIMARY KEY)")
        name = cur.execute("SELECT constraint_name FROM user_constraints "
                           "WHERE table_name = 'MORE'").fetchone()[0]
        assert name not in {row[1] for row in before}


def test_bulk_loads_are_checked_as_one_statement(tmp_path: Path) -> None:
    with heliosql.connect(str(tmp_path / "db.duckdb"), autocommit=True) as conn:
        cur = conn.cursor()
        for sql in SCHEMA:
            cur.execute(sql)
        insert = "INSERT INTO emp (empno, ename, sal, deptno) VALUES (:1, :2, :3, :4)"
        # NUMBER(7,2) rounds a float half away from zero, as Oracle does.
        cur.executemany(insert, [(3, "C", 2.675, 10), (4, "D", 1.0, 20)])
        assert cur.execute("SELECT sal FROM emp WHERE empno = 3").fetchone() == (
            Decimal("2.68"),)
        for rows, code in [([(5, "E", 1.0, 10), (6, "F", 1.0, 77)], "ORA-02291"),
                           ([(5, "E", 1.0, 10), (6, "F" * 11, 1.0, 10)], "ORA-12899"),
                           ([(5, "E", 1.0, 10), (6, "F", 0.0, 10)], "ORA-02290")]:
            with pytest.raises(heliosql.DatabaseError, match=code):
                cur.executemany(insert, rows)
        assert cur.execute("SELECT count(*) FROM emp").fetchone() == (4,)


def test_a_failed_cascade_undoes_only_its_statement(tmp_path: Path) -> None:
    with heliosql.connect(str(tmp_path / "db.duckdb")) as conn:
        cur = conn.cursor()
        for sql in SCHEMA:
            cur.execute(sql)
        conn.commit()
        cur.execute("CREATE TABLE audit (id NUMBER(4) PRIMARY KEY, empno NUMBER(4) "
                    "REFERENCES emp)")
        cur.execute("INSERT INTO audit VALUES (1, 2)")
        cur.execute("UPDATE emp SET sal = sal + 1")
        # The cascade reaches BOB, whom the audit row references: the whole DELETE is
        # undone, the transaction's earlier work stays.
        with pytest.raises(heliosql.IntegrityError, match="ORA-02292"):
            cur.execute("DELETE FROM dept WHERE deptno = 20")
        cur.execute("DELETE FROM dept WHERE deptno = 10")
        conn.commit()
        assert cur.execute("SELECT empno, sal FROM emp").fetchall() == [(2, Decimal("201.00"))]
        assert cur.execute("SELECT deptno FROM dept").fetchall() == [(20,)]

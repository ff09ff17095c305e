"""Column headings (cursor.description names) follow Oracle's rule for expressions."""

from __future__ import annotations

import pytest

import heliosql


@pytest.fixture()
def cur():
    con = heliosql.connect(":memory:", autocommit=True)
    cursor = con.cursor()
    cursor.execute("CREATE TABLE emp (empno INTEGER PRIMARY KEY, Ename VARCHAR2(10), "
                   "sal NUMBER(7,2), comm NUMBER(7,2), deptno INTEGER)")
    cursor.execute("INSERT INTO emp VALUES (1, 'KING', 5000, NULL, 10), "
                   "(2, 'ALLEN', 1600, 300, 30)")
    yield cursor
    con.close()


def names(cur, sql: str) -> list[str]:
    cur.execute(sql)
    cur.fetchall()
    return [d[0] for d in cur.description]


@pytest.mark.parametrize(("item", "heading"), [
    ("COUNT(*)", "COUNT(*)"),
    ("count( * )", "COUNT(*)"),
    ("sum(sal + nvl(comm, 0))", "SUM(SAL+NVL(COMM,0))"),
    ("SYSTIMESTAMP", "SYSTIMESTAMP"),
    ("sysdate - 1", "SYSDATE-1"),
    ("CASE WHEN deptno = 10 THEN 1 END", "CASEWHENDEPTNO=10THEN1END"),
    ("'a b' || ename", "'A B'||ENAME"),
    ("-sal", "-SAL"),
    ("(sal * 2)", "(SAL*2)"),
    ("ename IS NULL", "ENAMEISNULL"),
    ("NULL", "NULL"),
    ("\"Ename\" || 'x'", "\"Ename\"||'X'"),
    ("sal /* salary */ + 1 -- plus one\n", "SAL+1"),
    ("count(*) OVER ()", "COUNT(*)OVER()"),
    ("(SELECT max(sal) FROM emp)", "(SELECTMAX(SAL)FROMEMP)"),
    ("CAST(sal AS INTEGER)", "CAST(SALASINTEGER)"),
])
def test_an_expression_is_named_after_its_text(cur, item: str, heading: str) -> None:
    # GROUP BY-free items over one row: only the name is looked at.
    assert names(cur, f"SELECT {item} FROM emp WHERE empno = 1") == [heading]


def test_several_items_and_distinct(cur) -> None:
    assert names(cur, "SELECT DISTINCT deptno + 0, upper(ename), sal s FROM emp") == [
        "DEPTNO+0", "UPPER(ENAME)", "s"]


def test_columns_and_aliases_keep_their_spelling(cur) -> None:
    # A column reference keeps the query's spelling; an alias is the alias as written.
    assert names(cur, "SELECT ENAME, e.sal, count(*) AS n, sal + 1 \"Raise\" FROM emp e "
                      "GROUP BY ename, e.sal") == ["ENAME", "sal", "n", "Raise"]


def test_a_heading_names_a_derived_table_column(cur) -> None:
    cur.execute('SELECT x."COUNT(*)" FROM (SELECT COUNT(*) FROM emp) x')
    assert cur.fetchall() == [(2,)]


def test_set_operations_take_the_first_block_headings(cur) -> None:
    assert names(cur, "SELECT sal * 2 FROM emp UNION ALL SELECT sal FROM emp") == ["SAL*2"]


def test_headings_on_a_flashback_read(cur) -> None:
    cur.execute("SELECT current_scn FROM v$database")
    (scn,) = cur.fetchone()
    cur.execute("UPDATE emp SET sal = 0")
    cur.execute("SELECT SUM(sal) , max( sal ) FROM emp AS OF SCN :s", {"s": scn})
    assert cur.fetchall() == [(6600, 5000)]
    assert [d[0] for d in cur.description] == ["SUM(SAL)", "MAX(SAL)"]


def test_returning_items_are_named_the_same_way(cur) -> None:
    cur.execute("UPDATE emp SET sal = sal + 1 WHERE empno = 1 RETURNING empno, sal * 2, "
                "upper( ename ) name")
    assert [d[0] for d in cur.description] == ["empno", "SAL*2", "name"]
    assert cur.fetchall() == [(1, 10002, "KING")]

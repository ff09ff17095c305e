"""Long and deep statements: AND/OR chains and IN lists of any length work everywhere a
predicate goes; nesting deeper than the stack allows is a clear error at the deepest
expression (heliosql/nesting.py), and the failed statement changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

import heliosql
from heliosql.errors import ProgrammingError


@pytest.fixture()
def cur() -> Any:
    conn = heliosql.connect(autocommit=True)
    cursor = conn.cursor()
    cursor.execute("CREATE TABLE t (id NUMBER(10) PRIMARY KEY, s VARCHAR2(20), n NUMBER)")
    cursor.execute("CREATE TABLE u (id NUMBER(10) PRIMARY KEY, n NUMBER)")
    cursor.execute("INSERT INTO t VALUES (1, 'a', 1), (2, 'b', 2)")
    cursor.execute("INSERT INTO u VALUES (1, 10)")
    yield cursor
    conn.close()


ANDS = " AND ".join(["id = 1"] * 1000)
ORS = " OR ".join(f"id = {i}" for i in range(1000, 2000)) + " OR id = 1"
MIXED = " OR ".join(f"(id = {i} AND n = {i})" for i in range(1000, 1500)) + " OR (id = 1 AND n = 1)"


@pytest.mark.parametrize("predicate", [ANDS, ORS, MIXED], ids=["and", "or", "mixed"])
def test_a_thousand_terms_work_in_every_statement(cur: Any, predicate: str) -> None:
    scn = cur.execute("SELECT current_scn FROM v$database").fetchone()[0]
    assert cur.execute(f"SELECT id FROM t WHERE {predicate}").fetchall() == [(1,)]
    assert cur.execute(f"SELECT id FROM t AS OF SCN :s WHERE {predicate}",
                       {"s": scn}).fetchall() == [(1,)]
    assert cur.execute("SELECT id FROM t VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE "
                       f"WHERE {predicate}").fetchall() == [(1,)]
    assert cur.execute(f"SELECT CASE WHEN {predicate} THEN 'y' END FROM t ORDER BY id"
                       ).fetchall() == [("y",), (None,)]
    assert cur.execute(f"UPDATE t SET s = 'z' WHERE {predicate}").rowcount == 1
    qualified = predicate.replace("id =", "t.id =").replace("n =", "t.n =")
    merge = (f"MERGE INTO u USING t ON (u.id = t.id AND ({qualified})) "
             "WHEN MATCHED THEN UPDATE SET u.n = 11")
    assert cur.execute(merge).rowcount == 1
    plan = "\n".join(r[0] for r in cur.execute(f"EXPLAIN SELECT id FROM t WHERE {predicate}"
                                               ).fetchall())
    assert plan.count("Binary(op=EQ") >= 1000
    cur.execute(f"CREATE VIEW v AS SELECT id FROM t WHERE {predicate}")
    assert cur.execute("SELECT * FROM v").fetchall() == [(1,)]
    assert cur.execute(f"DELETE FROM t WHERE {predicate}").rowcount == 1


def test_ten_thousand_terms_in_an_in_list(cur: Any) -> None:
    items = ", ".join(str(i) for i in range(2, 10_002))
    assert cur.execute(f"SELECT id FROM t WHERE id IN ({items})").fetchall() == [(2,)]
    assert cur.execute(f"SELECT id FROM t WHERE id NOT IN ({items})").fetchall() == [(1,)]


def test_a_thousand_nested_parentheses(cur: Any) -> None:
    nested = "(" * 1000 + "id = 1" + ")" * 1000
    assert cur.execute(f"SELECT id FROM t WHERE {nested}").fetchall() == [(1,)]


@pytest.mark.parametrize("expression", [
    "ABS(" * 1000 + "n" + ")" * 1000,
    "NOT " * 1000 + "id = 1",
    "".join(f"(id = {i} OR " for i in range(1000)) + "id = 1" + ")" * 1000,
    "1" + " + 1" * 1000,
    "CASE WHEN 1 = 1 THEN " * 500 + "1" + " END" * 500,
], ids=["functions", "not", "right-nested or", "sum", "case"])
def test_deeper_nesting_is_a_clear_error_that_changes_nothing(cur: Any, expression: str) -> None:
    cur.connection.autocommit = False
    cur.execute("INSERT INTO t VALUES (3, 'c', 3)")  # earlier work of the transaction
    sql = f"UPDATE t SET n = 0 WHERE ({expression}) IS NOT NULL OR id > 0"
    with pytest.raises(ProgrammingError, match="expression too deeply nested") as err:
        cur.execute(sql)
    assert err.value.code is None
    assert err.value.position is not None and 0 < err.value.position < len(sql)
    assert "Recursion" not in str(err.value)
    assert cur.execute("SELECT id, n FROM t ORDER BY id").fetchall() == [
        (1, 1.0), (2, 2.0), (3, 3.0)]
    cur.connection.commit()
    assert cur.execute("SELECT count(*) FROM t").fetchone() == (3,)


def test_deep_subqueries_are_a_clear_error(cur: Any) -> None:
    sql = "SELECT * FROM t WHERE id IN " + "(SELECT id FROM t WHERE id IN " * 150 + "(1)" + (
        ")" * 150)
    with pytest.raises(ProgrammingError, match="expression too deeply nested"):
        cur.execute(sql)


def test_executemany_of_a_deep_statement_is_a_clear_error(cur: Any) -> None:
    sql = "INSERT INTO t (id, n) VALUES (:1, " + "ABS(" * 1000 + ":2" + ")" * 1000 + ")"
    with pytest.raises(ProgrammingError, match="expression too deeply nested"):
        cur.executemany(sql, [(5, 1), (6, 2)])
    assert cur.execute("SELECT count(*) FROM t").fetchone() == (2,)


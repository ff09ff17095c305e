"""A SELECT statement that only passes one table's relation through runs as that
relation; it answers exactly as the general form, which a `1 = 1` forces."""

from __future__ import annotations

import pytest

import heliosql


@pytest.fixture(scope="module")
def conn() -> heliosql.Connection:
    conn = heliosql.connect(autocommit=True)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, \"Qty\" INTEGER, note VARCHAR)")
    conn.execute("INSERT INTO t VALUES (1, 10, 'a'), (2, 20, NULL), (3, 30, 'c')")
    conn.execute("UPDATE t SET \"Qty\" = \"Qty\" + 1 WHERE id <> 2")
    conn.execute("DELETE FROM t WHERE id = 3")
    conn.execute("CREATE TEMPORARY TABLE scratch (k INTEGER, v VARCHAR)")
    conn.execute("INSERT INTO scratch VALUES (1, 'x'), (2, 'y')")
    return conn


# Each query passes its relation through; with `1 = 1` added it runs as a general block.
QUERIES = [
    "SELECT * FROM t AS OF SCN :s {where} ORDER BY id",
    "SELECT * FROM t AS OF SCN :s WHERE id = 1 {and_}",
    "SELECT t.* FROM t AS OF SCN :s WHERE t.id = :k {and_}",
    "SELECT *, ora_rowscn FROM t AS OF SCN :s {where} ORDER BY 1 DESC",
    "SELECT *, versions_startscn, versions_operation FROM t "
    "VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE WHERE id = :k {and_} "
    "ORDER BY versions_startscn NULLS FIRST, versions_operation",
    "SELECT *, versions_startscn, versions_endscn, versions_operation FROM t "
    "VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE {where} "
    "ORDER BY id, versions_startscn, versions_operation FETCH FIRST 4 ROWS ONLY",
    "SELECT *, versions_starttime, versions_xid FROM t "
    "VERSIONS BETWEEN SCN :s AND MAXVALUE x {where} ORDER BY id, versions_xid NULLS FIRST",
    "SELECT * FROM t {where} ORDER BY \"Qty\" LIMIT 1 OFFSET 1",
    "SELECT * FROM scratch {where} ORDER BY k",
    "SELECT *, ora_rowscn FROM t {where} ORDER BY id",
]


def _run(conn: heliosql.Connection, sql: str) -> tuple[list, list]:
    cur = conn.execute(sql, {"s": 3, "k": 1})
    return [(d[0], d[1]) for d in cur.description], cur.fetchall()


@pytest.mark.parametrize("query", QUERIES)
def test_passed_through_answers_as_the_general_form(conn: heliosql.Connection,
                                                    query: str) -> None:
    passed = query.format(where="", and_="")
    general = query.format(where="WHERE 1 = 1", and_="AND 1 = 1")
    sql = "\n".join(r[0] for r in conn.execute("EXPLAIN " + passed, {"s": 3, "k": 1}))
    assert "\n((SELECT " in sql, sql  # the statement is the relation
    assert "\n((SELECT " not in "\n".join(
        r[0] for r in conn.execute("EXPLAIN " + general, {"s": 3, "k": 1}))
    assert _run(conn, passed) == _run(conn, general)


@pytest.mark.parametrize("query", [
    "SELECT id FROM t AS OF SCN :s",  # not every column
    "SELECT *, versions_operation, versions_startscn FROM t VERSIONS BETWEEN SCN MINVALUE "
    "AND MAXVALUE",  # not in the relation's order
    "SELECT *, VERSIONS_OPERATION FROM t VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE",
    "SELECT * FROM t AS OF SCN :s ORDER BY \"Qty\" + 1",  # a union sorts by columns only
    "SELECT * FROM t AS OF SCN :s x ORDER BY x.id",
    "SELECT *, versions_operation FROM t VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE "
    "ORDER BY versions_startscn",  # sorts by a column it does not return
    "SELECT DISTINCT * FROM t AS OF SCN :s",
    "SELECT * FROM t AS OF SCN :s WHERE ROWNUM <= 2",
    "WITH w AS (SELECT 1 AS one) SELECT * FROM t AS OF SCN :s",
    "SELECT * FROM t AS OF SCN :s, scratch",
])
def test_anything_more_keeps_the_general_form(conn: heliosql.Connection, query: str) -> None:
    sql = "\n".join(r[0] for r in conn.execute("EXPLAIN " + query, {"s": 3}))
    assert "\n((SELECT " not in sql, sql
    conn.execute(query, {"s": 3}).fetchall()  # and it runs


def test_a_passed_through_query_reuses_its_compilation(conn: heliosql.Connection) -> None:
    key = ("SELECT *, versions_startscn FROM t VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE "
           "WHERE id = :k ORDER BY versions_startscn")
    before = conn.execute(key, {"k": 2}).fetchall()
    conn.execute("UPDATE t SET note = 'b' WHERE id = 2")
    after = conn.execute(key, {"k": 2}).fetchall()  # the same compiled query, a new window
    assert [row[2] for row in before] == [None]
    assert [row[2] for row in after] == [None, "b"]

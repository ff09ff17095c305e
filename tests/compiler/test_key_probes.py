"""Which WHERE conjuncts become key probes, and that the flashback SQL uses them."""

from __future__ import annotations

import pytest

import heliosql
from heliosql.key_probes import key_probe
from heliosql.parser import parse_one
from heliosql.plan.expressions import Literal, Parameter


@pytest.fixture(scope="module")
def conn() -> heliosql.Connection:
    conn = heliosql.connect(autocommit=True)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    conn.execute("CREATE TABLE pair (a INTEGER, b INTEGER, PRIMARY KEY (a, b))")
    conn.execute("CREATE TABLE nokey (id INTEGER)")
    return conn


def _probe(conn: heliosql.Connection, sql: str) -> object:
    select = parse_one(sql).query.body
    ref = select.from_[0]
    while not hasattr(ref, "name"):  # the leftmost table of a join
        ref = ref.left
    return key_probe(select, ref, conn.engine.table_info(ref.name[-1]))


@pytest.mark.parametrize(("sql", "expected"), [
    ("SELECT * FROM t WHERE id = :k", Parameter),
    ("SELECT * FROM t WHERE 5 = id", Literal),
    ("SELECT * FROM t x WHERE v > 1 AND (x.id = 7 AND v < 9)", Literal),
    ("SELECT * FROM t x JOIN nokey n ON n.id = x.id WHERE x.id = ?", Parameter),  # not alone
    ("SELECT * FROM t JOIN nokey n ON n.id = t.id WHERE id = 1", None),  # whose id?
    ("SELECT * FROM t x WHERE t.id = 1", None),  # `t` is not the name in this block
    ("SELECT * FROM t WHERE id = 1 OR v = 2", None),
    ("SELECT * FROM t WHERE id = v", None),
    ("SELECT * FROM t WHERE id = NULL", None),
    ("SELECT * FROM t WHERE id > 1", None),
    ("SELECT * FROM pair WHERE a = 1", None),  # a composite key has no usable index
    ("SELECT * FROM nokey WHERE id = 1", None),
])
def test_key_probe(conn: heliosql.Connection, sql: str, expected: type | None) -> None:
    found = _probe(conn, sql)
    if expected is None:
        assert found is None
    else:
        assert isinstance(found.value, expected)
        assert found.alone == (" JOIN " not in sql)


def test_flashback_sql_looks_the_key_up_in_the_index(conn: heliosql.Connection) -> None:
    conn.execute("INSERT INTO t SELECT i, i FROM range(100, 3000) AS r(i)")
    # Rows of several SCNs in the current table, so no SCN test is true of all.
    scn = conn.execute("SELECT current_scn FROM v$database").fetchone()[0]
    conn.execute("UPDATE t SET v = v + 1 WHERE id % 2 = 0")
    conn.execute("DELETE FROM t WHERE id % 7 = 0")

    def profile(query: str, **params: int) -> str:
        return "\n".join(r[0] for r in conn.execute("EXPLAIN ANALYZE " + query, params))

    for query in ("SELECT v FROM t AS OF SCN :s WHERE id = :k",
                  "SELECT v FROM t AS OF SCN :s WHERE id = 200 AND v > 0",
                  "SELECT *, versions_operation FROM t VERSIONS BETWEEN SCN MINVALUE AND :s "
                  "WHERE id = :k",
                  "SELECT v FROM t VERSIONS BETWEEN SCN :s AND MAXVALUE WHERE id = :k"):
        text = profile(query, s=scn, k=202)
        assert text.count("Type: Index Scan") == 1, text  # on the current table
    assert "Index Scan" not in profile("SELECT v FROM t AS OF SCN :s", s=scn)


def test_transaction_query_reads_only_the_transaction_asked_for(
        conn: heliosql.Connection) -> None:
    conn.execute("INSERT INTO t VALUES (41, 1)")
    xid = conn.execute("SELECT max(xid) FROM flashback_transaction_query").fetchone()[0]

    def sql(query: str) -> str:
        return "\n".join(r[0] for r in conn.execute("EXPLAIN " + query, {"x": xid}))

    probed = sql("SELECT * FROM flashback_transaction_query WHERE xid = :x")
    assert f"AND xid = {xid})" in probed and "__end_scn = " in probed
    whole = sql("SELECT * FROM flashback_transaction_query WHERE xid + 0 = :x")
    assert "AND xid = " not in whole and "__end_scn = " not in whole

"""A query's compilation is kept per statement text; its AS OF clauses are bound anew.

Each test runs one text several times in one session, so the second and later
executions take the kept compilation: they must answer as a fresh compile would.
"""

from __future__ import annotations

import pytest

import heliosql
from heliosql.storage.errors import DefinitionChanged, InvalidScn


@pytest.fixture
def conn() -> heliosql.Connection:
    conn = heliosql.connect(autocommit=True)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    return conn


def _scn(conn: heliosql.Connection) -> int:
    return conn.execute("SELECT current_scn FROM v$database").fetchone()[0]


def test_a_kept_as_of_query_binds_each_executions_scn(conn: heliosql.Connection) -> None:
    conn.execute("INSERT INTO t VALUES (1, 10)")
    first = _scn(conn)
    conn.execute("UPDATE t SET v = 20")
    second = _scn(conn)
    query = "SELECT v FROM t AS OF SCN :s WHERE id = :id"
    assert [conn.execute(query, {"s": s, "id": 1}).fetchall() for s in (first, second, first)] \
        == [[(10,)], [(20,)], [(10,)]]
    session = conn.session
    assert len(session._compiled) == 1  # compiled once, bound three times


def test_a_kept_query_sees_what_its_time_expression_means_now(
        conn: heliosql.Connection) -> None:
    query = "SELECT count(*) FROM t AS OF TIMESTAMP SYSTIMESTAMP"
    conn.execute("INSERT INTO t VALUES (1, 10)")
    assert conn.execute(query).fetchone() == (1,)
    conn.execute("INSERT INTO t VALUES (2, 20)")
    assert conn.execute(query).fetchone() == (2,)


def test_a_kept_query_reevaluates_a_subquery_bound(conn: heliosql.Connection) -> None:
    query = ("SELECT max(v) FROM t AS OF SCN (SELECT current_scn FROM v$database)")
    conn.execute("INSERT INTO t VALUES (1, 10)")
    assert conn.execute(query).fetchone() == (10,)
    conn.execute("UPDATE t SET v = 30")
    assert conn.execute(query).fetchone() == (30,)


def test_a_kept_query_checks_each_scn(conn: heliosql.Connection) -> None:
    conn.execute("INSERT INTO t VALUES (1, 10)")
    created = _scn(conn) - 1
    query = "SELECT v FROM t AS OF SCN :s"
    assert conn.execute(query, {"s": created + 1}).fetchall() == [(10,)]
    with pytest.raises(DefinitionChanged):
        conn.execute(query, {"s": created - 1})
    with pytest.raises(InvalidScn):
        conn.execute(query, {"s": _scn(conn) + 5})


def test_a_kept_query_with_rowscn_and_a_join(conn: heliosql.Connection) -> None:
    conn.execute("CREATE TABLE u (id INTEGER PRIMARY KEY, w INTEGER)")
    conn.execute("INSERT INTO t VALUES (1, 10)")
    conn.execute("INSERT INTO u VALUES (1, 100)")
    before = _scn(conn)
    conn.execute("UPDATE t SET v = 11")
    conn.execute("UPDATE u SET w = 101")
    after = _scn(conn)
    query = ("SELECT t.v, u.w, t.ora_rowscn FROM t AS OF SCN :a "
             "JOIN u AS OF SCN :b ON u.id = t.id")
    assert conn.execute(query, {"a": before, "b": after}).fetchall() == [(10, 101, before - 1)]
    assert conn.execute(query, {"a": after, "b": before}).fetchall() == [(11, 100, after - 1)]


def test_a_kept_versions_query_sees_later_versions(conn: heliosql.Connection) -> None:
    query = ("SELECT v, versions_operation FROM t VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE "
             "WHERE id = :id ORDER BY versions_startscn")
    conn.execute("INSERT INTO t VALUES (1, 10)")
    assert conn.execute(query, {"id": 1}).fetchall() == [(10, "I")]
    conn.execute("UPDATE t SET v = 20")
    assert conn.execute(query, {"id": 1}).fetchall() == [(10, "I"), (20, "U")]
    system_time = "SELECT count(*) FROM t FOR SYSTEM_TIME ALL"
    assert conn.execute(system_time).fetchone() == (2,)
    conn.execute("UPDATE t SET v = 30")
    assert conn.execute(system_time).fetchone() == (3,)


def test_a_kept_rowscn_query_sees_its_own_transaction() -> None:
    conn = heliosql.connect()
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    conn.execute("INSERT INTO t VALUES (1, 10)")
    conn.commit()
    query = "SELECT ora_rowscn IS NULL FROM t"
    assert conn.execute(query).fetchall() == [(False,)]
    conn.execute("UPDATE t SET v = 11")  # not committed: the row has no commit SCN yet
    assert conn.execute(query).fetchall() == [(True,)]
    conn.rollback()


def test_a_redefined_view_is_compiled_again(conn: heliosql.Connection) -> None:
    conn.execute("INSERT INTO t VALUES (1, 10)")
    conn.execute("CREATE VIEW w AS SELECT id FROM t")
    scn = _scn(conn)
    for query, params in (("SELECT * FROM w", None), ("SELECT * FROM w AS OF SCN :s", {"s": scn})):
        conn.execute("DROP VIEW w")
        conn.execute("CREATE VIEW w AS SELECT id FROM t")
        assert conn.execute(query, params).fetchall() == [(1,)]
        conn.execute("DROP VIEW w")
        conn.execute("CREATE VIEW w AS SELECT v FROM t")
        assert conn.execute(query, params).fetchall() == [(10,)]


def test_a_table_changed_twice_in_one_transaction_is_compiled_again() -> None:
    conn = heliosql.connect()
    conn.execute("CREATE TABLE a (id INTEGER)")
    conn.execute("INSERT INTO a VALUES (1)")
    assert conn.execute("SELECT * FROM a").fetchall() == [(1,)]
    conn.execute("ALTER TABLE a ADD COLUMN z INTEGER DEFAULT 7")
    assert conn.execute("SELECT * FROM a").fetchall() == [(1, 7)]
    conn.execute("CREATE VIEW w AS SELECT id FROM a")
    assert conn.execute("SELECT * FROM w").fetchall() == [(1,)]
    conn.execute("DROP VIEW w")
    conn.execute("CREATE VIEW w AS SELECT z FROM a")
    assert conn.execute("SELECT * FROM w").fetchall() == [(7,)]
    conn.commit()


def test_a_kept_write_statement_answers_as_a_fresh_compile(conn: heliosql.Connection) -> None:
    update = "UPDATE t SET v = v + :d WHERE id = :id"
    conn.execute("INSERT INTO t VALUES (1, 10), (2, 20)")
    for d in (1, 2, 3):
        conn.execute(update, {"d": d, "id": 1})
    assert len(conn.session._compiled_dml) == 2  # the INSERT and the UPDATE, once each
    conn.execute("ALTER TABLE t ADD w INTEGER DEFAULT 7")  # a new catalog object
    conn.execute(update, {"d": 1, "id": 2})
    conn.execute("INSERT INTO t (id, v) VALUES (:id, 0)", {"id": 3})
    assert conn.execute("SELECT id, v, w FROM t ORDER BY id").fetchall() == [
        (1, 16, 7), (2, 21, 7), (3, 0, 7)]


def test_write_statements_drawing_numbers_are_compiled_each_time(
        conn: heliosql.Connection) -> None:
    conn.execute("CREATE SEQUENCE s")
    for _ in range(3):
        conn.execute("INSERT INTO t VALUES (s.NEXTVAL, s.CURRVAL * 10)")
    conn.execute("UPDATE t SET v = s.NEXTVAL WHERE id = 1")
    conn.execute("UPDATE t SET v = s.NEXTVAL WHERE id = 1")
    assert conn.execute("SELECT id, v FROM t ORDER BY id").fetchall() == [
        (1, 5), (2, 20), (3, 30)]
    assert not conn.session._compiled_dml

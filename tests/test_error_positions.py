"""Errors DuckDB raises about a column point at the column in the user's text."""

from __future__ import annotations

import pytest

import heliosql
from heliosql.errors import AmbiguousColumn, NoSuchColumn


@pytest.fixture(scope="module")
def conn() -> heliosql.Connection:
    conn = heliosql.connect(autocommit=True)
    conn.execute("CREATE TABLE emp (id INTEGER PRIMARY KEY, name VARCHAR, dept INTEGER)")
    conn.execute("CREATE TABLE dept (id INTEGER PRIMARY KEY, dname VARCHAR)")
    return conn


@pytest.mark.parametrize(("sql", "column"), [
    ("SELECT id,\n  nam FROM emp", "nam"),
    ("SELECT e.id FROM emp e WHERE e.nam = 'x'", "e.nam"),
    ("SELECT id FROM emp AS OF SCN 2 ORDER BY salary", "salary"),
    ("SELECT id, Versions_XID FROM emp", "Versions_XID"),  # no VERSIONS clause
])
def test_an_unknown_column_points_at_its_first_use(conn: heliosql.Connection, sql: str,
                                                    column: str) -> None:
    with pytest.raises(NoSuchColumn) as info:
        conn.execute(sql)
    assert info.value.code == "ORA-00904"
    assert info.value.position == sql.index(column)


def test_an_ambiguous_column_points_at_the_bare_name(conn: heliosql.Connection) -> None:
    sql = "SELECT e.id, dname FROM emp e JOIN dept d ON d.id = e.dept WHERE id > 1"
    with pytest.raises(AmbiguousColumn, match=r"qualify it: (e\.id or d\.id|d\.id or e\.id)") \
            as info:
        conn.execute(sql)
    assert info.value.code == "ORA-00918"
    assert info.value.position == sql.index("id > 1")

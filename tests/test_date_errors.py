"""Errors of Oracle's date handling carry Oracle's code and point at the culprit."""

from __future__ import annotations

from typing import Any

import pytest

import heliosql


@pytest.fixture()
def cur() -> Any:
    conn = heliosql.connect(autocommit=True)
    cursor = conn.cursor()
    cursor.execute("CREATE TABLE emp (empno NUMBER(4) PRIMARY KEY, hiredate DATE)")
    yield cursor
    conn.close()


@pytest.mark.parametrize(("sql", "code", "at"), [
    ("SELECT TO_DATE('13-JUL-87x') FROM dual", "ORA-01861", "'13-JUL-87x'"),
    ("SELECT * FROM emp WHERE hiredate > 'tomorrow'", "ORA-01861", "'tomorrow'"),
    ("INSERT INTO emp VALUES (1, '30-FEB-81')", "ORA-01861", "'30-FEB-81'"),
    ("SELECT NEXT_DAY(SYSDATE, 'Someday') FROM dual", "ORA-01846", "NEXT_DAY"),
    ("ALTER SESSION SET NLS_DATE_FORMAT = 'DD-MON-RR' NLS_DATE_FORMAT = 'WW'",
     "ORA-01821", "NLS_DATE_FORMAT = 'WW'"),
    ("ALTER SESSION SET NLS_FOO = 1", "ORA-02248", "NLS_FOO"),
])
def test_date_errors_are_placed(cur: Any, sql: str, code: str, at: str) -> None:
    with pytest.raises(heliosql.Error) as err:
        cur.execute(sql)
    assert err.value.code == code
    assert err.value.position == sql.index(at), (err.value.position, sql.index(at))
    assert cur.execute("SELECT count(*) FROM emp").fetchone() == (0,)


def test_a_failed_conversion_in_a_transaction_undoes_only_its_statement(cur: Any) -> None:
    cur.connection.autocommit = False
    cur.execute("INSERT INTO emp VALUES (1, '17-DEC-80')")
    with pytest.raises(heliosql.DataError):
        cur.execute("INSERT INTO emp VALUES (2, '20-FEB-81'), (3, '31-FEB-81')")
    cur.connection.commit()
    assert cur.execute("SELECT empno FROM emp").fetchall() == [(1,)]

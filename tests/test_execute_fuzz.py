"""Fuzzing ``cursor.execute``: random SQL-ish text and random parameter values only ever
raise heliosql errors, with no Python or DuckDB internals in their messages.

The parser has its own fuzz tests (tests/parser/test_parse_fuzz.py); these go
through the whole statement: binding, compiling, DuckDB, translation of its errors.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import heliosql
from heliosql.errors import InternalError

CORPUS = (Path(__file__).parent / "parser" / "valid_statements.sql").read_text()

FUZZ = settings(
    max_examples=int(os.environ.get("HELIOSQL_FUZZ_EXAMPLES", "150")),
    deadline=None,  # DuckDB's first run of a statement may take a while on a busy machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# What a message must not show: tracebacks, Python's or DuckDB's own vocabulary.
INTERNALS = re.compile(r"Traceback|<class |_duckdb|Invoked with|incompatible function|"
                       r"LogicalType|Python Conversion|python value|Python integer|"
                       r"INTERNAL Error|object at 0x")

TEMPLATES = [
    "SELECT * FROM t AS OF SCN :a",
    "SELECT * FROM t AS OF TIMESTAMP :a",
    "SELECT * FROM t FOR SYSTEM_TIME AS OF TIMESTAMP :a",
    "SELECT * FROM t FOR SYSTEM_TIME BETWEEN TIMESTAMP :a AND TIMESTAMP :b",
    "SELECT * FROM t FOR SYSTEM_TIME FROM :a TO :b",
    "SELECT * FROM t VERSIONS BETWEEN TIMESTAMP :a AND :b",
    "SELECT * FROM t VERSIONS BETWEEN SCN :a AND :b",
    "SELECT * FROM t WHERE d > :a",
    "SELECT * FROM t WHERE ts < :a OR n = :b",
    "SELECT * FROM t WHERE s = :a",
    "SELECT :a, :b FROM dual",
    "SELECT :a + 1, :b || 'x' FROM dual",
    "SELECT d + :a, d - :b FROM t",
    "SELECT TO_CHAR(:a), TO_DATE(:b) FROM dual",
    "SELECT NVL(:a, :b), LENGTH(:a) FROM dual",
    "SELECT SCN_TO_TIMESTAMP(:a) FROM dual",
    "SELECT TIMESTAMP_TO_SCN(:a) FROM dual",
    "SELECT ADD_MONTHS(:a, :b), MONTHS_BETWEEN(:a, :b) FROM dual",
    "SELECT * FROM t FLASHBACK TRANSACTION :a",
    "INSERT INTO t (id, s, n) VALUES (:a, :b, 1)",
    "INSERT INTO t (id, d) VALUES (9, :a)",
    "UPDATE t SET s = :a WHERE id = :b",
    "UPDATE t SET n = :a, ts = :b WHERE id = 1",
    "DELETE FROM t WHERE n = :a AND s = :b",
    "MERGE INTO t USING (SELECT :a AS id FROM dual) s ON (t.id = s.id) "
    "WHEN NOT MATCHED THEN INSERT (id, s) VALUES (s.id, :b)",
    "FLASHBACK TABLE t TO SCN :a",
    "CREATE RESTORE POINT p AS OF SCN :a",
    "SELECT * FROM t WHERE id IN (:a, :b)",
    "SELECT CASE WHEN :a THEN 1 END FROM dual",
    "EXEC DBMS_FLASHBACK.ENABLE_AT_TIME(:a)",
]
SQL_TOKENS = sorted({tok for tok in re.findall(r"\w+|\S", CORPUS)}
                    | {":a", ":b", "?", "''", "'\ud800'", "(", ")", "t", "dual", "TO_DATE",
                       "'13-JUL-87'", "NLS_DATE_FORMAT", "SESSION", "ALTER", "SET", "="})

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.sampled_from([2**63, -(2**63) - 1, 2**127, 2**128, -(2**127) - 1, 10**40]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("sNaN"), Decimal("NaN"), Decimal("-Infinity"), Decimal("1e400"),
                     Decimal("-1e-400"), Decimal("9" * 60)]),
    st.text(max_size=20),
    st.sampled_from(["", " ", "\ud800", "a\udfffb", "13-JUL-87", "2024-02-30", "\x00",
                     "01-JAN-0001", "FRIDAY"]),
    st.binary(max_size=10),
    st.datetimes(),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=14)),
                                            timezone(timedelta(hours=-12))])),
    st.sampled_from([datetime.min, datetime.max, datetime(1, 1, 1, tzinfo=UTC),
                     datetime.max.replace(tzinfo=timezone(timedelta(hours=-5)))]),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.sampled_from([time.max, timedelta.max, timedelta.min, date.min, date.max]),
    st.sampled_from([object(), {1, 2}, complex(1, 2), [1, "a"], {"k": 1}, (1,), b"\xff" * 3]),
)


@pytest.fixture(scope="module")
def cursor() -> Any:
    conn = heliosql.connect(autocommit=True)
    cur = conn.cursor()
    cur.execute("CREATE TABLE t (id NUMBER(10) PRIMARY KEY, s VARCHAR2(20), n NUMBER, "
                "d DATE, ts TIMESTAMP WITH TIME ZONE)")
    cur.execute("INSERT INTO t VALUES (1, 'a', 1, DATE '2020-01-01', SYSTIMESTAMP)")
    yield cur
    conn.close()


def _execute_safely(cur: Any, sql: str, params: Any) -> None:
    try:
        cur.execute(sql, params)
        if cur.description is not None:
            cur.fetchall()
    except InternalError:  # a heliosql bug, not bad input
        raise
    except heliosql.Error as exc:
        assert not INTERNALS.search(str(exc)), str(exc)
    finally:
        if cur.connection is not None and cur.connection.session.flashback_scn is not None:
            cur.execute("EXEC DBMS_FLASHBACK.DISABLE")


@FUZZ
@given(st.sampled_from(TEMPLATES), VALUES, VALUES)
def test_templates_with_random_values(cursor: Any, sql: str, a: Any, b: Any) -> None:
    _execute_safely(cursor, sql, {"a": a, "b": b})


@FUZZ
@given(st.lists(st.sampled_from(SQL_TOKENS), max_size=30), VALUES, VALUES)
def test_token_soup_with_random_values(cursor: Any, tokens: list[str], a: Any, b: Any) -> None:
    sql = " ".join(tokens)
    params: Any = [a, b] if "?" in tokens else {"a": a, "b": b}
    _execute_safely(cursor, sql, params)


@FUZZ
@given(st.text(max_size=120), st.lists(VALUES, max_size=3))
def test_random_text_with_random_values(cursor: Any, sql: str, values: list[Any]) -> None:
    _execute_safely(cursor, sql, values)


@FUZZ
@given(st.lists(st.tuples(VALUES, VALUES), min_size=1, max_size=4))
def test_executemany_with_random_values(cursor: Any, rows: list[tuple[Any, Any]]) -> None:
    try:
        cursor.executemany("INSERT INTO t (id, s, n) VALUES (:1, :2, 7)", rows)
    except InternalError:
        raise
    except heliosql.Error as exc:
        assert not INTERNALS.search(str(exc)), str(exc)
    finally:
        cursor.execute("DELETE FROM t WHERE n = 7")

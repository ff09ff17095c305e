"""Python values bound to parameters: Oracle's '' is NULL, and every value heliosql cannot
bind is a heliosql error naming the parameter (bind_values.py), never a Python or
DuckDB exception; a failed statement changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

import heliosql
from heliosql.errors import DataError, InvalidScn, NoSnapshot, ProgrammingError, SqlSyntaxError


@pytest.fixture()
def cur() -> Any:
    conn = heliosql.connect(autocommit=True)
    cursor = conn.cursor()
    cursor.execute("CREATE TABLE t (id NUMBER(10) PRIMARY KEY, s VARCHAR2(20), n NUMBER, "
                   "d DATE)")
    cursor.execute("INSERT INTO t VALUES (1, 'a', 1, DATE '2020-01-01')")
    yield cursor
    conn.close()


def _rows(cur: Any) -> list[tuple]:
    return cur.execute("SELECT id, s, n FROM t ORDER BY id").fetchall()


# --- '' is NULL ------------------------------------------------------------------------------


def test_an_empty_string_parameter_is_null(cur: Any) -> None:
    cur.execute("INSERT INTO t (id, s) VALUES (:id, :s)", {"id": 2, "s": ""})
    assert cur.execute("SELECT s IS NULL FROM t WHERE id = 2").fetchone() == (True,)
    assert cur.execute("SELECT count(*) FROM t WHERE s = :s", {"s": ""}).fetchone() == (0,)
    assert cur.execute("SELECT NVL(:s, 'x'), LENGTH(:s) FROM dual", {"s": ""}).fetchone() == (
        "x", None)


def test_executemany_stores_null_for_empty_strings(cur: Any) -> None:
    # One bulk INSERT (parameters only) and one statement per set (a literal among them).
    cur.executemany("INSERT INTO t (id, s) VALUES (:1, :2)", [(2, ""), (3, "b")])
    cur.executemany("INSERT INTO t (id, s, n) VALUES (:1, :2, 0)", [(4, ""), (5, "c")])
    found = cur.execute("SELECT id FROM t WHERE s IS NULL ORDER BY id").fetchall()
    assert found == [(2,), (4,)]


# --- values DuckDB cannot take -----------------------------------------------------------------


@pytest.mark.parametrize(("value", "code", "words"), [
    ("\ud800", "ORA-29275", "lone surrogate (U+D800) at character 1"),
    ("ab\udfff", "ORA-29275", "at character 3"),
    (10**40, "ORA-01426", "numeric overflow"),
    (-(10**60), "ORA-01426", "61 digits"),
    (Decimal("sNaN"), "ORA-01722", "sNaN"),
])
def test_values_that_cannot_be_bound(cur: Any, value: Any, code: str, words: str) -> None:
    sql = "UPDATE t SET s = 'changed' WHERE id = 1 AND :v IS NOT NULL"
    with pytest.raises(DataError) as err:
        cur.execute(sql, {"v": value})
    assert err.value.code == code and words in str(err.value) and ":v" in str(err.value)
    assert err.value.position == sql.index(":v")
    assert _rows(cur) == [(1, "a", 1.0)]


def test_a_positional_parameter_is_named_by_its_number(cur: Any) -> None:
    sql = "SELECT ?, ? FROM dual"
    with pytest.raises(DataError, match="parameter :2 holds a lone surrogate") as err:
        cur.execute(sql, ["ok", "\udc00"])
    assert err.value.position == sql.rindex("?")


def test_executemany_names_the_parameter_set_of_a_bad_value(cur: Any) -> None:
    with pytest.raises(DataError) as err:
        cur.executemany("INSERT INTO t (id, s) VALUES (:1, :2)", [(2, "x"), (3, "\ud800")])
    assert err.value.code == "ORA-29275" and "parameter set 2 of 2" in str(err.value)
    with pytest.raises(DataError) as err:
        cur.executemany("INSERT INTO t (id, n) VALUES (:1, :2)", [(2, 10**50)])
    assert err.value.code == "ORA-01426" and "parameter set 1 of 1" in str(err.value)
    assert _rows(cur) == [(1, "a", 1.0)]


def test_a_value_of_an_unknown_type_is_refused_by_name(cur: Any) -> None:
    with pytest.raises(ProgrammingError, match="a parameter of type set cannot be bound"):
        cur.execute("SELECT :v FROM dual", {"v": {1, 2}})


def test_non_finite_numbers_bind_as_doubles(cur: Any) -> None:
    row = cur.execute("SELECT :a, :b, :c FROM dual",
                      {"a": float("inf"), "b": Decimal("-Infinity"), "c": 10**30}).fetchone()
    assert row == (float("inf"), float("-inf"), 10**30)


def test_a_lone_surrogate_in_the_statement_text_is_placed(cur: Any) -> None:
    with pytest.raises(SqlSyntaxError) as err:
        cur.execute("SELECT 'x\ud800' FROM dual")
    assert err.value.code == "ORA-29275" and err.value.position == 9
    str(err.value).encode("utf-8")  # the message itself is printable text


# --- flashback bounds --------------------------------------------------------------------------


@pytest.mark.parametrize("value", [float("inf"), float("nan"), Decimal("Infinity"),
                                   Decimal("NaN"), 1.5, "7"])
def test_an_scn_that_is_no_integer_is_ora_08181(cur: Any, value: Any) -> None:
    with pytest.raises(InvalidScn):
        cur.execute("SELECT * FROM t AS OF SCN :s", {"s": value})


@pytest.mark.parametrize("value", [float("inf"), Decimal("NaN"), object()])
def test_an_xid_that_is_no_integer_is_refused(cur: Any, value: Any) -> None:
    with pytest.raises(heliosql.Error, match="is not a transaction id") as err:
        cur.execute("SELECT * FROM t FLASHBACK TRANSACTION :x", {"x": value})
    assert "object at 0x" not in str(err.value)


def test_an_xid_beyond_every_transaction_gives_no_rows(cur: Any) -> None:
    assert cur.execute("SELECT * FROM t FLASHBACK TRANSACTION :x", {"x": 2**70}).fetchall() == []


@pytest.mark.parametrize("sql, params", [
    ("SELECT * FROM t AS OF TIMESTAMP TIMESTAMP '0001-01-01 00:00:00'", None),
    ("SELECT * FROM t AS OF TIMESTAMP :t", {"t": datetime(1, 1, 1)}),
    ("SELECT * FROM t AS OF TIMESTAMP :t", {"t": datetime(1, 1, 1, tzinfo=UTC)}),
])
def test_times_long_before_the_database_are_ora_08180(cur: Any, sql: str, params: Any) -> None:
    with pytest.raises(NoSnapshot):
        cur.execute(sql, params)


def test_a_time_bound_as_text_is_read_with_the_session_format(cur: Any) -> None:
    with pytest.raises(NoSnapshot):  # 2020-01-01: before the database
        cur.execute("SELECT * FROM t AS OF TIMESTAMP :t", {"t": "01-JAN-20 10.00.00.0 AM"})
    sql = "SELECT * FROM t AS OF TIMESTAMP :t"
    with pytest.raises(DataError) as err:
        cur.execute(sql, {"t": "soon"})
    assert err.value.code == "ORA-01861" and err.value.position == sql.index(":t")


def test_far_future_times_are_ora_08186(cur: Any) -> None:
    with pytest.raises(heliosql.Error) as err:
        cur.execute("SELECT * FROM t AS OF TIMESTAMP :t", {"t": datetime.max})
    assert err.value.code == "ORA-08186"


def test_a_version_window_from_year_one_starts_before_the_table(cur: Any) -> None:
    with pytest.raises(heliosql.Error) as err:
        cur.execute("SELECT count(*) FROM t VERSIONS BETWEEN TIMESTAMP :a AND MAXVALUE",
                    {"a": datetime(1, 1, 1)})
    assert err.value.code == "ORA-01466"


# --- a parameter added to a date ----------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (2, datetime(2020, 1, 3)),
    (0.5, datetime(2020, 1, 1, 12)),
    (Decimal("1.25"), datetime(2020, 1, 2, 6)),
    (timedelta(hours=3), datetime(2020, 1, 1, 3)),  # an interval, as it is
    (None, None),
])
def test_a_parameter_added_to_a_date_is_days_or_an_interval(cur: Any, value: Any,
                                                             expected: Any) -> None:
    assert cur.execute("SELECT d + :n FROM t", {"n": value}).fetchone() == (expected,)
    if expected is not None:
        back = cur.execute("SELECT (d + :n) - :n FROM t", {"n": value}).fetchone()[0]
        assert back == datetime(2020, 1, 1)

"""Oracle functions compiled for DuckDB, checked against the answers Oracle gives."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from heliosql import plan as p
from heliosql.compiler import ExpressionCompiler, to_duckdb_sql
from tests.compiler.conftest import Runner, col, date, fn, lit, ts

T0 = "2024-03-05 14:07:09"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (fn("NVL", lit(None), lit(3)), 3),
        (fn("nvl2", lit(None), lit(1), lit(2)), 2),
        (fn("DECODE", lit(2), lit(1), lit("a"), lit(2), lit("b"), lit("z")), "b"),
        (fn("DECODE", lit(9), lit(1), lit("a"), lit("z")), "z"),
        # Oracle's DECODE matches NULL with NULL, unlike "=".
        (fn("DECODE", lit(None), lit(None), lit("null matched"), lit("no")), "null matched"),
        (fn("COALESCE", lit(None), lit(None), lit(7)), 7),
        (fn("NULLIF", lit(1), lit(1)), None),
    ],
)
def test_null_handling(run: Runner, call: p.Expr, expected: object) -> None:
    assert run.value(call) == expected


def test_decode_null_match_on_columns(run: Runner) -> None:
    run.rows("CREATE TABLE t AS SELECT * FROM (VALUES (NULL, NULL), (1, 1), (1, 2)) v(a, b)")
    decode = run.sql(fn("DECODE", col("a"), col("b"), lit("same"), lit("different")))
    assert run.rows(f"SELECT {decode} FROM t") == [("same",), ("same",), ("different",)]


@pytest.mark.parametrize(
    ("value", "mask", "expected"),
    [
        (ts(T0), "YYYY-MM-DD HH24:MI:SS", "2024-03-05 14:07:09"),
        (date("2024-03-05"), "DD-MON-YYYY", "05-MAR-2024"),
        (date("2024-03-05"), "DD-Mon-YY", "05-Mar-24"),
        (date("2024-03-05"), "fmDD month", "5 march"),
        (date("2024-03-05"), "MONTH|DAY|DY", "MARCH    |TUESDAY  |TUE"),
        (ts(T0), "HH:MI AM", "02:07 PM"),
        (ts("2024-03-05 14:07:09.123456"), "SS.FF6|FF3|FF1|FF9", "09.123456|123|1|123456000"),
        (ts(T0), 'YYYY"年"DDD', "2024年065"),
        (ts(T0), "IYYY-IW", "2024-10"),
    ],
)
def test_to_char_dates(run: Runner, value: p.Expr, mask: str, expected: str) -> None:
    assert run.value(fn("TO_CHAR", value, lit(mask))) == expected


def test_to_char_without_mask_and_of_null(run: Runner) -> None:
    assert run.value(fn("TO_CHAR", lit(12))) == "12"
    null_ts = p.Cast(lit(None), p.TypeName("TIMESTAMP"))
    assert run.value(fn("TO_CHAR", null_ts, lit("DD-MON-YYYY"))) is None


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (fn("TO_DATE", lit("05-03-2024"), lit("DD-MM-YYYY")), datetime(2024, 3, 5)),
        (
            fn("TO_DATE", lit("05-mar-2024 14:07"), lit("DD-MON-YYYY HH24:MI")),
            datetime(2024, 3, 5, 14, 7),
        ),
        (fn("TO_DATE", lit("2024-03-05")), datetime(2024, 3, 5)),
        (
            fn("TO_TIMESTAMP", lit("2024-03-05 14:07:09.123"), lit("YYYY-MM-DD HH24:MI:SS.FF3")),
            datetime(2024, 3, 5, 14, 7, 9, 123000),
        ),
        (
            fn(
                "TO_TIMESTAMP",
                lit("2024-03-05 14:07:09.123456789"),
                lit("YYYY-MM-DD HH24:MI:SS.FF"),
            ),
            datetime(2024, 3, 5, 14, 7, 9, 123456),
        ),
        (fn("TO_NUMBER", lit("12.5")), 12.5),
        (fn("TO_NUMBER", lit("$1,234.5"), lit("$9,999.9")), 1234.5),
    ],
)
def test_conversions(run: Runner, call: p.Expr, expected: object) -> None:
    assert run.value(call) == expected


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        # Oracle: from the last day of a month, ADD_MONTHS lands on the last day.
        (fn("ADD_MONTHS", date("2024-01-31"), lit(1)), datetime(2024, 2, 29)),
        (fn("ADD_MONTHS", date("2024-02-29"), lit(1)), datetime(2024, 3, 31)),
        (fn("ADD_MONTHS", date("2024-01-15"), lit(-2)), datetime(2023, 11, 15)),
        # ... and keeps the time of day (sqlglot's mapping casts it away).
        (fn("ADD_MONTHS", ts("2024-01-31 10:30:00"), lit(1)), datetime(2024, 2, 29, 10, 30)),
        (fn("ADD_MONTHS", ts("2024-01-10 10:30:00"), lit(1.7)), datetime(2024, 2, 10, 10, 30)),
        (fn("ADD_MONTHS", lit(None), lit(1)), None),
        (fn("MONTHS_BETWEEN", date("2024-03-31"), date("2024-02-29")), 1),
        (fn("MONTHS_BETWEEN", date("2024-03-15"), date("2024-01-15")), 2),
        (fn("LAST_DAY", date("2024-02-10")), datetime(2024, 2, 29)),
        (fn("LAST_DAY", ts("2024-01-10 10:30:00")), datetime(2024, 1, 31, 10, 30)),
        (fn("TRUNC", ts(T0)), datetime(2024, 3, 5)),
        (fn("TRUNC", ts(T0), lit("MM")), datetime(2024, 3, 1)),
        (fn("TRUNC", date("2024-03-05"), lit("YYYY")), datetime(2024, 1, 1)),
        (fn("TRUNC", ts(T0), lit("HH24")), datetime(2024, 3, 5, 14)),
        (
            fn("TRUNC", fn("TO_DATE", lit("2024-03-05 10:00"), lit("YYYY-MM-DD HH24:MI"))),
            datetime(2024, 3, 5),
        ),
        (fn("ROUND", ts(T0)), datetime(2024, 3, 6)),
        (fn("TRUNC", lit(12.345), lit(1)), Decimal("12.3")),
        (fn("TRUNC", lit(-12.7)), Decimal("-12")),
        (fn("ROUND", lit(12.345), lit(2)), Decimal("12.35")),
        (fn("ROUND", lit(2.5)), Decimal("3")),
    ],
)
def test_dates_and_rounding(run: Runner, call: p.Expr, expected: object) -> None:
    assert run.value(call) == expected


def test_trunc_of_a_date_column_needs_the_binders_hint(run: Runner) -> None:
    run.rows("CREATE TABLE t AS SELECT TIMESTAMP '2024-03-05 14:07:09' AS d")
    hint = {col("d"): True}
    trunc = ExpressionCompiler(temporal_hint=hint.get).compile(fn("TRUNC", col("d")))
    assert run.rows(f"SELECT {to_duckdb_sql(trunc)} FROM t") == [(datetime(2024, 3, 5),)]
    plus = ExpressionCompiler(temporal_hint=hint.get).compile(
        p.Binary(p.BinaryOp.SUB, col("d"), lit(1))
    )
    assert run.rows(f"SELECT {to_duckdb_sql(plus)} FROM t") == [(datetime(2024, 3, 4, 14, 7, 9),)]


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (fn("SUBSTR", lit("hello"), lit(2), lit(3)), "ell"),
        (fn("SUBSTR", lit("hello"), lit(-3)), "llo"),
        (fn("SUBSTR", lit("hello"), lit(-3), lit(2)), "ll"),
        (fn("SUBSTR", lit("hello"), lit(0), lit(2)), "he"),  # Oracle reads 0 as 1
        (fn("SUBSTR", lit("hello"), lit(2), lit(0)), None),
        (fn("SUBSTR", lit("hello"), lit(-10)), None),  # DuckDB would give 'hello'
        (fn("SUBSTR", lit("hello"), lit(10)), None),  # Oracle has no '' but NULL
        (fn("INSTR", lit("hello"), lit("l")), 3),
        (fn("INSTR", lit("hello"), lit("z")), 0),
        (fn("INSTR", lit("hello"), lit("l"), lit(1), lit(2)), 4),
        (fn("INSTR", lit("hello"), lit("l"), lit(-1)), 4),  # a negative start searches backwards
        (fn("INSTR", lit("hello"), lit("l"), lit(-1), lit(2)), 3),
        (fn("INSTR", lit("hello"), lit("l"), lit(1), lit(3)), 0),
        (fn("INSTR", lit("aaa"), lit("aa"), lit(1), lit(2)), 2),  # overlapping matches count
        (fn("LENGTH", lit("hello")), 5),
        (fn("UPPER", lit("abc")), "ABC"),
        (fn("lower", lit("ABC")), "abc"),
        (fn("INITCAP", lit("hELLO wORLD")), "Hello World"),
        (fn("LPAD", lit("ab"), lit(5), lit("*")), "***ab"),
        (fn("LPAD", lit("ab"), lit(5)), "   ab"),
        (fn("RPAD", lit("abcdef"), lit(3)), "abc"),
        (fn("TRIM", lit("  x  ")), "x"),
        (fn("LTRIM", lit("xxab"), lit("x")), "ab"),
        (fn("RTRIM", lit("abyy"), lit("y")), "ab"),
        (fn("REPLACE", lit("abc"), lit("b")), "ac"),
        (fn("REPLACE", lit("abc"), lit("b"), lit("X")), "aXc"),
        (fn("REPLACE", lit("abc"), lit("b"), lit(None)), "ac"),
        (fn("CONCAT", lit("a"), lit(None)), "a"),
    ],
)
def test_strings(run: Runner, call: p.Expr, expected: object) -> None:
    assert run.value(call) == expected


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (fn("GREATEST", lit(1), lit(3), lit(2)), 3),
        (fn("GREATEST", lit(1), lit(None), lit(3)), None),  # Oracle: any NULL gives NULL
        (fn("LEAST", lit(1), lit(None)), None),
        (fn("LEAST", lit(4), lit(2)), 2),
        (fn("MOD", lit(-7), lit(3)), -1),
        (fn("MOD", lit(7), lit(0)), 7),  # Oracle: MOD(x, 0) = x
        (fn("POWER", lit(2), lit(10)), 1024),
        (fn("ABS", lit(-3)), 3),
        (fn("CEIL", lit(1.2)), 2),
        (fn("FLOOR", lit(1.8)), 1),
        (fn("SIGN", lit(-3)), -1),
        (fn("SQRT", lit(16)), 4),
        (fn("EXP", lit(0)), 1),
        (fn("LN", lit(1)), 0),
        (fn("LOG", lit(10), lit(100)), 2),  # Oracle: LOG(base, n)
    ],
)
def test_numbers(run: Runner, call: p.Expr, expected: object) -> None:
    assert run.value(call) == expected


def test_substr_with_column_arguments(run: Runner) -> None:
    run.rows("CREATE TABLE t AS SELECT * FROM (VALUES (0, 2), (-3, 2), (-9, 2), (2, -1)) v(s, n)")
    substr = run.sql(fn("SUBSTR", lit("hello"), col("s"), col("n")))
    assert run.rows(f"SELECT {substr} FROM t") == [("he",), ("ll",), (None,), (None,)]


def test_mod_by_a_column_guards_zero(run: Runner) -> None:
    run.rows("CREATE TABLE t AS SELECT * FROM (VALUES (7, 0), (7, 4)) v(a, b)")
    mod = run.sql(fn("MOD", col("a"), col("b")))
    assert run.rows(f"SELECT {mod} FROM t") == [(7,), (3,)]


def test_raw_functions(run: Runner) -> None:
    assert run.value(fn("HEXTORAW", lit("4142"))) == b"AB"
    assert run.value(fn("RAWTOHEX", fn("HEXTORAW", lit("0aff")))) == "0AFF"
    guid = run.value(fn("SYS_GUID"))
    assert isinstance(guid, bytes) and len(guid) == 16


def test_duckdb_and_unknown_functions_pass_through(run: Runner) -> None:
    assert run.value(fn("list_value", lit(1), lit(2))) == [1, 2]
    assert run.value(fn("strftime", ts(T0), lit("%d/%m"))) == "05/03"
    assert run.value(fn("date_trunc", lit("month"), ts(T0))) == datetime(2024, 3, 1)
    assert run.value(fn("regexp_matches", lit("abc"), lit("b"))) is True
    assert run.sql(fn("my_macro", lit(1))) == "MY_MACRO(1)"


def test_special_functions_are_left_to_the_caller(run: Runner) -> None:
    specials = {
        "DBMS_FLASHBACK.GET_SYSTEM_CHANGE_NUMBER": lambda args: lit_sql(42),
        "SCN_TO_TIMESTAMP": lambda args: lit_sql(args[0].sql()),
    }
    bare = fn("dbms_flashback.get_system_change_number", parens=False)
    assert run.value(bare, special_functions=specials) == 42
    assert run.value(fn("scn_to_timestamp", lit(7)), special_functions=specials) == "7"


def lit_sql(value: object):
    from sqlglot import exp

    return exp.Literal.number(value) if isinstance(value, int) else exp.Literal.string(value)


@pytest.mark.parametrize(
    ("number", "mask", "expected"),
    [
        (1234.5, "9999.99", " 1234.50"),  # one blank where the sign would go
        (1234.5, "9,999.99", " 1,234.50"),
        (-1234.5, "9,999.99", "-1,234.50"),
        (1234.5, "$9,999.99", " $1,234.50"),
        (0.5, "9.99", "  .50"),  # 9 shows no leading zero ...
        (0.5, "0.99", " 0.50"),  # ... 0 does
        (7, "999", "   7"),
        (2.675, "9.99", " 2.68"),  # half away from zero, on the decimal value
        (12345, "999", "####"),
        (42, "FM0000", "0042"),
        (1234.5, "FM9999.99", "1234.5"),
        (1, "FM999.99", "1."),  # Oracle keeps the point
        (1.5, "FM990.00", "1.50"),
    ],
)
def test_to_char_numbers(run: Runner, number: float, mask: str, expected: str) -> None:
    assert run.value(fn("TO_CHAR", lit(number), lit(mask))) == expected

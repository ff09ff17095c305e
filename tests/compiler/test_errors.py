"""What DuckDB cannot express is a clear heliosql error at compile time, with a position."""

from __future__ import annotations

import pytest

from heliosql import plan as p
from heliosql.compiler import ExpressionCompiler
from heliosql.storage.errors import DataError, HeliosError, NotSupportedError, ProgrammingError
from tests.compiler.conftest import col, fn, lit, ts

AT = p.Span(7, 12, 1, 8)


def compile_error(node: p.Expr) -> HeliosError:
    with pytest.raises(HeliosError) as err:
        ExpressionCompiler().compile(node)
    return err.value


@pytest.mark.parametrize(
    ("node", "cls", "words"),
    [
        (
            fn("TO_CHAR", ts("2024-01-01 00:00:00"), lit("YYYY Q"), span=AT),
            NotSupportedError,
            "'Q'",
        ),
        (
            fn("TO_CHAR", ts("2024-01-01 00:00:00"), col("mask"), span=AT),
            NotSupportedError,
            "string literal",
        ),
        (fn("TO_CHAR", lit(1), lit("9,99"), span=AT), NotSupportedError, "every three"),
        (fn("TO_DATE", lit("x"), lit("J"), span=AT), NotSupportedError, "'J'"),
        (
            fn("TO_CHAR", lit(1), lit("9"), lit("NLS_NUMERIC_CHARACTERS=',.'"), span=AT),
            NotSupportedError,
            "NLS",
        ),
        (fn("TRUNC", ts("2024-01-01 00:00:00"), lit("WW"), span=AT), NotSupportedError, "WW"),
        (fn("ROUND", ts("2024-01-01 00:00:00"), lit("CC"), span=AT), NotSupportedError, "CC"),
        (fn("SUBSTR", lit("x"), span=AT), ProgrammingError, "2 to 3 arguments"),
        (fn("INSTR", lit("x"), lit("x"), lit(1), lit(0), span=AT), ProgrammingError, "1 or more"),
        (fn("NVL", lit(1), span=AT), ProgrammingError, "NVL"),
        (
            fn("DBMS_FLASHBACK.GET_SYSTEM_CHANGE_NUMBER", parens=False, span=AT),
            NotSupportedError,
            "unknown function",
        ),
        (p.DefaultValue(span=AT), ProgrammingError, "DEFAULT"),
        (p.Cast(lit(1), p.TypeName("NUMBER", (50, 2), span=AT)), NotSupportedError, "1 to 38"),
        (p.Cast(lit(1), p.TypeName("FROBNICATE", span=AT)), NotSupportedError, "FROBNICATE"),
        (
            p.Extract("TIMEZONE_REGION", ts("2024-01-01 00:00:00"), span=AT),
            NotSupportedError,
            "TIMEZONE_REGION",
        ),
        (
            p.Interval("1-13", p.IntervalField.YEAR, p.IntervalField.MONTH, span=AT),
            DataError,
            "1-13",
        ),
        (
            p.Interval("1", p.IntervalField.MONTH, p.IntervalField.DAY, span=AT),
            DataError,
            "MONTH TO DAY",
        ),
        (
            p.Exists(p.Query(p.Select((p.SelectItem(lit(1)),))), span=AT),
            NotSupportedError,
            "query compiler",
        ),
        (p.Parameter(p.ParamStyle.NAMED, "a#b", span=AT), NotSupportedError, "a#b"),
    ],
)
def test_clear_errors(node: p.Expr, cls: type[HeliosError], words: str) -> None:
    error = compile_error(node)
    assert isinstance(error, cls)
    assert words in error.message
    assert error.position == AT.start


def test_wrong_argument_count_has_oracle_code() -> None:
    assert compile_error(fn("SUBSTR", lit("x"))).code == "ORA-00909"
    assert compile_error(p.Interval("x", p.IntervalField.DAY)).code == "ORA-01867"


@pytest.mark.parametrize("sql", [
    'SELECT "abs(1) AS x, version"() FROM dual',
    'SELECT "abs(1) AS x, version"(*) FROM dual',
])
def test_a_quoted_function_name_only_names_a_function(sql: str) -> None:
    import heliosql

    with pytest.raises(ProgrammingError, match="does not exist"):
        heliosql.connect().execute(sql)

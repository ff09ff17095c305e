"""Scalar expressions: compiled to sqlglot, generated as DuckDB SQL, evaluated by DuckDB."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import date as Date
from decimal import Decimal

import pytest
import sqlglot
from sqlglot import exp

from heliosql import plan as p
from heliosql.compile import bind_parameters
from heliosql.compiler import ExpressionCompiler, to_duckdb_sql
from heliosql.storage.errors import ProgrammingError
from heliosql.storage.statement_time import PARAMETER, statement_clock
from tests.compiler.conftest import Runner, col, date, fn, lit, ts

B = p.BinaryOp


def binary(op: p.BinaryOp, left: p.Expr, right: p.Expr) -> p.Binary:
    return p.Binary(op, left, right)


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (lit(42), 42),
        (lit(Decimal("1.50")), Decimal("1.50")),
        (lit(Decimal("1E+3")), 1000),
        (lit("it's"), "it's"),
        (lit(True), True),
        (lit(None), None),
        (date("2024-03-05"), Date(2024, 3, 5)),
        (ts("2024-03-05 14:07:09"), datetime(2024, 3, 5, 14, 7, 9)),
    ],
)
def test_literals(run: Runner, node: p.Expr, expected: object) -> None:
    assert run.value(node) == expected


def test_timestamp_literal_with_offset_keeps_the_zone(run: Runner) -> None:
    run.rows("SET TimeZone = 'UTC'")
    eight_utc = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
    assert run.value(ts("2024-01-01 10:00:00 +02:00")) == eight_utc
    assert run.value(ts("2024-01-01 09:00:00 Europe/Paris")) == eight_utc
    assert run.value(ts("2024-01-01 08:00:00")).tzinfo is None


def test_arithmetic_precedence_is_kept_by_parentheses(run: Runner) -> None:
    # (1 + 2) * 3: sqlglot prints trees as they are, so the compiler adds the parentheses.
    node = binary(B.MUL, binary(B.ADD, lit(1), lit(2)), lit(3))
    assert run.value(node) == 9
    assert run.value(binary(B.SUB, lit(1), p.Unary(p.UnaryOp.NEG, lit(-1)))) == 0


def test_division_is_not_integer_division(run: Runner) -> None:
    assert run.value(binary(B.DIV, lit(7), lit(2))) == 3.5


def test_concat_treats_null_as_empty_like_oracle(run: Runner) -> None:
    assert run.value(binary(B.CONCAT, lit("a"), lit(None))) == "a"
    chain = binary(B.CONCAT, binary(B.CONCAT, lit("a"), lit(None)), lit(1))
    assert run.value(chain) == "a1"
    assert "CONCAT('a', NULL, 1)" in run.sql(chain)  # one flat CONCAT
    # Oracle: NULL || NULL is NULL ('' is NULL in Oracle).
    assert run.value(binary(B.CONCAT, lit(None), lit(None))) is None


def test_logic_and_comparisons(run: Runner) -> None:
    node = binary(B.OR, binary(B.AND, lit(True), lit(False)), binary(B.NE, lit(1), lit(2)))
    assert run.value(node) is True
    assert run.value(p.Unary(p.UnaryOp.NOT, binary(B.EQ, lit(1), lit(1)))) is False


def test_column_names_are_quoted_and_qualified(run: Runner) -> None:
    run.rows('CREATE TABLE "Select" ("Order" INTEGER, x INTEGER)')
    run.rows('INSERT INTO "Select" VALUES (7, 8)')
    compiled = to_duckdb_sql(ExpressionCompiler().compile(col("Order", "Select")))
    assert compiled == '"Select"."Order"'
    assert run.rows(f'SELECT {compiled}, {run.sql(col("X"))} FROM "Select"') == [(7, 8)]
    assert run.sql(col("c", "main", "t")) == '"main"."t"."c"'


def test_star_with_and_without_qualifier(run: Runner) -> None:
    assert run.sql(p.Star()) == "*"
    assert run.sql(p.Star(("t",))) == '"t".*'


def test_case_simple_and_searched(run: Runner) -> None:
    simple = p.Case(lit(2), (p.WhenClause(lit(1), lit("one")), p.WhenClause(lit(2), lit("two"))))
    assert run.value(simple) == "two"
    searched = p.Case(None, (p.WhenClause(binary(B.GT, lit(1), lit(2)), lit("x")),), lit("else"))
    assert run.value(searched) == "else"


def test_between_like_in_isnull(run: Runner) -> None:
    assert run.value(p.Between(lit(5), lit(1), lit(10))) is True
    assert run.value(p.Between(lit(5), lit(1), lit(3), negated=True)) is True
    assert run.value(p.Like(lit("10%off"), lit("10!%%"), escape=lit("!"))) is True
    assert run.value(p.Like(lit("100off"), lit("10!%%"), escape=lit("!"))) is False
    assert run.value(p.Like(lit("ABC"), lit("a%"), case_insensitive=True)) is True
    assert run.value(p.Like(lit("ABC"), lit("a%"), negated=True)) is True
    assert run.value(p.InList(lit(2), (lit(1), lit(2)))) is True
    assert run.value(p.InList(lit(3), (lit(1), lit(2)), negated=True)) is True
    assert run.value(p.IsNull(lit(None))) is True
    assert run.value(p.IsNull(lit(1), negated=True)) is True


def test_is_distinct_from_is_null_safe(run: Runner) -> None:
    assert run.value(p.IsDistinctFrom(lit(None), lit(None))) is False
    assert run.value(p.IsDistinctFrom(lit(1), lit(None))) is True
    assert run.value(p.IsDistinctFrom(lit(None), lit(None), negated=True)) is True


def test_every_plan_expression_has_a_visitor() -> None:
    kinds = [
        name
        for name, cls in vars(p).items()
        if isinstance(cls, type) and issubclass(cls, p.Expr) and cls is not p.Expr
    ]
    assert len(kinds) >= 20
    assert [k for k in kinds if not hasattr(ExpressionCompiler, f"visit_{k}")] == []


def test_cast_to_oracle_number(run: Runner) -> None:
    node = p.Cast(lit("12.345"), p.TypeName("NUMBER", (10, 2)))
    assert run.value(node) == Decimal("12.35")
    assert run.value(p.Cast(lit(1), p.TypeName("varchar2", (10,), length_unit="CHAR"))) == "1"


def test_extract_second_keeps_the_fraction(run: Runner) -> None:
    assert run.value(p.Extract("SECOND", ts("2024-01-01 00:00:09.5"))) == Decimal("9.5")
    assert run.value(p.Extract("year", ts("2024-01-01 00:00:09"))) == 2024


class TestParameters:
    def test_named_parameters_become_lower_case_dollar_names(self, run: Runner) -> None:
        compiler = ExpressionCompiler()
        node = binary(
            B.ADD,
            p.Parameter(p.ParamStyle.NAMED, "Amount"),
            p.Parameter(p.ParamStyle.NAMED, "AMOUNT"),
        )
        text = to_duckdb_sql(compiler.compile(node))
        assert text == "$amount + $amount"
        assert compiler.parameters == ["amount"]
        assert run.con.execute(f"SELECT {text}", {"amount": 21}).fetchall() == [(42,)]

    def test_positional_parameters_are_numbered(self, run: Runner) -> None:
        compiler = ExpressionCompiler()
        node = binary(
            B.SUB,
            p.Parameter(p.ParamStyle.QMARK, position=2),
            p.Parameter(p.ParamStyle.QMARK, position=1),
        )
        text = to_duckdb_sql(compiler.compile(node))
        assert text == "$p2 - $p1"
        assert compiler.parameters == ["p2", "p1"]
        assert run.con.execute(f"SELECT {text}", {"p1": 1, "p2": 10}).fetchall() == [(9,)]
        numeric = ExpressionCompiler()
        assert (
            to_duckdb_sql(numeric.compile(p.Parameter(p.ParamStyle.NUMERIC, position=1))) == "$p1"
        )

    def test_mixing_styles_is_an_error(self) -> None:
        compiler = ExpressionCompiler()
        node = binary(
            B.ADD,
            p.Parameter(p.ParamStyle.NAMED, "a"),
            p.Parameter(p.ParamStyle.QMARK, position=1, span=p.Span(9, 10, 1, 10)),
        )
        with pytest.raises(ProgrammingError) as err:
            compiler.compile(node)
        assert err.value.position == 9


class TestIntervals:
    @pytest.mark.parametrize(
        ("value", "unit", "to_unit", "expected"),
        [
            ("1", p.IntervalField.HOUR, None, timedelta(hours=1)),
            ("30.5", p.IntervalField.SECOND, None, timedelta(seconds=30.5)),
            (
                "2 10:30:00",
                p.IntervalField.DAY,
                p.IntervalField.SECOND,
                timedelta(days=2, hours=10, minutes=30),
            ),
            (
                "-2 10:30",
                p.IntervalField.DAY,
                p.IntervalField.MINUTE,
                -timedelta(days=2, hours=10, minutes=30),
            ),
            ("1:15", p.IntervalField.HOUR, p.IntervalField.MINUTE, timedelta(minutes=75)),
            ("1 hour", None, None, timedelta(hours=1)),
        ],
    )
    def test_day_to_second(
        self,
        run: Runner,
        value: str,
        unit: p.IntervalField | None,
        to_unit: p.IntervalField | None,
        expected: timedelta,
    ) -> None:
        assert run.value(p.Interval(value, unit, to_unit)) == expected

    def test_year_to_month(self, run: Runner) -> None:
        node = binary(
            B.ADD,
            date("2024-01-31"),
            p.Interval("1-2", p.IntervalField.YEAR, p.IntervalField.MONTH),
        )
        assert run.value(node) == datetime(2025, 3, 31)

    def test_timestamp_plus_interval(self, run: Runner) -> None:
        node = binary(B.ADD, ts("2024-01-01 00:00:00"), p.Interval("1", p.IntervalField.HOUR))
        assert run.value(node) == datetime(2024, 1, 1, 1, 0)

    def test_date_plus_number_adds_days(self, run: Runner) -> None:
        assert run.value(binary(B.ADD, ts("2024-01-01 00:00:00"), lit(1.5))) == datetime(
            2024, 1, 2, 12
        )
        assert run.value(binary(B.SUB, date("2024-03-01"), lit(1))) == datetime(2024, 2, 29)
        an_hour = binary(B.DIV, lit(1), lit(24))
        assert run.value(binary(B.SUB, ts("2024-03-01 00:00:00"), an_hour)) == datetime(
            2024, 2, 29, 23
        )


class TestSpecialValues:
    def test_systimestamp_has_a_time_zone(self, run: Runner) -> None:
        for kind in (p.SpecialKind.SYSTIMESTAMP, p.SpecialKind.CURRENT_TIMESTAMP):
            assert run.value(p.SpecialValue(kind)).tzinfo is not None

    def test_the_clock_is_the_statement_time_as_a_parameter(self, run: Runner) -> None:
        compiler = ExpressionCompiler()
        sql = run.sql(p.SpecialValue(p.SpecialKind.SYSTIMESTAMP), compiler)
        assert compiler.parameters == [PARAMETER]
        with statement_clock() as now:
            assert run.rows(f"SELECT {sql}", bind_parameters(compiler.parameters, None)) \
                == [(now,)]

    def test_duckdb_clock_functions_read_the_statement_time(self, run: Runner) -> None:
        with statement_clock() as now:
            assert run.value(p.FunctionCall(("now",), ())) == now
            assert run.value(p.FunctionCall(("today",), ())) == run.value(
                p.SpecialValue(p.SpecialKind.CURRENT_DATE))

    def test_sysdate_is_local_without_zone_and_whole_seconds(self, run: Runner) -> None:
        value = run.value(p.SpecialValue(p.SpecialKind.SYSDATE))
        assert value.tzinfo is None and value.microsecond == 0
        local = run.value(p.SpecialValue(p.SpecialKind.LOCALTIMESTAMP))
        assert local.tzinfo is None

    def test_current_date(self, run: Runner) -> None:
        assert isinstance(run.value(p.SpecialValue(p.SpecialKind.CURRENT_DATE)), Date)


class TestSubqueries:
    @staticmethod
    def compiler() -> ExpressionCompiler:
        # A stand-in query compiler: every Query is "SELECT 1 UNION SELECT 2".
        return ExpressionCompiler(lambda q: sqlglot.parse_one("SELECT 1 UNION SELECT 2"))

    def query(self) -> p.Query:
        return p.Query(p.Select((p.SelectItem(lit(1)),)))

    def test_quantified_comparisons(self, run: Runner) -> None:
        c = self.compiler()
        gt_all = p.QuantifiedComparison(B.GT, lit(2), p.Quantifier.ALL, self.query())
        eq_any = p.QuantifiedComparison(B.EQ, lit(2), p.Quantifier.ANY, self.query())
        sql = ", ".join(to_duckdb_sql(c.compile(n)) for n in (gt_all, eq_any))
        assert run.rows(f"SELECT {sql}") == [(False, True)]

    def test_in_exists_and_scalar(self, run: Runner) -> None:
        c = self.compiler()
        in_sql = to_duckdb_sql(c.compile(p.InSubquery(lit(2), self.query())))
        not_in = to_duckdb_sql(c.compile(p.InSubquery(lit(2), self.query(), negated=True)))
        exists = to_duckdb_sql(c.compile(p.Exists(self.query())))
        scalar = to_duckdb_sql(c.compile(p.ScalarSubquery(self.query())))
        assert run.rows(f"SELECT {in_sql}, {not_in}, {exists}") == [(True, False, True)]
        assert scalar.startswith("(SELECT")


class TestWindows:
    def test_running_sum_with_frame_and_oracle_null_order(self, run: Runner) -> None:
        run.rows("CREATE TABLE t AS SELECT * FROM (VALUES (1, 10), (2, NULL), (3, 30)) v(k, x)")
        over = p.WindowSpec(
            order_by=(p.OrderItem(col("x"), descending=True),),
            frame=p.WindowFrame(p.FrameUnit.ROWS, p.FrameBound(p.BoundKind.UNBOUNDED_PRECEDING)),
        )
        running = run.sql(fn("count", star=True, over=over))
        rows = run.rows(f'SELECT "k", {running} AS n FROM t ORDER BY n')
        # DESC puts NULL first in Oracle, so k=2 is the first row of the window.
        assert rows == [(2, 1), (3, 2), (1, 3)]

    def test_partition_offsets_filter_and_distinct(self, run: Runner) -> None:
        run.rows("CREATE TABLE t AS SELECT * FROM (VALUES ('a', 1), ('a', 2), ('b', 5)) v(g, x)")
        frame = p.WindowFrame(
            p.FrameUnit.ROWS,
            p.FrameBound(p.BoundKind.PRECEDING, lit(1)),
            p.FrameBound(p.BoundKind.FOLLOWING, lit(1)),
        )
        over = p.WindowSpec(
            partition_by=(col("g"),), order_by=(p.OrderItem(col("x")),), frame=frame
        )
        moving = run.sql(fn("SUM", col("x"), over=over))
        filtered = run.sql(fn("COUNT", star=True, filter=binary(B.GT, col("x"), lit(1))))
        distinct = run.sql(fn("count", col("g"), distinct=True))
        assert run.rows(f"SELECT {moving} FROM t ORDER BY x") == [(3,), (3,), (5,)]
        assert run.rows(f"SELECT {filtered}, {distinct} FROM t") == [(2, 2)]

    def test_named_window_base(self, run: Runner) -> None:
        over = p.WindowSpec(base="w", order_by=(p.OrderItem(col("x"), nulls=p.NullsOrder.LAST),))
        sql = run.sql(fn("ROW_NUMBER", over=over))
        assert sql == 'ROW_NUMBER() OVER ("w" ORDER BY "x" ASC)'


def test_order_item_defaults_follow_oracle() -> None:
    c = ExpressionCompiler()
    desc = c.compile_order_item(p.OrderItem(col("x"), descending=True))
    asc = c.compile_order_item(p.OrderItem(col("x")))
    assert to_duckdb_sql(desc) == '"x" DESC NULLS FIRST'
    assert to_duckdb_sql(asc) == '"x" ASC'  # DuckDB's default is already NULLS LAST
    assert isinstance(desc, exp.Ordered)


def test_range_frame_with_an_interval_offset(run: Runner) -> None:
    run.rows(
        "CREATE TABLE t AS SELECT * FROM (VALUES (TIMESTAMP '2024-01-01 00:00:00', 1),"
        " (TIMESTAMP '2024-01-01 00:30:00', 2), (TIMESTAMP '2024-01-01 02:00:00', 4)) v(ts, x)"
    )
    hour = p.Interval("1", p.IntervalField.HOUR)
    frame = p.WindowFrame(p.FrameUnit.RANGE, p.FrameBound(p.BoundKind.PRECEDING, hour))
    over = p.WindowSpec(order_by=(p.OrderItem(col("ts")),), frame=frame)
    last_hour = run.sql(fn("SUM", col("x"), over=over))
    assert run.rows(f"SELECT {last_hour} FROM t ORDER BY ts") == [(1,), (3,), (4,)]


def test_time_literal_and_unary_plus(run: Runner) -> None:
    assert str(run.value(p.TypedLiteral("TIME", "10:30:00"))) == "10:30:00"
    assert run.value(p.Unary(p.UnaryOp.POS, lit(3))) == 3

"""Expressions: operators and precedence, literals, parameters, calls, CASE, casts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from parse_helpers import expr, select

from heliosql.plan import (
    Between,
    Binary,
    BinaryOp,
    BoundKind,
    Case,
    Cast,
    Column,
    DefaultValue,
    Exists,
    Extract,
    FrameUnit,
    FunctionCall,
    InList,
    InSubquery,
    Interval,
    IntervalField,
    IsDistinctFrom,
    IsNull,
    Like,
    Literal,
    Parameter,
    ParamStyle,
    QuantifiedComparison,
    Quantifier,
    ScalarSubquery,
    SpecialKind,
    SpecialValue,
    TypedLiteral,
    TypeName,
    Unary,
    UnaryOp,
    WhenClause,
)

A, B, C = Column("a"), Column("b"), Column("c")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1),
        ("1.5", Decimal("1.5")),
        (".5", Decimal(".5")),
        ("1e10", Decimal("1e10")),
        ("1.5E-3", Decimal("1.5E-3")),
        ("'it''s'", "it's"),
        ("''", ""),
        ("TRUE", True),
        ("false", False),
        ("NULL", None),
        ("-5", -5),
        ("-2.5", Decimal("-2.5")),
    ],
)
def test_literals(text: str, value: object) -> None:
    node = expr(text)
    assert node == Literal(value)
    assert type(node.value) is type(value)


def test_string_keeps_newlines_and_semicolons() -> None:
    assert expr("'a;\nb'") == Literal("a;\nb")


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a + b * c", Binary(BinaryOp.ADD, A, Binary(BinaryOp.MUL, B, C))),
        ("a - b - c", Binary(BinaryOp.SUB, Binary(BinaryOp.SUB, A, B), C)),
        ("(a + b) * c", Binary(BinaryOp.MUL, Binary(BinaryOp.ADD, A, B), C)),
        ("a / b % c", Binary(BinaryOp.MOD, Binary(BinaryOp.DIV, A, B), C)),
        # Oracle: || has the precedence of + and -, left to right.
        ("a || b + c", Binary(BinaryOp.ADD, Binary(BinaryOp.CONCAT, A, B), C)),
        ("a OR b AND c", Binary(BinaryOp.OR, A, Binary(BinaryOp.AND, B, C))),
        ("NOT a = b", Unary(UnaryOp.NOT, Binary(BinaryOp.EQ, A, B))),
        ("NOT a AND b", Binary(BinaryOp.AND, Unary(UnaryOp.NOT, A), B)),
        ("-a * b", Binary(BinaryOp.MUL, Unary(UnaryOp.NEG, A), B)),
        ("+a", Unary(UnaryOp.POS, A)),
        ("- -1", Literal(1)),  # both minus signs fold into the literal
        (
            "a = b OR a <> b",
            Binary(BinaryOp.OR, Binary(BinaryOp.EQ, A, B), Binary(BinaryOp.NE, A, B)),
        ),
    ],
)
def test_operator_precedence(text: str, tree: object) -> None:
    assert expr(text) == tree


@pytest.mark.parametrize(
    ("op", "kind"),
    [
        ("=", BinaryOp.EQ),
        ("<>", BinaryOp.NE),
        ("!=", BinaryOp.NE),
        ("<", BinaryOp.LT),
        ("<=", BinaryOp.LE),
        (">", BinaryOp.GT),
        (">=", BinaryOp.GE),
    ],
)
def test_comparisons(op: str, kind: BinaryOp) -> None:
    assert expr(f"a {op} b") == Binary(kind, A, B)


def test_predicates() -> None:
    assert expr("a IS NULL") == IsNull(A)
    assert expr("a IS NOT NULL") == IsNull(A, negated=True)
    assert expr("a BETWEEN 1 AND 2") == Between(A, Literal(1), Literal(2))
    assert expr("a NOT BETWEEN b AND c + 1") == Between(
        A, B, Binary(BinaryOp.ADD, C, Literal(1)), negated=True
    )
    assert expr("a BETWEEN 1 AND 2 AND b") == Binary(
        BinaryOp.AND, Between(A, Literal(1), Literal(2)), B
    )
    assert expr("a IN (1, 2)") == InList(A, (Literal(1), Literal(2)))
    assert expr("a NOT IN (b)") == InList(A, (B,), negated=True)
    assert expr("a LIKE 'x%'") == Like(A, Literal("x%"))
    assert expr("a NOT LIKE 'x' ESCAPE '!'") == Like(A, Literal("x"), Literal("!"), negated=True)
    assert expr("a ILIKE 'x'") == Like(A, Literal("x"), case_insensitive=True)


def test_quantified_comparisons_and_distinct_from() -> None:
    node = expr("a = ANY (SELECT b FROM t)")
    assert isinstance(node, QuantifiedComparison)
    assert (node.op, node.left, node.quantifier) == (BinaryOp.EQ, A, Quantifier.ANY)
    assert expr("a > SOME (SELECT 1)").quantifier is Quantifier.ANY  # type: ignore[attr-defined]
    assert expr("a <= ALL (SELECT 1)").quantifier is Quantifier.ALL  # type: ignore[attr-defined]
    assert expr("a IS DISTINCT FROM b") == IsDistinctFrom(A, B)
    assert expr("a IS NOT DISTINCT FROM b") == IsDistinctFrom(A, B, negated=True)


def test_subqueries() -> None:
    node = expr("a IN (SELECT b FROM t)")
    assert isinstance(node, InSubquery) and not node.negated
    node = expr("a NOT IN (SELECT b FROM t)")
    assert isinstance(node, InSubquery) and node.negated
    assert isinstance(expr("(SELECT max(b) FROM t)"), ScalarSubquery)
    assert isinstance(expr("EXISTS (SELECT 1)"), Exists)
    node = expr("NOT EXISTS (SELECT 1)")
    assert isinstance(node, Unary) and isinstance(node.operand, Exists)
    # A doubly parenthesised subquery is still one scalar subquery.
    assert isinstance(expr("((SELECT 1))"), ScalarSubquery)
    node = expr("a IN ((SELECT 1), (SELECT 2))")
    assert isinstance(node, InList) and all(isinstance(i, ScalarSubquery) for i in node.items)


def test_case() -> None:
    assert expr("CASE a WHEN 1 THEN 'x' ELSE 'y' END") == Case(
        A, (WhenClause(Literal(1), Literal("x")),), Literal("y")
    )
    assert expr("CASE WHEN a > 1 THEN b WHEN c THEN 2 END") == Case(
        None,
        (WhenClause(Binary(BinaryOp.GT, A, Literal(1)), B), WhenClause(C, Literal(2))),
    )


def test_casts_and_types() -> None:
    assert expr("CAST(a AS INTEGER)") == Cast(A, TypeName("INTEGER"))
    assert expr("a::int") == Cast(A, TypeName("int"))
    assert expr("a::int::text") == Cast(Cast(A, TypeName("int")), TypeName("text"))
    assert expr("-a::int") == Unary(UnaryOp.NEG, Cast(A, TypeName("int")))
    assert expr("CAST(a AS NUMBER(10, 2))") == Cast(A, TypeName("NUMBER", (10, 2)))
    assert expr("CAST(a AS VARCHAR2(10 CHAR))") == Cast(
        A, TypeName("VARCHAR2", (10,), length_unit="CHAR")
    )
    assert expr("CAST(a AS timestamp(3) with time zone)") == Cast(
        A, TypeName("timestamp", (3,), ("WITH TIME ZONE",))
    )
    assert expr("CAST(a AS TIMESTAMP WITH LOCAL TIME ZONE)").type.modifiers == (
        "WITH LOCAL TIME ZONE",
    )
    assert expr("CAST(a AS double precision)").type == TypeName("double", (), ("PRECISION",))
    assert expr("CAST(a AS INTERVAL DAY TO SECOND)").type == TypeName(
        "INTERVAL", (), ("DAY TO SECOND",)
    )
    assert expr("a::date").type == TypeName("date")


def test_typed_literals_and_intervals() -> None:
    assert expr("DATE '2024-01-31'") == TypedLiteral("DATE", "2024-01-31")
    assert expr("timestamp '2024-01-31 10:00:00'") == TypedLiteral(
        "TIMESTAMP", "2024-01-31 10:00:00"
    )
    assert expr("INTERVAL '1' HOUR") == Interval("1", IntervalField.HOUR)
    assert expr("INTERVAL '1 hour'") == Interval("1 hour")
    assert expr("INTERVAL '1-2' YEAR TO MONTH") == Interval(
        "1-2", IntervalField.YEAR, IntervalField.MONTH
    )
    assert expr("INTERVAL 5 DAYS") == Interval("5", IntervalField.DAY)
    assert expr("SYSTIMESTAMP - INTERVAL '10' MINUTE") == Binary(
        BinaryOp.SUB, SpecialValue(SpecialKind.SYSTIMESTAMP), Interval("10", IntervalField.MINUTE)
    )


def test_parameters() -> None:
    assert expr(":name") == Parameter(ParamStyle.NAMED, name="name")
    assert expr(":1") == Parameter(ParamStyle.NUMERIC, position=1)
    items = select("SELECT ?, ?, :x FROM t WHERE a = ?").items
    assert [i.expr for i in items] == [
        Parameter(ParamStyle.QMARK, position=1),
        Parameter(ParamStyle.QMARK, position=2),
        Parameter(ParamStyle.NAMED, name="x"),
    ]
    assert select("SELECT ? FROM t WHERE a = ?").where == Binary(
        BinaryOp.EQ, A, Parameter(ParamStyle.QMARK, position=2)
    )


def test_things_that_look_like_parameters_are_not() -> None:
    assert expr("'10:30'") == Literal("10:30")
    assert expr("x::int") == Cast(Column("x"), TypeName("int"))
    assert expr("'a :b ?'") == Literal("a :b ?")
    assert expr('"col:1"') == Column("col:1")


def test_qmarks_are_numbered_per_statement() -> None:
    from heliosql.parser import parse

    first, second = parse("SELECT ?; SELECT ?")
    assert first.query.body.items[0].expr.position == 1  # type: ignore[attr-defined]
    assert second.query.body.items[0].expr.position == 1  # type: ignore[attr-defined]


def test_function_calls() -> None:
    assert expr("f()") == FunctionCall(("f",))
    assert expr("nvl(a, 0)") == FunctionCall(("nvl",), (A, Literal(0)))
    assert expr("COUNT(*)") == FunctionCall(("COUNT",), star=True)
    assert expr("count(DISTINCT a)") == FunctionCall(("count",), (A,), distinct=True)
    assert expr("sum(ALL a)") == FunctionCall(("sum",), (A,))
    assert expr("s.f(a)") == FunctionCall(("s", "f"), (A,))
    assert expr("count(*) FILTER (WHERE a > 1)").filter == Binary(BinaryOp.GT, A, Literal(1))
    assert expr("TRIM(a)") == FunctionCall(("TRIM",), (A,))
    assert expr("SUBSTR(a, 1, 2)") == FunctionCall(("SUBSTR",), (A, Literal(1), Literal(2)))
    assert expr("date(a)") == FunctionCall(("date",), (A,))
    assert expr("left(a, 2)") == FunctionCall(("left",), (A, Literal(2)))
    assert expr("EXTRACT(year FROM a)") == Extract("YEAR", A)
    call = expr("LISTAGG(a, ',') WITHIN GROUP (ORDER BY b DESC)")
    assert call.args == (A, Literal(","))  # type: ignore[attr-defined]
    assert call.within_group[0].expr == B and call.within_group[0].descending  # type: ignore[attr-defined]


def test_window_functions() -> None:
    call = expr(
        "sum(a) OVER (PARTITION BY b, c ORDER BY a DESC "
        "ROWS BETWEEN 2 PRECEDING AND UNBOUNDED FOLLOWING)"
    )
    assert isinstance(call, FunctionCall) and call.over is not None
    assert call.over.partition_by == (B, C)
    assert call.over.order_by[0].descending
    frame = call.over.frame
    assert frame is not None and frame.unit is FrameUnit.ROWS
    assert frame.start.kind is BoundKind.PRECEDING and frame.start.offset == Literal(2)
    assert frame.end is not None and frame.end.kind is BoundKind.UNBOUNDED_FOLLOWING
    call = expr("rank() OVER (RANGE UNBOUNDED PRECEDING)")
    assert call.over.frame.unit is FrameUnit.RANGE  # type: ignore[union-attr]
    assert call.over.frame.end is None  # type: ignore[union-attr]
    call = expr("lag(a) OVER (GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING)")
    assert call.over.frame.start.kind is BoundKind.CURRENT_ROW  # type: ignore[union-attr]
    assert expr("rank() OVER w").over.base == "w"  # type: ignore[union-attr]
    assert expr("rank() OVER (w ORDER BY a)").over.base == "w"  # type: ignore[union-attr]


def test_oracle_specials() -> None:
    assert expr("SYSDATE") == SpecialValue(SpecialKind.SYSDATE)
    assert expr("systimestamp") == SpecialValue(SpecialKind.SYSTIMESTAMP)
    assert expr("CURRENT_TIMESTAMP") == SpecialValue(SpecialKind.CURRENT_TIMESTAMP)
    assert expr("current_date") == SpecialValue(SpecialKind.CURRENT_DATE)
    # Quoted, it is an ordinary column; ROWNUM stays a column for the compiler to handle.
    assert expr('"SYSDATE"') == Column("SYSDATE")
    assert expr("ROWNUM") == Column("ROWNUM")
    assert expr("DBMS_FLASHBACK.GET_SYSTEM_CHANGE_NUMBER") == FunctionCall(
        ("DBMS_FLASHBACK", "GET_SYSTEM_CHANGE_NUMBER"), parens=False
    )
    assert expr("dbms_flashback.get_system_change_number()") == FunctionCall(
        ("dbms_flashback", "get_system_change_number")
    )


def test_identifiers() -> None:
    assert expr('"Quoted ""x"" y"') == Column('Quoted "x" y')
    assert expr("t.a") == Column("a", ("t",))
    assert expr("s.t.a") == Column("a", ("s", "t"))
    assert expr("v$database.current_scn") == Column("current_scn", ("v$database",))
    assert expr("t.date") == Column("date", ("t",))
    # After a dot even reserved words are names.
    assert expr("t.select") == Column("select", ("t",))
    assert expr('"FROM"') == Column("FROM")


def test_default_is_only_a_value_in_values_and_set() -> None:
    from heliosql.parser import parse_one

    stmt = parse_one("INSERT INTO t VALUES (DEFAULT)")
    assert stmt.source.rows == ((DefaultValue(),),)  # type: ignore[attr-defined]

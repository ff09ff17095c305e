"""Table functions in FROM: name(args) [[AS] alias [(cols)]], named arguments, refusals."""

from __future__ import annotations

import pytest
from parse_helpers import select

from heliosql.errors import SqlSyntaxError
from heliosql.parser import parse_one
from heliosql.plan import (
    Column,
    Join,
    Literal,
    NamedArg,
    Parameter,
    ParamStyle,
    SubqueryRef,
    TableFunctionRef,
    TableRef,
)


def test_plain_call_with_alias_and_column_aliases() -> None:
    assert select("SELECT * FROM range(5)").from_ == (TableFunctionRef(("range",), (Literal(5),)),)
    assert select("SELECT * FROM generate_series(1, 3) AS g(n)").from_ == (
        TableFunctionRef(("generate_series",), (Literal(1), Literal(3)), alias="g",
                         column_aliases=("n",)),
    )
    assert select("SELECT * FROM main.range(2) r").from_[0] == TableFunctionRef(
        ("main", "range"), (Literal(2),), alias="r")
    assert select("SELECT * FROM duckdb_tables()").from_[0] == TableFunctionRef(("duckdb_tables",))


def test_named_arguments_and_parameters() -> None:
    ref = select("SELECT * FROM read_csv(:f, header := true, delim := ?) t").from_[0]
    assert isinstance(ref, TableFunctionRef)
    assert ref.args == (Parameter(ParamStyle.NAMED, name="f"),)
    assert ref.named_args == (
        NamedArg("header", Literal(True)),
        NamedArg("delim", Parameter(ParamStyle.QMARK, position=1)),
    )
    assert ref.span is not None and ref.named_args[0].span is not None
    assert ref.named_args[0].span.start == len("SELECT * FROM read_csv(:f, ")


def test_correlated_call_and_joins() -> None:
    block = select("SELECT * FROM t, unnest(t.l) u(x) JOIN range(3) r ON r.range = u.x")
    assert block.from_[0] == TableRef(("t",))
    join = block.from_[1]
    assert isinstance(join, Join)
    assert join.left == TableFunctionRef(("unnest",), (Column("l", ("t",)),), alias="u",
                                         column_aliases=("x",))
    assert join.right == TableFunctionRef(("range",), (Literal(3),), alias="r")


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("SELECT * FROM range", TableRef),  # no parentheses: a table
        ("SELECT * FROM range AS OF SCN 5", TableRef),
        ("SELECT * FROM dual", TableRef),
        ("SELECT * FROM (SELECT 1) s", SubqueryRef),
        ("SELECT * FROM range(1)", TableFunctionRef),
    ],
)
def test_parentheses_decide_between_table_and_function(sql: str, kind: type) -> None:
    assert isinstance(select(sql).from_[0], kind)


@pytest.mark.parametrize(
    "clause",
    ["AS OF SCN 5", "AS OF TIMESTAMP SYSTIMESTAMP", "VERSIONS BETWEEN SCN 1 AND 2",
     "FOR SYSTEM_TIME ALL", "FLASHBACK TRANSACTION 'x'"],
)
def test_flashback_clause_on_a_function_is_refused(clause: str) -> None:
    sql = f"SELECT * FROM range(3) {clause} r"
    with pytest.raises(SqlSyntaxError, match="range has no history") as info:
        parse_one(sql)
    assert info.value.position == sql.index(clause.split()[0])


def test_argument_rules() -> None:
    with pytest.raises(SqlSyntaxError, match="positional arguments must come before") as info:
        parse_one("SELECT * FROM f(a := 1, 2)")
    assert info.value.position == len("SELECT * FROM f(")
    with pytest.raises(SqlSyntaxError, match="named argument twice"):
        parse_one("SELECT * FROM f(a := 1, A := 2)")
    with pytest.raises(SqlSyntaxError):  # column aliases need a table alias
        parse_one("SELECT * FROM f() (a)")

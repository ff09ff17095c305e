"""Helpers for the compiler tests: build plan nodes tersely, compile, run on DuckDB."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import duckdb
import pytest

from heliosql import plan as p
from heliosql.compile import bind_parameters
from heliosql.compiler import ExpressionCompiler, to_duckdb_sql


def lit(value: p.LiteralValue | float) -> p.Literal:
    """A literal; floats are written as Decimal, as the parser does."""
    return p.Literal(Decimal(str(value)) if isinstance(value, float) else value)


def ts(text: str) -> p.TypedLiteral:
    return p.TypedLiteral("TIMESTAMP", text)


def date(text: str) -> p.TypedLiteral:
    return p.TypedLiteral("DATE", text)


def fn(name: str, *args: p.Expr, **kw: Any) -> p.FunctionCall:
    return p.FunctionCall(tuple(name.split(".")), tuple(args), **kw)


def col(name: str, *qualifier: str) -> p.Column:
    return p.Column(name, tuple(qualifier))


class Runner:
    """Compiles expressions and evaluates them with DuckDB."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def sql(self, expr: p.Expr, compiler: ExpressionCompiler | None = None) -> str:
        return to_duckdb_sql((compiler or ExpressionCompiler()).compile(expr))

    def value(self, expr: p.Expr, params: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        compiler = ExpressionCompiler(**kw)
        text = to_duckdb_sql(compiler.compile(expr))
        bound = bind_parameters(compiler.parameters, params) if compiler.parameters else params
        rows = self.con.execute(f"SELECT {text}", bound).fetchall()
        return rows[0][0]

    def rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(query, params).fetchall()


@pytest.fixture
def run() -> Iterator[Runner]:
    con = duckdb.connect()
    try:
        yield Runner(con)
    finally:
        con.close()

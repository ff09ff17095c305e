"""Compiler from the logical plan to sqlglot trees and DuckDB SQL.

>>> from heliosql import plan as p
>>> compiler = ExpressionCompiler()
>>> nvl = p.FunctionCall(("NVL",), (p.Parameter(p.ParamStyle.NAMED, "Amount"), p.Literal(0)))
>>> to_duckdb_sql(compiler.compile(nvl)), compiler.parameters
('COALESCE($amount, 0)', ['amount'])
"""

from __future__ import annotations

from heliosql.compiler.expressions import CompileQuery, ExpressionCompiler, SpecialFunction
from heliosql.compiler.identifiers import column, ident, to_duckdb_sql
from heliosql.compiler.types import duckdb_type, map_type

__all__ = [
    "CompileQuery",
    "ExpressionCompiler",
    "SpecialFunction",
    "column",
    "duckdb_type",
    "ident",
    "map_type",
    "to_duckdb_sql",
]

"""Plan type names as sqlglot DataType nodes, using the one Oracle→DuckDB map in heliosql.types.

``heliosql.types`` decides what DuckDB stores (DATE -> TIMESTAMP, bare NUMBER ->
DOUBLE, ...) for DDL and CAST alike; this module only turns its DuckDB type name
into a node. That is the single place a string is parsed by the compiler: a
type name, never an expression.
"""

from __future__ import annotations

from functools import lru_cache

from sqlglot import exp
from sqlglot.errors import ParseError

from heliosql.plan.expressions import TypeName
from heliosql.storage.errors import NotSupportedError
from heliosql.types import duckdb_type_name


def map_type(t: TypeName) -> str:
    """The DuckDB spelling of a type name, e.g. ``NUMBER(10,2)`` -> ``DECIMAL(10,2)``."""
    return duckdb_type_name(t)


@lru_cache(maxsize=256)
def _node(name: str) -> exp.DataType:
    return exp.DataType.build(name, dialect="duckdb")


def duckdb_type(t: TypeName) -> exp.DataType:
    """The DuckDB type for an Oracle/ANSI type name as a sqlglot node."""
    name = map_type(t)
    try:
        return _node(name).copy()
    except ParseError as err:
        position = t.span.start if t.span else None
        raise NotSupportedError(f"unknown type {name}", position=position) from err

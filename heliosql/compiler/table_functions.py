"""DuckDB table functions as FROM items: ``range(5) r(n)``, ``read_csv('f.csv', header := true)``.

The call is passed to DuckDB as written: heliosql keeps no list of table
functions, so whatever DuckDB (and its extensions) provides works, and an
unknown name is DuckDB's catalog error, translated with the call's position
(``heliosql.error_positions``). Arguments are ordinary compiled expressions, so
bind parameters stay DuckDB parameters. Every name is quoted (``ident``); DuckDB
resolves function names case-insensitively. The few table functions that
change the database or its settings behind heliosql's transactions, or run SQL
text heliosql has not compiled, are refused.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from heliosql.compiler.identifiers import ident
from heliosql.plan.base import Expr
from heliosql.plan.relations import TableFunctionRef
from heliosql.storage.errors import NotSupportedError

_CHANGES_STATE = frozenset({
    "checkpoint", "force_checkpoint", "enable_logging", "disable_logging",
    "truncate_duckdb_logs", "enable_profiling", "disable_profiling",
})
_RUNS_SQL_TEXT = frozenset({"query", "query_table"})


def _refuse(name: str, position: int | None) -> None:
    lowered = name.lower()
    if lowered in _CHANGES_STATE:
        raise NotSupportedError(f"table function {name} is not available: it changes the "
                                "database or its settings outside heliosql's transactions",
                                position=position)
    if lowered in _RUNS_SQL_TEXT:
        raise NotSupportedError(f"table function {name} is not available: it runs SQL text "
                                "on DuckDB's tables directly; write the query itself",
                                position=position)


def table_function(
    ref: TableFunctionRef, compile_expr: Callable[[Expr], exp.Expression]
) -> exp.Table:
    """``[catalog.][schema.]name(args, name := value) [AS alias (cols)]`` for DuckDB."""
    *schema, name = ref.name
    position = ref.span.start if ref.span else None
    if len(schema) > 2:
        raise NotSupportedError(f"too many name parts in {'.'.join(ref.name)}",
                                position=position)
    _refuse(name, position)
    args = [compile_expr(a) for a in ref.args]
    # sqlglot writes PropertyEQ as DuckDB's `name := value` (its Kwarg would be `=>`).
    args += [exp.PropertyEQ(this=ident(a.name), expression=compile_expr(a.value))
             for a in ref.named_args]
    parts = dict(zip(("db", "catalog"), map(ident, reversed(schema)), strict=False))
    alias = (exp.TableAlias(this=ident(ref.alias), columns=[ident(c) for c in ref.column_aliases])
             if ref.alias else None)
    return exp.Table(this=exp.Anonymous(this=ident(name), expressions=args), alias=alias,
                     **parts)

"""Identifier quoting and DuckDB text generation: the one place names become SQL.

Every name is emitted quoted. DuckDB resolves quoted identifiers
case-insensitively but keeps their spelling in result column names, which is
what heliosql promises (the spelling the user wrote, not Oracle's upper case),
and quoting makes reserved words and odd characters safe without a keyword list.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import ErrorLevel, UnsupportedError

from heliosql.storage.errors import NotSupportedError


def ident(name: str) -> exp.Identifier:
    """A quoted identifier for ``name``."""
    return exp.Identifier(this=name, quoted=True)


def column(name: str | exp.Star, qualifier: tuple[str, ...] = ()) -> exp.Column:
    """A column (or ``t.*``) reference; ``qualifier`` is ``(table,)``, ``(schema, table)``, ..."""
    if len(qualifier) > 3:
        raise NotSupportedError(f"too many name parts in {'.'.join((*qualifier, str(name)))}")
    this = name if isinstance(name, exp.Star) else ident(name)
    if not qualifier:  # the common case, without building the parts below
        return exp.Column(this=this)
    parts = dict(zip(("table", "db", "catalog"), map(ident, reversed(qualifier)), strict=False))
    return exp.Column(this=this, **parts)


def to_duckdb_sql(e: exp.Expression, *, pretty: bool = False) -> str:
    """DuckDB SQL text for a sqlglot tree; raise if sqlglot would have to drop something."""
    try:
        # copy=False: the tree is built for this one generation, copying it is waste.
        return e.sql(dialect="duckdb", pretty=pretty, unsupported_level=ErrorLevel.RAISE,
                     copy=False)
    except UnsupportedError as err:
        raise NotSupportedError(f"cannot express in DuckDB: {err}") from err

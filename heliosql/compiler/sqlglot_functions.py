"""Function calls built by sqlglot's own builders, so the result is a canonical node.

Oracle names listed in ``functions.ORACLE_BUILT`` (checked against Oracle's
answers) use the Oracle dialect's builder; every other name is read as DuckDB
would read it, so DuckDB functions keep their DuckDB meaning, and names sqlglot
does not know pass through unchanged as ``exp.Anonymous``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.dialects.duckdb import DuckDB
from sqlglot.dialects.oracle import Oracle

from heliosql.compiler.functions import ORACLE_BUILT
from heliosql.storage.errors import ProgrammingError

_ORACLE = Oracle()
_DUCKDB = DuckDB()
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _name(name: str) -> str | exp.Identifier:
    """A function name for ``exp.Anonymous``, which prints a plain string as it is: any
    other name (a quoted ``"a(1), b"``) is quoted, so it can only ever name a function."""
    return name if _PLAIN_NAME.fullmatch(name) else exp.Identifier(this=name, quoted=True)


@cache
def _wants_dialect(builder: Callable[..., Any]) -> bool:
    # sqlglot builders take (args) or (args, dialect=...); its parser tells them apart too.
    try:
        return "dialect" in inspect.signature(builder).parameters
    except (TypeError, ValueError):  # compiled builders may have no signature
        return False


def _call_builder(builder: Callable[..., Any], args: list[exp.Expression], dialect: Dialect) -> Any:
    return builder(args, dialect=dialect) if _wants_dialect(builder) else builder(args)


def build(
    name: str, args: list[exp.Expression], distinct: bool, position: int | None
) -> exp.Expression:
    """``name(args)`` (``name(DISTINCT args)``) as sqlglot's node for that function."""
    upper = name.upper()
    if distinct:
        args = [exp.Distinct(expressions=args)]
    oracle = upper in ORACLE_BUILT and not distinct
    if oracle:
        low, high = ORACLE_BUILT[upper]
        if not low <= len(args) <= high:
            wanted = str(low) if low == high else f"{low} to {high}"
            raise ProgrammingError(
                f"{upper} takes {wanted} arguments, got {len(args)}",
                code="ORA-00909",
                position=position,
            )
    dialect = _ORACLE if oracle else _DUCKDB
    builder = dialect.parser_class.FUNCTIONS.get(upper)
    if builder is None:
        return exp.Anonymous(this=_name(name), expressions=args)
    try:
        result = _call_builder(builder, args, dialect)
        problems = result.error_messages(args) if isinstance(result, exp.Expression) else []
    except (TypeError, ValueError, IndexError) as err:
        problems = [str(err)]
    if problems:
        raise ProgrammingError(
            f"invalid arguments for {upper}: {problems[0]}", code="ORA-00909", position=position
        )
    return result


def star_call(name: str) -> exp.Expression:
    """``COUNT(*)`` (or another aggregate written with ``*``)."""
    if name.upper() == "COUNT":
        return exp.Count(this=exp.Star())
    return exp.Anonymous(this=_name(name), expressions=[exp.Star()])

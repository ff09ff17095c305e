"""What every statement handler needs: positions, the DML target, written values,
transaction marks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from heliosql.compile import Compilation
from heliosql.executors.sequences import sequence_default
from heliosql.plan.expressions import DefaultValue, Literal, ScalarSubquery, Star
from heliosql.plan.relations import Select, TableRef
from heliosql.result import Result
from heliosql.storage import TableInfo
from heliosql.storage.errors import ProgrammingError


def position(node: Any) -> int | None:
    """The statement offset of a plan node, for error messages."""
    span = getattr(node, "span", None)
    return span.start if span is not None else None


def controls_transaction(fn: Callable[..., Result]) -> Callable[..., Result]:
    """Mark a handler that manages the session's transaction itself."""
    fn.controls_transaction = True  # type: ignore[attr-defined]
    return fn


def dml_target(ref: TableRef) -> str:
    """The table name a DML statement writes (never read at another time)."""
    if ref.temporal is not None:
        raise ProgrammingError("the target of a DML statement cannot have a flashback clause",
                               position=position(ref.temporal))
    return ref.name[-1]


def written_value(compilation: Compilation, info: TableInfo, column: str, value: Any,
                  qualify: str | None = None) -> str:
    """SQL for a value written to ``column``: ``DEFAULT`` is the column's default
    expression (NULL when it has none), anything else is compiled (text for a date
    column is read with the session's date format)."""
    if not isinstance(value, DefaultValue):
        into = None
        if isinstance(value, Literal) and isinstance(value.value, str):
            target = info.find_column(column)
            into = target.type if target is not None else None
        return compilation.expression(value, qualify=qualify, into=into)
    found = info.find_column(column)
    if found is None:
        raise ProgrammingError(f"{column}: invalid identifier", code="ORA-00904",
                               position=position(value))
    drawn = sequence_default(compilation, found.default)
    if drawn is not None:
        return drawn
    return f"({found.default})" if found.default is not None else "NULL"


def assigned_values(compilation: Compilation, info: TableInfo, assignment: Any,
                    qualify: str | None = None) -> dict[str, str]:
    """SQL for each column of a SET assignment: ``col = value`` or Oracle's
    ``(a, b) = (subquery)``, whose subquery is read once per column (by position)."""
    columns = assignment.columns
    if len(columns) == 1:
        return {columns[0]: written_value(compilation, info, columns[0], assignment.value,
                                          qualify)}
    value = assignment.value
    if not isinstance(value, ScalarSubquery):
        raise ProgrammingError("a list of columns is set from a subquery: "
                               "SET (a, b) = (SELECT x, y FROM ...)", position=position(value))
    width = _select_width(value.query.body)
    if width is not None and width != len(columns):
        raise ProgrammingError(
            f"SET gives {len(columns)} columns but the subquery returns {width}",
            code="ORA-00913" if width > len(columns) else "ORA-00947", position=position(value))
    subquery = compilation.expression(value, qualify)
    names = ", ".join(f'"__c{i}"' for i in range(len(columns)))
    return {column: f'(SELECT "__c{i}" FROM {subquery} AS __s({names}))'
            for i, column in enumerate(columns)}


def _select_width(body: Any) -> int | None:
    """How many columns a query body returns, when its select list tells (no ``*``)."""
    if not isinstance(body, Select) or any(isinstance(i.expr, Star) for i in body.items):
        return None
    return len(body.items)

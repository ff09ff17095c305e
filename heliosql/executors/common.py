"""What every statement handler needs: positions, the DML target, written values,
transaction marks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from heliosql.compile import Compilation
from heliosql.plan.expressions import DefaultValue
from heliosql.plan.relations import TableRef
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
    expression (NULL when it has none), anything else is compiled."""
    if not isinstance(value, DefaultValue):
        return compilation.expression(value, qualify=qualify)
    wanted = column.lower()
    found = next((c for c in info.columns if c.name.lower() == wanted), None)
    if found is None:
        raise ProgrammingError(f"{column}: invalid identifier", code="ORA-00904",
                               position=position(value))
    return f"({found.default})" if found.default is not None else "NULL"

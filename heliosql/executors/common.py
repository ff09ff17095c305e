"""What every statement handler needs: positions, the DML target, transaction marks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from heliosql.plan.relations import TableRef
from heliosql.result import Result
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
